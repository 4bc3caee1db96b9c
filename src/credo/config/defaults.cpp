#include "credo/config/defaults.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <sstream>

#include "credo/core/error.h"

namespace credo::config {

namespace {

std::string_view find_file(const std::string& name) {
  for (const auto& f : embedded_configs())
    if (f.name == name) return f.text;
  return {};
}

// The env family is the id without its version: "Hopper-v5" -> "Hopper".
std::string env_family(const std::string& env_id) {
  const auto dash = env_id.rfind("-v");
  return dash == std::string::npos ? env_id : env_id.substr(0, dash);
}

}  // namespace

std::vector<std::string> known_algos() {
  std::vector<std::string> algos;
  for (const auto& f : embedded_configs()) {
    const std::string name(f.name);
    if (name.starts_with("learners/") && name.ends_with(".toml")) {
      algos.push_back(name.substr(9, name.size() - 9 - 5));
    }
  }
  std::sort(algos.begin(), algos.end());
  return algos;
}

Config default_config(const std::string& algo, const std::string& env_id) {
  const std::string learner_name = "learners/" + algo + ".toml";
  const std::string_view learner_text = find_file(learner_name);
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
  const Config train = parse_toml(std::string(find_file("train.toml")), train_where);
  for (const auto& [key, value] : train.entries()) config.set(key, value);
  const Config imitation = parse_toml(std::string(find_file("imitation.toml")), "configs/imitation.toml");
  for (const auto& [key, value] : imitation.entries()) config.set(key, value);
  const std::string where = "configs/" + learner_name;
  const Config learner = parse_toml(std::string(learner_text), where);
  for (const auto& [key, value] : learner.entries()) config.set(key, value);

  // Per-task tables: the family first, then the exact id.
  const toml::table table = toml::parse(learner_text);
  if (const auto* envs = table["env"].as_table()) {
    for (const std::string& name : {env_family(env_id), env_id}) {
      if (const auto* overrides = (*envs)[name].as_table()) {
        std::ostringstream text;
        text << *overrides;
        config.override_from_toml(text.str(), where + " [env." + name + "]");
      }
    }
  }
  return config;
}

}  // namespace credo::config
