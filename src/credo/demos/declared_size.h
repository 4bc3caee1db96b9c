#pragma once
// Sizes a file declares, checked before anything is allocated: a corrupt or hostile header can declare
// terabytes in a file of kilobytes (an .h5 of 2.4 MB whose datasets declare 2^31 rows once grew credo to 15
// GB).
#include <cstdint>
#include <string>
#include <vector>

namespace credo::demos {

// The number of elements of `shape`. Throws UsageError naming `where` when a dimension is negative, the count
// overflows, or `element_bytes` per element would need more than the memory budget (half of this machine's
// RAM).
std::uint64_t declared_count(const std::vector<std::int64_t>& shape, std::uint64_t element_bytes,
                             const std::string& where);

// Throws UsageError naming `where` when data declared to take `declared_bytes` in the file cannot fit in the
// `stored_bytes` the file holds for it. Uncompressed data needs every byte; compressed data is allowed the
// deflate format's largest ratio (about 1032:1, RFC 1951's 258-byte matches in 2-bit codes), rounded up.
void check_stored(std::uint64_t declared_bytes, std::uint64_t stored_bytes, bool compressed,
                  const std::string& where);

std::string shape_text(const std::vector<std::int64_t>& shape);

}  // namespace credo::demos
