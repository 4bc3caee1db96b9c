#pragma once
// Running mean and variance (Chan et al.'s parallel update), as Gymnasium's RunningMeanStd: starts from mean
// 0, variance 1 and count 1e-4 (Gymnasium's RunningMeanStd, gymnasium/wrappers/utils.py). Used for observation normalisation and PPO's return scaling.
#include <torch/torch.h>

#include <span>
#include <vector>

namespace credo::nn {

class RunningMeanStd {
 public:
  explicit RunningMeanStd(std::size_t size = 1);

  void update(std::span<const double> x);  // one sample
  // (x - mean) / sqrt(var + eps), clipped to [-clip, clip] (clip <= 0: no clip).
  void normalize(std::span<const double> x, std::span<double> out, double clip) const;
  torch::Tensor normalize(const torch::Tensor& x, double clip) const;  // float tensor [B, size]

  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& var() const { return var_; }
  double count() const { return count_; }

  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

  static constexpr double epsilon = 1e-8;

 private:
  std::vector<double> mean_, var_;
  double count_ = 1e-4;
};

}  // namespace credo::nn
