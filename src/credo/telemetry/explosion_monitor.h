#pragma once
// Watches every value a learner or the discriminator reports at each update and decides (docs/telemetry.md
// gives the reasons for the defaults):
// - an explosion: a gradient norm (a name starting with "grad_norm_") above `explosion_threshold`, or above
//   `explosion_factor` times its running median over the last `explosion_window` updates (once the window is
//   full) and above `explosion_floor` (so tiny early norms that grow fast are not events). An event is the
//   onset: the update where a norm crosses while the previous one was below;
// - divergence: a non-finite loss, gradient norm or Q statistic, |Q| above `q_bound`, or (checked at each
//   logging row) a non-finite network parameter.
// Each event is appended to events.csv (step, event, name, value, threshold), flushed at once.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "credo/config/option_reader.h"

namespace credo::telemetry {

// The monitor's config keys (configs/imitation.toml holds their defaults and meanings).
struct ExplosionOptions {
  double threshold = 0;     // explosion_threshold, > 0
  double factor = 0;        // explosion_factor, > 1
  double floor = 0;         // explosion_floor, >= 0
  double q_bound = 0;       // q_bound, > 0
  std::int64_t window = 0;  // explosion_window, >= 1

  static ExplosionOptions read(const config::OptionReader& r);
};

class ExplosionMonitor {
 public:
  // `resume_step` >= 0 reopens events.csv and drops events after that step.
  ExplosionMonitor(const ExplosionOptions& options, const std::filesystem::path& events_path,
                   std::int64_t resume_step = -1);

  void set_step(std::int64_t step) { step_ = step; }
  void observe(const std::string& name, double value);
  // Records divergence found elsewhere (a non-finite parameter).
  void report_divergence(const std::string& name, double value);
  // Appends an event found elsewhere (a return collapse) at `step`.
  void record_event(std::int64_t step, const std::string& kind, const std::string& name, double value,
                    double threshold);

  bool diverged() const { return diverged_at_ >= 0; }
  std::int64_t diverged_at() const { return diverged_at_; }
  const std::string& divergence_reason() const { return divergence_reason_; }
  std::int64_t explosions() const { return explosions_; }
  std::int64_t first_explosion_step() const { return first_explosion_; }
  double max_grad_norm(const std::string& name) const;

  // What a checkpoint keeps: the counters, and each norm's running window with its median and whether its
  // last value was above, so that a resumed run counts the events the uninterrupted run would. A checkpoint
  // written before credo kept the windows (2026-12-06) has counters only: its windows start again, and events
  // in the first updates after such a resume can differ from an uninterrupted run's.
  struct State {
    std::map<std::string, double> counters;
    std::map<std::string, std::vector<double>> windows;
  };
  State state() const;
  void restore(const State& state);

 private:
  struct Window {
    std::deque<double> values;
    double median = 0.0;
    int since_median = 0;
    bool above = false;
    double max = 0.0;
  };
  void event(const std::string& kind, const std::string& name, double value, double threshold) {
    record_event(step_, kind, name, value, threshold);
  }

  double threshold_, factor_, floor_, q_bound_;
  std::size_t window_;
  std::map<std::string, Window> windows_;
  std::ofstream log_;
  std::filesystem::path path_;
  std::int64_t step_ = 0, explosions_ = 0, first_explosion_ = -1, diverged_at_ = -1;
  std::string divergence_reason_;
};

}  // namespace credo::telemetry
