// metrics.csv (src/credo/telemetry/metrics_writer.h): columns, empty cells, resume, and reading a column back.
#include "credo/telemetry/metrics_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "credo/core/error.h"
#include "temp_dir.h"

namespace credo::telemetry {
namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(MetricsWriter, WritesAHeaderAndRowsWithEmptyCellsForMissingValues) {
  testing::TempDir dir;
  {
    MetricsWriter w(dir / "metrics.csv", {"step", "eval_return", "q_max"});
    w.write_row({1000, std::nan(""), 1.5});
    w.write_row({2000, -150.25, INFINITY});
    EXPECT_EQ(read(dir / "metrics.csv"), "step,eval_return,q_max\n1000,,1.5\n2000,-150.25,inf\n");  // flushed
  }
}

TEST(MetricsWriter, AResumeCutsRowsAfterItsStepAndAppends) {
  testing::TempDir dir;
  {
    MetricsWriter w(dir / "metrics.csv", {"step", "x"});
    for (int step = 1; step <= 4; ++step) w.write_row({step * 100.0, static_cast<double>(step)});
  }
  {
    MetricsWriter w(dir / "metrics.csv", {"step", "x"}, 200);
    w.write_row({300, 30});
  }
  EXPECT_EQ(read(dir / "metrics.csv"), "step,x\n100,1\n200,2\n300,30\n");
  const auto column = read_metrics_column(dir / "metrics.csv", "x", 250);
  ASSERT_EQ(column.size(), 2U);
  EXPECT_EQ(column[1], (std::pair<std::int64_t, double>{200, 2.0}));
  EXPECT_TRUE(read_metrics_column(dir / "metrics.csv", "nope", 1000).empty());
  EXPECT_TRUE(read_metrics_column(dir / "missing.csv", "x", 1000).empty());
}

TEST(MetricsWriter, AResumeWithOtherColumnsIsRefusedAndTheFileKept) {
  testing::TempDir dir;
  {
    MetricsWriter w(dir / "metrics.csv", {"step", "x"});
    w.write_row({100, 1});
  }
  EXPECT_THROW(MetricsWriter(dir / "metrics.csv", {"step", "y"}, 100), UsageError);
  EXPECT_EQ(read(dir / "metrics.csv"), "step,x\n100,1\n");
}

TEST(MetricsWriter, ReadingAColumnSkipsEmptyCellsIncludingATrailingOne) {
  testing::TempDir dir;
  std::ofstream(dir / "metrics.csv") << "step,a,b\n1,,2\n2,5,\n3,6,7\n";
  const auto b = read_metrics_column(dir / "metrics.csv", "b", 10);
  ASSERT_EQ(b.size(), 2U);
  EXPECT_EQ(b[0].first, 1);
  EXPECT_EQ(b[1].first, 3);
}

}  // namespace
}  // namespace credo::telemetry
