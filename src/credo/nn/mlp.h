#pragma once
// A multilayer perceptron: Linear layers with an activation between them and an optional one at the output.
// Layers are registered as "fc0", "fc1", ... so checkpoints name them stably. PyTorch's default Linear init.
// The network of a seed population (nn/population.h) has each weight stacked along a first seed dimension and
// maps [P, B, in] to [P, B, out].
#include <torch/torch.h>

#include <string>
#include <vector>

namespace credo::nn {

enum class Activation { none, relu, tanh };

Activation parse_activation(const std::string& name);  // "relu", "tanh", "none"; throws credo::UsageError

class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(std::int64_t in_features, const std::vector<std::int64_t>& hidden, std::int64_t out_features,
          Activation activation = Activation::relu, Activation output_activation = Activation::none);

  torch::Tensor forward(torch::Tensor x);

  const std::vector<torch::nn::Linear>& layers() const { return layers_; }

 private:
  std::vector<torch::nn::Linear> layers_;
  Activation activation_;
  Activation output_activation_;
};
TORCH_MODULE(Mlp);

// Orthogonal weights (Saxe et al. 2014) with `hidden_gain` on every layer but the last, `output_gain` on the
// last, and zero biases: CleanRL's PPO (sqrt 2, 0.01) and DAC's TD3 (1, 0.01 for the actor; 1, 1 for
// critics).
void orthogonal_init(Mlp& mlp, double hidden_gain, double output_gain);

// Polyak averaging of target parameters: target <- tau * source + (1 - tau) * target (TD3, SAC: tau = 0.005).
// Both modules must have the same parameter layout.
void soft_update(torch::nn::Module& target, const torch::nn::Module& source, double tau);
// target <- source, parameters and buffers.
void hard_update(torch::nn::Module& target, const torch::nn::Module& source);

}  // namespace credo::nn
