#include "credo/telemetry/metrics_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>

#include "credo/core/atomic_file.h"
#include "credo/core/error.h"

namespace credo::telemetry {

namespace {
std::string header_line(const std::vector<std::string>& columns) {
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) line += (i ? "," : "") + columns[i];
  return line + "\n";
}
}  // namespace

std::optional<std::int64_t> row_step(const std::string& line, std::size_t fields) {
  if (fields > 0 && static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1 != fields) {
    return std::nullopt;
  }
  std::int64_t step = 0;
  const auto end = line.data() + std::min(line.size(), line.find(','));
  const auto [ptr, ec] = std::from_chars(line.data(), end, step);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return step;
}

void check_written(const std::ostream& out, const std::filesystem::path& path) {
  if (!out) {
    throw UsageError(
        fmt::format("cannot write '{}': {} (is the disk full?)", path.string(), std::strerror(errno)));
  }
}

MetricsWriter::MetricsWriter(const std::filesystem::path& path, std::vector<std::string> columns,
                             std::int64_t resume_step)
    : path_(path), columns_(std::move(columns)) {
  std::string kept = header_line(columns_);
  if (resume_step >= 0 && std::filesystem::exists(path)) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    if (line + "\n" != kept) {
      throw UsageError(
          fmt::format("{}: its columns differ from this run's; was the run folder edited?", path.string()));
    }
    // Rows after the checkpoint's step are dropped (they are written again), and so is a row cut short by a
    // crash or a full disk.
    while (std::getline(in, line)) {
      const auto step = row_step(line, columns_.size());
      if (!step) continue;
      if (*step > resume_step) break;
      kept += line + "\n";
    }
  }
  write_file_atomically(path, kept);
  out_.open(path, std::ios::app);
  if (!out_) throw UsageError(fmt::format("cannot append to {}", path.string()));
}

void MetricsWriter::write_row(const std::vector<double>& values) {
  std::string line;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) line += ',';
    if (std::isfinite(values[i])) {
      line += fmt::format("{:.10g}", values[i]);
    } else if (!std::isnan(values[i])) {
      line += values[i] > 0 ? "inf" : "-inf";
    }
  }
  out_ << line << '\n';
  out_.flush();
  check_written(out_, path_);
}

std::vector<std::pair<std::int64_t, double>> read_metrics_column(const std::filesystem::path& path,
                                                                 const std::string& column,
                                                                 std::int64_t up_to_step) {
  std::vector<std::pair<std::int64_t, double>> values;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return values;
  const auto split = [](const std::string& text) {
    std::vector<std::string> cells;
    std::stringstream ss(text);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (!text.empty() && text.back() == ',') cells.emplace_back();
    return cells;
  };
  const auto header = split(line);
  std::size_t index = 0;
  while (index < header.size() && header[index] != column) ++index;
  if (index == header.size()) return values;
  while (std::getline(in, line)) {
    const auto step = row_step(line, header.size());
    if (!step) continue;
    if (*step > up_to_step) break;
    const auto cells = split(line);
    if (cells[index].empty()) continue;
    try {
      values.emplace_back(*step, std::stod(cells[index]));
    } catch (const std::exception&) {
      throw UsageError(fmt::format("{}: row of step {} has '{}' in column {}; was the file edited?",
                                   path.string(), *step, cells[index], column));
    }
  }
  return values;
}

}  // namespace credo::telemetry
