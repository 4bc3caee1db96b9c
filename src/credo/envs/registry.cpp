#include "credo/envs/registry.h"

#include "credo/core/error.h"

namespace credo::envs {

const std::vector<EnvEntry>& env_registry() {
  static const std::vector<EnvEntry> registry = {
      pendulum_entry(),
      hopper_entry(GymVersion::v4),
      hopper_entry(GymVersion::v5),
      walker2d_entry(GymVersion::v4),
      walker2d_entry(GymVersion::v5),
      half_cheetah_entry(GymVersion::v4),
      half_cheetah_entry(GymVersion::v5),
  };
  return registry;
}

std::vector<std::string> env_ids() {
  std::vector<std::string> ids;
  for (const auto& entry : env_registry()) ids.push_back(entry.id);
  return ids;
}

const EnvEntry& env_entry(const std::string& id) {
  for (const auto& entry : env_registry()) {
    if (entry.id == id) return entry;
  }
  std::string valid;
  for (const auto& known : env_ids()) valid += (valid.empty() ? "" : ", ") + known;
  throw UsageError("unknown environment id '" + id + "'; valid ids: " + valid);
}

std::unique_ptr<Env> make_env(const std::string& id, const nlohmann::json& options) {
  const EnvEntry& entry = env_entry(id);
  return entry.make(Options(id, entry.options, options));
}

}  // namespace credo::envs
