#pragma once
// Runs a sweep's cells on a Slurm cluster: one job array per submission (sbatch), each array task one `credo
// train` command; squeue tells which tasks are still queued or running. Run folders, not Slurm's records, say
// how a cell ended, so the backend needs no accounting database. Rerunning the same sweep waits for tasks
// still in the queue, skips finished and diverged cells and resubmits failed or lost ones (interrupted ones
// resume from their checkpoints). Killing the sweep command leaves its jobs running; rerunning it picks them
// up again.
#include <filesystem>

#include "credo/sweep/sweep_plan.h"

namespace credo::sweep {

// Throws UsageError saying what is missing when sbatch / squeue / sinfo cannot be run or no controller
// answers.
void require_slurm();

// Returns the number of cells that did not end finished or diverged; `signal` is set when a stop signal ended
// the wait (the jobs keep running).
// With `populations`, the cells that differ only in their seed are one array task, a seed population
// (seed_groups.h).
int run_slurm(const SweepPlan& plan, const std::filesystem::path& out,
              const std::filesystem::path& sweep_file, bool populations, int& signal);

}  // namespace credo::sweep
