#include "credo/sweep/seed_groups.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "credo/core/error.h"
#include "credo/envs/registry.h"
#include "credo/rl/learner_population.h"
#include "credo/run/population_file.h"
#include "credo/run/run_options.h"
#include "credo/sweep/cell_state.h"
#include "credo/sweep/sweep_file.h"

namespace credo::sweep {

namespace {

// An alphanumeric stand-in for the seed while the folder name is built (cell_name makes '{' and '}' safe).
constexpr const char* kSeedMark = "CREDOSEEDMARK";

// The cell's seed when it is a grid value written as a plain integer (its folder name then spells it as
// `credo train --seeds` does); -1 otherwise.
std::int64_t grid_seed(const Cell& cell) {
  for (const auto& [key, value] : cell.values) {
    if (key != "seed") continue;
    try {
      const auto seed = std::stoll(value);
      return seed >= 0 && std::to_string(seed) == value ? seed : -1;
    } catch (const std::exception&) {
      return -1;
    }
  }
  return -1;
}

std::vector<std::string> without_seed(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--seed" && i + 1 < args.size()) {
      ++i;
    } else {
      out.push_back(args[i]);
    }
  }
  return out;
}

// The cell's folder name with `seed_text` for its seed.
std::string name_with_seed(const Cell& cell, const std::string& seed_text) {
  auto values = cell.values;
  for (auto& [key, value] : values) {
    if (key == "seed") value = kSeedMark;
  }
  auto name = cell_name(values);
  name.replace(name.find(kSeedMark), std::char_traits<char>::length(kSeedMark), seed_text);
  return name;
}

// "1to5-7-9to10": runs of consecutive seeds as FIRSTtoLAST, joined by '-' (never ambiguous: '-' and "to"
// are not digits).
std::string seed_span(std::vector<std::int64_t> seeds) {
  std::sort(seeds.begin(), seeds.end());
  std::string text;
  for (std::size_t i = 0; i < seeds.size();) {
    std::size_t j = i;
    while (j + 1 < seeds.size() && seeds[j + 1] == seeds[j] + 1) ++j;
    text += fmt::format("{}{}", text.empty() ? "" : "-",
                        j == i ? std::to_string(seeds[i]) : fmt::format("{}to{}", seeds[i], seeds[j]));
    i = j + 1;
  }
  return text;
}

// Whether the cell's learner trains as a population (rl/learner_population.h), judged on the CPU: what can
// be stacked does not depend on the device.
bool populable(const Cell& cell) {
  try {
    const auto options = run::TrainingOptions::read(cell.config);
    const auto spec = envs::make_env(options.run.env)->spec();
    rl::LearnerPopulation::require_support({static_cast<std::int64_t>(spec.observation_space.size()),
                                            static_cast<std::int64_t>(spec.action_space.size()), cell.config,
                                            0, options.run.steps, nullptr, torch::kCPU});
    return true;
  } catch (const std::exception&) {
    return false;  // a learner without population support (ppo) or one that needs more to be made (bc)
  }
}

}  // namespace

std::vector<SeedGroup> seed_groups(const SweepPlan& plan) {
  std::vector<SeedGroup> groups;
  std::map<std::vector<std::string>, std::size_t> by_args;
  for (const auto& cell : plan.cells) {
    const auto seed = grid_seed(cell);
    if (seed < 0) continue;
    auto args = without_seed(cell.train_args);
    const auto [it, fresh] = by_args.emplace(args, groups.size());
    if (fresh) groups.push_back({{}, {}, {}, std::move(args), name_with_seed(cell, "{seed}")});
    groups[it->second].cells.push_back(&cell);
    groups[it->second].seeds.push_back(seed);
  }
  std::erase_if(groups,
                [](const SeedGroup& g) { return g.cells.size() < 2 || !populable(*g.cells.front()); });
  for (auto& group : groups) {
    auto values = group.cells.front()->values;
    std::erase_if(values, [](const auto& kv) { return kv.first == "seed"; });
    const auto rest = cell_name(values);
    group.name = fmt::format("{}{}seeds-{}", rest, rest.empty() ? "" : "_", seed_span(group.seeds));
  }
  return groups;
}

std::filesystem::path population_dir(const std::filesystem::path& out, const SeedGroup& group) {
  return out / "populations" / group.name;
}

GroupStart how_to_start(const SeedGroup& group, const std::vector<const Cell*>& unfinished,
                        const std::filesystem::path& out) {
  if (unfinished.size() < 2) return GroupStart::kApart;
  std::size_t interrupted = 0, fresh = 0;
  for (const auto* cell : unfinished) {
    const auto state = cell_state(out / cell->name);
    interrupted += state == "interrupted";
    fresh += state == "pending" || state == "failed";
  }
  if (fresh == unfinished.size()) return GroupStart::kNew;
  if (interrupted != unfinished.size()) return GroupStart::kApart;
  const auto dir = population_dir(out, group);
  if (!run::is_population_folder(dir)) return GroupStart::kApart;  // interrupted as separate runs
  try {
    const auto file = run::read_population_file(dir);
    for (const auto* cell : unfinished) {
      bool listed = false;
      for (std::size_t k = 0; k < file.folders.size(); ++k)
        listed = listed || run::seed_run_dir(dir, file, k) == (out / cell->name).lexically_normal();
      if (!listed) return GroupStart::kApart;
    }
  } catch (const UsageError&) {
    return GroupStart::kApart;
  }
  return GroupStart::kResume;
}

void forget_population(const SeedGroup& group, const std::filesystem::path& out) {
  std::error_code ec;
  std::filesystem::remove_all(population_dir(out, group), ec);
}

std::vector<std::string> new_population_args(const SeedGroup& group,
                                             const std::vector<const Cell*>& unfinished,
                                             const std::filesystem::path& out) {
  std::vector<std::string> seeds;
  for (const auto* cell : unfinished) {
    const auto at = std::find(group.cells.begin(), group.cells.end(), cell) - group.cells.begin();
    seeds.push_back(std::to_string(group.seeds.at(static_cast<std::size_t>(at))));
  }
  auto args = group.common_args;
  // The seed folders, relative to the population's folder OUT/populations/NAME: the cells' own folders.
  args.insert(args.end(), {"--seeds", fmt::format("{}", fmt::join(seeds, ",")), "--out",
                           population_dir(out, group).string(), "--seed-folder",
                           (std::filesystem::path("..") / ".." / group.folder_template).string(), "--force"});
  return args;
}

}  // namespace credo::sweep
