#include "credo/telemetry/tensorboard_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstring>

#include "credo/core/error.h"

namespace credo::telemetry {

namespace {

// Protocol buffer wire format: a key is (field << 3) | wire type; 0 varint, 1 fixed64, 2 length-delimited,
// 5 fixed32.
void varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void key(std::string& out, int field, int wire) {
  varint(out, static_cast<std::uint64_t>(field << 3 | wire));
}

void bytes_field(std::string& out, int field, std::string_view bytes) {
  key(out, field, 2);
  varint(out, bytes.size());
  out.append(bytes);
}

template <typename T>
void fixed(std::string& out, int field, int wire, T value) {
  key(out, field, wire);
  char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));  // little-endian on every platform credo builds for
  out.append(raw, sizeof(T));
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Event { wall_time = 1 (double), step = 2 (int64), file_version = 3, summary = 5, session_log = 6 }.
std::string event_header(std::int64_t step) {
  std::string e;
  fixed(e, 1, 1, now_seconds());
  key(e, 2, 0);
  varint(e, static_cast<std::uint64_t>(step));
  return e;
}

const std::array<std::uint32_t, 256>& crc_table() {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;  // reversed Castagnoli polynomial
      t[i] = c;
    }
    return t;
  }();
  return table;
}

}  // namespace

std::uint32_t crc32c(std::string_view data) {
  const auto& table = crc_table();
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char byte : data) c = table[(c ^ byte) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::uint32_t masked_crc32c(std::string_view data) {
  const std::uint32_t c = crc32c(data);
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

TensorBoardWriter::TensorBoardWriter(const std::filesystem::path& dir, std::int64_t resume_step) {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  path_ = dir / fmt::format("events.out.tfevents.{}.{}", static_cast<long long>(now_seconds()), host);
  // A resumed session within the same second as the last one must not overwrite that session's file.
  for (int n = 1; std::filesystem::exists(path_); ++n) {
    path_ = dir / fmt::format("events.out.tfevents.{}.{}.{}", static_cast<long long>(now_seconds()), host, n);
  }
  out_.open(path_, std::ios::binary | std::ios::trunc);
  if (!out_) throw UsageError(fmt::format("cannot write TensorBoard events to '{}'", path_.string()));
  std::string first = event_header(std::max<std::int64_t>(0, resume_step));
  bytes_field(first, 3, "brain.Event:2");
  write_event(first);
  if (resume_step >= 0) {
    // SessionLog { status = 1: START }: TensorBoard discards what earlier files hold at or after this step.
    std::string log;
    key(log, 1, 0);
    varint(log, 1);
    std::string e = event_header(resume_step);
    bytes_field(e, 6, log);
    write_event(e);
  }
}

void TensorBoardWriter::write_event(const std::string& event) {
  std::string length;
  const std::uint64_t n = event.size();
  length.append(reinterpret_cast<const char*>(&n), 8);
  const std::uint32_t length_crc = masked_crc32c(length), data_crc = masked_crc32c(event);
  out_.write(length.data(), 8);
  out_.write(reinterpret_cast<const char*>(&length_crc), 4);
  out_.write(event.data(), static_cast<std::streamsize>(event.size()));
  out_.write(reinterpret_cast<const char*>(&data_crc), 4);
  out_.flush();
}

void TensorBoardWriter::add_scalars(std::int64_t step, const std::vector<std::string>& names,
                                    const std::vector<double>& values) {
  // Summary { repeated Value value = 1 }, Value { tag = 1, simple_value = 2 (float) }.
  std::string summary;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (!std::isfinite(values[i]) || names[i] == "step") continue;
    std::string value;
    bytes_field(value, 1, names[i]);
    fixed(value, 2, 5, static_cast<float>(values[i]));
    bytes_field(summary, 1, value);
  }
  std::string e = event_header(step);
  bytes_field(e, 5, summary);
  write_event(e);
}

void TensorBoardWriter::add_text(const std::string& tag, const std::string& text, std::int64_t step) {
  // The text plugin's summary: Value { tag = 1, metadata = 9 { plugin_data = 1 { plugin_name = 1 } },
  // tensor = 8 TensorProto { dtype = 1 (DT_STRING = 7), tensor_shape = 2 {}, string_val = 8 } }.
  std::string plugin, metadata, tensor, value, summary;
  bytes_field(plugin, 1, "text");
  bytes_field(metadata, 1, plugin);
  key(tensor, 1, 0);
  varint(tensor, 7);
  bytes_field(tensor, 2, "");
  bytes_field(tensor, 8, text);
  bytes_field(value, 1, tag);
  bytes_field(value, 9, metadata);
  bytes_field(value, 8, tensor);
  bytes_field(summary, 1, value);
  std::string e = event_header(step);
  bytes_field(e, 5, summary);
  write_event(e);
}

}  // namespace credo::telemetry
