#include "credo/sweep/sweep_file.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>

#include "credo/core/error.h"

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

// "{key}" in a value stands for the cell's value of key (demos = "demos/{env}.h5"), as written: one level, so
// values that name each other cannot grow without end.
std::vector<std::pair<std::string, std::string>> substituted(
    const std::vector<std::pair<std::string, std::string>>& options, const std::string& where) {
  auto out = options;
  for (auto& [key, value] : out) {
    for (const auto& [other, other_value] : options) {
      const std::string pattern = fmt::format("{{{}}}", other);
      for (auto at = value.find(pattern); at != std::string::npos;
           at = value.find(pattern, at + other_value.size())) {
        value.replace(at, pattern.size(), other_value);
        if (value.size() > kLongestValue) {
          throw UsageError(fmt::format("{}: '{}' grows longer than {} characters when {{...}} are replaced",
                                       where, key, kLongestValue));
        }
      }
    }
  }
  return out;
}

}  // namespace

std::string cell_name(const std::vector<std::pair<std::string, std::string>>& values) {
  std::string name;
  for (const auto& [key, value] : values)
    name += fmt::format("{}{}-{}", name.empty() ? "" : "_", slug(key), slug(value));
  return name;
}

SweepFile read_sweep_file(const std::string& text, const std::string& where, std::size_t max_cells,
                          bool allow_large) {
  toml::table table;
  try {
    table = toml::parse(text, where);
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
      product = std::min(product * values.size(), kMostCells + 1);  // no overflow: at most (1e5 + 1) x list
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
    cells = std::min(cells + product, kMostCells + 1);
    grids.push_back(std::move(grid));
  }
  if (grids.empty()) {
    throw UsageError(
        fmt::format("{}: [grid] is missing or empty; give at least one key with a list of values "
                    "(for example seed = [1, 2, 3])",
                    where));
  }
  if (cells > kMostCells) {
    throw UsageError(
        fmt::format("{}: the grid makes more than {} runs; split it into several sweeps", where, kMostCells));
  }
  if (cells > max_cells && !allow_large) {
    throw UsageError(fmt::format("{}: the grid makes {} runs, more than {}; pass --yes to run them all",
                                 where, cells, max_cells));
  }
  SweepFile plan;
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
      CellOptions cell;
      std::vector<std::pair<std::string, std::string>> options = fixed;
      options.insert(options.end(), grids[g].fixed.begin(), grids[g].fixed.end());
      for (std::size_t k = 0; k < grid.size(); ++k) {
        const auto& [key, values] = grid[k];
        cell.values.emplace_back(key, values[index[k]]);
        options.emplace_back(key, values[index[k]]);
      }
      cell.name = cell_name(cell.values);
      if (const auto [it, fresh] = made_by.emplace(cell.name, grid_names[g]); !fresh) {
        throw UsageError(fmt::format("{}: run '{}' comes from both {} and {}; each run must appear once",
                                     where, cell.name, it->second, grid_names[g]));
      }
      cell.options = substituted(options, where);
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
