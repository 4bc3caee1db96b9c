// MLP forward against a hand computation from its own weights, and target-network updates.
#include "credo/nn/mlp.h"

#include <gtest/gtest.h>

#include "credo/core/error.h"
#include "credo/nn/tensor_utils.h"

namespace credo::nn {
namespace {

using Sizes = std::vector<std::int64_t>;

TEST(Mlp, ForwardIsLinearActivationChain) {
  torch::manual_seed(0);
  Mlp mlp(4, Sizes{8, 6}, 2, Activation::relu, Activation::tanh);
  ASSERT_EQ(mlp->layers().size(), 3u);
  const auto x = torch::randn({5, 4});
  const auto& l = mlp->layers();
  auto h = torch::relu(torch::matmul(x, l[0]->weight.t()) + l[0]->bias);
  h = torch::relu(torch::matmul(h, l[1]->weight.t()) + l[1]->bias);
  const auto expected = torch::tanh(torch::matmul(h, l[2]->weight.t()) + l[2]->bias);
  const auto y = mlp->forward(x);
  EXPECT_EQ(y.sizes(), (std::vector<std::int64_t>{5, 2}));
  EXPECT_TRUE(torch::allclose(y, expected, 1e-6, 1e-6));
  EXPECT_LE(y.abs().max().item<float>(), 1.0f);
}

TEST(Mlp, ParametersAreNamedByLayer) {
  Mlp mlp(3, Sizes{16}, 1);
  const auto named = mlp->named_parameters();
  EXPECT_TRUE(named.contains("fc0.weight"));
  EXPECT_TRUE(named.contains("fc1.bias"));
  EXPECT_EQ(named.size(), 4u);
}

TEST(Mlp, SoftUpdateMovesTargetsByTau) {
  torch::manual_seed(1);
  Mlp source(3, Sizes{4}, 2);
  Mlp target(3, Sizes{4}, 2);
  const auto before = target->parameters()[0].clone();
  soft_update(*target, *source, 0.25);
  const auto expected = 0.75 * before + 0.25 * source->parameters()[0];
  EXPECT_TRUE(torch::allclose(target->parameters()[0], expected, 1e-6, 1e-7));
  hard_update(*target, *source);
  for (std::size_t i = 0; i < source->parameters().size(); ++i) {
    EXPECT_TRUE(torch::equal(target->parameters()[i], source->parameters()[i]));
  }
  Mlp other(3, Sizes{4, 4}, 2);
  EXPECT_ANY_THROW(soft_update(*other, *source, 0.5));
}

TEST(Mlp, UnknownActivationIsAUsageError) {
  EXPECT_EQ(parse_activation("tanh"), Activation::tanh);
  EXPECT_THROW(parse_activation("gelu"), UsageError);
}

}  // namespace
}  // namespace credo::nn

// td3's actor clip (nn::clip_grad_norm) runs without reading the norm back, so that it can be part of a CUDA
// graph; its results must stay those of LibTorch's clip_grad_norm_, bit for bit, clipped or not.
TEST(ClipGradNorm, ScalesExactlyAsLibTorchsClip) {
  for (const double max_norm : {0.05, 1e6}) {
    torch::manual_seed(5);
    std::vector<torch::Tensor> a, b;
    for (const auto& shape : {std::vector<std::int64_t>{7, 3}, {3}, {2, 7}}) {
      auto grad = torch::randn(shape);
      a.push_back(torch::zeros(shape, torch::requires_grad()));
      b.push_back(torch::zeros(shape, torch::requires_grad()));
      a.back().mutable_grad() = grad.clone();
      b.back().mutable_grad() = grad.clone();
    }
    const double norm_before = credo::nn::grad_norm(b);
    EXPECT_DOUBLE_EQ(credo::nn::grad_norm_tensor(b).item<double>(), norm_before);
    torch::nn::utils::clip_grad_norm_(a, max_norm);
    credo::nn::clip_grad_norm(b, max_norm);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i].grad(), b[i].grad())) << i;
    EXPECT_NEAR(credo::nn::grad_norm(b), std::min(norm_before, max_norm), 1e-5 * norm_before) << max_norm;
  }
}
