#pragma once
// HDF5 through the HDF5 C library: reading datasets and attributes into named arrays, and writing them in the
// layout h5py reads natively (flags as HDF5's bool enum, which h5py maps to numpy bool; strings as UTF-8
// variable-length strings).
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "credo/demos/named_arrays.h"

namespace credo::demos {

class Hdf5Reader {
 public:
  // Opens `path` read-only. Throws UsageError when it cannot be opened as HDF5 (truncated, corrupt).
  explicit Hdf5Reader(const std::filesystem::path& path);
  ~Hdf5Reader();
  Hdf5Reader(const Hdf5Reader&) = delete;
  Hdf5Reader& operator=(const Hdf5Reader&) = delete;

  std::vector<std::string> members(const std::string& group) const;  // names of a group's children
  bool is_dataset(const std::string& object) const;
  bool is_group(const std::string& object) const;
  // A whole dataset; throws UsageError naming the file and dataset when it cannot be read.
  Array read(const std::string& dataset) const;
  // Scalar (or one-element) numeric and string attributes of an object; others are skipped.
  nlohmann::json attributes(const std::string& object) const;

 private:
  std::string source_;
  long long file_ = -1;  // hid_t
  std::uint64_t file_bytes_ = 0;
};

// Every dataset directly under "/" and the root's attributes.
ArraySet read_hdf5(const std::filesystem::path& path);

// Writes a new HDF5 file atomically (a temporary file renamed into place).
void write_hdf5(const std::filesystem::path& path, const std::vector<ArrayView>& arrays,
                const nlohmann::ordered_json& attributes);

}  // namespace credo::demos
