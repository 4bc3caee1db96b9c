#include "credo/core/folder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "credo/core/error.h"

namespace credo {

namespace {

std::filesystem::path lock_path(const std::filesystem::path& folder) { return folder / ".lock"; }

std::string holder(const std::filesystem::path& folder) {
  std::ifstream in(lock_path(folder));
  std::string pid;
  in >> pid;
  return pid.empty() ? std::string("another process") : "process " + pid;
}

}  // namespace

FolderLock::FolderLock(const std::filesystem::path& folder, const char* what) {
  fd_ = ::open(lock_path(folder).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw UsageError("cannot lock " + std::string(what) + " '" + folder.string() + "': " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw UsageError(std::string(what) + " '" + folder.string() + "' is in use by " + holder(folder) +
                     " (a credo run or sweep); wait for it to end or stop it first");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const auto written = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

bool FolderLock::held_elsewhere(const std::filesystem::path& folder) {
  const int fd = ::open(lock_path(folder).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // releases the lock if this call took it
  return held;
}

void remove_interrupted_writes(const std::filesystem::path& folder) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with(".") && name.find(".tmp.") != std::string::npos && entry.is_regular_file(ec)) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

}  // namespace credo
