#include "credo/run/population_run.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "credo/core/duration.h"
#include "credo/core/error.h"
#include "credo/envs/registry.h"
#include "credo/nn/device.h"
#include "credo/rl/learner_population.h"
#include "credo/run/run_options.h"
#include "credo/run/training_run.h"

namespace credo::run {

namespace {

// The seeds' meeting point after each env step. The last seed to arrive runs the population's update while
// the others wait, so no seed acts, evaluates or saves while the shared networks change.
class Lockstep {
 public:
  Lockstep(rl::LearnerPopulation& population, std::size_t seeds) : population_(population), active_(seeds) {}

  // On a terminal, the population's live line (steps, percent, steps per second per seed and all together,
  // ETA), from `step` of `total` on.
  void show_progress(std::string label, std::int64_t step, std::int64_t total) {
    label_ = std::move(label);
    step_ = step;
    total_ = total;
    tty_ = isatty(fileno(stderr));
    start_ = last_line_ = Clock::now();
  }

  void arrive() {
    std::unique_lock lock(mutex_);
    if (++arrived_ == active_) {
      release();
    } else {
      const auto round = round_;
      changed_.wait(lock, [&] { return round_ != round; });
    }
    if (failure_) std::rethrow_exception(failure_);
  }

  // A seed whose run ended: the others no longer wait for it.
  void leave() {
    std::unique_lock lock(mutex_);
    --active_;
    if (active_ > 0 && arrived_ == active_) release();
  }

  bool stopping() const {
    std::unique_lock lock(mutex_);
    return stopping_;
  }

 private:
  void release() {  // with the lock held
    try {
      population_.update();
    } catch (...) {
      failure_ = std::current_exception();  // every waiting seed's run fails with it
    }
    stopping_ = stop_requested();
    arrived_ = 0;
    ++round_;
    print_progress();
    changed_.notify_all();
  }

  void print_progress() {
    if (!tty_ || Clock::now() - last_line_ <= std::chrono::milliseconds(500)) return;
    last_line_ = Clock::now();
    const double sps = static_cast<double>(round_) /
                       std::max(1e-9, std::chrono::duration<double>(last_line_ - start_).count());
    const auto step = step_ + static_cast<std::int64_t>(round_);
    std::fprintf(stderr, "\r\033[K%s  %lld/%lld (%.0f%%)  %.0f steps/s per seed, %.0f in all  ETA %s",
                 label_.c_str(), static_cast<long long>(step), static_cast<long long>(total_),
                 100.0 * static_cast<double>(step) / static_cast<double>(total_), sps,
                 sps * static_cast<double>(active_),
                 format_duration(static_cast<double>(total_ - step) / sps).c_str());
  }

  using Clock = std::chrono::steady_clock;
  rl::LearnerPopulation& population_;
  std::string label_;
  std::int64_t step_ = 0, total_ = 0;
  bool tty_ = false;
  Clock::time_point start_, last_line_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t active_, arrived_ = 0;
  std::uint64_t round_ = 0;
  bool stopping_ = false;
  std::exception_ptr failure_;
};

class Seat final : public PopulationSeat {
 public:
  Seat(rl::Learner& learner, Lockstep& lockstep) : learner_(learner), lockstep_(lockstep) {}
  rl::Learner& learner() override { return learner_; }
  void stepped() override { lockstep_.arrive(); }
  bool stopping() const override { return lockstep_.stopping(); }

 private:
  rl::Learner& learner_;
  Lockstep& lockstep_;
};

std::vector<rl::LearnerContext> learner_contexts(const std::vector<PopulationSeed>& seeds) {
  const auto options = TrainingOptions::read(seeds.front().config);
  const auto spec = envs::make_env(options.run.env)->spec();
  const auto device = nn::select_device(options.run.device);
  std::vector<rl::LearnerContext> out;
  for (const auto& s : seeds) {
    out.push_back({static_cast<std::int64_t>(spec.observation_space.size()),
                   static_cast<std::int64_t>(spec.action_space.size()), s.config,
                   static_cast<std::uint64_t>(TrainingOptions::read(s.config).run.seed), options.run.steps,
                   s.expert, device});
  }
  return out;
}

std::int64_t parse_seed(const std::string& part, const std::string& text) {
  std::size_t used = 0;
  long long value = -1;
  try {
    value = std::stoll(part, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (part.empty() || used != part.size() || value < 0)
    throw UsageError(fmt::format(
        "--seeds '{}': '{}' is not a seed (a number >= 0); write for example 1-8 or 1,3,5", text, part));
  return value;
}

}  // namespace

std::vector<std::int64_t> parse_seeds(const std::string& text) {
  std::vector<std::int64_t> seeds;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    const auto dash = part.find('-', 1);
    const auto first = parse_seed(part.substr(0, dash), text);
    const auto last = dash == std::string::npos ? first : parse_seed(part.substr(dash + 1), text);
    if (last < first)
      throw UsageError(fmt::format("--seeds '{}': {} runs backwards; write {}-{}", text, part, last, first));
    if (last - first >= static_cast<std::int64_t>(kMaxPopulation))
      throw UsageError(fmt::format("--seeds '{}': more than {} seeds in one population; split them", text,
                                   kMaxPopulation));
    for (auto s = first; s <= last; ++s) {
      if (std::find(seeds.begin(), seeds.end(), s) != seeds.end())
        throw UsageError(fmt::format("--seeds '{}': seed {} is named twice", text, s));
      seeds.push_back(s);
    }
    if (seeds.size() > kMaxPopulation)
      throw UsageError(fmt::format("--seeds '{}': more than {} seeds in one population; split them", text,
                                   kMaxPopulation));
  }
  if (seeds.empty()) throw UsageError("--seeds is empty; write for example 1-8 or 1,3,5");
  return seeds;
}

std::vector<TrainResult> train_population(const std::vector<PopulationSeed>& seeds, bool resume) {
  rl::LearnerPopulation population(learner_contexts(seeds));
  Lockstep lockstep(population, seeds.size());
  std::vector<std::unique_ptr<Seat>> seats;
  std::vector<std::unique_ptr<TrainingRun>> runs;
  // Set up one after another on this thread (checkpoints, telemetry, the random policy's return).
  for (std::size_t k = 0; k < seeds.size(); ++k) {
    seats.push_back(std::make_unique<Seat>(population.seed(k), lockstep));
    // progress: on a terminal each seed's lines clear the population's live line (it draws none of its own).
    runs.push_back(std::make_unique<TrainingRun>(seeds[k].config, seeds[k].run_dir, resume, true,
                                                 seeds[k].expert, seeds[k].imitation, seats.back().get()));
    if (runs.back()->step() != runs.front()->step()) {
      throw UsageError(fmt::format(
          "the seeds of a population must continue from the same step, but {} is at step {} and {} at {}; "
          "resume them one at a time with `credo train --resume DIR`",
          seeds.front().run_dir.string(), runs.front()->step(), seeds[k].run_dir.string(),
          runs.back()->step()));
    }
  }
  const auto options = TrainingOptions::read(seeds.front().config);
  lockstep.show_progress(
      fmt::format("{} {} population of {}", options.learner.algo, options.run.env, seeds.size()),
      runs.front()->step(), options.run.steps);
  std::vector<TrainResult> results(seeds.size());
  std::vector<std::exception_ptr> failures(seeds.size());
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < seeds.size(); ++k) {
    threads.emplace_back([&, k] {
      try {
        results[k] = runs[k]->run();
      } catch (...) {
        failures[k] = std::current_exception();
      }
      lockstep.leave();
    });
  }
  for (auto& t : threads) t.join();
  if (isatty(fileno(stderr))) std::fprintf(stderr, "\r\033[K");
  for (const auto& f : failures) {
    if (f) std::rethrow_exception(f);
  }
  return results;
}

}  // namespace credo::run
