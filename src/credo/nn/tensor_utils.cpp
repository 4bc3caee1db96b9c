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
  double sum = 0.0;
  for (const auto& p : params) {
    if (p.grad().defined()) sum += p.grad().to(torch::kFloat64).pow(2).sum().item<double>();
  }
  return std::sqrt(sum);
}

std::vector<torch::Tensor> parameters_of(std::initializer_list<const torch::nn::Module*> modules) {
  std::vector<torch::Tensor> params;
  for (const auto* m : modules) {
    for (const auto& p : m->parameters()) params.push_back(p);
  }
  return params;
}

}  // namespace credo::nn
