#include "credo/core/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "credo/core/error.h"

namespace credo {

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string name = ".";
  name += path.filename().string();
  name += ".tmp.XXXXXX";
  std::string tmpl = (dir / name).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    throw UsageError("cannot write '" + path.string() + "': " + std::strerror(errno) +
                     " (check that the folder exists and is writable)");
  }
  const auto fail = [&](const char* what) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    std::remove(tmpl.c_str());
    throw UsageError("cannot write '" + path.string() + "': " + what + ": " + reason);
  };
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("fsync failed");
  ::fchmod(fd, 0644);
  if (::close(fd) != 0) {
    std::remove(tmpl.c_str());
    throw UsageError("cannot write '" + path.string() + "': close failed: " + std::strerror(errno));
  }
  if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(tmpl.c_str());
    throw UsageError("cannot write '" + path.string() + "': rename failed: " + reason);
  }
}

void write_atomically_with(const std::filesystem::path& path,
                           const std::function<void(const std::filesystem::path& temporary)>& write) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw UsageError("cannot write '" + path.string() + "': folder '" + dir.string() +
                     "' does not exist (create it first)");
  }
  std::string name = ".";  // built in steps: GCC 12 warns falsely (-Wrestrict) on "." + std::string
  name += path.filename().string();
  name += ".tmp.";
  name += std::to_string(::getpid());
  const auto temporary = dir / name;
  try {
    write(temporary);
  } catch (...) {
    std::filesystem::remove(temporary, ec);
    throw;
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::filesystem::remove(temporary, ec);
    throw UsageError("cannot write '" + path.string() + "': rename failed: " + reason);
  }
}

}  // namespace credo
