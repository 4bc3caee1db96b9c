#include "credo/core/input_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>

#include "credo/core/error.h"

namespace credo {

void require_readable_file(const std::filesystem::path& path, const std::string& what,
                           const std::string& hint) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  const auto name = path.string();
  if (ec.value() == ELOOP) {
    throw UsageError(fmt::format("{} '{}' is a loop of symbolic links; {}", what, name, hint));
  }
  if (status.type() == fs::file_type::not_found || (ec && status.type() == fs::file_type::none)) {
    throw UsageError(fmt::format("{} '{}' does not exist; {}", what, name, hint));
  }
  if (status.type() == fs::file_type::directory) {
    throw UsageError(fmt::format("{} '{}' is a folder; {}", what, name, hint));
  }
  if (status.type() != fs::file_type::regular) {
    throw UsageError(
        fmt::format("{} '{}' is not a regular file (a FIFO, socket or device); {}", what, name, hint));
  }
  if (access(path.c_str(), R_OK) != 0) {
    throw UsageError(fmt::format("{} '{}' cannot be read (permission denied); {}", what, name, hint));
  }
}

}  // namespace credo
