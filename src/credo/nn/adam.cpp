#include "credo/nn/adam.h"

#include <stdexcept>

namespace credo::nn {

Adam::Adam(std::vector<torch::Tensor> params, double lr, double eps, double beta1, double beta2)
    : params_(std::move(params)), lr_(lr), eps_(eps), beta1_(beta1), beta2_(beta2) {
  reset_state();
}

void Adam::reset_state() {
  exp_avg_.clear();
  exp_avg_sq_.clear();
  steps_.clear();
  for (const auto& p : params_) {
    exp_avg_.push_back(torch::zeros_like(p));
    exp_avg_sq_.push_back(torch::zeros_like(p));
    steps_.push_back(torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat32).device(p.device())));
  }
}

void Adam::share_slot(const Adam& population, std::int64_t seed) {
  if (population.params_.size() != params_.size())
    throw std::logic_error("Adam::share_slot: the population's optimiser has other parameters");
  for (std::size_t i = 0; i < params_.size(); ++i) {
    exp_avg_[i] = population.exp_avg_[i][seed];
    exp_avg_sq_[i] = population.exp_avg_sq_[i][seed];
    steps_[i] = population.steps_[i];  // every seed has taken the same steps
  }
}

void Adam::zero_grad() {
  for (auto& p : params_) p.mutable_grad() = torch::Tensor();
}

void Adam::step() {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> params, grads, exp_avg, exp_avg_sq, steps;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (!params_[i].grad().defined()) continue;
    params.push_back(params_[i]);
    grads.push_back(params_[i].grad());
    exp_avg.push_back(exp_avg_[i]);
    exp_avg_sq.push_back(exp_avg_sq_[i]);
    steps.push_back(steps_[i]);
  }
  if (params.empty()) return;
  // The kernel reads the already-incremented step (as torch.optim.Adam's fused path).
  at::_foreach_add_(steps, 1.0);
  at::_fused_adam_(params, grads, exp_avg, exp_avg_sq, {}, steps, lr_, beta1_, beta2_, 0.0, eps_, false,
                   false);
}

void Adam::to(torch::Device device) {
  for (auto* state : {&exp_avg_, &exp_avg_sq_, &steps_}) {
    for (auto& t : *state) t = t.to(device);
  }
}

void Adam::save(torch::serialize::OutputArchive& archive) const {
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const auto n = std::to_string(i);
    archive.write("exp_avg" + n, exp_avg_[i]);
    archive.write("exp_avg_sq" + n, exp_avg_sq_[i]);
    archive.write("step" + n, steps_[i]);
  }
}

void Adam::load(torch::serialize::InputArchive& archive) {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const auto n = std::to_string(i);
    torch::Tensor m, v, s;
    archive.read("exp_avg" + n, m);
    archive.read("exp_avg_sq" + n, v);
    archive.read("step" + n, s);
    if (!m.sizes().equals(exp_avg_[i].sizes())) throw std::runtime_error("optimizer state has other sizes");
    exp_avg_[i].copy_(m);
    exp_avg_sq_[i].copy_(v);
    steps_[i].copy_(s);
  }
}

}  // namespace credo::nn
