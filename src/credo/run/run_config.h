#pragma once
// A run folder's resolved config (config.toml, written when the run started), read back onto today's defaults
// so that `credo train --resume` and the Python package's credo.load_reward see the run as it was configured.
#include <filesystem>

#include "credo/config/config.h"

namespace credo::run {

// Throws UsageError (one line) when the folder has no readable config.toml naming an algo and an env.
config::Config read_run_config(const std::filesystem::path& run_dir);

}  // namespace credo::run
