#pragma once
// How long a sweep still needs, judged from its cells' own run records rather than from how long this process
// has run (a sweep resumed in a new session finds cells nearly done, and their ends say nothing of the pace):
// each learner's seconds per env step over its finished cells (summary.json's wall_time_s, summed over the
// sessions that ran them, and steps), times the env steps its unfinished cells have left, over the cells run
// at a time (the finished cells' wall times were measured with as many side by side). Learners differ in cost
// by 10x and more (sd3 against td3 at the same budget), so a learner none of whose cells has finished is
// named, not guessed.
#include <filesystem>
#include <string>
#include <vector>

#include "credo/sweep/sweep_plan.h"

namespace credo::sweep {

struct SweepPace {
  double seconds_left = 0;           // the unfinished cells of the learners timed
  std::vector<std::string> timed;    // learners with unfinished cells and a finished one
  std::vector<std::string> untimed;  // learners with unfinished cells and no finished one
};

SweepPace sweep_pace(const SweepPlan& plan, const std::filesystem::path& out, int jobs);

// "about 14h02m left", or "about 14h02m left for the td3 cells; sd3 untimed until one of its cells
// finishes"; empty when no cell is left.
std::string pace_text(const SweepPace& pace);

}  // namespace credo::sweep
