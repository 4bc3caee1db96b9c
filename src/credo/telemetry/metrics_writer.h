#pragma once
// metrics.csv: one row per logging interval, a fixed header, flushed after every row so a killed run keeps
// every row it wrote. Missing values (no episode ended, no evaluation at this row) are empty cells. On resume
// the file is cut back to the rows at or before the checkpoint's step, so no row is duplicated.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace credo::telemetry {

class MetricsWriter {
 public:
  // Creates (or, with `resume_step` >= 0, reopens and truncates after that step) `path` with `columns`; the
  // first column must be "step".
  MetricsWriter(const std::filesystem::path& path, std::vector<std::string> columns,
                std::int64_t resume_step = -1);

  const std::vector<std::string>& columns() const { return columns_; }
  // One value per column; NaN is written as an empty cell.
  void write_row(const std::vector<double>& values);

 private:
  std::filesystem::path path_;
  std::vector<std::string> columns_;
  std::ofstream out_;
};

// The step in the first field of a CSV row of `fields` fields (0: any number), or nothing for a row that is
// not one (a header, or a row cut short by a crash or a full disk). Shared with events.csv.
std::optional<std::int64_t> row_step(const std::string& line, std::size_t fields);

// Throws UsageError naming `path` (disk full, I/O error) when the last write to `out` failed.
void check_written(const std::ostream& out, const std::filesystem::path& path);

// The (step, value) pairs of one column of a metrics.csv, rows up to `up_to_step`, empty cells skipped (an
// empty list when the file or the column is missing).
std::vector<std::pair<std::int64_t, double>> read_metrics_column(const std::filesystem::path& path,
                                                                 const std::string& column,
                                                                 std::int64_t up_to_step);

}  // namespace credo::telemetry
