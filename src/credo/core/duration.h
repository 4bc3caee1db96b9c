#pragma once
// Durations as people read them in progress lines: 45s, 3m07s, 2h05m ("?" when unknown).
#include <string>

namespace credo {

std::string format_duration(double seconds);

}  // namespace credo
