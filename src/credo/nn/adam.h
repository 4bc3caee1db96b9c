#pragma once
// Adam (Kingma and Ba 2015) with one fused kernel call per step for all parameters (ATen's _fused_adam_, what
// torch.optim.Adam(fused=True) runs). LibTorch's torch::optim::Adam loops over parameters with about ten
// tensor operations each; at credo's sizes (256-256 networks, batch 256) that per-operation overhead was a
// visible share of an update. Same update rule and defaults as torch.optim.Adam (no weight decay, no
// amsgrad).
#include <torch/torch.h>

#include <vector>

namespace credo::nn {

class Adam {
 public:
  Adam(std::vector<torch::Tensor> params, double lr, double eps = 1e-8, double beta1 = 0.9,
       double beta2 = 0.999);

  void zero_grad();  // drops the gradients (as set_to_none)
  void step();       // parameters without a gradient are left alone

  const std::vector<torch::Tensor>& params() const { return params_; }
  double lr() const { return lr_; }
  void set_lr(double lr) { lr_ = lr; }

  // Moves the optimiser's state to `device`; the parameters move with their modules (Module::to keeps each
  // parameter's identity, so the references held here follow).
  void to(torch::Device device);

  // Seed populations (nn/population.h): restarts the state from zero in the parameters' current shapes (after
  // they were stacked), and makes this optimiser's state seed `seed`'s slice of `population`'s, shared in
  // memory, so that saving and loading it reads and writes the population's state.
  void reset_state();
  void share_slot(const Adam& population, std::int64_t seed);

  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  std::vector<torch::Tensor> params_, exp_avg_, exp_avg_sq_, steps_;
  double lr_, eps_, beta1_, beta2_;
};

}  // namespace credo::nn
