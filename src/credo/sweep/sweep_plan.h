#pragma once
// A sweep file and the runs it stands for. The file is TOML with these tables:
// - [run]: fixed options of every run (env, algo, steps, seed, demos, reward, clip, or config keys);
// - [grid]: each key a list of values, every combination one run (a cell); or [[grid]] several times, each a
//   product of its own lists, the sweep being their union in file order;
// - [slurm]: resources for the Slurm backend (see docs/cli.md).
//
// Each cell becomes one `credo train` command with its own run folder under the sweep's output folder, named
// after its grid values (algo-td3_clip-5_seed-1). In any value, "{key}" stands for the cell's value of that
// key (demos = "demos/{env}.h5").
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "credo/config/config.h"

namespace credo::sweep {

struct Cell {
  std::string name;                                         // the run folder's name
  std::vector<std::pair<std::string, std::string>> values;  // grid key -> value, keys sorted by name
  std::vector<std::string> train_args;                      // arguments after `credo train`, without --out
  config::Config config;  // the run's config, resolved as `credo train` would
};

struct SweepPlan {
  std::vector<Cell> cells;
  std::map<std::string, std::string> slurm;  // [slurm] key -> value
};

// Reads and checks a sweep file: a [grid] with at least one non-empty list, known keys only (each cell's
// config is resolved as `credo train` would, so an unknown key fails here with a suggestion), at most
// `max_cells` cells unless `allow_large`. Throws UsageError naming the file.
SweepPlan read_sweep(const std::filesystem::path& file, std::size_t max_cells, bool allow_large);

}  // namespace credo::sweep
