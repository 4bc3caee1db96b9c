#include "credo/config/defaults.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "credo/core/error.h"
#include "credo/core/input_file.h"

namespace credo::config {

namespace {

// The env family is the id without its version: "Hopper-v5" -> "Hopper".
std::string env_family(const std::string& env_id) {
  const auto dash = env_id.rfind("-v");
  return dash == std::string::npos ? env_id : env_id.substr(0, dash);
}

// The names of the embedded files configs/FOLDER/*.toml, sorted.
std::vector<std::string> embedded_names(const std::string& folder) {
  std::vector<std::string> names;
  const std::string prefix = folder + "/";
  for (const auto& f : embedded_configs()) {
    const std::string name(f.name);
    if (name.starts_with(prefix) && name.ends_with(".toml")) {
      names.push_back(name.substr(prefix.size(), name.size() - prefix.size() - 5));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Overrides `config` with the plain keys of `table` (sub-tables are skipped), naming `where` in errors.
void override_with(Config& config, const toml::table& table, const std::string& where) {
  toml::table plain;
  for (const auto& [key, node] : table) {
    if (!node.is_table()) plain.insert(key, node);
  }
  std::ostringstream text;
  text << plain;
  config.override_from_toml(text.str(), where);
}

// The `[env.FAMILY]` then `[env."ID"]` tables of `table`, for `env_id`.
void override_with_env_tables(Config& config, const toml::table& table, const std::string& env_id,
                              const std::string& where) {
  if (const auto* envs = table["env"].as_table()) {
    for (const std::string& name : {env_family(env_id), env_id}) {
      if (const auto* overrides = (*envs)[name].as_table()) {
        override_with(config, *overrides, where + " [env." + name + "]");
      }
    }
  }
}

}  // namespace

std::string_view embedded_config(const std::string& name) {
  for (const auto& f : embedded_configs())
    if (f.name == name) return f.text;
  return {};
}

std::vector<std::string> known_algos() {
  return embedded_names("learners");
}
std::vector<std::string> known_presets() {
  return embedded_names("presets");
}

Config default_config(const std::string& algo, const std::string& env_id, bool imitation) {
  const std::string learner_name = "learners/" + algo + ".toml";
  const std::string_view learner_text = embedded_config(learner_name);
  if (learner_text.empty()) {
    const auto algos = known_algos();
    const std::string suggestion = closest_match(algo, algos);
    throw UsageError(fmt::format("unknown algo '{}'{}; credo has {}", algo,
                                 suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)",
                                 fmt::join(algos, ", ")));
  }
  Config config;
  config.set("algo", algo);
  config.set("env", env_id);
  const std::string train_where = "configs/train.toml";
  const Config train = parse_toml(std::string(embedded_config("train.toml")), train_where);
  for (const auto& [key, value] : train.entries()) config.set(key, value);
  const Config imitation_keys =
      parse_toml(std::string(embedded_config("imitation.toml")), "configs/imitation.toml");
  for (const auto& [key, value] : imitation_keys.entries()) config.set(key, value);
  const std::string where = "configs/" + learner_name;
  const Config learner = parse_toml(std::string(learner_text), where);
  for (const auto& [key, value] : learner.entries()) config.set(key, value);

  // Per-task tables: the family first, then the exact id; then what suits imitation only.
  const toml::table table = toml::parse(learner_text);
  override_with_env_tables(config, table, env_id, where);
  if (const auto* only = table["imitation"].as_table(); only && imitation) {
    override_with(config, *only, where + " [imitation]");
    override_with_env_tables(config, *only, env_id, where + " [imitation]");
  }
  return config;
}

void apply_preset(Config& config, const std::string& name_or_path) {
  std::string text, where;
  const auto presets = known_presets();
  if (std::find(presets.begin(), presets.end(), name_or_path) != presets.end()) {
    where = "preset " + name_or_path + " (configs/presets/" + name_or_path + ".toml)";
    text = std::string(embedded_config("presets/" + name_or_path + ".toml"));
  } else {
    std::error_code ec;
    if (!std::filesystem::exists(name_or_path, ec)) {
      throw UsageError(fmt::format("--preset '{}' is neither a preset credo has ({}) nor a readable file",
                                   name_or_path, fmt::join(presets, ", ")));
    }
    require_readable_file(name_or_path, "preset file", "pass a TOML file of keys");
    std::ifstream in(name_or_path);
    std::stringstream content;
    content << in.rdbuf();
    text = content.str();
    where = "preset file " + name_or_path;
  }
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    throw UsageError(
        fmt::format("{}: not valid TOML at line {}: {}", where, e.source().begin.line, e.description()));
  }
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (node.is_table() && name != "learners" && name != "env") {
      throw UsageError(
          fmt::format("{}: unknown table [{}] (a preset has plain keys, [learners.ALGO] and "
                      "[env.FAMILY] tables)",
                      where, name));
    }
  }
  const std::string algo = config.get_string("algo");
  // A key another learner has reads better as that than as a misspelling of one of this learner's keys.
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (node.is_table() || config.contains(name)) continue;
    const auto algos = known_algos();
    if (std::any_of(algos.begin(), algos.end(), [&](const std::string& other) {
          return default_config(other, config.get_string("env"), true).contains(name);
        })) {
      throw UsageError(fmt::format("{} sets '{}', a key {} does not have: the preset is for other learners",
                                   where, name, algo));
    }
  }
  override_with(config, table, where);
  if (const auto* learner = table["learners"][algo].as_table()) {
    override_with(config, *learner, where + " [learners." + algo + "]");
  }
  override_with_env_tables(config, table, config.get_string("env"), where);
}

}  // namespace credo::config
