#pragma once
// Checks on a file the user names before credo opens it.
#include <filesystem>
#include <string>

namespace credo {

// Throws UsageError, one line naming `path`, unless `path` is a regular file this process can read. `what`
// names the file ("policy file", "demonstration file") and `hint` says how to get a good one. A FIFO, socket
// or device is refused rather than opened: reading one can block forever.
void require_readable_file(const std::filesystem::path& path, const std::string& what,
                           const std::string& hint);

}  // namespace credo
