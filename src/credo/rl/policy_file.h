#pragma once
// Policy files: what a trained policy needs to act on its own, written by `credo train` (final_policy.pt and
// best_policy.pt) and read by `credo eval` (and later `credo collect` and `credo export`).
//
// A LibTorch archive holding: format (="credo-policy-1"), env id, algo, head ("deterministic",
// "double_deterministic", "squashed_gaussian" or "gaussian"), obs and action sizes, hidden sizes and
// activation, the env's action bounds, the observation normaliser when the learner used one, and the actor's
// weights under "actor".
#include <torch/torch.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "credo/nn/running_mean_std.h"

namespace credo::rl {

struct PolicyHead {
  std::string head;  // deterministic | double_deterministic | squashed_gaussian | gaussian
  std::int64_t obs_dim = 0, act_dim = 0;
  std::vector<std::int64_t> hidden;
  std::string activation;
  std::optional<nn::RunningMeanStd> obs_normalizer;
  double obs_clip = 0.0;
};

// Writes the head description and the actor (learners call this from save_policy).
void write_policy_head(torch::serialize::OutputArchive& archive, const PolicyHead& head,
                       const torch::nn::Module& actor);

class Policy {
 public:
  // Loads a policy file. Throws UsageError naming the file when it is missing, not a credo policy, or
  // corrupt.
  static Policy load(const std::filesystem::path& path);

  const std::string& env_id() const { return env_id_; }
  const std::string& algo() const { return algo_; }
  const PolicyHead& head() const { return head_; }
  // Deterministic action for one observation, mapped onto the env's action bounds (float32, as a policy
  // acts).
  std::vector<float> act(std::span<const double> obs);
  // Normalised deterministic actions in [-1, 1] for a batch of raw observations [B, obs_dim].
  torch::Tensor act_normalized(const torch::Tensor& obs);

  const torch::nn::Module& actor() const { return *actor_; }
  const std::vector<double>& action_low() const { return action_low_; }
  const std::vector<double>& action_high() const { return action_high_; }

 private:
  torch::Tensor head_action(const torch::Tensor& obs);  // the head on already normalised observations

  std::string env_id_, algo_;
  PolicyHead head_;
  std::vector<double> action_low_, action_high_;
  std::shared_ptr<torch::nn::Module> actor_;
};

// Writes a complete policy file atomically: `write_head` adds the learner's part (head and actor weights).
void save_policy_file(const std::filesystem::path& path, const std::string& env_id, const std::string& algo,
                      std::span<const double> action_low, std::span<const double> action_high,
                      const std::function<void(torch::serialize::OutputArchive&)>& write_head);

// Maps a normalised action in [-1, 1] (clipped first) onto [low, high].
void to_env_action(std::span<const float> normalized, std::span<const double> low,
                   std::span<const double> high, std::span<float> out);

}  // namespace credo::rl
