#include "credo/demos/named_arrays.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "credo/core/error.h"
#include "credo/demos/declared_size.h"
#include "credo/version.h"

namespace credo::demos {

namespace {

const Array& require(const ArraySet& set, const char* name, const std::string& source) {
  const auto it = set.arrays.find(name);
  if (it != set.arrays.end()) return it->second;
  std::vector<std::string> found;
  for (const auto& [key, array] : set.arrays) found.push_back(key);
  throw UsageError(fmt::format(
      "demonstrations '{}' have no array '{}' (found: {}); a demonstration file needs observations, actions, "
      "rewards, terminals, timeouts and next_observations",
      source, name, found.empty() ? std::string("none") : fmt::format("{}", fmt::join(found, ", "))));
}

// A [N, width] array of floats, or [N] when width is 0 (also accepting [N, 1]). Returns the width.
std::int64_t require_float_rows(const Array& a, const char* name, const std::string& source,
                                std::int64_t width) {
  if (a.kind != ArrayKind::floating || (a.type != "float32" && a.type != "float64")) {
    throw UsageError(
        fmt::format("demonstrations '{}': '{}' has element type {}; it must be float32 or float64", source,
                    name, a.type));
  }
  const bool column = width == 0 && a.shape.size() == 2 && a.shape[1] == 1;
  if (width == 0 && a.shape.size() != 1 && !column) {
    throw UsageError(
        fmt::format("demonstrations '{}': '{}' has shape {}; it must be one value per transition", source,
                    name, shape_text(a.shape)));
  }
  if (width != 0 && a.shape.size() != 2) {
    throw UsageError(fmt::format("demonstrations '{}': '{}' has shape {}; it must be (transitions, size)",
                                 source, name, shape_text(a.shape)));
  }
  return width == 0 ? 0 : a.shape[1];
}

std::vector<float> to_floats(const Array& a) {
  return {a.values.begin(), a.values.end()};
}

std::vector<std::uint8_t> to_flags(const Array& a, const char* name, const std::string& source) {
  if (a.kind != ArrayKind::boolean && a.kind != ArrayKind::integer) {
    throw UsageError(
        fmt::format("demonstrations '{}': '{}' has element type {}; it must be bool (or integer "
                    "0/1)",
                    source, name, a.type));
  }
  if (a.shape.size() != 1 && !(a.shape.size() == 2 && a.shape[1] == 1)) {
    throw UsageError(fmt::format("demonstrations '{}': '{}' has shape {}; it must be one flag per transition",
                                 source, name, shape_text(a.shape)));
  }
  std::vector<std::uint8_t> flags;
  flags.reserve(a.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    const double v = a.values[i];
    if (v != 0.0 && v != 1.0) {
      throw UsageError(fmt::format("demonstrations '{}': '{}' holds {} at transition {}; flags are 0 or 1",
                                   source, name, v, i));
    }
    flags.push_back(v != 0.0 ? 1 : 0);
  }
  return flags;
}

std::string string_attribute(const nlohmann::json& attrs, const char* name) {
  const auto it = attrs.find(name);
  return it != attrs.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number_attribute(const nlohmann::json& attrs, const char* name, double fallback) {
  const auto it = attrs.find(name);
  return it != attrs.end() && it->is_number() ? it->get<double>() : fallback;
}

// Files without a `format` attribute (written by h5py or np.savez by hand) are read by their array names; a
// file that names a format must name this one.
void check_format(const nlohmann::json& attrs, const std::string& source) {
  const auto it = attrs.find("format");
  if (it == attrs.end()) return;
  const std::string format = it->is_string() ? it->get<std::string>() : it->dump();
  if (format != kFormat) {
    throw UsageError(fmt::format(
        "demonstrations '{}' declare format '{}', which this credo does not read (it reads {}); convert the "
        "file with the credo that wrote it, or remove the attribute to read it by its array names",
        source, format, kFormat));
  }
}

}  // namespace

Demonstrations from_arrays(const ArraySet& set, const std::string& source) {
  Demonstrations d;
  const auto& obs = require(set, kObservations, source);
  const auto& act = require(set, kActions, source);
  const auto& rew = require(set, kRewards, source);
  const auto& term = require(set, kTerminals, source);
  const auto& tout = require(set, kTimeouts, source);
  const auto& next = require(set, kNextObservations, source);
  d.obs_dim = require_float_rows(obs, kObservations, source, -1);
  d.act_dim = require_float_rows(act, kActions, source, -1);
  require_float_rows(rew, kRewards, source, 0);
  if (require_float_rows(next, kNextObservations, source, -1) != d.obs_dim) {
    throw UsageError(
        fmt::format("demonstrations '{}': 'next_observations' has shape {} but 'observations' has {}", source,
                    shape_text(next.shape), shape_text(obs.shape)));
  }
  d.observations = to_floats(obs);
  d.actions = to_floats(act);
  d.rewards = to_floats(rew);
  d.next_observations = to_floats(next);
  d.terminals = to_flags(term, kTerminals, source);
  d.timeouts = to_flags(tout, kTimeouts, source);
  if (const auto it = set.arrays.find(kEpisodeStarts); it != set.arrays.end()) {
    if (it->second.kind != ArrayKind::integer || it->second.shape.size() != 1) {
      throw UsageError(
          fmt::format("demonstrations '{}': 'episode_starts' has element type {} and shape {}; it "
                      "must be a list of integers",
                      source, it->second.type, shape_text(it->second.shape)));
    }
    d.episode_starts.assign(it->second.values.begin(), it->second.values.end());
  } else {
    // Lengths are checked before the flags are read for boundaries.
    if (d.terminals.size() == d.rewards.size() && d.timeouts.size() == d.rewards.size()) {
      d.derive_episode_starts();
    }
  }
  const auto& attrs = set.attributes;
  d.env_id = string_attribute(attrs, "env_id");
  d.expert_return_mean = number_attribute(attrs, "expert_return_mean", d.expert_return_mean);
  d.expert_return_std = number_attribute(attrs, "expert_return_std", d.expert_return_std);
  d.collection_seed = static_cast<std::int64_t>(number_attribute(attrs, "collection_seed", -1.0));
  d.noise = number_attribute(attrs, "noise", 0.0);
  d.policy = string_attribute(attrs, "policy");
  d.algo = string_attribute(attrs, "algo");
  d.credo_version = string_attribute(attrs, "credo_version");
  validate(d, source);
  check_format(attrs, source);
  // Sizes recorded as attributes must agree with the arrays (a file edited by hand may disagree).
  for (const auto& [key, value] : {std::pair{"obs_dim", d.obs_dim}, std::pair{"act_dim", d.act_dim},
                                   std::pair{"transitions", d.size()}, std::pair{"episodes", d.episodes()}}) {
    const double recorded = number_attribute(attrs, key, static_cast<double>(value));
    if (recorded != static_cast<double>(value)) {
      throw UsageError(fmt::format(
          "demonstrations '{}': attribute {} = {} but the arrays hold {}; fix or remove the attribute",
          source, key, recorded, value));
    }
  }
  return d;
}

std::vector<ArrayView> array_views(const Demonstrations& d) {
  const auto n = d.size();
  return {
      {kObservations, ElementType::f32, {n, d.obs_dim}, d.observations.data()},
      {kActions, ElementType::f32, {n, d.act_dim}, d.actions.data()},
      {kRewards, ElementType::f32, {n}, d.rewards.data()},
      {kTerminals, ElementType::boolean, {n}, d.terminals.data()},
      {kTimeouts, ElementType::boolean, {n}, d.timeouts.data()},
      {kNextObservations, ElementType::f32, {n, d.obs_dim}, d.next_observations.data()},
      {kEpisodeStarts, ElementType::i64, {d.episodes()}, d.episode_starts.data()},
  };
}

nlohmann::ordered_json attributes_of(const Demonstrations& d) {
  nlohmann::ordered_json a;
  a["format"] = kFormat;
  a["env_id"] = d.env_id;
  a["obs_dim"] = d.obs_dim;
  a["act_dim"] = d.act_dim;
  a["transitions"] = d.size();
  a["episodes"] = d.episodes();
  if (std::isfinite(d.expert_return_mean)) a["expert_return_mean"] = d.expert_return_mean;
  if (std::isfinite(d.expert_return_std)) a["expert_return_std"] = d.expert_return_std;
  a["collection_seed"] = d.collection_seed;
  a["noise"] = d.noise;
  a["policy"] = d.policy;
  a["algo"] = d.algo;
  a["credo_version"] = CREDO_VERSION;  // of the credo that writes the file
  return a;
}

}  // namespace credo::demos
