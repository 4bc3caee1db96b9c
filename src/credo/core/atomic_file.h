#pragma once
// Writing files so that a reader never sees a half-written one.
#include <filesystem>
#include <string_view>

namespace credo {

// Writes `content` to `path` through a temporary file in the same folder and a rename, so `path` either keeps
// its old content or has the new content complete. Throws UsageError naming the path if the folder is not
// writable.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace credo
