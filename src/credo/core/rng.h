#pragma once
// The random generator every credo component draws from.
//
// std::mt19937_64 is fully specified by the C++ standard, but the standard distributions are not (their
// output may differ between library implementations), so the two draws credo needs are written here: a
// uniform double from the top 53 bits of one 64-bit output (the construction numpy's Generator uses), and a
// standard normal by the Marsaglia polar method. Same seed, same numbers, on every platform.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

namespace credo {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) : engine_(seed) {}

  void seed(std::uint64_t seed) {
    engine_.seed(seed);
    has_spare_normal_ = false;
  }

  std::uint64_t next_u64() { return engine_(); }

  // Uniform on [0, 1).
  double uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // Uniform on [low, high), as numpy's `low + (high - low) * u`.
  double uniform(double low, double high) { return low + (high - low) * uniform01(); }

  // Standard normal (Marsaglia polar method: two normals per accepted pair; the second is kept for the next
  // call).
  double normal() {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    double u = 0.0, v = 0.0, s = 0.0;
    do {
      u = uniform(-1.0, 1.0);
      v = uniform(-1.0, 1.0);
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double scale = std::sqrt(-2.0 * std::log(s) / s);
    spare_normal_ = v * scale;
    has_spare_normal_ = true;
    return u * scale;
  }

  // Uniform integer in [0, n), without modulo bias (Lemire's multiply-shift with rejection).
  std::uint64_t below(std::uint64_t n) {
    __extension__ using u128 = unsigned __int128;
    u128 m = static_cast<u128>(engine_()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<u128>(engine_()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  // The full generator state as text (engine words and the kept normal), for checkpoints: restoring it
  // continues the exact stream.
  std::string state() const {
    std::ostringstream out;
    out.precision(17);
    out << engine_ << ' ' << has_spare_normal_ << ' ' << std::hexfloat << spare_normal_;
    return out.str();
  }
  void set_state(const std::string& text) {
    std::istringstream in(text);
    std::string spare;
    in >> engine_ >> has_spare_normal_ >> spare;
    if (!in) throw std::invalid_argument("corrupt random generator state");
    spare_normal_ = std::strtod(spare.c_str(), nullptr);
  }

 private:
  std::mt19937_64 engine_;
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace credo
