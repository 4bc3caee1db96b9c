#pragma once
// The readers under test take paths: each fuzz input is written to a file of this process's own (under $TMPDIR,
// else in /dev/shm, so a campaign does not wear a disk), overwritten by the next input.
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "credo/core/error.h"

namespace credo::fuzz {

inline std::filesystem::path scratch_folder() {
  static const std::filesystem::path folder = [] {
    // $TMPDIR when set (the tests point it at their own temporary folder), else /dev/shm.
    std::error_code ec;
    const char* tmpdir = std::getenv("TMPDIR");
    const std::filesystem::path base = tmpdir != nullptr && *tmpdir != '\0' ? std::filesystem::path(tmpdir)
                                       : std::filesystem::is_directory("/dev/shm", ec)
                                           ? std::filesystem::path("/dev/shm")
                                           : std::filesystem::temp_directory_path();
    auto f = base / ("credo-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(f);
    return f;
  }();
  return folder;
}

inline std::filesystem::path write_input(const std::filesystem::path& path, const std::uint8_t* data,
                                         std::size_t size) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

// Runs `read`: a UsageError (credo's one-line refusal) is the expected answer to a bad file; any other
// exception escaping a reader is a defect, and aborts so libFuzzer records the input.
template <typename Read>
int expect_refusal_or_success(Read read) {
  try {
    read();
  } catch (const UsageError&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "reader let through %s\n", e.what());
    std::abort();
  }
  return 0;
}

}  // namespace credo::fuzz
