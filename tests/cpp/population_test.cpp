// Seed populations: seed k of a population learns what a separate learner with seed k learns, its checkpoint
// is a separate learner's checkpoint, and learners without population support are refused.
#include <gtest/gtest.h>

#include <sstream>

#include "credo/core/error.h"
#include "credo/rl/learner_population.h"
#include "learner_driving.h"

namespace credo::rl {
namespace {

using namespace testing_support;

const std::vector<std::uint64_t> kSeeds = {7, 8, 9};

// For td3 and ddpg every variant of their update: critics only, critics and targets before actor_start, the
// actor at three learning rates, its gradient clipped. tssg with two improvement steps per iteration (the
// second on a batch of its own). sd3 and sac as the learner tests run them.
config::Config population_config(const std::string& algo) {
  auto c = small_config(algo);
  if (algo == "tssg") c.override_from_text("improvement_steps", "2", "test");
  if (algo != "td3" && algo != "ddpg") return c;
  c.override_from_text("actor_start", "12", "test");
  c.override_from_text("actor_grad_clip", "0.5", "test");
  c.override_from_text("lr_actor_decay", "0.5", "test");
  c.override_from_text("lr_actor_decay_steps", "700", "test");
  return c;
}

std::vector<LearnerContext> contexts(const config::Config& c) {
  std::vector<LearnerContext> out;
  for (const auto seed : kSeeds) out.push_back({kObs, kAct, c, seed, 5000});
  return out;
}

// Steps every seed of `population` through the synthetic transitions of `drive` together, updating after each
// step; returns the actions each seed took.
std::vector<std::vector<float>> drive_together(LearnerPopulation& population, int t0, int steps) {
  std::vector<std::vector<float>> taken(population.size());
  std::vector<float> action(kAct);
  for (int t = t0; t < t0 + steps; ++t) {
    const auto obs = obs_at(t), next = obs_at(t + 1);
    for (std::size_t k = 0; k < population.size(); ++k) {
      auto& learner = population.seed(k);
      learner.act(obs, true, action);
      taken[k].insert(taken[k].end(), action.begin(), action.end());
      learner.observe(
          {obs, action, std::cos(0.1 * t) - action[0] * action[0], next, t % 37 == 36, t % 50 == 49});
    }
    population.update();
  }
  return taken;
}

std::unique_ptr<Learner> separate_learner(const LearnerContext& context) {
  torch::manual_seed(context.seed);
  return make_learner(context);
}

class SeedPopulation : public ::testing::TestWithParam<std::string> {};

// 2,000 updates (20 random steps first), one thread: actions along the way, the final policy and the update
// statistics agree with three separate learners within float tolerance (the batched products round
// differently from the separate ones): within 1e-5. sd3 over 500 updates, within 1e-3: its differences grow
// faster (about 1e-5 by 500 updates, order 1 by 2,000 on these synthetic transitions: its acting policy picks
// one of two actors by comparing their critics, a discrete choice that rounding can flip).
TEST_P(SeedPopulation, EachSeedLearnsWhatASeparateLearnerWithThatSeedLearns) {
  const auto config = population_config(GetParam());
  const bool sd3 = GetParam() == "sd3";
  const int steps = sd3 ? 520 : 2020;
  const double tolerance = sd3 ? 1e-3 : 1e-5;
  LearnerPopulation population(contexts(config));
  const auto together = drive_together(population, 0, steps);
  for (std::size_t k = 0; k < kSeeds.size(); ++k) {
    auto alone = separate_learner(contexts(config)[k]);
    expect_near(drive(*alone, 0, steps), together[k], tolerance);
    expect_near(deterministic_actions(*alone), deterministic_actions(population.seed(k)), tolerance);
    EXPECT_EQ(alone->updates(), population.seed(k).updates());
    const auto with = population.seed(k).stats().take(), without = alone->stats().take();
    ASSERT_EQ(with.size(), without.size());
    for (std::size_t i = 0; i < with.size(); ++i)
      EXPECT_NEAR(with[i].second, without[i].second, tolerance * (1.0 + std::abs(without[i].second)))
          << with[i].first;
  }
  // The seeds learned different policies (each its own draws), not one policy three times.
  EXPECT_NE(deterministic_actions(population.seed(0)), deterministic_actions(population.seed(1)));
}

// A seed's checkpoint is a separate learner's: loaded into one, it acts as the seed does and continues as the
// seed continues; and a separate learner's checkpoint loads into a seed of a population.
TEST_P(SeedPopulation, ASeedsCheckpointIsASeparateLearnersCheckpoint) {
  const auto config = population_config(GetParam());
  LearnerPopulation population(contexts(config));
  drive_together(population, 0, 300);
  std::stringstream saved;
  {
    torch::serialize::OutputArchive archive;
    population.seed(1).save(archive);
    archive.save_to(saved);
  }
  auto alone = separate_learner(contexts(config)[1]);
  torch::serialize::InputArchive archive;
  archive.load_from(saved);
  alone->load(archive);
  EXPECT_EQ(deterministic_actions(*alone), deterministic_actions(population.seed(1)));
  SCOPED_TRACE("first half");
  const auto together = drive_together(population, 300, 200);
  expect_near(drive(*alone, 300, 200), together[1], 1e-5);

  // And back: a fresh population resumed from its seeds' checkpoints, seed 1's from the separate learner's,
  // continues as the separate learner does.
  LearnerPopulation resumed(contexts(config));
  for (std::size_t k = 0; k < kSeeds.size(); ++k) {
    std::stringstream bytes;
    torch::serialize::OutputArchive out;
    (k == 1 ? *alone : population.seed(k)).save(out);
    out.save_to(bytes);
    torch::serialize::InputArchive in;
    in.load_from(bytes);
    resumed.seed(k).load(in);
  }
  SCOPED_TRACE("second half");
  EXPECT_EQ(deterministic_actions(resumed.seed(1)), deterministic_actions(*alone));
  expect_near(drive_together(resumed, 500, 100)[1], drive(*alone, 500, 100), 1e-5);
}

// Skipped without a GPU. On one: a population on cuda (its update replayed from CUDA graphs, the seeds' draws
// refilled before each replay) learns what the same population learns on the CPU, within float tolerance.
TEST_P(SeedPopulation, OnAGpuWithCudaGraphsLearnsWhatItLearnsOnTheCpu) {
  std::string why;
  const auto gpu = first_gpu(why);
  if (!gpu) GTEST_SKIP() << why;
  auto on = [&](torch::Device device) {
    auto config = population_config(GetParam());
    config.override_from_text("cuda_graphs", "true", "test");
    auto seeds = contexts(config);
    for (auto& c : seeds) c.device = device;
    return std::make_unique<LearnerPopulation>(seeds);
  };
  auto cpu = on(torch::kCPU), cuda = on(*gpu);
  const auto a = drive_together(*cpu, 0, 150), b = drive_together(*cuda, 0, 150);
  for (std::size_t k = 0; k < kSeeds.size(); ++k) {
    expect_near(a[k], b[k], 1e-3);
    expect_near(deterministic_actions(cpu->seed(k)), deterministic_actions(cuda->seed(k)), 1e-3);
  }
}

INSTANTIATE_TEST_SUITE_P(PopulationLearners, SeedPopulation,
                         ::testing::Values("td3", "ddpg", "sd3", "sac", "tssg"));

TEST(SeedPopulation, RefusesALearnerWithoutPopulationSupport) {
  EXPECT_THROW(LearnerPopulation(contexts(small_config("ppo"))), UsageError);
  EXPECT_THROW(LearnerPopulation(std::vector<LearnerContext>{}), UsageError);
}

}  // namespace
}  // namespace credo::rl
