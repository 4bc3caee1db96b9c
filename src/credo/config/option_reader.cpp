#include "credo/config/option_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <variant>

#include "credo/core/error.h"

namespace credo::config {

namespace {

// A value as the user wrote it: 0, 1.5, 'stop', [64, 0].
std::string shown(const Value& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>)
          return fmt::format("'{}'", v);
        else if constexpr (std::is_same_v<T, IntList>)
          return fmt::format("[{}]", fmt::join(v, ", "));
        else
          return fmt::format("{}", v);
      },
      value);
}

}  // namespace

const Config& OptionReader::note(const std::string& key, std::string_view requirement) const {
  reads_.push_back(key);
  if (!requirement.empty()) requirements_[key] = requirement;
  return config_;
}

void OptionReader::reject(const std::string& key, std::string_view requirement) const {
  const auto it = std::find_if(config_.entries().begin(), config_.entries().end(),
                               [&](const auto& entry) { return entry.first == key; });
  const std::string value = it == config_.entries().end() ? "nothing" : shown(it->second);
  throw UsageError(fmt::format("config key '{}' must be {}, got {}", key, requirement, value));
}

bool OptionReader::flag(const std::string& key) const {
  return note(key, "true or false").get_bool(key);
}

const std::string& OptionReader::text(const std::string& key) const {
  return note(key, "").get_string(key);
}

const std::string& OptionReader::choice(const std::string& key,
                                        std::initializer_list<std::string_view> allowed) const {
  std::vector<std::string> quoted;
  for (const auto option : allowed) quoted.push_back(fmt::format("'{}'", option));
  const std::string last = quoted.back();
  quoted.pop_back();
  const auto requirement = quoted.empty() ? last : fmt::format("{} or {}", fmt::join(quoted, ", "), last);
  const auto& value = note(key, requirement).get_string(key);
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) reject(key, requirement);
  return value;
}

std::int64_t OptionReader::integer(const std::string& key, bool (*valid)(std::int64_t),
                                   std::string_view requirement) const {
  const auto value = note(key, requirement).get_int(key);
  if (valid && !valid(value)) reject(key, requirement);
  return value;
}

double OptionReader::number(const std::string& key, bool (*valid)(double),
                            std::string_view requirement) const {
  const auto value = note(key, requirement).get_double(key);
  if (valid && !valid(value)) reject(key, requirement);
  return value;
}

std::int64_t OptionReader::at_least_zero(const std::string& key) const {
  return integer(
      key, [](std::int64_t v) { return v >= 0; }, ">= 0");
}

std::int64_t OptionReader::positive_integer(const std::string& key) const {
  return integer(
      key, [](std::int64_t v) { return v >= 1; }, "a positive integer");
}

IntList OptionReader::layer_sizes(const std::string& key) const {
  constexpr std::string_view requirement = "a list of positive layer widths (like 256,256)";
  const auto& widths = note(key, requirement).get_ints(key);
  for (const auto width : widths) {
    if (width <= 0) reject(key, requirement);
  }
  return widths;
}

double OptionReader::positive(const std::string& key) const {
  return number(
      key, [](double v) { return v > 0.0 && std::isfinite(v); }, "a positive number");
}

double OptionReader::non_negative(const std::string& key) const {
  return number(
      key, [](double v) { return v >= 0.0 && std::isfinite(v); }, "0 or a positive number");
}

double OptionReader::fraction(const std::string& key) const {
  return number(
      key, [](double v) { return v >= 0.0 && v <= 1.0; }, "in [0, 1]");
}

double OptionReader::positive_limit(const std::string& key) const {
  return number(
      key, [](double v) { return v > 0.0; }, "a positive number (inf: no limit)");
}

}  // namespace credo::config
