#pragma once
// What a sweep cell's run folder says about the cell, read from the folder alone (its summary.json and
// checkpoint), so that any process (a rerun of the sweep, a Slurm task, the fuzzer) judges it the same way.
#include <filesystem>
#include <string>

namespace credo::sweep {

// The state a cell's run folder shows: "finished", "diverged", "interrupted" (a checkpoint to resume from),
// "failed" (a folder without checkpoint), or "pending" (no folder).
std::string cell_state(const std::filesystem::path& run_dir);

// Whether a cell in that state is done for good: finished or diverged (a rerun leaves both alone).
bool cell_done(const std::string& state);

}  // namespace credo::sweep
