// Learners: policy files act exactly as the learner, checkpoints resume exactly, shared pieces compute what
// they should.
#include "credo/rl/learner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <sstream>

#include "credo/config/defaults.h"
#include "credo/core/error.h"
#include "credo/nn/device.h"
#include "credo/nn/policy_heads.h"
#include "credo/nn/running_mean_std.h"
#include "credo/nn/state_table.h"
#include "credo/rl/off_policy_learner.h"
#include "credo/rl/policy_file.h"
#include "credo/rl/rollout_buffer.h"
#include "credo/rl/update_stats.h"
#include "learner_driving.h"
#include "temp_dir.h"

namespace credo::rl {
namespace {

using namespace testing_support;

class EveryLearner : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryLearner, PolicyFileActsExactlyAsTheLearner) {
  torch::manual_seed(1);
  auto learner = make_learner({kObs, kAct, small_config(GetParam()), 7, 1000});
  drive(*learner, 0, 80);
  const testing::TempDir dir("credo_policy");
  const auto path = dir / (GetParam() + ".pt");
  const std::vector<double> low = {-1.0, -2.0}, high = {1.0, 2.0};
  save_policy_file(path, "Test-v0", GetParam(), low, high,
                   [&](torch::serialize::OutputArchive& a) { learner->save_policy(a); });
  auto policy = Policy::load(path);
  EXPECT_EQ(policy.env_id(), "Test-v0");
  EXPECT_EQ(policy.algo(), GetParam());
  const auto expected = deterministic_actions(*learner);
  for (int t = 0; t < 20; ++t) {
    const auto env_action = policy.act(obs_at(1000 + t));
    for (int j = 0; j < kAct; ++j) {
      const double a = expected[static_cast<std::size_t>(t * kAct + j)];
      const double mapped =
          low[static_cast<std::size_t>(j)] +
          0.5 * (a + 1.0) * (high[static_cast<std::size_t>(j)] - low[static_cast<std::size_t>(j)]);
      EXPECT_FLOAT_EQ(env_action[static_cast<std::size_t>(j)], static_cast<float>(mapped)) << "t=" << t;
    }
  }
  std::filesystem::remove(path);
}

TEST_P(EveryLearner, CheckpointResumesExactly) {
  torch::manual_seed(2);
  auto a = make_learner({kObs, kAct, small_config(GetParam()), 11, 1000});
  // Mid-rollout for PPO (rollouts of 32 steps): the partial rollout is in the checkpoint.
  const int t0 = 70;
  drive(*a, 0, t0);
  std::stringstream bytes;
  {
    torch::serialize::OutputArchive archive;
    a->save(archive);
    archive.save_to(bytes);
  }
  torch::manual_seed(99);  // different initial weights: everything must come from the checkpoint
  auto b = make_learner({kObs, kAct, small_config(GetParam()), 12, 1000});
  {
    torch::serialize::InputArchive archive;
    archive.load_from(bytes);
    b->load(archive);
  }
  EXPECT_EQ(drive(*a, t0, 60), drive(*b, t0, 60));
  EXPECT_EQ(deterministic_actions(*a), deterministic_actions(*b));
  EXPECT_EQ(a->updates(), b->updates());
}

// Skipped on a machine without a GPU (the skip says why). On one: the same seed learns the same policy within
// float tolerance (a GPU's kernels sum in other orders), every network is on the GPU, and the checkpoint and
// policy file it writes load and act on the CPU.
TEST_P(EveryLearner, OnAGpuLearnsAsOnTheCpuAndItsFilesLoadOnTheCpu) {
  std::string why;
  const auto found = first_gpu(why);
  if (!found) GTEST_SKIP() << why;
  const torch::Device gpu = *found;
  torch::manual_seed(4);
  auto on_cpu = make_learner({kObs, kAct, small_config(GetParam()), 17, 1000});
  torch::manual_seed(4);
  auto on_gpu = make_learner({kObs, kAct, small_config(GetParam()), 17, 1000, nullptr, gpu});
  for (const auto& [name, module] : on_gpu->modules()) {
    for (const auto& p : module->parameters()) EXPECT_TRUE(p.is_cuda()) << name;
  }
  expect_near(drive(*on_cpu, 0, 70), drive(*on_gpu, 0, 70), 1e-3);
  const auto gpu_actions = deterministic_actions(*on_gpu);
  expect_near(deterministic_actions(*on_cpu), gpu_actions, 1e-3);
  ASSERT_GT(on_gpu->updates(), 0);

  std::stringstream bytes;
  {
    torch::serialize::OutputArchive archive;
    on_gpu->save(archive);
    archive.save_to(bytes);
  }
  auto back = make_learner({kObs, kAct, small_config(GetParam()), 18, 1000});
  {
    torch::serialize::InputArchive archive;
    archive.load_from(bytes, torch::kCPU);
    back->load(archive);
  }
  expect_near(deterministic_actions(*back), gpu_actions, 1e-5);

  const testing::TempDir dir("credo_gpu_policy");
  const std::vector<double> low = {-1.0, -1.0}, high = {1.0, 1.0};
  save_policy_file(dir / "policy.pt", "Test-v0", GetParam(), low, high,
                   [&](torch::serialize::OutputArchive& a) { on_gpu->save_policy(a); });
  auto policy = Policy::load(dir / "policy.pt");
  std::vector<float> from_file;
  for (int t = 0; t < 20; ++t) {
    for (const double a : policy.act(obs_at(1000 + t))) from_file.push_back(static_cast<float>(a));
  }
  expect_near(from_file, gpu_actions, 1e-5);
}

TEST_P(EveryLearner, ReportsGradientNormsAndLossesOfEachUpdate) {
  torch::manual_seed(3);
  auto learner = make_learner({kObs, kAct, small_config(GetParam()), 13, 1000});
  drive(*learner, 0, 100);
  ASSERT_GT(learner->updates(), 0);
  std::map<std::string, double> stats;
  for (const auto& [name, value] : learner->stats().take()) stats[name] = value;
  for (const char* name :
       {"grad_norm_actor", "grad_norm_critic", "loss_actor", "loss_critic", "q_mean", "q_max"}) {
    ASSERT_TRUE(stats.count(name)) << name;
    EXPECT_TRUE(std::isfinite(stats[name])) << name;
  }
  EXPECT_GT(stats["grad_norm_critic"], 0.0);
  EXPECT_GE(stats["q_max"], stats["q_mean"]);
}

// One gradient norm per network kind and update: the explosion monitor reads consecutive values of a name as
// consecutive updates of one network, so sd3's two actors (and critics) must not report one after the other.
TEST(Sd3, ReportsOneNormOfEachKindPerUpdate) {
  torch::manual_seed(3);
  auto learner = make_learner({kObs, kAct, small_config("sd3"), 13, 1000});
  std::map<std::string, std::int64_t> seen;
  learner->stats().set_listener([&](const std::string& name, double) { ++seen[name]; });
  drive(*learner, 0, 100);
  learner->stats().flush();
  ASSERT_GT(learner->updates(), 0);
  EXPECT_EQ(seen["grad_norm_critic"], learner->updates());
  EXPECT_EQ(seen["grad_norm_actor"], learner->updates());
}

INSTANTIATE_TEST_SUITE_P(Learners, EveryLearner,
                         ::testing::Values("td3", "ddpg", "sac", "sd3", "tssg", "ppo"));

// eval_actor = "target": td3 and ddpg act with the Polyak-averaged target actor when not exploring and write
// it as their policy; exploration and training are exactly those of eval_actor = "actor".
class TargetActor : public ::testing::TestWithParam<std::string> {};

torch::nn::Module& module_named(Learner& learner, const std::string& name) {
  for (const auto& [n, m] : learner.modules()) {
    if (n == name) return *m;
  }
  throw std::runtime_error("no module " + name);
}

std::vector<float> forward_actions(torch::nn::Module& actor) {
  auto& net = dynamic_cast<nn::DeterministicActorImpl&>(actor);
  std::vector<float> out;
  torch::NoGradGuard no_grad;
  for (int t = 0; t < 20; ++t) {
    const auto obs = obs_at(1000 + t);
    const auto a = net.forward(torch::tensor(std::vector<float>(obs.begin(), obs.end())).view({1, kObs}));
    out.insert(out.end(), a.data_ptr<float>(), a.data_ptr<float>() + kAct);
  }
  return out;
}

TEST_P(TargetActor, ActsAndSavesTheTargetActorAndTrainsAsBefore) {
  auto with_target = small_config(GetParam());
  with_target.override_from_text("eval_actor", "target", "test");
  torch::manual_seed(4);
  auto online = make_learner({kObs, kAct, small_config(GetParam()), 21, 1000});
  torch::manual_seed(4);
  auto target = make_learner({kObs, kAct, with_target, 21, 1000});
  EXPECT_EQ(drive(*online, 0, 120), drive(*target, 0, 120));
  ASSERT_GT(target->updates(), 20);

  const auto target_actions = deterministic_actions(*target);
  EXPECT_EQ(target_actions, forward_actions(module_named(*target, "actor_target")));
  EXPECT_NE(target_actions, deterministic_actions(*online));
  target->set_eval_actor(Learner::EvalActor::kActor);
  EXPECT_EQ(deterministic_actions(*target), deterministic_actions(*online));
  target->set_eval_actor(Learner::EvalActor::kTarget);

  const testing::TempDir dir("credo_target_actor");
  const auto path = dir / "policy.pt";
  const std::vector<double> low = {-1.0, -1.0}, high = {1.0, 1.0};
  save_policy_file(path, "Test-v0", GetParam(), low, high,
                   [&](torch::serialize::OutputArchive& a) { target->save_policy(a); });
  auto policy = Policy::load(path);
  for (int t = 0; t < 20; ++t) {
    const auto action = policy.act(obs_at(1000 + t));
    for (int j = 0; j < kAct; ++j) {
      EXPECT_FLOAT_EQ(action[static_cast<std::size_t>(j)],
                      target_actions[static_cast<std::size_t>(t * kAct + j)]);
    }
  }
}

TEST_P(TargetActor, RefusesAnUnknownChoice) {
  auto c = small_config(GetParam());
  c.override_from_text("eval_actor", "average", "test");
  EXPECT_THROW(make_learner({kObs, kAct, c, 1, 1000}), UsageError);
}

INSTANTIATE_TEST_SUITE_P(DeterministicLearners, TargetActor, ::testing::Values("td3", "ddpg"));

// A part added to checkpoints later (PPO's partial rollout) is optional: a checkpoint without it loads and
// leaves the part as it was; one with it restores it.
TEST(StateTable, AnOptionalPartMissingFromACheckpointIsLeftAsItWas) {
  RolloutBuffer saved(4, 1, 1), restored(4, 1, 1);
  const std::vector<double> obs = {0.5};
  const std::vector<float> action = {0.25F};
  saved.add(obs, obs, action, -1.0F, 2.0F, 3.0F, obs, false, true);
  saved.truncation_values.emplace_back(0, 7.0F);
  std::int64_t counter = 5;
  std::stringstream without, with;
  {
    nn::StateTable table;
    table.integer("counter", counter);
    torch::serialize::OutputArchive archive;
    table.save(archive);
    archive.save_to(without);
    table.optional_part("rollout", saved);
    torch::serialize::OutputArchive archive_with;
    table.save(archive_with);
    archive_with.save_to(with);
  }
  nn::StateTable table;
  table.integer("counter", counter);
  table.optional_part("rollout", restored);
  torch::serialize::InputArchive old_archive;
  old_archive.load_from(without);
  table.load(old_archive);
  EXPECT_EQ(restored.size(), 0);
  torch::serialize::InputArchive new_archive;
  new_archive.load_from(with);
  table.load(new_archive);
  ASSERT_EQ(restored.size(), 1);
  EXPECT_EQ(restored.values[0], 2.0F);
  EXPECT_EQ(restored.truncated[0], 1.0F);
  EXPECT_EQ(restored.observations[0][0].item<float>(), 0.5F);
  ASSERT_EQ(restored.truncation_values.size(), 1U);
  EXPECT_EQ(restored.truncation_values[0].second, 7.0F);
}

TEST(Gae, MatchesAHandComputedRollout) {
  // Three steps, an episode end after the second: A_2 uses the bootstrap, A_1 stops at the end.
  const std::vector<float> r = {1.0f, 2.0f, 3.0f}, v = {0.5f, 1.0f, 1.5f}, ended = {0.0f, 1.0f, 0.0f};
  std::vector<float> adv(3), ret(3);
  compute_gae(r, v, ended, 2.0f, 0.9, 0.8, adv, ret);
  const double a2 = 3.0 + 0.9 * 2.0 - 1.5;
  const double a1 = 2.0 - 1.0;
  const double a0 = (1.0 + 0.9 * 1.0 - 0.5) + 0.9 * 0.8 * a1;
  EXPECT_FLOAT_EQ(adv[2], static_cast<float>(a2));
  EXPECT_FLOAT_EQ(adv[1], static_cast<float>(a1));
  EXPECT_FLOAT_EQ(adv[0], static_cast<float>(a0));
  EXPECT_FLOAT_EQ(ret[0], static_cast<float>(a0 + 0.5));
}

TEST(RunningMeanStd, ConvergesToTheSampleMoments) {
  nn::RunningMeanStd rms(1);
  std::vector<double> xs = {1.0, 4.0, -2.0, 7.5, 3.0};
  for (double x : xs) rms.update(std::span<const double>(&x, 1));
  // With the 1e-4 prior count the moments are those of the samples to ~1e-4.
  EXPECT_NEAR(rms.mean()[0], 2.7, 1e-3);
  EXPECT_NEAR(rms.var()[0], 9.96, 5e-3);
  double out = 0.0, x = 2.7;
  rms.normalize(std::span<const double>(&x, 1), std::span<double>(&out, 1), 10.0);
  EXPECT_NEAR(out, 0.0, 1e-3);
}

TEST(UpdateStats, AggregatesByName) {
  UpdateStats stats({"loss", "q_max", "q_min"});
  stats.add("loss", 1.0);
  stats.add("loss", 3.0);
  stats.add("q_max", 2.0);
  stats.add("q_max", 5.0);
  stats.add("q_min", 2.0);
  stats.add("q_min", -1.0);
  const auto out = stats.take();
  EXPECT_DOUBLE_EQ(out[0].second, 2.0);
  EXPECT_DOUBLE_EQ(out[1].second, 5.0);
  EXPECT_DOUBLE_EQ(out[2].second, -1.0);
  EXPECT_TRUE(std::isnan(stats.take()[0].second));
  EXPECT_THROW(stats.add("unknown", 1.0), std::logic_error);
}

// A row's statistics carried through a checkpoint: stopped half-way through the interval and restored into a
// fresh UpdateStats, the rest of the interval gives the row the uninterrupted one gives (pending tensors
// included); an empty state, as from a checkpoint that predates it, starts empty.
TEST(UpdateStats, AStateRestoredMidIntervalGivesTheUninterruptedRow) {
  const std::vector<std::string> names{"loss", "q_max", "q_min", "unused"};
  UpdateStats whole(names), first(names), second(names);
  for (auto* s : {&whole, &first}) {
    s->add("loss", 1.0);
    s->add("q_max", 4.0);
    s->add("q_min", torch::tensor(-3.0f));
  }
  second.add("loss", 99.0);  // overwritten by restore
  second.restore(first.state());
  for (auto* s : {&whole, &second}) {
    s->add("loss", 2.0);
    s->add("q_max", 2.0);
    s->add("q_min", -1.0);
  }
  const auto expected = whole.take(), restored = second.take();
  ASSERT_EQ(restored.size(), expected.size());
  EXPECT_DOUBLE_EQ(restored[0].second, 1.5);
  EXPECT_DOUBLE_EQ(restored[1].second, 4.0);
  EXPECT_DOUBLE_EQ(restored[2].second, -3.0);
  EXPECT_TRUE(std::isnan(restored[3].second) && std::isnan(expected[3].second));
  for (std::size_t i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(restored[i].second, expected[i].second);
  second.add("loss", 7.0);
  second.restore({});
  EXPECT_TRUE(std::isnan(second.take()[0].second));
}

// Tensor values wait for flush() (one read for all), reach the listener then, in the order added, with the
// value item<double>() gives; take() flushes first.
TEST(UpdateStats, TensorValuesAreReadTogetherAtFlush) {
  UpdateStats stats({"loss", "q_mean", "q_max", "q_min", "target_mean"});
  std::vector<std::pair<std::string, double>> heard;
  stats.set_listener([&](const std::string& name, double value) { heard.emplace_back(name, value); });
  const auto loss = torch::tensor(0.1f);
  stats.add("loss", loss);
  stats.add_q(torch::tensor({1.5f, -2.0f, 3.25f}), torch::tensor({1.0f, 2.0f}));
  EXPECT_TRUE(heard.empty());
  stats.flush();
  ASSERT_EQ(heard.size(), 5u);
  EXPECT_EQ(heard[0], std::make_pair(std::string("loss"), loss.item<double>()));
  EXPECT_EQ(heard[2], std::make_pair(std::string("q_max"), 3.25));
  EXPECT_EQ(heard[3], std::make_pair(std::string("q_min"), -2.0));
  stats.add("loss", torch::tensor(0.3f));
  EXPECT_NEAR(stats.take()[0].second, (loss.item<double>() + 0.3) / 2, 1e-7);
  EXPECT_THROW(stats.add("unknown", loss), std::logic_error);
}

// On a GPU, the off-policy learners update from CUDA graphs (cuda_graphs = true, their default): the graphs
// are used, and the learner learns what the same learner launching every kernel eagerly learns. For td3 and
// ddpg the settings take every variant of their update: critics only, critics and targets before actor_start,
// the actor at three learning rates (decay every 60 steps), with its gradient clipped; tssg's evaluation and
// improvement stages are two variants.
class CudaGraphs : public ::testing::TestWithParam<std::string> {};

TEST_P(CudaGraphs, ReplaysLearnWhatTheEagerUpdateLearns) {
  std::string why;
  const auto found = first_gpu(why);
  if (!found) GTEST_SKIP() << why;
  const torch::Device gpu = *found;
  std::vector<std::unique_ptr<Learner>> learners;
  for (const bool graphs : {true, false}) {
    auto c = small_config(GetParam());
    if (GetParam() == "td3" || GetParam() == "ddpg") {
      c.override_from_text("actor_start", "12", "test");
      c.override_from_text("actor_grad_clip", "0.5", "test");
      c.override_from_text("lr_actor_decay", "0.5", "test");
      c.override_from_text("lr_actor_decay_steps", "60", "test");
    }
    c.override_from_text("cuda_graphs", graphs ? "true" : "false", "test");
    torch::manual_seed(6);
    learners.push_back(make_learner({kObs, kAct, c, 19, 1000, nullptr, gpu}));
  }
  expect_near(drive(*learners[0], 0, 150), drive(*learners[1], 0, 150), 1e-4);
  expect_near(deterministic_actions(*learners[0]), deterministic_actions(*learners[1]), 1e-4);
  const auto replays = [](Learner& l) { return dynamic_cast<OffPolicyLearner&>(l).graph_replays(); };
  EXPECT_GT(replays(*learners[0]), 80);  // 130 updates, 3 warm-ups and a capture per variant
  EXPECT_EQ(replays(*learners[1]), 0);
  const auto with = learners[0]->stats().take(), without = learners[1]->stats().take();
  for (std::size_t i = 0; i < with.size(); ++i)
    EXPECT_NEAR(with[i].second, without[i].second, 1e-3 * (1.0 + std::abs(without[i].second)))
        << with[i].first;
}

INSTANTIATE_TEST_SUITE_P(GraphLearners, CudaGraphs, ::testing::Values("td3", "ddpg", "sd3", "sac", "tssg"));

}  // namespace
}  // namespace credo::rl
