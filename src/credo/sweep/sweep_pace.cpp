#include "credo/sweep/sweep_pace.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "credo/core/duration.h"
#include "credo/run/run_options.h"
#include "credo/sweep/cell_state.h"

namespace credo::sweep {

namespace {

struct RunRecord {
  double steps = 0;        // env steps done
  double wall_time_s = 0;  // over every session that ran it
};

// What a run folder's summary.json says of its progress; nothing when there is none or it cannot be read (the
// cell then counts as not started).
std::optional<RunRecord> read_record(const std::filesystem::path& run_dir) {
  std::ifstream file(run_dir / "summary.json");
  if (!file) return std::nullopt;
  const auto summary = nlohmann::json::parse(file, nullptr, false);
  if (summary.is_discarded() || !summary.is_object()) return std::nullopt;
  RunRecord r;
  if (const auto it = summary.find("steps"); it != summary.end() && it->is_number())
    r.steps = it->get<double>();
  if (const auto it = summary.find("wall_time_s"); it != summary.end() && it->is_number()) {
    r.wall_time_s = it->get<double>();
  }
  return r;
}

}  // namespace

SweepPace sweep_pace(const SweepPlan& plan, const std::filesystem::path& out, int jobs) {
  std::map<std::string, RunRecord> timed;                  // learner -> its finished cells, summed
  std::vector<std::pair<std::string, double>> steps_left;  // learner, env steps, per unfinished cell
  for (const auto& cell : plan.cells) {
    const auto options = run::TrainingOptions::read(cell.config);  // the plan has validated every cell
    const auto& algo = options.learner.algo;
    const auto state = cell_state(out / cell.name);
    const auto record = read_record(out / cell.name);
    if (state == "finished" && record && record->steps > 0 && record->wall_time_s > 0) {
      timed[algo].steps += record->steps;
      timed[algo].wall_time_s += record->wall_time_s;
    } else if (!cell_done(state)) {
      const double total = static_cast<double>(options.run.steps);
      steps_left.emplace_back(algo, std::max(0.0, total - (record ? record->steps : 0.0)));
    }
  }
  SweepPace pace;
  for (const auto& [algo, steps] : steps_left) {
    const auto it = timed.find(algo);
    auto& names = it != timed.end() ? pace.timed : pace.untimed;
    if (std::ranges::find(names, algo) == names.end()) names.push_back(algo);
    if (it != timed.end()) pace.seconds_left += steps * it->second.wall_time_s / it->second.steps;
  }
  pace.seconds_left /= std::max(1, jobs);
  return pace;
}

std::string pace_text(const SweepPace& pace) {
  const auto names = [](const std::vector<std::string>& algos) {
    return fmt::format("{}", fmt::join(algos, ", "));
  };
  if (pace.untimed.empty()) {
    return pace.timed.empty() ? "" : fmt::format("about {} left", format_duration(pace.seconds_left));
  }
  const auto untimed = fmt::format("{} untimed until one of {} cells finishes", names(pace.untimed),
                                   pace.untimed.size() == 1 ? "its" : "their");
  if (pace.timed.empty()) return untimed;
  return fmt::format("about {} left for the {} cells; {}", format_duration(pace.seconds_left),
                     names(pace.timed), untimed);
}

}  // namespace credo::sweep
