#pragma once
// Typed reads of a run's config keys, each with the range its component accepts. Every component (the run,
// each learner, the imitation, the explosion monitor) reads its keys once, through one of these, into an
// options struct of its own (its `read` function is the one place in the code that reads those keys). The
// keys' defaults and meanings live beside them in configs/ (`credo train --help-config` prints them); the
// messages for a value out of range are written here, once, in one form:
//   config key 'batch_size' must be a positive integer, got 0
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "credo/config/config.h"

namespace credo::config {

class OptionReader {
 public:
  explicit OptionReader(const Config& config) : config_(config) {}

  bool has(const std::string& key) const { return config_.contains(key); }

  bool flag(const std::string& key) const;
  const std::string& text(const std::string& key) const;
  // One of `allowed`: "must be 'stop' or 'continue'".
  const std::string& choice(const std::string& key, std::initializer_list<std::string_view> allowed) const;

  // A value that passes `valid`, or "must be REQUIREMENT" (which --help-config also shows).
  std::int64_t integer(const std::string& key, bool (*valid)(std::int64_t) = nullptr,
                       std::string_view requirement = "an integer") const;
  double number(const std::string& key, bool (*valid)(double) = nullptr,
                std::string_view requirement = "a number") const;

  std::int64_t at_least_zero(const std::string& key) const;     // >= 0
  std::int64_t positive_integer(const std::string& key) const;  // >= 1
  IntList layer_sizes(const std::string& key) const;            // positive widths, like 256,256
  double positive(const std::string& key) const;                // finite and > 0
  double non_negative(const std::string& key) const;            // finite and >= 0
  double fraction(const std::string& key) const;                // in [0, 1]
  double positive_limit(const std::string& key) const;          // > 0, inf allowed (a limit that is off)

  // Throws the UsageError "config key 'KEY' must be REQUIREMENT, got VALUE" (for checks that join keys).
  [[noreturn]] void reject(const std::string& key, std::string_view requirement) const;

  // Every key read so far, in order, repeats included (a test checks that each key is read exactly once).
  const std::vector<std::string>& reads() const { return reads_; }
  // What each key read so far must be ("a positive integer", "'actor' or 'target'"), for --help-config.
  const std::map<std::string, std::string>& requirements() const { return requirements_; }

 private:
  const Config& note(const std::string& key, std::string_view requirement) const;
  const Config& config_;
  mutable std::vector<std::string> reads_;
  mutable std::map<std::string, std::string> requirements_;
};

}  // namespace credo::config
