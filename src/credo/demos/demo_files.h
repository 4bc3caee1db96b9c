#pragma once
// Reading and writing demonstration files, whatever their format: HDF5 (.h5, .hdf5; credo's own), NumPy .npz
// with the same keys, and Minari datasets (read only). The format is told by the file's content, so a
// misnamed file still reads; writing picks it from the extension.
#include <filesystem>
#include <string>

#include "credo/demos/demonstrations.h"

namespace credo::demos {

// Loads and validates demonstrations. `reference` is a file, a Minari dataset folder, or minari:ID. Throws
// UsageError with one line naming the file and the problem (missing, neither HDF5 nor npz, truncated, missing
// arrays, wrong types, mismatched lengths, non-finite values, zero transitions).
// The file is read first in a child process with memory and time limits (run_isolated): a file that crashes the
// HDF5 library is one line too.
Demonstrations load_demonstrations(const std::string& reference);

// The same read in this process, without that protection: for the fuzz targets (fuzz/), which must see what
// the readers do.
Demonstrations read_demonstrations_in_process(const std::string& reference);

// Writes `d` to a new .h5/.hdf5 or .npz file, atomically.
void save_demonstrations(const std::filesystem::path& path, const Demonstrations& d);

// Throws UsageError unless `path` ends in .h5, .hdf5 or .npz.
void require_demo_extension(const std::filesystem::path& path);

}  // namespace credo::demos
