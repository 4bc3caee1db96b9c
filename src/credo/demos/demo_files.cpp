#include "credo/demos/demo_files.h"

#include <fmt/format.h>

#include <fstream>

#include "credo/core/error.h"
#include "credo/core/input_file.h"
#include "credo/core/isolated_call.h"
#include "credo/demos/hdf5_file.h"
#include "credo/demos/minari_dataset.h"
#include "credo/demos/npz_file.h"

namespace credo::demos {

namespace {

enum class Format { hdf5, npz };

Format format_for_writing(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  if (ext == ".h5" || ext == ".hdf5") return Format::hdf5;
  if (ext == ".npz") return Format::npz;
  throw UsageError(fmt::format("'{}': demonstration files end in .h5, .hdf5 or .npz", path.string()));
}

}  // namespace

void require_demo_extension(const std::filesystem::path& path) {
  format_for_writing(path);
}

Demonstrations load_demonstrations(const std::string& reference) {
  // Read once in a child process with memory and time limits: the HDF5 library can crash or allocate without
  // bound on a corrupt file (found by fuzz/demo_file.cpp), which then costs one line, not the process. Once
  // that read succeeded, the same read in process is safe. Time: 10 s plus 1 s per MB (a 100 MB file reads in
  // about a second; a corrupt header can loop HDF5 forever).
  std::error_code ec;
  const auto path = is_minari_dataset(reference) ? std::filesystem::path() : std::filesystem::path(reference);
  const auto bytes = path.empty() ? 0 : std::filesystem::file_size(path, ec);
  // (Minari datasets, whose size is a folder's, get ten minutes.)
  const IsolationLimits limits{0, path.empty() ? 600U : static_cast<unsigned>(10 + (ec ? 0 : bytes >> 20))};
  run_isolated([&] { read_demonstrations_in_process(reference); },
               fmt::format("demonstrations '{}' cannot be read", reference), limits);
  return read_demonstrations_in_process(reference);
}

Demonstrations read_demonstrations_in_process(const std::string& reference) {
  if (is_minari_dataset(reference)) return read_minari(reference);
  std::error_code ec;
  if (std::filesystem::is_directory(reference, ec)) {
    throw UsageError(
        fmt::format("demonstrations '{}' is a folder but not a Minari dataset (no "
                    "data/metadata.json); pass a .h5 or .npz file",
                    reference));
  }
  require_readable_file(reference, "demonstration file", "collect one with `credo collect`");
  std::ifstream in(reference, std::ios::binary);
  char magic[8] = {};
  in.read(magic, sizeof magic);
  const auto got = in.gcount();
  // HDF5's signature (at offset 0 for files HDF5 writes) and a zip's local-file or end-of-archive header.
  if (got == 8 && std::string(magic, 8) == "\x89HDF\r\n\x1a\n")
    return from_arrays(read_hdf5(reference), reference);
  if (got >= 4 && (std::string(magic, 4) == "PK\x03\x04" || std::string(magic, 4) == "PK\x05\x06")) {
    return from_arrays(read_npz(reference), reference);
  }
  throw UsageError(
      fmt::format("demonstration file '{}' is {}neither HDF5 nor npz; pass a file written by "
                  "`credo collect`, np.savez or h5py",
                  reference, got == 0 ? "empty: " : ""));
}

void save_demonstrations(const std::filesystem::path& path, const Demonstrations& d) {
  const auto format = format_for_writing(path);
  const auto arrays = array_views(d);
  const auto attributes = attributes_of(d);
  if (format == Format::hdf5) {
    write_hdf5(path, arrays, attributes);
  } else {
    write_npz(path, arrays, attributes);
  }
}

}  // namespace credo::demos
