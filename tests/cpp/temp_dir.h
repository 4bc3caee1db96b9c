#pragma once
// A temporary folder of a test's own: created with mkdtemp (a name no other test or process can share, even
// under `ctest -j` or two test runs at once) and removed with everything in it when the object goes.
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace credo::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "credo_test") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "_XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace credo::testing
