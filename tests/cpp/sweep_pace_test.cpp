// The time a sweep still needs (src/credo/sweep/sweep_pace.h), from run records written as credo writes them:
// each learner timed by its own finished cells, whatever session ran them; cells in progress counted by the
// steps they have left; a learner with no finished cell named, not guessed.
#include "credo/sweep/sweep_pace.h"

#include <gtest/gtest.h>

#include <fstream>

#include "credo/sweep/sweep_file.h"
#include "temp_dir.h"

namespace credo::sweep {
namespace {

SweepPlan plan_in(const testing::TempDir& dir) {
  const auto file = dir / "sweep.toml";
  std::ofstream(file) << R"(
[[grid]]
env = ["Pendulum-v1"]
algo = ["td3"]
seed = [1, 2, 3, 4]
steps = 1000
[[grid]]
env = ["Pendulum-v1"]
algo = ["sd3"]
seed = [1]
steps = 500
)";
  return read_sweep(file, 200, false);
}

void record(const testing::TempDir& dir, const std::string& cell, const std::string& status, int steps,
            double wall_time_s, bool checkpoint = false) {
  std::filesystem::create_directories(dir / cell);
  std::ofstream(dir / cell / "summary.json") << R"({"status": ")" << status << R"(", "steps": )" << steps
                                             << R"(, "wall_time_s": )" << wall_time_s << "}";
  if (checkpoint) std::ofstream(dir / cell / "checkpoint.pt") << "x";
}

TEST(SweepPace, EachLearnerIsTimedByItsOwnFinishedCells) {
  testing::TempDir dir;
  const auto plan = plan_in(dir);
  ASSERT_EQ(plan.cells.size(), 5U);
  const auto& td3 = plan.cells;
  // 0.2 s per env step over td3's two finished cells (one of them resumed across sessions: its wall time is
  // the sum the run recorded).
  record(dir, td3[0].name, "finished", 1000, 150.0);
  record(dir, td3[1].name, "finished", 1000, 250.0);
  record(dir, td3[2].name, "running", 400, 999.0, true);  // 600 steps left; its own wall time is not a pace
  // td3[3] has no folder: 1000 steps left. sd3 has not run: untimed.
  const auto pace = sweep_pace(plan, dir.path(), 2);
  EXPECT_DOUBLE_EQ(pace.seconds_left, (600 + 1000) * 0.2 / 2);
  EXPECT_EQ(pace.timed, std::vector<std::string>{"td3"});
  EXPECT_EQ(pace.untimed, std::vector<std::string>{"sd3"});
  EXPECT_EQ(pace_text(pace),
            "about 2m40s left for the td3 cells; sd3 untimed until one of its cells finishes");
}

TEST(SweepPace, NothingLeftSaysNothingAndNothingTimedSaysSo) {
  testing::TempDir dir;
  const auto plan = plan_in(dir);
  EXPECT_EQ(pace_text(sweep_pace(plan, dir.path(), 2)), "td3, sd3 untimed until one of their cells finishes");
  for (const auto& cell : plan.cells) {
    record(dir, cell.name, cell.name.find("sd3") == std::string::npos ? "finished" : "diverged", 1, 1.0);
  }
  EXPECT_EQ(pace_text(sweep_pace(plan, dir.path(), 2)), "");
  // A damaged summary counts as a cell not started: its 1000 steps at the other td3 cells' 1 s per step.
  std::ofstream(dir / plan.cells[0].name / "summary.json") << "{\"status\": \"fin";
  EXPECT_EQ(pace_text(sweep_pace(plan, dir.path(), 1)), "about 16m40s left");
}

}  // namespace
}  // namespace credo::sweep
