#include "credo/demos/declared_size.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <limits>

#include "credo/core/error.h"
#include "credo/core/isolated_call.h"

namespace credo::demos {

namespace {

constexpr std::uint64_t kLargestCompressionRatio = 1100;

std::string bytes_text(std::uint64_t bytes) {
  if (bytes >= (std::uint64_t{1} << 30))
    return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1 << 30));
  if (bytes >= (std::uint64_t{1} << 20))
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
  return fmt::format("{} bytes", bytes);
}

}  // namespace

std::string shape_text(const std::vector<std::int64_t>& shape) {
  return fmt::format("({})", fmt::join(shape, ", "));
}

std::uint64_t declared_count(const std::vector<std::int64_t>& shape, std::uint64_t element_bytes,
                             const std::string& where) {
  const std::uint64_t budget = half_the_ram();
  std::uint64_t count = 1;
  bool too_large = false;
  for (const auto d : shape) {
    if (d < 0)
      throw UsageError(
          fmt::format("{} declares a negative shape {} (corrupt file?)", where, shape_text(shape)));
    const auto dim = static_cast<std::uint64_t>(d);
    if (dim != 0 && count > std::numeric_limits<std::uint64_t>::max() / dim) {
      too_large = true;
      count = std::numeric_limits<std::uint64_t>::max();
    } else {
      count *= dim;
    }
  }
  if (too_large || (count > 0 && count > budget / std::max<std::uint64_t>(1, element_bytes))) {
    throw UsageError(fmt::format(
        "{} declares shape {}, more than this machine's memory budget for one array ({}, half its RAM); the "
        "file is corrupt, or split it into smaller files",
        where, shape_text(shape), bytes_text(budget)));
  }
  return count;
}

void check_stored(std::uint64_t declared_bytes, std::uint64_t stored_bytes, bool compressed,
                  const std::string& where) {
  const bool fits =
      compressed ? declared_bytes / kLargestCompressionRatio <= stored_bytes : declared_bytes <= stored_bytes;
  if (!fits) {
    throw UsageError(fmt::format(
        "{} declares {} of {}data but the file holds {} for it (truncated or corrupt file?)", where,
        bytes_text(declared_bytes), compressed ? "compressed " : "", bytes_text(stored_bytes)));
  }
}

}  // namespace credo::demos
