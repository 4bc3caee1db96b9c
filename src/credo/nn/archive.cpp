#include "credo/nn/archive.h"

#include <fmt/format.h>

#include <stdexcept>
#include <vector>

namespace credo::nn {

void write_module(torch::serialize::OutputArchive& archive, const std::string& key,
                  const torch::nn::Module& module) {
  torch::serialize::OutputArchive sub;
  module.save(sub);
  archive.write(key, sub);
}

namespace {
// What torch::nn::Module::load reads (Module::save's layout: own parameters, own buffers, a sub-archive per
// child), copied into the existing tensors instead of replacing their storage (Module::load's set_): a seed
// population's parameters are views of the population's (nn/population.h) and must stay so.
void load_in_place(torch::serialize::InputArchive& archive, torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  const auto read_into = [&](const std::string& key, torch::Tensor& into, bool is_buffer) {
    torch::Tensor saved;
    archive.read(key, saved, is_buffer);
    if (saved.sizes() != into.sizes())
      throw std::runtime_error(fmt::format("checkpoint: '{}' of {} has shape {}, the network expects {}", key,
                                           module.name(), c10::str(saved.sizes()), c10::str(into.sizes())));
    into.copy_(saved);
  };
  for (auto& p : module.named_parameters(false)) read_into(p.key(), p.value(), false);
  for (auto& b : module.named_buffers(false)) read_into(b.key(), b.value(), true);
  for (auto& child : module.named_children()) {
    torch::serialize::InputArchive sub;
    archive.read(child.key(), sub);
    load_in_place(sub, *child.value());
  }
}
}  // namespace

void read_module(torch::serialize::InputArchive& archive, const std::string& key, torch::nn::Module& module) {
  torch::serialize::InputArchive sub;
  archive.read(key, sub);
  load_in_place(sub, module);
}

void write_optimizer(torch::serialize::OutputArchive& archive, const std::string& key,
                     const Adam& optimizer) {
  torch::serialize::OutputArchive sub;
  optimizer.save(sub);
  archive.write(key, sub);
}

void read_optimizer(torch::serialize::InputArchive& archive, const std::string& key, Adam& optimizer) {
  torch::serialize::InputArchive sub;
  archive.read(key, sub);
  optimizer.load(sub);
}

void write_value(torch::serialize::OutputArchive& archive, const std::string& key, const c10::IValue& value) {
  archive.write(key, value);
}

namespace {
c10::IValue read_ivalue(torch::serialize::InputArchive& archive, const std::string& key) {
  c10::IValue value;
  archive.read(key, value);
  return value;
}
}  // namespace

std::string read_string(torch::serialize::InputArchive& archive, const std::string& key) {
  return read_ivalue(archive, key).toStringRef();
}
std::int64_t read_int(torch::serialize::InputArchive& archive, const std::string& key) {
  return read_ivalue(archive, key).toInt();
}
double read_double(torch::serialize::InputArchive& archive, const std::string& key) {
  return read_ivalue(archive, key).toDouble();
}
std::vector<std::int64_t> read_ints(torch::serialize::InputArchive& archive, const std::string& key) {
  return read_ivalue(archive, key).toIntVector();
}

}  // namespace credo::nn
