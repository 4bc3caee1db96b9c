#include "credo/nn/archive.h"

#include <fmt/format.h>

#include <vector>

#include <stdexcept>

namespace credo::nn {

void write_module(torch::serialize::OutputArchive& archive, const std::string& key,
                  const torch::nn::Module& module) {
  torch::serialize::OutputArchive sub;
  module.save(sub);
  archive.write(key, sub);
}

void read_module(torch::serialize::InputArchive& archive, const std::string& key, torch::nn::Module& module) {
  torch::serialize::InputArchive sub;
  archive.read(key, sub);
  module.load(sub);
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
