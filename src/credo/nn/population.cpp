#include "credo/nn/population.h"

#include <stdexcept>

namespace credo::nn {

namespace {
// `population` becomes the stack of `members` (keeping its identity: set_data), each member a view of its
// slice.
void stack_into(torch::Tensor& population, const std::vector<torch::Tensor*>& members) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> slices;
  for (const auto* m : members) slices.push_back(*m);
  population.set_data(torch::stack(slices).to(population.device()));
  for (std::size_t k = 0; k < members.size(); ++k)
    members[k]->set_data(population.detach()[static_cast<std::int64_t>(k)]);
}
}  // namespace

void stack_parameters(torch::nn::Module& population, const std::vector<torch::nn::Module*>& members) {
  auto stacked = population.parameters();
  std::vector<std::vector<torch::Tensor>> own;
  for (const auto* m : members) {
    own.push_back(m->parameters());
    if (own.back().size() != stacked.size())
      throw std::logic_error("stack_parameters: a member's networks differ from the population's");
  }
  for (std::size_t i = 0; i < stacked.size(); ++i) {
    std::vector<torch::Tensor*> slices;
    for (auto& params : own) slices.push_back(&params[i]);
    stack_into(stacked[i], slices);
  }
}

void stack_tensor(torch::Tensor& population, const std::vector<torch::Tensor*>& members) {
  stack_into(population, members);
}

namespace {
std::vector<torch::Tensor> grads_of(const std::vector<torch::Tensor>& params) {
  std::vector<torch::Tensor> grads;
  for (const auto& p : params) {
    if (p.grad().defined()) grads.push_back(p.grad());
  }
  if (grads.empty()) throw std::logic_error("seed gradient norm: no parameter has a gradient");
  return grads;
}

// [N]: each gradient's norm per seed, then the norm of those, in `dtype` (as grad_norm_tensor and
// clip_grad_norm compute theirs, tensor_utils.h).
torch::Tensor seed_norms(const std::vector<torch::Tensor>& grads, torch::ScalarType dtype) {
  std::vector<torch::Tensor> norms;
  for (const auto& g : grads) norms.push_back(g.flatten(1).norm(2.0, {1}));
  return torch::stack(norms).to(dtype).norm(2.0, {0});
}
}  // namespace

torch::Tensor seed_grad_norms(const std::vector<torch::Tensor>& params) {
  torch::NoGradGuard no_grad;
  return seed_norms(grads_of(params), torch::kFloat64);
}

void clip_seed_grad_norms(const std::vector<torch::Tensor>& params, double max_norm) {
  torch::NoGradGuard no_grad;
  const auto grads = grads_of(params);
  const auto coef =
      torch::clamp(max_norm / (seed_norms(grads, grads[0].scalar_type()) + 1e-6), std::nullopt, 1.0);
  for (const auto& g : grads) {
    std::vector<std::int64_t> shape(static_cast<std::size_t>(g.dim()), 1);
    shape[0] = g.size(0);
    g.mul_(coef.view(shape));
  }
}

}  // namespace credo::nn
