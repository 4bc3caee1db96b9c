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
  write_file_atomically_from(path, [&](const PieceWriter& put) { put(content.data(), content.size()); });
}

void write_file_atomically_from(const std::filesystem::path& path,
                                const std::function<void(const PieceWriter& put)>& produce) {
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
  const auto fail = [&](const std::string& what) {
    ::close(fd);
    std::remove(tmpl.c_str());
    throw UsageError("cannot write '" + path.string() + "': " + what);
  };
  std::string error;  // the first failed write's reason; later pieces are dropped
  const PieceWriter put = [&](const void* data, std::size_t size) {
    const char* bytes = static_cast<const char*>(data);
    for (std::size_t done = 0; done < size && error.empty();) {
      const ssize_t n = ::write(fd, bytes + done, size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) error = std::string("write failed: ") + std::strerror(errno);
      if (n > 0) done += static_cast<std::size_t>(n);
    }
    return error.empty();
  };
  try {
    produce(put);
  } catch (const std::exception& e) {
    fail(error.empty() ? e.what() : error);  // a writer that gave up on a failed write: say why it failed
  }
  if (!error.empty()) fail(error);
  if (::fsync(fd) != 0) fail(std::string("fsync failed: ") + std::strerror(errno));
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
