#pragma once
// Named entries in LibTorch archives (checkpoints and policy files): modules and optimizers as sub-archives,
// plain values as IValues.
#include <torch/torch.h>

#include <filesystem>
#include <string>

#include "credo/nn/adam.h"

namespace credo::nn {

void write_module(torch::serialize::OutputArchive& archive, const std::string& key,
                  const torch::nn::Module& module);
void read_module(torch::serialize::InputArchive& archive, const std::string& key, torch::nn::Module& module);
void write_optimizer(torch::serialize::OutputArchive& archive, const std::string& key, const Adam& optimizer);
void read_optimizer(torch::serialize::InputArchive& archive, const std::string& key, Adam& optimizer);

void write_value(torch::serialize::OutputArchive& archive, const std::string& key, const c10::IValue& value);
std::string read_string(torch::serialize::InputArchive& archive, const std::string& key);
std::int64_t read_int(torch::serialize::InputArchive& archive, const std::string& key);
double read_double(torch::serialize::InputArchive& archive, const std::string& key);
std::vector<std::int64_t> read_ints(torch::serialize::InputArchive& archive, const std::string& key);

}  // namespace credo::nn
