#include "credo/core/printable_line.h"

#include <fmt/format.h>

#include <cstddef>

namespace credo {

namespace {

bool continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// The length of the valid UTF-8 sequence of a printable character at text[i] (its first byte at or above
// 0x80), or 0. Ranges as in the Unicode Standard, table 3-7 (no overlong forms, no surrogates, nothing past
// U+10FFFF); C1 controls (U+0080-U+009F) count as not printable.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = at(0);
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2, low = lead == 0xC2 ? 0xA0 : 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3, low = lead == 0xE0 ? 0xA0 : 0x80, high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4, low = lead == 0xF0 ? 0x90 : 0x80, high = lead == 0xF4 ? 0x8F : 0xBF;
  }
  if (n == 0 || i + n > text.size() || at(1) < low || at(1) > high) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (!continuation(at(k))) return 0;
  }
  return n;
}

}  // namespace

std::string printable_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7F) {
      out += text[i++];
    } else if (byte == '\n') {
      out += "\\n", ++i;
    } else if (const auto n = byte >= 0x80 ? utf8_length(text, i) : 0; n > 0) {
      out.append(text.substr(i, n)), i += n;
    } else {
      out += fmt::format("\\x{:02x}", byte), ++i;
    }
  }
  return out;
}

}  // namespace credo
