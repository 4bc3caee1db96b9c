#include "credo/nn/policy_heads.h"

#include <cmath>
#include <numbers>

namespace credo::nn {

DeterministicActorImpl::DeterministicActorImpl(std::int64_t obs_dim, std::int64_t act_dim,
                                               const std::vector<std::int64_t>& hidden, Activation activation)
    : net(register_module("net", Mlp(obs_dim, hidden, act_dim, activation, Activation::tanh))) {}

torch::Tensor DeterministicActorImpl::forward(const torch::Tensor& obs) {
  return net->forward(obs);
}

SquashedGaussianActorImpl::SquashedGaussianActorImpl(std::int64_t obs_dim, std::int64_t act_dim_,
                                                     const std::vector<std::int64_t>& hidden,
                                                     Activation activation)
    : net(register_module("net", Mlp(obs_dim, hidden, 2 * act_dim_, activation))), act_dim(act_dim_) {}

SquashedSample SquashedGaussianActorImpl::sample(const torch::Tensor& obs, const torch::Tensor& eps) {
  const auto out = net->forward(obs);
  const auto mu = out.narrow(-1, 0, act_dim);  // [B, A], or a seed population's [N, B, A]
  const auto log_std = out.narrow(-1, act_dim, act_dim).clamp(-20.0, 2.0);
  const auto u = mu + log_std.exp() * eps;
  const auto action = torch::tanh(u);
  // log N(u; mu, sigma) = -eps^2/2 - log sigma - log(2 pi)/2, minus log(1 - tanh(u)^2) for the squash,
  // written as 2 (log 2 - u - softplus(-2u)) so it stays finite for large |u|.
  const double half_log_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
  auto log_prob = (-0.5 * eps.pow(2) - log_std - half_log_2pi).sum(-1, true);
  log_prob -= (2.0 * (std::numbers::ln2 - u - torch::softplus(-2.0 * u))).sum(-1, true);
  return {action, log_prob};
}

torch::Tensor SquashedGaussianActorImpl::deterministic(const torch::Tensor& obs) {
  return torch::tanh(net->forward(obs).narrow(-1, 0, act_dim));
}

DoubleActorImpl::DoubleActorImpl(std::int64_t obs_dim, std::int64_t act_dim,
                                 const std::vector<std::int64_t>& hidden, Activation activation)
    : actor0(register_module("actor0", DeterministicActor(obs_dim, act_dim, hidden, activation))),
      actor1(register_module("actor1", DeterministicActor(obs_dim, act_dim, hidden, activation))),
      critic0(register_module("critic0", Mlp(obs_dim + act_dim, hidden, 1, activation))),
      critic1(register_module("critic1", Mlp(obs_dim + act_dim, hidden, 1, activation))) {}

torch::Tensor DoubleActorImpl::forward(const torch::Tensor& obs) {
  const auto a0 = actor0->forward(obs);
  const auto a1 = actor1->forward(obs);
  const auto q0 = critic0->forward(torch::cat({obs, a0}, 1));
  const auto q1 = critic1->forward(torch::cat({obs, a1}, 1));
  return torch::where(q0 >= q1, a0, a1);
}

GaussianActorImpl::GaussianActorImpl(std::int64_t obs_dim, std::int64_t act_dim,
                                     const std::vector<std::int64_t>& hidden, Activation activation)
    : net(register_module("net", Mlp(obs_dim, hidden, act_dim, activation))),
      log_std(register_parameter("log_std", torch::zeros({1, act_dim}))) {
  orthogonal_init(net, std::sqrt(2.0), 0.01);
}

torch::Tensor GaussianActorImpl::mean(const torch::Tensor& obs) {
  return net->forward(obs);
}

torch::Tensor GaussianActorImpl::log_prob(const torch::Tensor& mean, const torch::Tensor& action) {
  const double half_log_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
  const auto z = (action - mean) * torch::exp(-log_std);
  return (-0.5 * z.pow(2) - log_std - half_log_2pi).sum(1, true);
}

torch::Tensor GaussianActorImpl::entropy() const {
  const double half_log_2pie = 0.5 * std::log(2.0 * std::numbers::pi * std::numbers::e);
  return (log_std + half_log_2pie).sum(1);
}

}  // namespace credo::nn
