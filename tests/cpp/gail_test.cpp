// Adversarial imitation's parts: reward transforms stay finite at any logit, the clip bounds every learning
// reward, and the discriminator learns to separate a fixed batch.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "credo/core/error.h"
#include "credo/gail/adversarial_reward.h"
#include "credo/gail/discriminator.h"
#include "credo/gail/reward_transform.h"
#include "credo/telemetry/tensorboard_writer.h"

namespace credo::gail {
namespace {

const std::vector<double> kLogits = {-1e6, -1e4, -100, -20, -1, 0, 1, 20, 100, 1e4, 1e6};

TEST(RewardTransforms, ValuesAndGradientsStayFiniteAtExtremeLogits) {
  for (const auto& name : reward_names()) {
    const auto transform = make_reward_transform(name);
    auto z = torch::tensor(kLogits, torch::kFloat32).requires_grad_(true);
    const auto r = (*transform)(z);
    r.sum().backward();
    EXPECT_TRUE(torch::isfinite(r).all().item<bool>()) << name << ": " << r;
    EXPECT_TRUE(torch::isfinite(z.grad()).all().item<bool>()) << name << ": " << z.grad();
  }
}

TEST(RewardTransforms, MatchTheirDefinitions) {
  const auto z = torch::tensor({-3.0, -0.5, 0.0, 0.7, 4.0}, torch::kFloat64);
  const auto d = torch::sigmoid(z);
  EXPECT_TRUE(torch::allclose(GailReward()(z), -torch::log(1 - d)));  // -log(1 - D)
  EXPECT_TRUE(torch::allclose(AirlReward()(z), torch::log(d) - torch::log(1 - d)));
  EXPECT_TRUE(torch::allclose(LogDReward()(z), torch::log(d)));
  // Signs as the conventions say: gail > 0, logd < 0 everywhere.
  const auto wide = torch::tensor(kLogits, torch::kFloat64);
  EXPECT_TRUE((GailReward()(wide) >= 0).all().item<bool>());
  EXPECT_TRUE((LogDReward()(wide) <= 0).all().item<bool>());
  EXPECT_THROW(make_reward_transform("wgan"), UsageError);
}

Discriminator small_discriminator() {
  return Discriminator(2, 1, {16, 16}, nn::Activation::tanh, 1e-2, 0.0, torch::zeros({1, 2}),
                       torch::ones({1, 2}));
}

TEST(AdversarialReward, ClipBoundsEveryLearningReward) {
  torch::manual_seed(0);
  auto disc = small_discriminator();
  {
    torch::NoGradGuard no_grad;
    disc.net()->layers().back()->bias.fill_(50.0);  // logits near 50: gail reward near 50
  }
  rl::UpdateStats stats({"reward_mean", "reward_max", "reward_min", "reward_raw_max", "clip_fraction",
                         "outlier_high", "outlier_low"});
  const auto obs = torch::randn({64, 2});
  const auto act = torch::rand({64, 1}) * 2 - 1;
  RewardOptions clipped;
  clipped.clip = 5.0;
  const auto r =
      AdversarialReward(disc, clipped, stats).rewards(obs, act, obs, torch::zeros({obs.size(0), 1}));
  EXPECT_EQ(r.sizes(), (std::vector<std::int64_t>{64, 1}));
  EXPECT_LE(r.max().item<double>(), 5.0);
  const auto row = stats.take();
  EXPECT_DOUBLE_EQ(row[4].second, 1.0);  // clip_fraction: every sample clipped
  EXPECT_DOUBLE_EQ(row[5].second, 1.0);  // outlier_high: D > 0.99 everywhere
  EXPECT_GT(row[3].second, 40.0);        // the raw reward was large
  RewardOptions off;
  off.clip = std::numeric_limits<double>::infinity();
  const auto unclipped =
      AdversarialReward(disc, off, stats).rewards(obs, act, obs, torch::zeros({obs.size(0), 1}));
  EXPECT_GT(unclipped.min().item<double>(), 40.0);
  RewardOptions both;
  both.transform = "airl";
  both.clip = 1.0;
  both.clip_low = -1.0;
  {
    torch::NoGradGuard no_grad;
    disc.net()->layers().back()->bias.fill_(-50.0);
  }
  const auto low =
      AdversarialReward(disc, both, stats).rewards(obs, act, obs, torch::zeros({obs.size(0), 1}));
  EXPECT_GE(low.min().item<double>(), -1.0);
}

TEST(AdversarialReward, AbsorbingStatesAddTheAbsorbingValueToTerminatedTransitions) {
  torch::manual_seed(2);
  // Two observation inputs and the absorbing indicator.
  Discriminator disc(3, 1, {16, 16}, nn::Activation::tanh, 1e-2, 0.0, torch::zeros({1, 3}),
                     torch::ones({1, 3}));
  rl::UpdateStats stats({"reward_mean", "reward_max", "reward_min", "reward_raw_max", "clip_fraction",
                         "outlier_high", "outlier_low"});
  RewardOptions options;
  options.absorbing = true;
  options.gamma = 0.9;
  AdversarialReward reward(disc, options, stats);
  const auto obs = torch::randn({8, 2});
  const auto act = torch::rand({8, 1}) * 2 - 1;
  const auto terminated = torch::tensor({0, 1, 0, 0, 1, 0, 0, 0}, torch::kFloat32).reshape({-1, 1});
  const auto r = reward.rewards(obs, act, obs, terminated);
  // The per-step reward sees the indicator 0; the absorbing state is (0, 0, 1) with the zero action.
  torch::NoGradGuard no_grad;
  const auto step =
      GailReward()(disc.logits(torch::cat({obs, torch::zeros({8, 1})}, 1), act)).reshape({-1, 1});
  const double r_abs =
      GailReward()(disc.logits(torch::tensor({{0.0F, 0.0F, 1.0F}}), torch::zeros({1, 1}))).item<double>();
  EXPECT_NEAR(reward.absorbing_reward(), r_abs, 1e-6);
  const auto expected = step + terminated * (0.9 / (1 - 0.9) * r_abs);
  EXPECT_TRUE(torch::allclose(r, expected, 1e-5, 1e-5)) << r << expected;
  // The clip bounds r_abs too, so a terminated transition's target stays within clip / (1 - gamma).
  disc.net()->layers().back()->bias.fill_(50.0);
  options.clip = 5.0;
  AdversarialReward clipped(disc, options, stats);
  EXPECT_DOUBLE_EQ(clipped.absorbing_reward(), 5.0);
  EXPECT_LE(clipped.rewards(obs, act, obs, terminated).max().item<double>(), 5.0 / (1 - 0.9) + 1e-4);
}

TEST(Discriminator, LossFallsOnAFixedBatch) {
  torch::manual_seed(1);
  auto disc = small_discriminator();
  Rng rng(3);
  const auto expert_obs = torch::randn({100, 2}) * 0.3 + 1.0;
  const auto policy_obs = torch::randn({100, 2}) * 0.3 - 1.0;
  const auto expert_act = torch::full({100, 1}, 0.5);
  const auto policy_act = torch::full({100, 1}, -0.5);
  const auto weights = torch::ones({100, 1});
  const auto first = disc.update(expert_obs, expert_act, weights, policy_obs, policy_act, rng);
  DiscriminatorUpdate last;
  for (int i = 0; i < 200; ++i) {
    last = disc.update(expert_obs, expert_act, weights, policy_obs, policy_act, rng);
  }
  EXPECT_LT(last.loss.item<double>(), 0.2 * first.loss.item<double>());
  EXPECT_DOUBLE_EQ(last.acc_expert.item<double>(), 1.0);
  EXPECT_DOUBLE_EQ(last.acc_policy.item<double>(), 1.0);
  EXPECT_GT(first.grad_norm.item<double>(), 0.0);
  EXPECT_EQ(first.penalty.item<double>(), 0.0);  // off
  // With the gradient penalty on, the update still runs and reports the penalty.
  Discriminator gp(2, 1, {16, 16}, nn::Activation::tanh, 1e-2, 10.0, torch::zeros({1, 2}),
                   torch::ones({1, 2}));
  const auto u = gp.update(expert_obs, expert_act, weights, policy_obs, policy_act, rng);
  EXPECT_GT(u.penalty.item<double>(), 0.0);
  EXPECT_TRUE(std::isfinite(u.loss.item<double>()));
}

TEST(TensorBoard, Crc32cMatchesTheStandardCheckValue) {
  EXPECT_EQ(telemetry::crc32c("123456789"), 0xE3069283u);  // CRC-32C check value (RFC 3720, B.4)
  EXPECT_EQ(telemetry::crc32c(""), 0u);
}

}  // namespace
}  // namespace credo::gail
