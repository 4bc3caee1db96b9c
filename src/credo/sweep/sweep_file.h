#pragma once
// A sweep file's structure (sweep_plan.h describes the format): the [run], [grid] / [[grid]] and [slurm]
// tables, the grid expanded into cells, each cell's options with "{key}" replaced. Nothing here resolves a
// cell's config (sweep_plan.cpp does, as `credo train` would), so the reader is fuzzed on its own
// (fuzz/sweep_toml.cpp).
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace credo::sweep {

struct CellOptions {
  std::string name;                                          // the run folder's name
  std::vector<std::pair<std::string, std::string>> values;   // grid key -> value, keys sorted by name
  std::vector<std::pair<std::string, std::string>> options;  // [run], the grid's fixed keys and the values
};

struct SweepFile {
  std::vector<CellOptions> cells;
  std::map<std::string, std::string> slurm;  // [slurm] key -> value
};

// The most cells a sweep may have even when asked to run a large one (--yes).
constexpr std::size_t kMostCells = 100'000;
// The longest a value may grow by "{key}" substitution.
constexpr std::size_t kLongestValue = 4096;

// A cell's run folder name from its grid values (keys sorted by name): key-value joined by '_', each made
// folder-name safe.
std::string cell_name(const std::vector<std::pair<std::string, std::string>>& values);

// Reads the TOML text of a sweep file named `where` (for messages). At most `max_cells` cells unless
// `allow_large`, and never more than kMostCells. Throws UsageError naming the file.
SweepFile read_sweep_file(const std::string& text, const std::string& where, std::size_t max_cells,
                          bool allow_large);

}  // namespace credo::sweep
