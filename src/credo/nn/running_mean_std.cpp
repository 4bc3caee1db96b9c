#include "credo/nn/running_mean_std.h"

#include <algorithm>
#include <cmath>

namespace credo::nn {

RunningMeanStd::RunningMeanStd(std::size_t size) : mean_(size, 0.0), var_(size, 1.0) {}

void RunningMeanStd::update(std::span<const double> x) {
  // Merge a batch of one (batch mean x, batch variance 0) into the running moments.
  const double total = count_ + 1.0;
  for (std::size_t i = 0; i < mean_.size(); ++i) {
    const double delta = x[i] - mean_[i];
    const double m2 = var_[i] * count_ + delta * delta * count_ * 1.0 / total;
    mean_[i] += delta / total;
    var_[i] = m2 / total;
  }
  count_ = total;
}

void RunningMeanStd::normalize(std::span<const double> x, std::span<double> out, double clip) const {
  for (std::size_t i = 0; i < mean_.size(); ++i) {
    double v = (x[i] - mean_[i]) / std::sqrt(var_[i] + epsilon);
    if (clip > 0) v = std::clamp(v, -clip, clip);
    out[i] = v;
  }
}

torch::Tensor RunningMeanStd::normalize(const torch::Tensor& x, double clip) const {
  const auto n = static_cast<std::int64_t>(mean_.size());
  auto mean = torch::from_blob(const_cast<double*>(mean_.data()), {1, n}, torch::kFloat64);
  auto var = torch::from_blob(const_cast<double*>(var_.data()), {1, n}, torch::kFloat64);
  auto y = ((x.to(torch::kFloat64) - mean) / torch::sqrt(var + epsilon));
  if (clip > 0) y = y.clamp(-clip, clip);
  return y.to(torch::kFloat32);
}

void RunningMeanStd::save(torch::serialize::OutputArchive& archive) const {
  const auto n = static_cast<std::int64_t>(mean_.size());
  archive.write("mean", torch::from_blob(const_cast<double*>(mean_.data()), {n}, torch::kFloat64).clone());
  archive.write("var", torch::from_blob(const_cast<double*>(var_.data()), {n}, torch::kFloat64).clone());
  archive.write("count", torch::tensor(count_, torch::kFloat64));
}

void RunningMeanStd::load(torch::serialize::InputArchive& archive) {
  torch::Tensor mean, var, count;
  archive.read("mean", mean);
  archive.read("var", var);
  archive.read("count", count);
  TORCH_CHECK(mean.numel() == static_cast<std::int64_t>(mean_.size()), "normaliser size mismatch");
  std::copy_n(mean.data_ptr<double>(), mean_.size(), mean_.begin());
  std::copy_n(var.data_ptr<double>(), var_.size(), var_.begin());
  count_ = count.item<double>();
}

}  // namespace credo::nn
