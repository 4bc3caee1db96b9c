#include "credo/nn/state_table.h"

#include "credo/nn/archive.h"

namespace credo::nn {

void StateTable::module(const std::string& name, torch::nn::Module& module) {
  modules_.emplace_back(name, &module);
  entries_.push_back({[name, &module](torch::serialize::OutputArchive& a) { write_module(a, name, module); },
                      [name, &module](torch::serialize::InputArchive& a) { read_module(a, name, module); },
                      [&module](torch::Device device) { module.to(device); }});
}

void StateTable::optimizer(const std::string& name, Adam& optimizer) {
  optimizers_.emplace_back(name, &optimizer);
  entries_.push_back(
      {[name, &optimizer](torch::serialize::OutputArchive& a) { write_optimizer(a, name, optimizer); },
       [name, &optimizer](torch::serialize::InputArchive& a) { read_optimizer(a, name, optimizer); },
       [&optimizer](torch::Device device) { optimizer.to(device); }});
}

void StateTable::integer(const std::string& name, std::int64_t& value) {
  integers_.emplace_back(name, &value);
  entries_.push_back({[name, &value](torch::serialize::OutputArchive& a) { write_value(a, name, value); },
                      [name, &value](torch::serialize::InputArchive& a) { value = read_int(a, name); }});
}

void StateTable::real(const std::string& name, double& value) {
  entries_.push_back({[name, &value](torch::serialize::OutputArchive& a) { write_value(a, name, value); },
                      [name, &value](torch::serialize::InputArchive& a) { value = read_double(a, name); }});
}

void StateTable::tensor(const std::string& name, torch::Tensor& value) {
  tensors_.emplace_back(name, &value);
  entries_.push_back({[name, &value](torch::serialize::OutputArchive& a) { a.write(name, value); },
                      [name, &value](torch::serialize::InputArchive& a) {
                        torch::Tensor saved;
                        a.read(name, saved);
                        torch::NoGradGuard no_grad;
                        value.copy_(saved);
                      },
                      [&value](torch::Device device) {
                        torch::NoGradGuard no_grad;
                        value.set_data(value.to(device));
                      }});
}

void StateTable::rng(const std::string& name, Rng& rng) {
  entries_.push_back(
      {[name, &rng](torch::serialize::OutputArchive& a) { write_value(a, name, rng.state()); },
       [name, &rng](torch::serialize::InputArchive& a) { rng.set_state(read_string(a, name)); }});
}

void StateTable::save(torch::serialize::OutputArchive& archive) const {
  for (const auto& entry : entries_) entry.save(archive);
}

void StateTable::load(torch::serialize::InputArchive& archive) const {
  for (const auto& entry : entries_) entry.load(archive);
}

void StateTable::to(torch::Device device) const {
  for (const auto& entry : entries_) entry.to(device);
}

}  // namespace credo::nn
