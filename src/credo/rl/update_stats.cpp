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
  add("q_mean", q.mean().item<double>());
  add("q_max", q.max().item<double>());
  add("q_min", q.min().item<double>());
  if (target.defined()) add("target_mean", target.mean().item<double>());
}

void UpdateStats::add(const std::string& name, double value) {
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it == names_.end()) throw std::logic_error("update statistic '" + name + "' was not declared");
  const auto i = static_cast<std::size_t>(it - names_.begin());
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

}  // namespace credo::rl
