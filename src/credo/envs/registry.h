#pragma once
// Every environment credo provides, by Gymnasium id.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "credo/envs/env.h"
#include "credo/envs/locomotion_env.h"
#include "credo/envs/options.h"

namespace credo::envs {

struct EnvEntry {
  std::string id;
  std::string summary;
  std::vector<OptionSpec> options;
  std::function<std::unique_ptr<Env>(const Options&)> make;
};

// In `credo env list` order.
const std::vector<EnvEntry>& env_registry();
std::vector<std::string> env_ids();

// The registry entry of `id`. Throws credo::UsageError for an unknown id, listing the valid ones.
const EnvEntry& env_entry(const std::string& id);

// Builds an env as `gym.make(id, **options)` would. Throws credo::UsageError for an unknown id (listing the
// valid ones) or a bad option.
std::unique_ptr<Env> make_env(const std::string& id,
                              const nlohmann::json& options = nlohmann::json::object());

// One entry per task and version; defined beside each task.
EnvEntry hopper_entry(GymVersion version);
EnvEntry walker2d_entry(GymVersion version);
EnvEntry half_cheetah_entry(GymVersion version);
EnvEntry pendulum_entry();

}  // namespace credo::envs
