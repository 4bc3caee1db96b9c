#pragma once
// TensorBoard event files, written directly: a TFRecord file (length, masked CRC-32C, data, masked CRC-32C)
// of tensorflow.Event protocol buffers, encoded by hand for the few fields used (wall_time, step,
// file_version, summary values with simple_value, text summaries, and session_log START on resume so
// TensorBoard drops rows a resumed run rewrites). Formats: tensorflow/core/util/event.proto, summary.proto,
// and the TFRecord framing documented with tf.io.TFRecordWriter.
//
// metrics.csv stays the primary record; this is the same numbers for TensorBoard.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace credo::telemetry {

// CRC-32C (Castagnoli), and TFRecord's mask of it.
std::uint32_t crc32c(std::string_view data);
std::uint32_t masked_crc32c(std::string_view data);

class TensorBoardWriter {
 public:
  // Creates a new events.out.tfevents.<time>.<host> file in `dir`. With `resume_step` >= 0 it starts with a
  // session_log START at that step.
  explicit TensorBoardWriter(const std::filesystem::path& dir, std::int64_t resume_step = -1);

  // One scalar per name; NaN values are skipped.
  void add_scalars(std::int64_t step, const std::vector<std::string>& names,
                   const std::vector<double>& values);
  void add_text(const std::string& tag, const std::string& text, std::int64_t step);

  const std::filesystem::path& path() const { return path_; }

 private:
  void write_event(const std::string& event);

  std::filesystem::path path_;
  std::ofstream out_;
};

}  // namespace credo::telemetry
