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
Demonstrations load_demonstrations(const std::string& reference);

// Writes `d` to a new .h5/.hdf5 or .npz file, atomically.
void save_demonstrations(const std::filesystem::path& path, const Demonstrations& d);

// Throws UsageError unless `path` ends in .h5, .hdf5 or .npz.
void require_demo_extension(const std::filesystem::path& path);

}  // namespace credo::demos
