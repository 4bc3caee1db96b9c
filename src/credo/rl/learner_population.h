#pragma once
// A seed population: the learners of N seeds of one configuration, updated together. Each seed's learner
// acts, observes, draws its batches and noise, saves and loads exactly as a separate run's learner; its
// updates are run by one stacked learner whose networks hold every seed's parameters along a first dimension
// (nn/population.h), so each layer of an update is one batched matrix product for all seeds, and each seed's
// parameters and optimiser state are views of its slice. Each update of the stacked learner reads each seed's
// own draws (from its own generator and buffer, with its own learning rewards), in the order that seed's
// update would make them alone, so seed k learns what a separate run with seed k learns, up to the rounding
// of the batched products.
//
// The caller steps every seed (act, env step, observe) and then calls update(). Learners that support it:
// td3, ddpg, sd3, sac and tssg.
#include <memory>
#include <vector>

#include "credo/rl/learner.h"
#include "credo/rl/replay_buffer.h"

namespace credo::rl {

class OffPolicyLearner;

class LearnerPopulation {
 public:
  // One context per seed, the same but for the seed; each seed's initial weights are drawn as a separate run
  // draws them (torch::manual_seed(seed) before its learner is made, as run/training_run.cpp does).
  // Throws UsageError for a learner without population support.
  explicit LearnerPopulation(const std::vector<LearnerContext>& seeds);
  // UsageError unless the learner `context` describes can train in a population (checked before anything is
  // written).
  static void require_support(const LearnerContext& context);
  ~LearnerPopulation();

  std::size_t size() const { return seeds_.size(); }
  Learner& seed(std::size_t k);

  // Runs the updates the seeds' observe() calls left (the same number for every seed): one stacked update
  // each, its statistics handed to each seed's UpdateStats.
  void update();

 private:
  Batch stacked_batch();
  torch::Tensor stacked_noise(std::int64_t rows, std::int64_t cols);
  void hand_out_statistics();

  std::vector<std::unique_ptr<Learner>> owned_;
  std::vector<OffPolicyLearner*> seeds_;
  std::unique_ptr<Learner> stacked_owner_;
  OffPolicyLearner* stacked_ = nullptr;
};

}  // namespace credo::rl
