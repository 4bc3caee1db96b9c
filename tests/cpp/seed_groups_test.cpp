// `credo sweep --populations` (src/credo/sweep/seed_groups.h): which cells train as one seed population, the
// names of their folders, and how a group continues, judged from its cells' folders.
#include "credo/sweep/seed_groups.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "credo/core/error.h"
#include "credo/run/population_file.h"
#include "temp_dir.h"

namespace credo::sweep {
namespace {

namespace fs = std::filesystem;

SweepPlan plan_of(const testing::TempDir& dir, const std::string& grid) {
  const auto path = dir / "sweep.toml";
  std::ofstream(path) << "[run]\nenv = \"Pendulum-v1\"\nsteps = 1000\n" << grid;
  return read_sweep(path, 200, false);
}

std::vector<std::string> names(const std::vector<const Cell*>& cells) {
  std::vector<std::string> out;
  for (const auto* c : cells) out.push_back(c->name);
  return out;
}

// A cell's folder as a run leaves it: "interrupted" (config and checkpoint), "failed" (config only) or
// "finished" (a summary saying so).
void make_cell(const fs::path& dir, const std::string& state) {
  fs::create_directories(dir);
  std::ofstream(dir / "config.toml") << "algo = 'td3'\n";
  if (state == "interrupted") std::ofstream(dir / "checkpoint.pt") << "x";
  if (state == "finished") std::ofstream(dir / "summary.json") << R"({"status": "finished"})";
}

TEST(SeedGroups, CellsThatDifferOnlyInTheirSeedAreOneGroupWhereTheLearnerStacks) {
  testing::TempDir dir;
  const auto plan = plan_of(dir, R"([[grid]]
algo = ["td3", "ppo"]
gamma = [0.99, 0.98]
seed = [1, 2, 3, 5]
[[grid]]
algo = ["sac"]
seed = [7]
)");
  const auto groups = seed_groups(plan);
  ASSERT_EQ(groups.size(), 2U);  // td3 at each gamma; ppo has no population support; sac has one seed
  const auto& g = groups[0];
  EXPECT_EQ(g.name, "algo-td3_gamma-0.99_seeds-1to3-5");
  EXPECT_EQ(g.folder_template, "algo-td3_gamma-0.99_seed-{seed}");
  EXPECT_EQ(names(g.cells),
            (std::vector<std::string>{"algo-td3_gamma-0.99_seed-1", "algo-td3_gamma-0.99_seed-2",
                                      "algo-td3_gamma-0.99_seed-3", "algo-td3_gamma-0.99_seed-5"}));
  EXPECT_EQ(g.seeds, (std::vector<std::int64_t>{1, 2, 3, 5}));
  EXPECT_FALSE(std::find(g.common_args.begin(), g.common_args.end(), "--seed") != g.common_args.end());
  EXPECT_EQ(groups[1].name, "algo-td3_gamma-0.98_seeds-1to3-5");
}

TEST(SeedGroups, SeedsOutsideTheGridOrNotWrittenAsTheirFolderSpellsThemAreNotGrouped) {
  testing::TempDir dir;
  // The seed in [run]: every cell has the same one, so no two cells differ only in it.
  EXPECT_TRUE(seed_groups(plan_of(dir, "[grid]\nalgo = [\"td3\", \"ddpg\"]\n")).empty());
  // "01" names folder seed-01, which `credo train --seeds` would write as seed-1.
  EXPECT_TRUE(seed_groups(plan_of(dir, "[grid]\nalgo = [\"td3\"]\nseed = [\"01\", \"02\"]\n")).empty());
  // A grid of seeds alone: the group's name is its seeds.
  const auto groups = seed_groups(plan_of(dir, "algo = \"sd3\"\n[grid]\nseed = [4, 2]\n"));
  ASSERT_EQ(groups.size(), 1U);
  EXPECT_EQ(groups[0].name, "seeds-2-4");
  EXPECT_EQ(groups[0].folder_template, "seed-{seed}");
}

TEST(SeedGroups, ANewPopulationWritesIntoTheCellsOwnFolders) {
  testing::TempDir dir;
  const auto plan =
      plan_of(dir, "algo = \"td3\"\n[grid]\nclip = [5]\nseed = [1, 2, 3]\ndemos = [\"d.h5\"]\n");
  const auto out = dir / "out";
  const auto group = seed_groups(plan).at(0);
  const std::vector<const Cell*> unfinished{group.cells[0], group.cells[2]};
  const auto args = new_population_args(group, unfinished, out);
  const auto value = [&](const std::string& flag) {
    return *(std::find(args.begin(), args.end(), flag) + 1);
  };
  EXPECT_EQ(value("--seeds"), "1,3");
  EXPECT_EQ(value("--out"), population_dir(out, group).string());
  EXPECT_EQ(population_dir(out, group), out / "populations" / "clip-5_demos-d.h5_seeds-1to3");
  EXPECT_EQ(args.back(), "--force");
  // The folders `credo train --seeds 1,3 --seed-folder ...` writes are the cells' own.
  const auto file = run::population_file({1, 3}, value("--seed-folder"));
  EXPECT_EQ(run::seed_run_dir(population_dir(out, group), file, 0), out / group.cells[0]->name);
  EXPECT_EQ(run::seed_run_dir(population_dir(out, group), file, 1), out / group.cells[2]->name);
}

TEST(SeedGroups, HowAGroupContinuesIsJudgedFromItsCellsFolders) {
  testing::TempDir dir;
  const auto plan = plan_of(dir, "algo = \"td3\"\n[grid]\nseed = [1, 2, 3]\n");
  const auto group = seed_groups(plan).at(0);
  const auto out = dir / "out";
  const std::vector<const Cell*> all = group.cells, two{group.cells[0], group.cells[1]};
  EXPECT_EQ(how_to_start(group, all, out), GroupStart::kNew);                 // nothing yet
  EXPECT_EQ(how_to_start(group, {group.cells[0]}, out), GroupStart::kApart);  // one cell is no population
  make_cell(out / "seed-1", "failed");
  EXPECT_EQ(how_to_start(group, all, out), GroupStart::kNew);  // failed before its first checkpoint
  make_cell(out / "seed-1", "interrupted");
  EXPECT_EQ(how_to_start(group, all, out), GroupStart::kApart);  // a mix: one would lose its progress
  make_cell(out / "seed-2", "interrupted");
  // Interrupted, but not as this population (no population file): they may stand at different steps.
  EXPECT_EQ(how_to_start(group, two, out), GroupStart::kApart);
  const auto pop = population_dir(out, group);
  fs::create_directories(pop);
  run::write_population_file(pop, run::population_file({1, 2}, "../../seed-{seed}"));
  EXPECT_EQ(how_to_start(group, two, out), GroupStart::kResume);
  // The population's file lists other folders: not this population.
  run::write_population_file(pop, run::population_file({1, 2}, "../../other-{seed}"));
  EXPECT_EQ(how_to_start(group, two, out), GroupStart::kApart);
  forget_population(group, out);
  EXPECT_FALSE(fs::exists(pop));
  EXPECT_TRUE(fs::exists(out / "seed-1" / "checkpoint.pt"));  // the runs themselves stay
}

TEST(PopulationFile, SeedFolderTemplatesAreCheckedAndFilesReadBack) {
  testing::TempDir dir;
  EXPECT_THROW(run::require_seed_folder("runs"), UsageError);
  EXPECT_THROW(run::require_seed_folder("/abs/seed-{seed}"), UsageError);
  EXPECT_NO_THROW(run::require_seed_folder("../x-{seed}-y"));
  EXPECT_EQ(run::seed_folder("s{seed}/r{seed}", 12), "s12/r12");
  run::write_population_file(dir.path(), run::population_file({3, 1}, "a-{seed}"));
  const auto back = run::read_population_file(dir.path());
  EXPECT_EQ(back.seeds, (std::vector<std::int64_t>{3, 1}));
  EXPECT_EQ(back.folders, (std::vector<std::string>{"a-3", "a-1"}));
  // A file written before folders were listed means DIR/seed-N.
  std::ofstream(dir / "population.json") << R"({"seeds": [2]})";
  EXPECT_EQ(run::read_population_file(dir.path()).folders, (std::vector<std::string>{"seed-2"}));
  std::ofstream(dir / "population.json") << R"({"seeds": [2], "folders": ["a", "b"]})";
  EXPECT_THROW(run::read_population_file(dir.path()), UsageError);
}

}  // namespace
}  // namespace credo::sweep
