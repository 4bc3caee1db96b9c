#include "credo/nn/tensor_utils.h"

#include <cmath>

namespace credo::nn {

torch::Tensor normal_tensor(Rng& rng, std::int64_t rows, std::int64_t cols) {
  auto t = torch::empty({rows, cols});
  float* p = t.data_ptr<float>();
  for (std::int64_t i = 0; i < rows * cols; ++i) p[i] = static_cast<float>(rng.normal());
  return t;
}

torch::Tensor row_tensor(std::span<const double> values) {
  auto t = torch::empty({1, static_cast<std::int64_t>(values.size())});
  float* p = t.data_ptr<float>();
  for (std::size_t i = 0; i < values.size(); ++i) p[i] = static_cast<float>(values[i]);
  return t;
}

namespace {
std::vector<torch::Tensor> grads_of(const std::vector<torch::Tensor>& params) {
  std::vector<torch::Tensor> grads;
  for (const auto& p : params) {
    if (p.grad().defined()) grads.push_back(p.grad());
  }
  return grads;
}
}  // namespace

torch::Tensor grad_norm_tensor(const std::vector<torch::Tensor>& params) {
  const auto grads = grads_of(params);
  TORCH_CHECK(!grads.empty(), "grad_norm_tensor: no parameter has a gradient");
  // One fused per-tensor norm, then the norm of the norms (in float64).
  return torch::stack(at::_foreach_norm(grads)).to(torch::kFloat64).norm();
}

double grad_norm(const std::vector<torch::Tensor>& params) {
  if (grads_of(params).empty()) return 0.0;
  return grad_norm_tensor(params).item<double>();
}

void clip_grad_norm(const std::vector<torch::Tensor>& params, double max_norm) {
  torch::NoGradGuard no_grad;
  const auto grads = grads_of(params);
  if (grads.empty()) return;
  std::vector<torch::Tensor> norms;
  for (const auto& g : grads) norms.push_back(g.norm(2.0));
  const auto total = norms.size() == 1 ? norms[0] : torch::stack(norms).norm(2.0);
  const auto coef = torch::clamp(max_norm / (total + 1e-6), std::nullopt, 1.0);
  for (const auto& g : grads) g.mul_(coef);
}

std::vector<torch::Tensor> parameters_of(std::initializer_list<const torch::nn::Module*> modules) {
  std::vector<torch::Tensor> params;
  for (const auto* m : modules) {
    for (const auto& p : m->parameters()) params.push_back(p);
  }
  return params;
}

}  // namespace credo::nn
