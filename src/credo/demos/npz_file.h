#pragma once
// NumPy's .npz (a zip of .npy arrays, as np.savez writes and np.load reads), through libzip. Arrays of shape
// () hold the attributes (numbers and strings); every other array is a named array.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "credo/demos/named_arrays.h"

namespace credo::demos {

ArraySet read_npz(const std::filesystem::path& path);

// Writes an uncompressed .npz (as np.savez) atomically.
void write_npz(const std::filesystem::path& path, const std::vector<ArrayView>& arrays,
               const nlohmann::ordered_json& attributes);

}  // namespace credo::demos
