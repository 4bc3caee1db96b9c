#pragma once
// The `credo` command's subcommands. Each add_* registers its options and its callback on the parent app.
#include <CLI/CLI.hpp>

namespace credo::cli {

void add_env_commands(CLI::App& app);
void add_train_commands(CLI::App& app);  // train, eval
void add_demo_commands(CLI::App& app);   // collect, demos info|convert, export
void add_sweep_commands(CLI::App& app);  // sweep
void add_report_commands(CLI::App& app); // report

}  // namespace credo::cli
