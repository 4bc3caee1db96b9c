#include "credo/run/run_config.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "credo/config/defaults.h"
#include "credo/core/error.h"
#include "credo/core/input_file.h"

namespace credo::run {

namespace {

// Keys added after runs were already written, whose default now differs from what those runs did: a run
// folder whose config.toml lacks one reads with the value it ran with.
const std::vector<std::pair<std::string, config::Value>>& keys_with_earlier_behaviour() {
  static const std::vector<std::pair<std::string, config::Value>> keys = {
      {"disc_normalize_obs", true},  // the discriminator standardised observations before this key existed
  };
  return keys;
}

}  // namespace

config::Config read_run_config(const std::filesystem::path& run_dir) {
  const auto path = run_dir / "config.toml";
  require_readable_file(path, "run config", "give a folder that `credo train --out` created");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw UsageError(fmt::format("cannot read run config '{}'", path.string()));
  const config::Config saved = config::parse_toml(text.str(), path.string());
  if (!saved.contains("algo") || !saved.contains("env")) {
    throw UsageError(fmt::format("{} has no algo or env; is it a credo run folder?", path.string()));
  }
  config::Config c = config::default_config(saved.get_string("algo"), saved.get_string("env"));
  c.set("seed", std::int64_t{0});
  c.set("steps", std::int64_t{0});
  for (const auto& [key, value] : keys_with_earlier_behaviour()) {
    if (!saved.contains(key)) c.set(key, value);
  }
  c.override_from_toml(text.str(), path.string());
  return c;
}

}  // namespace credo::run
