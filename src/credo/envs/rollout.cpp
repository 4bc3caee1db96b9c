#include "credo/envs/rollout.h"

#include <cmath>

#include "credo/core/error.h"
#include "credo/envs/registry.h"

namespace credo::envs {

namespace {

std::vector<double> number_list(const nlohmann::json& v, const std::string& where) {
  if (!v.is_array()) throw UsageError(where + " must be a list of numbers");
  std::vector<double> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_number())
      throw UsageError(where + "[" + std::to_string(i) + "] is not a number: " + v[i].dump());
    const double x = v[i].get<double>();
    if (!std::isfinite(x)) throw UsageError(where + "[" + std::to_string(i) + "] is not finite");
    out.push_back(x);
  }
  return out;
}

nlohmann::ordered_json keyed(const std::vector<std::string>& keys, std::span<const double> values) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < keys.size(); ++i) out[keys[i]] = values[i];
  return out;
}

}  // namespace

RolloutSpec parse_rollout_spec(const nlohmann::json& j, const std::string& source) {
  const std::string at = source + ": ";
  if (!j.is_object()) throw UsageError(at + "a rollout spec must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    static const std::vector<std::string> known = {"env",  "options", "seed",        "qpos",
                                                   "qvel", "actions", "action_dtype"};
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw UsageError(at + "unknown field '" + key +
                       "' (known: env, options, seed, qpos, qvel, actions, action_dtype)");
    }
  }
  RolloutSpec spec;
  if (!j.contains("env") || !j["env"].is_string()) throw UsageError(at + "missing string field 'env'");
  spec.env = j["env"].get<std::string>();
  if (j.contains("options")) spec.options = j["options"];
  std::unique_ptr<Env> env;
  try {
    env = make_env(spec.env, spec.options);
  } catch (const UsageError& e) {
    throw UsageError(at + e.what());
  }
  if (j.contains("seed")) {
    if (!j["seed"].is_number_integer() || j["seed"].get<std::int64_t>() < 0) {
      throw UsageError(at + "'seed' must be a non-negative integer, got " + j["seed"].dump());
    }
    spec.seed = j["seed"].get<std::uint64_t>();
  }
  if (j.contains("qpos") != j.contains("qvel"))
    throw UsageError(at + "give both 'qpos' and 'qvel', or neither");
  const EnvSpec& es = env->spec();
  if (j.contains("qpos")) {
    spec.qpos = number_list(j["qpos"], at + "qpos");
    spec.qvel = number_list(j["qvel"], at + "qvel");
    if (spec.qpos->size() != es.state_qpos_size || spec.qvel->size() != es.state_qvel_size) {
      throw UsageError(at + spec.env + " needs qpos of " + std::to_string(es.state_qpos_size) +
                       " and qvel of " + std::to_string(es.state_qvel_size) + " values, got " +
                       std::to_string(spec.qpos->size()) + " and " + std::to_string(spec.qvel->size()));
    }
  } else if (!spec.seed) {
    throw UsageError(at + "give 'qpos' and 'qvel' for an exact initial state, or 'seed' for a seeded reset");
  }
  if (j.contains("action_dtype")) {
    const auto& d = j["action_dtype"];
    if (d == "float64") {
      spec.action_dtype = Precision::f64;
    } else if (d == "float32") {
      spec.action_dtype = Precision::f32;
    } else {
      throw UsageError(at + "'action_dtype' must be \"float64\" or \"float32\", got " + d.dump());
    }
  }
  if (!j.contains("actions") || !j["actions"].is_array())
    throw UsageError(at + "missing list field 'actions'");
  const std::size_t act = es.action_space.size();
  for (std::size_t t = 0; t < j["actions"].size(); ++t) {
    const std::string where = at + "actions[" + std::to_string(t) + "]";
    spec.actions.push_back(number_list(j["actions"][t], where));
    if (spec.actions.back().size() != act) {
      throw UsageError(where + " has " + std::to_string(spec.actions.back().size()) + " values; " + spec.env +
                       " takes " + std::to_string(act));
    }
  }
  return spec;
}

nlohmann::ordered_json run_rollout(const RolloutSpec& spec) {
  auto env = make_env(spec.env, spec.options);
  const EnvSpec& es = env->spec();
  auto obs = spec.qpos ? env->reset_to(*spec.qpos, *spec.qvel) : env->reset(spec.seed);
  nlohmann::ordered_json traj;
  traj["env"] = spec.env;
  traj["obs0"] = std::vector<double>(obs.begin(), obs.end());
  traj["reset_info"] = keyed(es.reset_info_keys, env->info());
  traj["steps"] = nlohmann::ordered_json::array();
  std::size_t t = 0;
  std::vector<float> action32;
  for (; t < spec.actions.size(); ++t) {
    const auto& a = spec.actions[t];
    StepResult r;
    if (spec.action_dtype == Precision::f32) {
      action32.assign(a.begin(), a.end());
      r = env->step(std::span<const float>(action32));
    } else {
      r = env->step(std::span<const double>(a));
    }
    obs = env->observation();
    traj["steps"].push_back(nlohmann::ordered_json{{"obs", std::vector<double>(obs.begin(), obs.end())},
                                                   {"reward", r.reward},
                                                   {"terminated", r.terminated},
                                                   {"truncated", r.truncated},
                                                   {"info", keyed(es.info_keys, env->info())}});
    if (r.terminated || r.truncated) {
      ++t;
      break;
    }
  }
  traj["unused_actions"] = spec.actions.size() - t;
  return traj;
}

}  // namespace credo::envs
