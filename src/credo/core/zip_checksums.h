#pragma once
// LibTorch's .pt files (checkpoints and policy files) are zip archives, and LibTorch does not check their CRCs.
// verify_zip_checksums reads every entry with libzip, so that a corrupted byte is caught by its zip CRC before
// LibTorch loads the file: a damaged checkpoint or policy is one clear error, never a run that resumes from
// wrong weights. Throws std::runtime_error ("corrupt: ...", saying which entry failed); callers turn it into
// their one-line error. Fuzzed by fuzz/torch_archive.cpp.
#include <filesystem>

namespace credo {

void verify_zip_checksums(const std::filesystem::path& path);

}  // namespace credo
