#pragma once
// A seed population's training (`credo train --seeds`): the seeds of one configuration trained in one
// process, each in its own run folder exactly as a separate run's (config.toml, metrics, events, checkpoints,
// summary, policies), with their learners updated together as one population (rl/learner_population.h).
//
// Each seed's run steps on its own thread; after every env step the seeds wait for one another, and the last
// to arrive runs the population's update (every seed's pending update, one batched update) and reads the stop
// signal once for all, so every seed stops at the same step. A seed whose run ends early (diverged, reached
// stop_at_return, failed) leaves, and the others go on.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "credo/config/config.h"
#include "credo/run/trainer.h"

namespace credo::run {

// The most seeds one population trains (a bound on memory and threads, not a measured optimum).
constexpr std::size_t kMaxPopulation = 256;

// The seeds `--seeds` names: "1-8", "0,3,5" or both ("1-4,9"); each at most once, none negative, at most
// kMaxPopulation. UsageError (one line, saying how to write it) otherwise.
std::vector<std::int64_t> parse_seeds(const std::string& text);

struct PopulationSeed {
  config::Config config;  // the population's configuration with this seed
  std::filesystem::path run_dir;
  const demos::ExpertTransitions* expert = nullptr;
  gail::Imitation* imitation = nullptr;
};

// Trains every seed to its budget (resumed from each run folder's checkpoint with `resume`); returns each
// seed's result in order. UsageError when the learner cannot train a population or resumed seeds stand at
// different steps.
std::vector<TrainResult> train_population(const std::vector<PopulationSeed>& seeds, bool resume);

}  // namespace credo::run
