#include "credo/sweep/sweep_plan.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "credo/config/defaults.h"
#include "credo/core/error.h"
#include "credo/envs/registry.h"
#include "credo/run/run_options.h"

namespace credo::sweep {

namespace {

// The command-line form of a TOML value: numbers, strings, booleans, and lists of integers (16,16).
std::string as_text(const toml::node& node, const std::string& where) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* f = node.as_floating_point()) {
    const double v = f->get();
    return std::isinf(v) ? (v > 0 ? "inf" : "-inf") : fmt::format("{}", v);
  }
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* a = node.as_array()) {
    std::string text;
    for (const auto& item : *a) {
      if (!item.is_integer())
        throw UsageError(fmt::format("{}: lists inside values must hold integers", where));
      text += fmt::format("{}{}", text.empty() ? "" : ",", item.as_integer()->get());
    }
    return text;
  }
  throw UsageError(
      fmt::format("{}: unsupported value (use numbers, strings, booleans or integer lists)", where));
}

// A folder-name-safe form of a value.
std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
  return out;
}

// Builds a cell's `credo train` arguments from its options and checks them the way `credo train` resolves
// them.
std::vector<std::string> train_args(const std::vector<std::pair<std::string, std::string>>& options,
                                    const std::string& where) {
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
  toml::table table;
  try {
    table = toml::parse_file(where);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    throw UsageError(fmt::format("{}:{}:{}: {}", where, at.line, at.column, e.description()));
  }
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    if (k != "run" && k != "grid" && k != "slurm") {
      throw UsageError(
          fmt::format("{}: unknown table '{}'; a sweep file has [run], [grid] and [slurm]", where, k));
    }
    if (!node.is_table() && !(k == "grid" && node.is_array_of_tables())) {
      throw UsageError(fmt::format("{}: '{}' must be a table ([{}])", where, k, k));
    }
  }
  std::vector<std::pair<std::string, std::string>> fixed;
  if (const auto* run = table["run"].as_table()) {
    for (const auto& [key, node] : *run) {
      fixed.emplace_back(std::string(key.str()), as_text(node, fmt::format("{} [run] {}", where, key.str())));
    }
  }
  // [grid] is one table, or [[grid]] several: each table is a product of its lists, and the sweep is their
  // union in file order (td3 and sd3 with and without a clip, ppo and tssg without). A plain value in a
  // grid table is fixed for that table's runs only (steps = 30000 for the costly learner) and stays out
  // of their folder names.
  struct Grid {
    std::vector<std::pair<std::string, std::vector<std::string>>> lists;
    std::vector<std::pair<std::string, std::string>> fixed;
  };
  std::vector<Grid> grids;
  std::vector<std::string> grid_names;
  std::vector<const toml::table*> grid_tables;
  if (const auto* one = table["grid"].as_table()) {
    grid_tables.push_back(one);
    grid_names.emplace_back("[grid]");
  } else if (const auto* many = table["grid"].as_array()) {
    for (std::size_t i = 0; i < many->size(); ++i) {
      const auto* t = (*many)[i].as_table();
      if (!t) throw UsageError(fmt::format("{}: [[grid]] entry {} must be a table", where, i + 1));
      grid_tables.push_back(t);
      grid_names.push_back(fmt::format("[[grid]] {}", i + 1));
    }
  }
  std::size_t cells = 0;
  for (std::size_t g = 0; g < grid_tables.size(); ++g) {
    Grid grid;
    std::size_t product = 1;
    for (const auto& [key, node] : *grid_tables[g]) {
      const auto* list = node.as_array();
      const std::string k(key.str());
      for (const auto& [fk, fv] : fixed) {
        if (fk == k) {
          throw UsageError(
              fmt::format("{}: '{}' is both in [run] and {}; keep one", where, k, grid_names[g]));
        }
      }
      if (!list) {
        grid.fixed.emplace_back(k, as_text(node, fmt::format("{} {} {}", where, grid_names[g], k)));
        continue;
      }
      if (list->empty())
        throw UsageError(fmt::format("{}: {} '{}' is an empty list", where, grid_names[g], k));
      std::vector<std::string> values;
      for (const auto& item : *list) {
        values.push_back(as_text(item, fmt::format("{} {} {}", where, grid_names[g], k)));
      }
      product *= values.size();
      grid.lists.emplace_back(k, std::move(values));
    }
    if (grid.lists.empty() && grid.fixed.empty()) {
      throw UsageError(
          fmt::format("{}: {} is missing or empty; give at least one key with a list of values "
                      "(for example seed = [1, 2, 3])",
                      where, grid_names[g]));
    }
    if (grid.lists.empty()) {
      throw UsageError(fmt::format("{}: {} has no list of values; give it at least one (seed = [1, 2, 3])",
                                   where, grid_names[g]));
    }
    cells += product;
    grids.push_back(std::move(grid));
  }
  if (grids.empty()) {
    throw UsageError(
        fmt::format("{}: [grid] is missing or empty; give at least one key with a list of values "
                    "(for example seed = [1, 2, 3])",
                    where));
  }
  if (cells > max_cells && !allow_large) {
    throw UsageError(fmt::format("{}: the grid makes {} runs, more than {}; pass --yes to run them all",
                                 where, cells, max_cells));
  }
  SweepPlan plan;
  if (const auto* slurm = table["slurm"].as_table()) {
    for (const auto& [key, node] : *slurm) {
      plan.slurm[std::string(key.str())] = as_text(node, fmt::format("{} [slurm] {}", where, key.str()));
    }
  }
  std::map<std::string, std::string> made_by;  // cell name -> the grid that made it
  for (std::size_t g = 0; g < grids.size(); ++g) {
    const auto& grid = grids[g].lists;
    std::size_t product = 1;
    for (const auto& [key, values] : grid) product *= values.size();
    std::vector<std::size_t> index(grid.size(), 0);
    for (std::size_t c = 0; c < product; ++c) {
      Cell cell;
      std::vector<std::pair<std::string, std::string>> options = fixed;
      options.insert(options.end(), grids[g].fixed.begin(), grids[g].fixed.end());
      for (std::size_t k = 0; k < grid.size(); ++k) {
        const auto& [key, values] = grid[k];
        cell.values.emplace_back(key, values[index[k]]);
        options.emplace_back(key, values[index[k]]);
        cell.name += fmt::format("{}{}-{}", cell.name.empty() ? "" : "_", slug(key), slug(values[index[k]]));
      }
      if (const auto [it, fresh] = made_by.emplace(cell.name, grid_names[g]); !fresh) {
        throw UsageError(fmt::format("{}: run '{}' comes from both {} and {}; each run must appear once",
                                     where, cell.name, it->second, grid_names[g]));
      }
      // "{key}" in a value stands for the cell's value of key (demos = "demos/{env}.h5").
      for (auto& [key, value] : options) {
        for (const auto& [other, other_value] : options) {
          const std::string pattern = fmt::format("{{{}}}", other);
          for (auto at = value.find(pattern); at != std::string::npos;
               at = value.find(pattern, at + other_value.size())) {
            value.replace(at, pattern.size(), other_value);
          }
        }
      }
      cell.train_args = train_args(options, fmt::format("{} (cell {})", where, cell.name));
      plan.cells.push_back(std::move(cell));
      for (std::size_t k = grid.size();
           k-- > 0;) {  // keys sorted by name (toml++ tables), the last varying fastest
        if (++index[k] < grid[k].second.size()) break;
        index[k] = 0;
      }
    }
  }
  return plan;
}

}  // namespace credo::sweep
