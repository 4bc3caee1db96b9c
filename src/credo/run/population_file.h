#pragma once
// A seed population's folder and its population.json: the seeds trained together and each seed's run folder,
// written as a path relative to the population's folder. `credo train --seeds 1-8 --out DIR` keeps the run
// folders inside (DIR/seed-N); `--seed-folder` names them elsewhere, as a sweep does to train its cells
// (OUT/algo-td3_seed-N) as one population whose file lives in OUT/populations/.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace credo::run {

// The seed folder template `credo train --seeds` uses unless told otherwise.
inline constexpr const char* kSeedFolder = "seed-{seed}";

struct PopulationFile {
  std::vector<std::int64_t> seeds;
  std::vector<std::string> folders;  // one per seed, relative to the population's folder
};

// Whether `dir` holds a population.json.
bool is_population_folder(const std::filesystem::path& dir);

// Checks a seed folder template: a relative path naming "{seed}" at least once. UsageError (one line)
// otherwise.
void require_seed_folder(const std::string& folder_template);

// The template with every "{seed}" replaced by `seed`.
std::string seed_folder(const std::string& folder_template, std::int64_t seed);

// The seeds and the template's folders, as a population folder's file lists them.
PopulationFile population_file(const std::vector<std::int64_t>& seeds, const std::string& folder_template);

// Seed k's run folder: the population's folder joined with its listed folder, lexically normalised.
std::filesystem::path seed_run_dir(const std::filesystem::path& population_dir, const PopulationFile& file,
                                   std::size_t k);

// Writes DIR/population.json (temp file and rename).
void write_population_file(const std::filesystem::path& dir, const PopulationFile& file);

// Reads DIR/population.json; files written before folders were listed mean DIR/seed-N. UsageError (one line)
// when the file is unreadable or malformed.
PopulationFile read_population_file(const std::filesystem::path& dir);

}  // namespace credo::run
