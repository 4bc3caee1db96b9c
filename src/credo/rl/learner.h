#pragma once
// The interface every policy learner implements (sac, td3, ddpg, sd3, ppo, tssg), and what the trainer and
// the adversarial trainer see of it.
//
// Actions are in the normalised space [-1, 1]^A; the trainer maps them onto the env's bounds. The learner is
// told each transition it caused and decides itself when to update (off-policy: every step after its random
// start; on-policy: when a rollout is full). The reward a learner learns from is the env's unless a
// RewardSource is set: then an off-policy learner relabels every sampled batch and an on-policy one every
// rollout from it, and the env reward is never used for learning.
#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>

#include "credo/config/config.h"
#include "credo/nn/state_table.h"
#include "credo/rl/update_stats.h"

namespace credo::demos {
struct ExpertTransitions;
}

namespace credo::rl {

struct Transition {
  std::span<const double> obs;
  std::span<const float> action;  // normalised, as returned by act()
  double reward = 0.0;            // the env's reward
  std::span<const double> next_obs;
  bool terminated = false;
  bool truncated = false;
};

// Learning rewards for (s, a, s') batches other than the env's, for example a GAIL discriminator;
// `terminated` [B, 1] marks transitions that ended their episode by termination. Returns [B, 1].
class RewardSource {
 public:
  virtual ~RewardSource() = default;
  virtual torch::Tensor rewards(const torch::Tensor& obs, const torch::Tensor& actions,
                                const torch::Tensor& next_obs, const torch::Tensor& terminated) = 0;
};

struct LearnerContext {
  std::int64_t obs_dim = 0;
  std::int64_t act_dim = 0;
  config::Config config;
  std::uint64_t seed = 0;
  std::int64_t total_steps = 0;  // the run's budget (PPO anneals its learning rate over it)
  const demos::ExpertTransitions* expert = nullptr;  // the demonstrations, for learners that clone them (bc)
  torch::Device device = torch::kCPU;                // where the networks learn (nn/device.h)
  // 0: one seed's learner. N: the stacked learner of a population of N seeds (rl/learner_population.h), whose
  // networks hold every seed's parameters along a first dimension; it never acts or observes.
  std::int64_t population = 0;
};

class Learner {
 public:
  virtual ~Learner() = default;

  // The action for `obs`: sampled or with exploration noise when `explore`, the deterministic policy
  // otherwise.
  virtual void act(std::span<const double> obs, bool explore, std::span<float> action) = 0;
  // The transition that followed the last act(obs, explore = true). May run updates.
  virtual void observe(const Transition& transition) = 0;
  // Offline learners (bc) learn without acting: the trainer calls offline_update() once per step instead of
  // stepping the env, which then only evaluates.
  virtual bool offline() const { return false; }
  virtual void offline_update() {}

  // Which network acts when not exploring and is written as the policy. Learners that keep a Polyak-averaged
  // target actor (td3, ddpg) read config eval_actor: "actor" (the online actor, as TD3 and DAC evaluate) or
  // "target" (the averaged one, steadier between updates; docs/results/imitation.md measures it). Every other
  // learner acts with its one policy and ignores this.
  enum class EvalActor { kActor, kTarget };
  EvalActor eval_actor() const { return eval_actor_; }
  // The trainer switches to the online actor for a moment to evaluate it beside the target (metrics column
  // eval_return_actor).
  void set_eval_actor(EvalActor actor) { eval_actor_ = actor; }

  void set_reward_source(RewardSource* source) { reward_source_ = source; }
  UpdateStats& stats() { return stats_; }
  std::int64_t updates() const { return updates_; }

  // A checkpoint: everything needed to continue training, as the learner's state table (below) lists it.
  void save(torch::serialize::OutputArchive& archive);
  void load(torch::serialize::InputArchive& archive);
  // What the deterministic policy needs to act on its own: head description, weights, normaliser.
  virtual void save_policy(torch::serialize::OutputArchive& archive) const = 0;

  // Every network of the learner by name, from its state table (tests, the trainer's parameter scan).
  std::vector<std::pair<std::string, torch::nn::Module*>> modules();
  // Every optimiser and every counter of the learner by name, from its state table (seed populations share
  // the optimisers' state and keep the counters in step).
  std::vector<std::pair<std::string, nn::Adam*>> optimizers();
  std::vector<std::pair<std::string, std::int64_t*>> counters();
  // Every state tensor of the learner by name (SAC's log alpha), from its state table.
  std::vector<std::pair<std::string, torch::Tensor*>> state_tensors();

  // Moves the networks and optimiser states to `device`; make_learner() does it once, after the weights are
  // drawn on the CPU (so a seed gives the same initial weights on every device). Buffers stay in host memory:
  // each update moves its batch over in one copy, and each action comes back in one.
  void to(torch::Device device);
  torch::Device device() const { return device_; }

  // Tests only: when set, updates record their intermediate tensors (targets, noise, losses) here.
  void set_trace(std::map<std::string, torch::Tensor>* trace) { trace_ = trace; }

 protected:
  explicit Learner(std::vector<std::string> stat_names) : stats_(std::move(stat_names)) {}
  // Everything needed to continue training, by name: networks, optimisers, buffers, normalisers, counters,
  // generator state. save(), load() and modules() all walk this one table (the update count is added here).
  virtual void describe_state(nn::StateTable& state) = 0;
  // The table describe_state() fills (what modules(), optimizers(), counters() and state_tensors() list).
  nn::StateTable state_table();
  // After a checkpoint is loaded (a learner that keeps no partial rollout clears it).
  virtual void after_load() {}

  bool tracing() const { return trace_ != nullptr; }
  void trace(const std::string& name, const torch::Tensor& value) {
    if (trace_) (*trace_)[name] = value.detach().clone();
  }

  // `t` on the learner's device (the same tensor when it is there already, as always on the CPU).
  torch::Tensor on_device(const torch::Tensor& t) const { return t.to(device_); }

  RewardSource* reward_source_ = nullptr;
  UpdateStats stats_;
  EvalActor eval_actor_ = EvalActor::kActor;
  std::int64_t updates_ = 0;

 private:
  torch::Device device_ = torch::kCPU;
  std::map<std::string, torch::Tensor>* trace_ = nullptr;
};

// Builds the learner named by config "algo". Throws UsageError for an unknown one or a bad config value.
std::unique_ptr<Learner> make_learner(const LearnerContext& context);

}  // namespace credo::rl
