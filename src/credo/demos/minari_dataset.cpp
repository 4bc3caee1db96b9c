#include "credo/demos/minari_dataset.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "credo/core/error.h"
#include "credo/demos/hdf5_file.h"

namespace credo::demos {

namespace {

constexpr const char* kPrefix = "minari:";

std::filesystem::path dataset_folder(const std::string& reference) {
  if (reference.rfind(kPrefix, 0) != 0) return reference;
  const std::string id = reference.substr(std::string(kPrefix).size());
  const char* root = std::getenv("MINARI_DATASETS_PATH");
  const char* home = std::getenv("HOME");
  const std::filesystem::path base =
      root ? std::filesystem::path(root) : std::filesystem::path(home ? home : ".") / ".minari" / "datasets";
  return base / id;
}

// Appends all rows of `part` to `whole`, which takes part's element type and row shape.
void append_rows(Array& whole, const Array& part, std::int64_t rows) {
  if (whole.shape.empty()) {
    whole.kind = part.kind;
    whole.type = part.type;
    whole.shape = part.shape;
    whole.shape[0] = 0;
  }
  const std::size_t width = part.shape[0] ? part.values.size() / static_cast<std::size_t>(part.shape[0]) : 0;
  whole.values.insert(
      whole.values.end(), part.values.begin(),
      part.values.begin() + static_cast<std::ptrdiff_t>(width * static_cast<std::size_t>(rows)));
  whole.shape[0] += rows;
}

// Rows 1..T of `part` (the next observations).
void append_rows_shifted(Array& whole, const Array& part, std::int64_t rows) {
  Array shifted = part;
  const std::size_t width = part.values.size() / static_cast<std::size_t>(part.shape[0]);
  shifted.values.erase(shifted.values.begin(), shifted.values.begin() + static_cast<std::ptrdiff_t>(width));
  shifted.shape[0] -= 1;
  append_rows(whole, shifted, rows);
}

}  // namespace

bool is_minari_dataset(const std::string& reference) {
  std::error_code ec;
  return reference.rfind(kPrefix, 0) == 0 ||
         std::filesystem::is_regular_file(std::filesystem::path(reference) / "data" / "metadata.json", ec);
}

Demonstrations read_minari(const std::string& reference) {
  const auto folder = dataset_folder(reference);
  const auto metadata_path = folder / "data" / "metadata.json";
  std::ifstream in(metadata_path);
  if (!in) {
    throw UsageError(
        fmt::format("Minari dataset '{}' not found: no {} (pass the dataset folder, or minari:ID "
                    "with MINARI_DATASETS_PATH set to where Minari keeps datasets)",
                    reference, metadata_path.string()));
  }
  nlohmann::json metadata;
  try {
    std::stringstream text;
    text << in.rdbuf();
    metadata = nlohmann::json::parse(text.str());
  } catch (const std::exception&) {
    throw UsageError(
        fmt::format("Minari dataset '{}': {} is not valid JSON", reference, metadata_path.string()));
  }
  const std::string format = metadata.value("data_format", std::string("hdf5"));
  if (format != "hdf5") {
    throw UsageError(
        fmt::format("Minari dataset '{}' is stored as '{}'; credo reads Minari's hdf5 storage "
                    "(create the dataset with data_format=\"hdf5\")",
                    reference, format));
  }
  ArraySet set;
  try {
    const auto spec = nlohmann::json::parse(metadata.at("env_spec").get<std::string>());
    set.attributes["env_id"] = spec.at("id").get<std::string>();
  } catch (const std::exception&) {
    // A dataset made without an env spec: the env id stays unknown, sizes are still checked.
  }
  if (metadata.contains("algorithm_name") && metadata["algorithm_name"].is_string()) {
    set.attributes["algo"] = metadata["algorithm_name"];
  }
  const auto data_path = folder / "data" / "main_data.hdf5";
  const std::string source = data_path.string();
  Hdf5Reader reader(data_path);
  // Episodes in index order (the group names sort as text, episode_10 before episode_2).
  std::int64_t episodes = 0;
  for (const auto& name : reader.members("/")) {
    if (name.rfind("episode_", 0) == 0) ++episodes;
  }
  if (episodes == 0) throw UsageError(fmt::format("Minari dataset '{}' holds no episodes", reference));
  auto& obs = set.arrays[kObservations];
  auto& next = set.arrays[kNextObservations];
  auto& actions = set.arrays[kActions];
  auto& rewards = set.arrays[kRewards];
  auto& terminals = set.arrays[kTerminals];
  auto& timeouts = set.arrays[kTimeouts];
  auto& starts = set.arrays[kEpisodeStarts];
  starts.kind = ArrayKind::integer;
  starts.type = "int64";
  starts.shape = {0};
  for (std::int64_t e = 0; e < episodes; ++e) {
    const std::string group = fmt::format("episode_{}", e);
    if (!reader.is_group(group)) {
      throw UsageError(fmt::format("Minari dataset '{}': {} has no group '{}'", reference, source, group));
    }
    for (const char* key : {"observations", "actions", "rewards", "terminations", "truncations"}) {
      if (!reader.is_dataset(group + "/" + key)) {
        throw UsageError(
            fmt::format("Minari dataset '{}': '{}' has no dataset '{}' (credo reads Box "
                        "observation and action spaces)",
                        reference, group, key));
      }
    }
    const auto o = reader.read(group + "/observations");
    const auto a = reader.read(group + "/actions");
    const auto r = reader.read(group + "/rewards");
    const auto te = reader.read(group + "/terminations");
    const auto tr = reader.read(group + "/truncations");
    const std::int64_t steps = r.shape.empty() ? 0 : r.shape[0];
    if (o.shape.size() != 2 || a.shape.size() != 2 || o.shape[0] != steps + 1 || a.shape[0] != steps ||
        te.shape.empty() || te.shape[0] != steps || tr.shape.empty() || tr.shape[0] != steps) {
      throw UsageError(
          fmt::format("Minari dataset '{}': episode {} has inconsistent lengths (observations "
                      "need one row more than actions, rewards and flags)",
                      reference, e));
    }
    if (steps == 0) continue;
    starts.values.push_back(static_cast<double>(rewards.shape.empty() ? 0 : rewards.shape[0]));
    starts.shape[0] += 1;
    append_rows(obs, o, steps);
    append_rows_shifted(next, o, steps);
    append_rows(actions, a, steps);
    append_rows(rewards, r, steps);
    append_rows(terminals, te, steps);
    append_rows(timeouts, tr, steps);
  }
  return from_arrays(set, reference);
}

}  // namespace credo::demos
