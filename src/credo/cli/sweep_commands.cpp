// `credo sweep`: many `credo train` runs from one sweep file.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>

#include "credo/cli/commands.h"
#include "credo/core/error.h"
#include "credo/core/folder_lock.h"
#include "credo/core/input_file.h"
#include "credo/demos/demo_files.h"
#include "credo/envs/registry.h"
#include "credo/sweep/local_runner.h"
#include "credo/sweep/seed_groups.h"
#include "credo/sweep/slurm_runner.h"
#include "credo/sweep/sweep_pace.h"
#include "credo/sweep/sweep_plan.h"

namespace credo::cli {

namespace {

struct SweepArgs {
  std::string file, out, backend = "local";
  int jobs = 0;
  bool dry_run = false, yes = false, populations = false;
};

constexpr std::size_t kMaxCellsWithoutConfirmation = 200;

// The value that follows `flag` in a cell's `credo train` arguments ("" when absent).
std::string flag_value(const sweep::Cell& cell, const std::string& flag) {
  for (std::size_t i = 0; i + 1 < cell.train_args.size(); ++i) {
    if (cell.train_args[i] == flag) return cell.train_args[i + 1];
  }
  return {};
}

// Every unfinished cell's demonstrations exist and fit its env, checked once per file and env before anything
// starts: a cell needs its demonstrations now, not hours later when its turn comes.
void require_demos(const sweep::SweepPlan& plan, const std::string& out) {
  std::set<std::pair<std::string, std::string>> checked;
  for (const auto& cell : plan.cells) {
    const auto state = sweep::cell_state(std::filesystem::path(out) / cell.name);
    if (state == "finished" || state == "diverged") continue;
    const auto path = flag_value(cell, "--demos"), env = flag_value(cell, "--env");
    if (path.empty() || !checked.insert({path, env}).second) continue;
    std::error_code ec;
    if (!path.starts_with("minari:") && !std::filesystem::exists(path, ec)) {
      throw UsageError(
          fmt::format("sweep cell '{}': demonstrations '{}' do not exist (paths are relative to the folder "
                      "credo sweep runs in; collect them first, see the sweep file's header)",
                      cell.name, path));
    }
    try {
      demos::validate_for_env(demos::load_demonstrations(path), path, envs::make_env(env)->spec());
    } catch (const UsageError& e) {
      throw UsageError(fmt::format("sweep cell '{}': {}", cell.name, e.what()));
    }
  }
}

// --dry-run --populations: each seed population and the command that would start it.
void print_populations(const sweep::SweepPlan& plan, const std::filesystem::path& out) {
  const auto groups = sweep::seed_groups(plan);
  std::printf("%zu seed populations (the other cells run one per process)\n", groups.size());
  for (const auto& group : groups) {
    std::string args;
    for (const auto& arg : sweep::new_population_args(group, group.cells, out)) args += " " + arg;
    std::printf("  %s: %zu cells, credo train%s\n", group.name.c_str(), group.cells.size(), args.c_str());
  }
}

int run_sweep(const SweepArgs& a) {
  if (a.backend != "local" && a.backend != "slurm") {
    throw UsageError(fmt::format("--backend must be local or slurm, got '{}'", a.backend));
  }
  if (a.jobs < 0) throw UsageError(fmt::format("--jobs must be positive, got {}", a.jobs));
  require_readable_file(a.file, "sweep file", "pass a sweep TOML file (see configs/sweeps/)");
  const auto plan = sweep::read_sweep(a.file, kMaxCellsWithoutConfirmation, a.yes);
  const int jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (a.dry_run) {
    std::printf("%zu runs (dry run: nothing started)\n", plan.cells.size());
    for (const auto& cell : plan.cells) {
      const auto state =
          a.out.empty() ? std::string("-") : sweep::cell_state(std::filesystem::path(a.out) / cell.name);
      std::string args;
      for (const auto& arg : cell.train_args) args += " " + arg;
      std::printf("  %-40s %-12s credo train%s --out %s\n", cell.name.c_str(), state.c_str(), args.c_str(),
                  (std::filesystem::path(a.out.empty() ? "OUT" : a.out) / cell.name).c_str());
    }
    if (a.populations) print_populations(plan, a.out.empty() ? "OUT" : a.out);
    if (!a.out.empty()) {
      const auto pace = sweep::pace_text(sweep::sweep_pace(plan, a.out, jobs));
      std::printf("time left, %d at a time: %s\n", jobs, pace.empty() ? "none" : pace.c_str());
    }
    return 0;
  }
  if (a.out.empty()) throw UsageError("credo sweep needs --out DIR (the folder of the sweep's runs)");
  require_demos(plan, a.out);
  if (a.backend == "slurm") sweep::require_slurm();  // before anything is written
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) throw UsageError(fmt::format("cannot create '{}': {}", a.out, ec.message()));
  const FolderLock lock(a.out, "sweep folder");  // two sweeps never run the same cells at once
  int signal = 0;
  const int unfinished = a.backend == "slurm"
                             ? sweep::run_slurm(plan, a.out, a.file, a.populations, signal)
                             : sweep::run_local(plan, a.out, a.file, jobs, a.populations, signal);
  if (signal) {
    std::printf("sweep: stopped by signal %d; rerun the same command to continue\n", signal);
    return 128 + signal;
  }
  std::printf("sweep: %zu cells, %d not finished (see %s/sweep.json)\n", plan.cells.size(), unfinished,
              a.out.c_str());
  return unfinished == 0 ? 0 : 1;
}

}  // namespace

void add_sweep_commands(CLI::App& app) {
  auto a = std::make_shared<SweepArgs>();
  auto* sweep = app.add_subcommand("sweep", "Run every cell of a sweep file's grid as a `credo train` run");
  sweep->add_option("file", a->file, "sweep file (TOML with [run], [grid] and [slurm])")->required();
  sweep->add_option("--out", a->out, "folder of the sweep: one run folder per cell and sweep.json");
  sweep->add_option("--backend", a->backend, "local (processes on this machine) or slurm");
  sweep->add_option("--jobs", a->jobs,
                    "runs at a time with the local backend (default: the number of cores)");
  sweep->add_flag("--dry-run", a->dry_run, "list the runs and their states, start nothing");
  sweep->add_flag("--yes", a->yes, "run grids of more than 200 cells");
  sweep->add_flag("--populations", a->populations,
                  "train the cells that differ only in their seed as one seed population per process "
                  "(td3, ddpg, sd3, sac, tssg; `credo train --seeds`); each cell keeps its run folder");
  sweep->callback([a] {
    const int code = run_sweep(*a);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace credo::cli
