// Core utilities: the random generator and atomic file writes.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/core/rng.h"
#include "temp_dir.h"

namespace credo {
namespace {

TEST(Rng, SameSeedSameStreamAndReseedRestarts) {
  Rng a(5), b(5);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(a.next_u64(), b.next_u64());
  a.seed(9);
  const double first = a.normal();
  a.seed(9);
  EXPECT_EQ(a.normal(), first);
}

TEST(Rng, UniformAndNormalHaveTheirMoments) {
  Rng rng(1);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform(-2.0, 3.0);
    ASSERT_GE(u, -2.0);
    ASSERT_LT(u, 3.0);
    su += u;
    const double z = rng.normal();
    sn += z;
    sn2 += z * z;
  }
  EXPECT_NEAR(su / n, 0.5, 0.01);
  EXPECT_NEAR(sn / n, 0.0, 0.01);
  EXPECT_NEAR(std::sqrt(sn2 / n), 1.0, 0.01);
}

TEST(Rng, BelowStaysInRangeAndHitsEveryValue) {
  Rng rng(3);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 7000; ++i) counts[rng.below(7)]++;
  for (int c : counts) EXPECT_GT(c, 800);
}

TEST(AtomicFile, WritesCompleteContentAndLeavesNoTemporaryFiles) {
  const testing::TempDir temp("credo_atomic_test");
  const auto& dir = temp.path();
  const auto path = dir / "out.json";
  write_file_atomically(path, "first");
  write_file_atomically(path, "second, longer");
  std::stringstream content;
  content << std::ifstream(path).rdbuf();
  EXPECT_EQ(content.str(), "second, longer");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
}

TEST(AtomicFile, UnwritableFolderIsAUsageErrorNamingThePath) {
  try {
    write_file_atomically("/nonexistent-credo-dir/out.json", "x");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-credo-dir/out.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace credo
