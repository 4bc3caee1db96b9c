#include "credo/nn/mlp.h"

#include "credo/core/error.h"

namespace credo::nn {

namespace {

torch::Tensor activate(const torch::Tensor& x, Activation a) {
  switch (a) {
    case Activation::relu:
      return torch::relu(x);
    case Activation::tanh:
      return torch::tanh(x);
    case Activation::none:
      return x;
  }
  return x;
}

}  // namespace

Activation parse_activation(const std::string& name) {
  if (name == "relu") return Activation::relu;
  if (name == "tanh") return Activation::tanh;
  if (name == "none") return Activation::none;
  throw UsageError("unknown activation '" + name + "'; use relu, tanh or none");
}

MlpImpl::MlpImpl(std::int64_t in_features, const std::vector<std::int64_t>& hidden, std::int64_t out_features,
                 Activation activation, Activation output_activation)
    : activation_(activation), output_activation_(output_activation) {
  std::int64_t in = in_features;
  std::vector<std::int64_t> sizes = hidden;
  sizes.push_back(out_features);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    layers_.push_back(register_module("fc" + std::to_string(i), torch::nn::Linear(in, sizes[i])));
    in = sizes[i];
  }
}

namespace {
// A layer of a seed population's network (nn/population.h) holds one weight per seed, [P, out, in], and reads
// [P, B, in]: one batched product for all seeds.
torch::Tensor linear(torch::nn::Linear layer, const torch::Tensor& x) {
  if (layer->weight.dim() == 2) return layer->forward(x);
  return torch::baddbmm(layer->bias.unsqueeze(1), x, layer->weight.transpose(1, 2));
}
}  // namespace

torch::Tensor MlpImpl::forward(torch::Tensor x) {
  for (std::size_t i = 0; i + 1 < layers_.size(); ++i) x = activate(linear(layers_[i], x), activation_);
  return activate(linear(layers_.back(), x), output_activation_);
}

void soft_update(torch::nn::Module& target, const torch::nn::Module& source, double tau) {
  torch::NoGradGuard no_grad;
  auto target_params = target.parameters();
  const auto source_params = source.parameters();
  TORCH_CHECK(target_params.size() == source_params.size(), "soft_update: parameter layouts differ");
  at::_foreach_mul_(target_params, 1.0 - tau);  // one fused call per list, not two ops per parameter
  at::_foreach_add_(target_params, source_params, tau);
}

void hard_update(torch::nn::Module& target, const torch::nn::Module& source) {
  torch::NoGradGuard no_grad;
  auto target_params = target.parameters();
  const auto source_params = source.parameters();
  TORCH_CHECK(target_params.size() == source_params.size(), "hard_update: parameter layouts differ");
  for (std::size_t i = 0; i < target_params.size(); ++i) target_params[i].copy_(source_params[i]);
  auto target_buffers = target.buffers();
  const auto source_buffers = source.buffers();
  TORCH_CHECK(target_buffers.size() == source_buffers.size(), "hard_update: buffer layouts differ");
  for (std::size_t i = 0; i < target_buffers.size(); ++i) target_buffers[i].copy_(source_buffers[i]);
}

void orthogonal_init(Mlp& mlp, double hidden_gain, double output_gain) {
  torch::NoGradGuard no_grad;
  const auto& layers = mlp->layers();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    torch::nn::init::orthogonal_(layers[i]->weight, i + 1 == layers.size() ? output_gain : hidden_gain);
    torch::nn::init::zeros_(layers[i]->bias);
  }
}

}  // namespace credo::nn
