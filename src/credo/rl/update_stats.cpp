#include "credo/rl/update_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace credo::rl {

namespace {
enum class Kind { mean, max, min };
Kind kind_of(const std::string& name) {
  if (name.ends_with("_max")) return Kind::max;
  if (name.ends_with("_min")) return Kind::min;
  return Kind::mean;
}
}  // namespace

UpdateStats::UpdateStats(std::vector<std::string> names)
    : names_(std::move(names)), values_(names_.size(), 0.0), counts_(names_.size(), 0) {}

void UpdateStats::add_q(const torch::Tensor& q, const torch::Tensor& target) {
  if (q.dim() == 3) {  // a seed population's [N, B, 1]: one value per seed
    add("q_mean", q.mean({1, 2}));
    add("q_max", q.amax({1, 2}));
    add("q_min", q.amin({1, 2}));
    if (target.defined()) add("target_mean", target.mean({1, 2}));
    return;
  }
  add("q_mean", q.mean());
  add("q_max", q.max());
  add("q_min", q.min());
  if (target.defined()) add("target_mean", target.mean());
}

void UpdateStats::add(const std::string& name, const torch::Tensor& value) {
  index_of(name);
  // float64 holds every float32 value exactly: the values read are those item<double>() would give.
  pending_.emplace_back(name, value.detach().reshape({-1}).to(torch::kFloat64));
}

void UpdateStats::flush() {
  if (pending_.empty()) return;
  std::vector<torch::Tensor> values;
  for (const auto& [name, value] : pending_) values.push_back(value);
  const auto host = torch::stack(values).to(torch::kCPU);
  if (host.size(1) != 1) throw std::logic_error("UpdateStats::flush: a value with one element per seed");
  const auto* read = host.data_ptr<double>();
  const auto pending = std::move(pending_);
  pending_.clear();
  for (std::size_t i = 0; i < pending.size(); ++i) add(pending[i].first, read[i]);
}

std::vector<std::pair<std::string, torch::Tensor>> UpdateStats::take_pending() {
  auto out = std::move(pending_);
  pending_.clear();
  return out;
}

void UpdateStats::queue(const std::vector<std::pair<std::string, torch::Tensor>>& pending) {
  pending_.insert(pending_.end(), pending.begin(), pending.end());
}

std::size_t UpdateStats::index_of(const std::string& name) const {
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it == names_.end()) throw std::logic_error("update statistic '" + name + "' was not declared");
  return static_cast<std::size_t>(it - names_.begin());
}

void UpdateStats::add(const std::string& name, double value) {
  const auto i = index_of(name);
  if (listener_) listener_(name, value);
  switch (kind_of(name)) {
    case Kind::mean:
      values_[i] += value;
      break;
    case Kind::max:
      values_[i] = counts_[i] ? std::max(values_[i], value) : value;
      if (std::isnan(value)) values_[i] = value;
      break;
    case Kind::min:
      values_[i] = counts_[i] ? std::min(values_[i], value) : value;
      if (std::isnan(value)) values_[i] = value;
      break;
  }
  ++counts_[i];
}

std::vector<std::pair<std::string, double>> UpdateStats::take() {
  flush();
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t i = 0; i < names_.size(); ++i) {
    double v = std::numeric_limits<double>::quiet_NaN();
    if (counts_[i])
      v = kind_of(names_[i]) == Kind::mean ? values_[i] / static_cast<double>(counts_[i]) : values_[i];
    out.emplace_back(names_[i], v);
    values_[i] = 0.0;
    counts_[i] = 0;
  }
  return out;
}

std::map<std::string, double> UpdateStats::state() {
  flush();
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (counts_[i] == 0) continue;
    out[names_[i]] = values_[i];
    out[names_[i] + "#count"] = static_cast<double>(counts_[i]);
  }
  return out;
}

void UpdateStats::restore(const std::map<std::string, double>& state) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    const auto value = state.find(names_[i]), count = state.find(names_[i] + "#count");
    const bool kept = value != state.end() && count != state.end();
    values_[i] = kept ? value->second : 0.0;
    counts_[i] = kept ? static_cast<long>(count->second) : 0;
  }
}

}  // namespace credo::rl
