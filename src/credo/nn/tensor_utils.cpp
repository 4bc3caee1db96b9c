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

double grad_norm(const std::vector<torch::Tensor>& params) {
  std::vector<torch::Tensor> grads;
  for (const auto& p : params) {
    if (p.grad().defined()) grads.push_back(p.grad());
  }
  if (grads.empty()) return 0.0;
  // One fused per-tensor norm, then the norm of the norms (in float64).
  return torch::stack(at::_foreach_norm(grads)).to(torch::kFloat64).norm().item<double>();
}

std::vector<torch::Tensor> parameters_of(std::initializer_list<const torch::nn::Module*> modules) {
  std::vector<torch::Tensor> params;
  for (const auto* m : modules) {
    for (const auto& p : m->parameters()) params.push_back(p);
  }
  return params;
}

}  // namespace credo::nn
