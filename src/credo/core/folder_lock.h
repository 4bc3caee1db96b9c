#pragma once
// A folder in use by one credo process (a run folder for `credo train`, a sweep's folder for `credo sweep`):
// an exclusive flock(2) on FOLDER/.lock, held while the FolderLock lives. The kernel releases it when the
// process ends in any way, kill -9 included, so a lock is never stale; the file records the holder's pid for
// the message a second process gets.
#include <filesystem>

namespace credo {

class FolderLock {
 public:
  // Locks `folder` (which must exist) or throws UsageError naming the process that holds it. `what` says what
  // the folder is, for that message ("run folder", "sweep folder").
  FolderLock(const std::filesystem::path& folder, const char* what);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  // Whether another process holds `folder`'s lock now.
  static bool held_elsewhere(const std::filesystem::path& folder);

 private:
  int fd_ = -1;
};

// Removes what an atomic write interrupted by a kill left in `folder` (.NAME.tmp.XXXXXX files, see
// atomic_file.h). Call it only while holding the folder's lock, so no write in flight is touched.
void remove_interrupted_writes(const std::filesystem::path& folder);

}  // namespace credo
