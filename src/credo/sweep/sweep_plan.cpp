#include "credo/sweep/sweep_plan.h"

#include <fmt/format.h>

#include <fstream>
#include <limits>
#include <sstream>

#include "credo/config/defaults.h"
#include "credo/core/error.h"
#include "credo/core/input_file.h"
#include "credo/envs/registry.h"
#include "credo/run/run_options.h"
#include "credo/sweep/sweep_file.h"

namespace credo::sweep {

namespace {

// Builds a cell's `credo train` arguments from its options and checks them the way `credo train` resolves
// them, into `config`.
std::vector<std::string> train_args(const std::vector<std::pair<std::string, std::string>>& options,
                                    const std::string& where, config::Config& resolved) {
  std::map<std::string, std::string> flags;
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& [key, value] : options) {
    if (key == "env" || key == "algo" || key == "steps" || key == "seed" || key == "demos" ||
        key == "reward" || key == "clip" || key == "preset") {
      flags[key] = value;
    } else {
      keys.emplace_back(key, value);
    }
  }
  for (const char* required : {"env", "algo", "steps"}) {
    if (!flags.contains(required)) {
      throw UsageError(fmt::format("{}: no '{}' in [run] or [grid]; every run needs env, algo and steps",
                                   where, required));
    }
  }
  envs::env_entry(flags["env"]);
  const bool demos = flags.contains("demos") && !flags["demos"].empty();
  if (!demos && (flags.contains("reward") || flags.contains("clip") || flags["algo"] == "bc")) {
    throw UsageError(fmt::format("{}: {}; add demos = \"FILE\" to [run] or [grid]", where,
                                 flags["algo"] == "bc" ? "algo bc clones demonstrations"
                                                       : "reward and clip shape the imitation reward"));
  }
  auto config =
      config::default_config(flags["algo"], flags["env"], flags.contains("demos") && !flags["demos"].empty());
  if (flags.contains("preset")) {
    try {
      config::apply_preset(config, flags["preset"]);
    } catch (const UsageError& e) {
      throw UsageError(fmt::format("{}: {}", where, e.what()));
    }
  }
  for (const auto& [key, value] : keys) {
    config.override_from_text(key, value, fmt::format("{} key '{}'", where, key));
  }
  for (const char* key : {"steps", "seed"}) {
    const std::string text = flags.contains(key) ? flags[key] : "0";
    try {
      std::size_t used = 0;
      config.set(key, std::int64_t{std::stoll(text, &used)});
      if (used != text.size()) throw std::invalid_argument(text);
    } catch (const std::exception&) {
      throw UsageError(fmt::format("{}: '{}' must be an integer, got '{}'", where, key, text));
    }
  }
  // The clip flag as `credo train --clip` sets it, so its keys (clip_quantile with auto) are checked here
  // too.
  if (flags.contains("clip")) {
    const auto& clip = flags["clip"];
    config.set("clip_auto", clip == "auto");
    if (clip == "off" || clip == "auto") {
      config.set("clip", std::numeric_limits<double>::infinity());
    } else {
      config.override_from_text("clip", clip, fmt::format("{} key 'clip'", where));
    }
  }
  try {
    run::TrainingOptions::read(config);
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("{}: {}", where, e.what()));
  }
  resolved = config;
  std::vector<std::string> args;
  for (const auto& [flag, value] : flags) {
    args.push_back(fmt::format("--{}", flag));
    args.push_back(value);
  }
  for (const auto& [key, value] : keys) args.push_back(fmt::format("{}={}", key, value));
  return args;
}

}  // namespace

SweepPlan read_sweep(const std::filesystem::path& file, std::size_t max_cells, bool allow_large) {
  const std::string where = file.string();
  require_readable_file(file, "sweep file", "pass a sweep TOML file (configs/sweeps/ has examples)");
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const auto sweep = read_sweep_file(text.str(), where, max_cells, allow_large);
  SweepPlan plan;
  plan.slurm = sweep.slurm;
  for (const auto& options : sweep.cells) {
    Cell cell{options.name, options.values, {}, {}};
    cell.train_args =
        train_args(options.options, fmt::format("{} (cell {})", where, options.name), cell.config);
    plan.cells.push_back(std::move(cell));
  }
  return plan;
}

}  // namespace credo::sweep
