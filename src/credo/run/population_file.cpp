#include "credo/run/population_file.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/core/input_file.h"

namespace credo::run {

namespace {
constexpr const char* kFileName = "population.json";
constexpr const char* kPattern = "{seed}";
}  // namespace

bool is_population_folder(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::exists(dir / kFileName, ec);
}

void require_seed_folder(const std::string& folder_template) {
  if (folder_template.find(kPattern) == std::string::npos)
    throw UsageError(fmt::format(
        "--seed-folder '{}' does not name {{seed}}; every seed needs its own folder, e.g. td3-seed-{{seed}}",
        folder_template));
  if (std::filesystem::path(folder_template).is_absolute())
    throw UsageError(
        fmt::format("--seed-folder '{}' is absolute; give it relative to --out", folder_template));
}

std::string seed_folder(const std::string& folder_template, std::int64_t seed) {
  std::string out = folder_template;
  const std::string value = std::to_string(seed);
  for (auto at = out.find(kPattern); at != std::string::npos; at = out.find(kPattern, at + value.size()))
    out.replace(at, std::char_traits<char>::length(kPattern), value);
  return out;
}

PopulationFile population_file(const std::vector<std::int64_t>& seeds, const std::string& folder_template) {
  PopulationFile file{seeds, {}};
  for (const auto seed : seeds) file.folders.push_back(seed_folder(folder_template, seed));
  return file;
}

std::filesystem::path seed_run_dir(const std::filesystem::path& population_dir, const PopulationFile& file,
                                   std::size_t k) {
  return (population_dir / file.folders.at(k)).lexically_normal();
}

void write_population_file(const std::filesystem::path& dir, const PopulationFile& file) {
  const nlohmann::json json{{"seeds", file.seeds}, {"folders", file.folders}};
  write_file_atomically(dir / kFileName, json.dump() + "\n");
}

PopulationFile read_population_file(const std::filesystem::path& dir) {
  const auto path = dir / kFileName;
  require_readable_file(path, "population file", "restore it, or start the population again with --force");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const auto json = nlohmann::json::parse(text.str(), nullptr, false);
  const auto malformed = [&](const std::string& what) {
    return UsageError(
        fmt::format("'{}' is not a population file ({}); restore it, or start the population "
                    "again with --force",
                    path.string(), what));
  };
  if (!json.is_object() || !json.contains("seeds") || !json["seeds"].is_array())
    throw malformed("no seeds list");
  PopulationFile file;
  for (const auto& seed : json["seeds"]) {
    if (!seed.is_number_integer()) throw malformed("a seed that is not a number");
    file.seeds.push_back(seed.get<std::int64_t>());
  }
  if (!json.contains("folders")) return population_file(file.seeds, kSeedFolder);
  if (!json["folders"].is_array() || json["folders"].size() != file.seeds.size())
    throw malformed("its folders do not match its seeds");
  for (const auto& folder : json["folders"]) {
    if (!folder.is_string()) throw malformed("a folder that is not a string");
    file.folders.push_back(folder.get<std::string>());
  }
  return file;
}

}  // namespace credo::run
