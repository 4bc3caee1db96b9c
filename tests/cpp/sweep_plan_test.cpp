// Sweep planning (src/credo/sweep/sweep_plan.h, sweep_file.h) and what counts as a finished cell
// (cell_state.h): grid expansion, cell names, "{key}" substitution, checks up front, bounds on what a file
// can make.
#include "credo/sweep/sweep_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "credo/core/error.h"
#include "credo/sweep/cell_state.h"
#include "credo/sweep/sweep_file.h"
#include "temp_dir.h"

namespace credo::sweep {
namespace {

std::filesystem::path write(const testing::TempDir& dir, const std::string& text) {
  const auto path = dir / "sweep.toml";
  std::ofstream(path) << text;
  return path;
}

std::string error_of(const std::filesystem::path& file, std::size_t max_cells = 200) {
  try {
    read_sweep(file, max_cells, false);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::vector<std::string>& args, const std::string& flag, const std::string& value) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == flag && args[i + 1] == value) return true;
  }
  return false;
}

TEST(SweepPlan, EachGridIsAProductAndTheSweepTheirUnionInFileOrder) {
  testing::TempDir dir;
  const auto plan = read_sweep(write(dir, R"(
[run]
steps = 1000
demos = "demos/{env}.h5"
[[grid]]
env = ["Hopper-v5", "Walker2d-v5"]
algo = ["td3"]
clip = [5, "off"]
seed = [1, 2]
[[grid]]
env = ["Hopper-v5"]
algo = ["ppo"]
seed = [1]
)"),
                               200, false);
  ASSERT_EQ(plan.cells.size(), 9U);
  EXPECT_EQ(plan.cells[0].name, "algo-td3_clip-5_env-Hopper-v5_seed-1");
  EXPECT_EQ(plan.cells[8].name, "algo-ppo_env-Hopper-v5_seed-1");
  const auto& walker = *std::find_if(plan.cells.begin(), plan.cells.end(), [](const Cell& c) {
    return c.name == "algo-td3_clip-off_env-Walker2d-v5_seed-2";
  });
  EXPECT_TRUE(has(walker.train_args, "--demos", "demos/Walker2d-v5.h5"));  // "{env}" is the cell's env
  EXPECT_TRUE(has(walker.train_args, "--clip", "off"));
  EXPECT_TRUE(has(walker.train_args, "--seed", "2"));
  EXPECT_TRUE(has(walker.train_args, "--steps", "1000"));
}

TEST(SweepPlan, BadFilesAreRefusedUpFrontNamingTheFile) {
  testing::TempDir dir;
  const auto unknown = error_of(
      write(dir, "[run]\nenv = \"Pendulum-v1\"\nalgo = \"td3\"\nsteps = 10\n[grid]\nlr_actr = [1e-3]\n"));
  EXPECT_NE(unknown.find("sweep.toml"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("did you mean 'lr_actor'"), std::string::npos) << unknown;
  const auto no_steps =
      error_of(write(dir, "[run]\nenv = \"Pendulum-v1\"\nalgo = \"td3\"\n[grid]\nseed = [1]\n"));
  EXPECT_NE(no_steps.find("no 'steps'"), std::string::npos) << no_steps;
  const auto large = error_of(
      write(dir, "[run]\nenv = \"Pendulum-v1\"\nalgo = \"td3\"\nsteps = 10\n[grid]\nseed = [1, 2, 3]\n"), 2);
  EXPECT_FALSE(large.empty());
}

TEST(SweepPlan, ACellIsDoneWhenItsSummarySaysFinishedOrDiverged) {
  testing::TempDir dir;
  EXPECT_EQ(cell_state(dir / "absent"), "pending");
  std::filesystem::create_directories(dir / "cell");
  EXPECT_EQ(cell_state(dir / "cell"), "failed");  // a folder with neither a finished summary nor a checkpoint
  std::ofstream(dir / "cell" / "checkpoint.pt") << "x";
  std::ofstream(dir / "cell" / "summary.json") << R"({"status": "running"})";
  EXPECT_EQ(cell_state(dir / "cell"), "interrupted");
  std::ofstream(dir / "cell" / "summary.json") << R"({"status": "finished"})";
  EXPECT_EQ(cell_state(dir / "cell"), "finished");
  EXPECT_TRUE(cell_done("finished") && cell_done("diverged") && !cell_done("interrupted"));
}

std::string file_error(const std::string& text, bool allow_large = false) {
  try {
    read_sweep_file(text, "s.toml", 200, allow_large);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(SweepFile, SubstitutionIsOneLevelSoValuesThatNameEachOtherStayBounded) {
  const auto sweep =
      read_sweep_file("[run]\na = \"{b}{b}\"\nb = \"{a}{a}\"\n[grid]\nseed = [1]\n", "s.toml", 200, false);
  ASSERT_EQ(sweep.cells.size(), 1u);
  const auto& options = sweep.cells[0].options;
  const auto a = std::find_if(options.begin(), options.end(), [](const auto& kv) { return kv.first == "a"; });
  ASSERT_NE(a, options.end());
  EXPECT_EQ(a->second, "{a}{a}{a}{a}");  // b as written, not b after its own substitution
  std::string many;
  for (int i = 0; i < 100; ++i) many += "{b}";
  EXPECT_EQ(
      file_error("[run]\na = \"" + many + "\"\nb = \"" + std::string(100, 'x') + "\"\n[grid]\nseed = [1]\n"),
      "s.toml: 'a' grows longer than 4096 characters when {...} are replaced");
}

TEST(SweepFile, NoSweepMakesMoreThanTheMostCellsEvenWhenAskedTo) {
  std::string grid = "[grid]\n";
  for (const char* key :
       {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t"}) {
    grid += std::string(key) + " = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n";  // 10^20 cells: overflows 64 bits
  }
  EXPECT_EQ(file_error(grid, true),
            "s.toml: the grid makes more than 100000 runs; split it into several sweeps");
  EXPECT_EQ(file_error(grid, false),
            "s.toml: the grid makes more than 100000 runs; split it into several sweeps");
}

}  // namespace
}  // namespace credo::sweep
