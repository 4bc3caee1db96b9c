#include "credo/gail/discriminator.h"

#include "credo/nn/archive.h"
#include "credo/nn/tensor_utils.h"

namespace credo::gail {

Discriminator::Discriminator(std::int64_t obs_dim, std::int64_t act_dim,
                             const std::vector<std::int64_t>& hidden, nn::Activation activation, double lr,
                             double gradient_penalty, torch::Tensor obs_mean, torch::Tensor obs_std)
    : obs_dim_(obs_dim),
      act_dim_(act_dim),
      net_(obs_dim + act_dim, hidden, 1, activation),
      gradient_penalty_(gradient_penalty),
      obs_mean_(std::move(obs_mean)),
      obs_std_(std::move(obs_std)) {
  optimizer_ = std::make_unique<nn::Adam>(net_->parameters(), lr);
}

void Discriminator::to(torch::Device device) {
  net_->to(device);
  optimizer_->to(device);
  if (obs_mean_.defined()) {
    obs_mean_ = obs_mean_.to(device);
    obs_std_ = obs_std_.to(device);
  }
  device_ = device;
}

void Discriminator::copy_weights_from(const Discriminator& other) {
  nn::hard_update(*net_, *other.net_);
}

torch::Tensor Discriminator::inputs(const torch::Tensor& obs, const torch::Tensor& actions) const {
  return torch::cat({obs_mean_.defined() ? (obs - obs_mean_) / obs_std_ : obs, actions}, 1);
}

torch::Tensor Discriminator::logits(const torch::Tensor& obs, const torch::Tensor& actions) {
  return net_->forward(inputs(obs, actions));
}

DiscriminatorUpdate Discriminator::update(const torch::Tensor& expert_obs,
                                          const torch::Tensor& expert_actions,
                                          const torch::Tensor& expert_weights,
                                          const torch::Tensor& policy_obs,
                                          const torch::Tensor& policy_actions, Rng& rng) {
  DiscriminatorUpdate u;
  u.penalty = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device_));
  const auto expert_in = inputs(expert_obs, expert_actions);
  const auto policy_in = inputs(policy_obs, policy_actions);
  const auto expert_z = net_->forward(expert_in);
  const auto policy_z = net_->forward(policy_in);
  // BCE from logits: -log sigmoid(z) = softplus(-z) for the expert (label 1), softplus(z) for the imitator.
  auto loss = (expert_weights * torch::softplus(-expert_z)).mean() + torch::softplus(policy_z).mean();
  if (gradient_penalty_ > 0.0) {
    const auto n = std::min(expert_in.size(0), policy_in.size(0));
    std::vector<float> alpha(static_cast<std::size_t>(n));
    for (auto& a : alpha) a = static_cast<float>(rng.uniform01());
    const auto a = torch::from_blob(alpha.data(), {n, 1}).clone().to(device_);
    auto mixed =
        (a * policy_in.narrow(0, 0, n) + (1 - a) * expert_in.narrow(0, 0, n)).detach().requires_grad_(true);
    const auto z = net_->forward(mixed);
    const auto grad = torch::autograd::grad({z.sum()}, {mixed}, {}, true, true)[0];
    const auto penalty = (grad.norm(2, 1) - 1).pow(2).mean();
    u.penalty = penalty.detach().to(torch::kFloat64);
    loss = loss + gradient_penalty_ * penalty;
  }
  optimizer_->zero_grad();
  loss.backward();
  const auto params = net_->parameters();
  u.grad_norm = nn::grad_norm_tensor(params);
  optimizer_->step();
  u.loss = loss.detach().to(torch::kFloat64);
  u.acc_expert = (expert_z > 0).to(torch::kFloat64).mean();
  u.acc_policy = (policy_z < 0).to(torch::kFloat64).mean();
  return u;
}

void Discriminator::save(torch::serialize::OutputArchive& archive) const {
  nn::write_module(archive, "net", *net_);
  nn::write_optimizer(archive, "optimizer", *optimizer_);
}

void Discriminator::load(torch::serialize::InputArchive& archive) {
  nn::read_module(archive, "net", *net_);
  nn::read_optimizer(archive, "optimizer", *optimizer_);
  to(device_);  // checkpoints load into host memory
}

}  // namespace credo::gail
