#pragma once
// Each learner's options: its config keys (configs/learners/<algo>.toml holds their defaults and meanings),
// read and checked once, here, into one struct per learner. The learners' constructors take these structs;
// make_learner() reads them from the config.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "credo/config/option_reader.h"

namespace credo::rl {

// What every off-policy learner (td3, ddpg, sd3, sac, tssg) reads: networks, replay and update schedule.
struct OffPolicyOptions {
  std::vector<std::int64_t> hidden;
  double lr_actor = 0, lr_critic = 0, gamma = 0, tau = 0;
  std::int64_t batch_size = 0, buffer_size = 0, start_steps = 0, updates_per_step = 0;
  int critic_threads = 1;  // learners without the key run their critics on one thread
  bool cuda_graphs = false;  // on a GPU, each update replayed from a CUDA graph (off_policy_learner.h)

  static OffPolicyOptions read(const config::OptionReader& r);
};

// Gaussian exploration noise and TD3's target policy smoothing (td3, ddpg, sd3).
struct ActionNoiseOptions {
  double exploration_noise = 0, target_noise = 0, target_noise_clip = 0;

  static ActionNoiseOptions read(const config::OptionReader& r);
};

struct Td3Options {  // td3 and ddpg
  OffPolicyOptions off_policy;
  ActionNoiseOptions noise;
  bool twin_critics = true;
  std::int64_t policy_delay = 1;
  bool orthogonal_init = false;  // init = "orthogonal" (DAC) or "default" (LibTorch's)
  double actor_grad_clip = 0;    // 0: off
  double lr_actor_decay = 1;     // in (0, 1]; 1: constant
  std::int64_t lr_actor_decay_steps = 1, actor_start = 0;
  bool eval_target_actor = false;  // eval_actor = "target" (the Polyak-averaged actor) or "actor"

  static Td3Options read(const config::OptionReader& r);
};

struct Sd3Options {
  OffPolicyOptions off_policy;
  ActionNoiseOptions noise;
  double beta = 0;
  std::int64_t noise_samples = 0;
  bool importance_sampling = false;

  static Sd3Options read(const config::OptionReader& r);
};

struct SacOptions {
  OffPolicyOptions off_policy;
  double lr_alpha = 0, alpha_init = 0;
  bool auto_alpha = true;

  static SacOptions read(const config::OptionReader& r);
};

struct TssgOptions {
  SacOptions soft;
  std::int64_t evaluation_steps = 0, improvement_steps = 0;

  static TssgOptions read(const config::OptionReader& r);
};

struct PpoOptions {
  std::vector<std::int64_t> hidden;
  std::string activation;
  std::int64_t n_steps = 0, minibatch_size = 0, epochs = 0;
  double lr = 0;
  bool anneal_lr = false;
  double gamma = 0, gae_lambda = 0, clip_coef = 0;
  bool clip_value_loss = false;
  double ent_coef = 0, vf_coef = 0, max_grad_norm = 0;
  bool normalize_obs = false;
  double obs_clip = 0;
  bool normalize_reward = false;
  double reward_clip = 0;

  static PpoOptions read(const config::OptionReader& r);
};

struct BcOptions {
  std::vector<std::int64_t> hidden;
  double lr = 0;
  std::int64_t batch_size = 0;

  static BcOptions read(const config::OptionReader& r);
};

// The options of the run's learner, by config "algo".
struct LearnerOptions {
  std::string algo;
  std::variant<Td3Options, Sd3Options, SacOptions, TssgOptions, PpoOptions, BcOptions> of;

  static LearnerOptions read(const config::OptionReader& r);
  // The learner's discount (gamma); bc, which has none, gives 0.
  double discount() const;
};

}  // namespace credo::rl
