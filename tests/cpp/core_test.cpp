// Core utilities: the random generator, atomic file writes and printable message lines.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/core/printable_line.h"
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

TEST(PrintableLine, TextPassesAndEveryOtherByteIsEscapedOnOneLine) {
  EXPECT_EQ(printable_line("dataset 'obs' (found: a, b)"), "dataset 'obs' (found: a, b)");
  EXPECT_EQ(printable_line("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(printable_line("a\nb\r\tc\x7f"), "a\\nb\\x0d\\x09c\\x7f");
  EXPECT_EQ(printable_line(std::string("nul\0!", 5)), "nul\\x00!");
  // Not UTF-8: a lone continuation byte, a cut sequence, an overlong form, a surrogate, past U+10FFFF, and a
  // C1 control (valid UTF-8, but a terminal may act on it).
  EXPECT_EQ(printable_line("obs\xda" "ervations"), "obs\\xdaervations");
  EXPECT_EQ(printable_line("\x80"), "\\x80");
  EXPECT_EQ(printable_line("end\xe2\x82"), "end\\xe2\\x82");
  EXPECT_EQ(printable_line("\xc0\xaf"), "\\xc0\\xaf");
  EXPECT_EQ(printable_line("\xed\xa0\x80"), "\\xed\\xa0\\x80");
  EXPECT_EQ(printable_line("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
  EXPECT_EQ(printable_line("\xc2\x85"), "\\xc2\\x85");
}

}  // namespace
}  // namespace credo
