#include "credo/telemetry/explosion_monitor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/telemetry/metrics_writer.h"

namespace credo::telemetry {

namespace {

constexpr const char* kHeader = "step,event,name,value,threshold";
constexpr std::size_t kFields = 5;

}  // namespace

ExplosionOptions ExplosionOptions::read(const config::OptionReader& r) {
  ExplosionOptions o;
  o.threshold = r.positive_limit("explosion_threshold");
  o.factor = r.number(
      "explosion_factor", [](double v) { return v > 1.0; }, "above 1");
  o.floor = r.non_negative("explosion_floor");
  o.q_bound = r.positive_limit("q_bound");
  o.window = r.positive_integer("explosion_window");
  return o;
}

ExplosionMonitor::ExplosionMonitor(const ExplosionOptions& options, const std::filesystem::path& events_path,
                                   std::int64_t resume_step)
    : threshold_(options.threshold),
      factor_(options.factor),
      floor_(options.floor),
      q_bound_(options.q_bound),
      window_(static_cast<std::size_t>(options.window)) {
  std::string kept = std::string(kHeader) + "\n";
  if (resume_step >= 0) {
    std::ifstream in(events_path);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      const auto step = row_step(line, kFields);
      if (step && *step <= resume_step) kept += line + "\n";
    }
  }
  write_file_atomically(events_path, kept);
  log_.open(events_path, std::ios::app);
  if (!log_) throw UsageError(fmt::format("cannot write '{}'", events_path.string()));
  path_ = events_path;
}

void ExplosionMonitor::record_event(std::int64_t step, const std::string& kind, const std::string& name,
                                    double value, double threshold) {
  log_ << step << ',' << kind << ',' << name << ',' << fmt::format("{:.9g}", value) << ','
       << fmt::format("{:.9g}", threshold) << '\n';
  log_.flush();
  check_written(log_, path_);
}

void ExplosionMonitor::report_divergence(const std::string& name, double value) {
  if (diverged()) return;
  diverged_at_ = step_;
  divergence_reason_ = fmt::format("{} = {}", name, value);
  event("divergence", name, value, q_bound_);
}

void ExplosionMonitor::observe(const std::string& name, double value) {
  const bool is_grad = name.starts_with("grad_norm_");
  const bool is_q = name.starts_with("q_");
  const bool is_loss = name.starts_with("loss_");
  if (!is_grad && !is_q && !is_loss) return;
  if (!std::isfinite(value)) {
    report_divergence(name, value);
    return;
  }
  if (is_q && std::abs(value) > q_bound_) {
    report_divergence(name, value);
    return;
  }
  if (!is_grad) return;
  auto& w = windows_[name];
  w.max = std::max(w.max, value);
  if (value == 0.0) {
    // An update that moved nothing (ppo's clipped value loss once every sample of the minibatch is past the
    // clip, which after a rollout's first epoch is the rule early in training): no part of the gradients'
    // scale. Such updates kept in the window pull the median to 0, and every norm above the floor becomes an
    // event (measured: ppo imitating HalfCheetah-v5, events against a median of exactly 0 that vanish with
    // clip_value_loss = false).
    w.above = false;
    return;
  }
  // The relative test waits for a full window: the median of a network's first updates is not its scale. An
  // actor's norms start far below where they settle, and single updates of a few units passed 100 times the
  // median of its first hundreds (td3 on the env's reward with DAC's settings: events at its actor's
  // 193rd-527th updates in 5 of 6 Hopper-v5 and Walker2d-v5 runs; docs/telemetry.md has the measurements).
  const bool settled = w.values.size() >= window_;
  const bool relative = settled && value > factor_ * w.median && value > floor_;
  const bool above = value > threshold_ || relative;
  if (above && !w.above) {
    ++explosions_;
    if (first_explosion_ < 0) first_explosion_ = step_;
    event("explosion", name, value, value > threshold_ ? threshold_ : factor_ * w.median);
  }
  w.above = above;
  w.values.push_back(value);
  if (w.values.size() > window_) w.values.pop_front();
  // The median is refreshed every 50 values (exact enough for a factor test, and cheap) and when the window
  // first fills.
  const bool just_filled = !settled && w.values.size() == window_;
  if (++w.since_median >= 50 || just_filled) {
    w.since_median = 0;
    std::vector<double> sorted(w.values.begin(), w.values.end());
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2),
                     sorted.end());
    w.median = sorted[sorted.size() / 2];
  }
}

double ExplosionMonitor::max_grad_norm(const std::string& name) const {
  const auto it = windows_.find(name);
  return it == windows_.end() ? std::nan("") : it->second.max;
}

// Counter keys: "explosions", "first_explosion", and per norm "max:", "median:", "since_median:" and "above:"
// followed by its name.
ExplosionMonitor::State ExplosionMonitor::state() const {
  State s;
  s.counters = {{"explosions", static_cast<double>(explosions_)},
                {"first_explosion", static_cast<double>(first_explosion_)}};
  for (const auto& [name, w] : windows_) {
    s.counters["max:" + name] = w.max;
    s.counters["median:" + name] = w.median;
    s.counters["since_median:" + name] = w.since_median;
    s.counters["above:" + name] = w.above ? 1.0 : 0.0;
    s.windows[name].assign(w.values.begin(), w.values.end());
  }
  return s;
}

void ExplosionMonitor::restore(const State& state) {
  const auto after = [](const std::string& key, const char* prefix) -> std::optional<std::string> {
    if (!key.starts_with(prefix)) return std::nullopt;
    return key.substr(std::string_view(prefix).size());
  };
  for (const auto& [key, value] : state.counters) {
    if (key == "explosions") explosions_ = static_cast<std::int64_t>(value);
    if (key == "first_explosion") first_explosion_ = static_cast<std::int64_t>(value);
    if (const auto name = after(key, "max:")) windows_[*name].max = value;
    if (const auto name = after(key, "median:")) windows_[*name].median = value;
    if (const auto name = after(key, "since_median:")) windows_[*name].since_median = static_cast<int>(value);
    if (const auto name = after(key, "above:")) windows_[*name].above = value != 0.0;
  }
  for (const auto& [name, values] : state.windows) {
    windows_[name].values.assign(values.begin(), values.end());
  }
}

}  // namespace credo::telemetry
