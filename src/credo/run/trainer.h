#pragma once
// The training loop behind `credo train` (the run layer: above the learners, the imitation and the telemetry
// it wires together): one learner on one env, with evaluation, metrics, checkpoints and a
// run folder.
//
// Run folder:
//   config.toml        the resolved config (every key, with algo, env, seed and steps)
//   metrics.csv        one row per log_interval steps (telemetry/metrics_writer.h)
//   checkpoint.pt      everything needed to continue (written atomically every checkpoint_interval steps and
//   on
//                      stop), read by `credo train --resume DIR`
//   final_policy.pt    the deterministic policy at the end (also written when interrupted)
//   best_policy.pt     the policy of the best evaluation so far
//   events.csv         explosion, divergence and collapse events (telemetry/explosion_monitor.h)
//   summary.json       status (running, finished, interrupted, diverged) and the final evaluation
//   .lock              held by the process running in the folder (core/folder_lock.h)
#include <filesystem>
#include <string>

#include "credo/config/config.h"

namespace credo::demos {
struct ExpertTransitions;
}
namespace credo::gail {
class Imitation;
}

namespace credo::run {

struct TrainResult {
  std::string status;  // finished | interrupted | diverged
  int signal = 0;      // the signal that interrupted it
};

// Trains as `config` says into `run_dir` (which must exist). With `resume`, continues from
// run_dir/checkpoint.pt. `progress` shows a live line with steps per second and ETA (for a terminal).
// `expert`, when set, is what the learner imitates (behavioural cloning learns from it directly) and gives
// the normalised return. `imitation`, when set, supplies the learning reward (GAIL / CREDO) and is fed every
// step; the env reward then only evaluates.
TrainResult train(const config::Config& config, const std::filesystem::path& run_dir, bool resume,
                  bool progress, const demos::ExpertTransitions* expert = nullptr,
                  gail::Imitation* imitation = nullptr);

}  // namespace credo::run
