#pragma once
// `credo sweep --populations`: the cells of a sweep that differ only in their seed train as one seed
// population in one process (`credo train --seeds`, run/population_run.h) instead of one process per seed.
// Each cell keeps its own run folder under the sweep's folder, as a separate run would write it; the
// population's file (run/population_file.h) lives in OUT/populations/NAME and names those folders.
//
// Whether a population starts, resumes or gives way to separate runs is judged from the cells' folders when
// its turn comes (how_to_start), so a sweep stopped at any point continues without losing or repeating work.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "credo/sweep/sweep_plan.h"

namespace credo::sweep {

struct SeedGroup {
  std::string name;                      // its population folder: OUT/populations/NAME
  std::vector<const Cell*> cells;        // in the plan's order
  std::vector<std::int64_t> seeds;       // each cell's seed
  std::vector<std::string> common_args;  // the cells' `credo train` arguments without --seed
  std::string folder_template;           // the cells' folder name, "{seed}" standing for the seed
};

// The groups of two or more cells whose `credo train` arguments differ only in --seed (an integer grid value)
// and whose learner trains as a population; every other cell is in none. Groups come in the order of their
// first cell.
std::vector<SeedGroup> seed_groups(const SweepPlan& plan);

// OUT/populations/NAME.
std::filesystem::path population_dir(const std::filesystem::path& out, const SeedGroup& group);

enum class GroupStart {
  kNew,     // every unfinished cell is new (or failed before its first checkpoint): one new population
  kResume,  // every unfinished cell was interrupted in the population the group's folder lists: resume it
  kApart,   // anything else (one cell left, a mix, cells run apart before): each cell on its own
};

// How the group's unfinished cells (`unfinished`, in the group's order) continue, judged from their folders.
GroupStart how_to_start(const SeedGroup& group, const std::vector<const Cell*>& unfinished,
                        const std::filesystem::path& out);

// Before the group's cells run apart: removes the group's population folder, which no longer says how they
// continue (resumed apart, they would no longer stand at one step).
void forget_population(const SeedGroup& group, const std::filesystem::path& out);

// `credo train` arguments (without the program) that start the unfinished cells as one new population in
// their own run folders: the group's arguments, --seeds, --out OUT/populations/NAME, --seed-folder, --force.
std::vector<std::string> new_population_args(const SeedGroup& group,
                                             const std::vector<const Cell*>& unfinished,
                                             const std::filesystem::path& out);

}  // namespace credo::sweep
