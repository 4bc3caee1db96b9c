#pragma once
// Runs a sweep's cells as `credo train` processes on this machine, at most `jobs` at a time, and keeps
// OUT/sweep.json (every cell's state) up to date. Rerunning the same sweep skips finished and diverged cells,
// resumes interrupted ones from their checkpoints and starts failed or never-started ones again, so a killed
// sweep loses and duplicates nothing. A cell that crashes or diverges never stops the others. SIGINT /
// SIGTERM stop the running cells (each writes its checkpoint) before the sweep exits.
#include <filesystem>
#include <map>
#include <string>

#include "credo/sweep/cell_state.h"
#include "credo/sweep/sweep_plan.h"

namespace credo::sweep {

// Runs every cell not yet finished or diverged; with `populations`, the cells that differ only in their seed
// as one seed population per process (seed_groups.h; `jobs` then counts processes). Returns the number of
// cells that did not end finished or diverged; `signal` is set when a stop signal ended the sweep.
int run_local(const SweepPlan& plan, const std::filesystem::path& out,
              const std::filesystem::path& sweep_file, int jobs, bool populations, int& signal);

// Writes OUT/sweep.json with every cell's name, arguments and current state; with Slurm also its array task
// (cell name -> "JOBID_INDEX") and, where the cluster keeps accounting, how that task ended ("CANCELLED exit
// 0:15").
void write_manifest(const SweepPlan& plan, const std::filesystem::path& out,
                    const std::filesystem::path& sweep_file, const std::string& backend,
                    const std::map<std::string, std::string>& slurm_tasks = {},
                    const std::map<std::string, std::string>& slurm_states = {});

}  // namespace credo::sweep
