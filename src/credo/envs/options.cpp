#include "credo/envs/options.h"

#include <cmath>
#include <limits>

#include "credo/core/error.h"

namespace credo::envs {

namespace {

// A number, or "inf" / "-inf" / "+inf" (JSON has no infinity). Returns false for anything else.
bool to_extended_number(const nlohmann::json& v, double& out) {
  if (v.is_number()) {
    out = v.get<double>();
    return !std::isnan(out);
  }
  if (v.is_string()) {
    const auto s = v.get<std::string>();
    if (s == "inf" || s == "+inf") {
      out = std::numeric_limits<double>::infinity();
      return true;
    }
    if (s == "-inf") {
      out = -std::numeric_limits<double>::infinity();
      return true;
    }
  }
  return false;
}

bool has_kind(const nlohmann::json& v, OptionKind kind) {
  switch (kind) {
    case OptionKind::number:
      return v.is_number() && std::isfinite(v.get<double>());
    case OptionKind::integer:
      return v.is_number_integer();
    case OptionKind::boolean:
      return v.is_boolean();
    case OptionKind::range: {
      double lo = 0.0, hi = 0.0;
      return v.is_array() && v.size() == 2 && to_extended_number(v[0], lo) && to_extended_number(v[1], hi) &&
             lo <= hi;
    }
    case OptionKind::text:
      return v.is_string();
  }
  return false;
}

const char* kind_name(OptionKind kind) {
  switch (kind) {
    case OptionKind::number:
      return "a finite number";
    case OptionKind::integer:
      return "an integer";
    case OptionKind::boolean:
      return "true or false";
    case OptionKind::range:
      return "a [low, high] pair of numbers with low <= high (\"inf\"/\"-inf\" allowed)";
    case OptionKind::text:
      return "a string";
  }
  return "?";
}

}  // namespace

Options::Options(const std::string& env_id, const std::vector<OptionSpec>& table,
                 const nlohmann::json& user) {
  values_ = nlohmann::json::object();
  for (const auto& spec : table) values_[spec.name] = spec.default_value;
  if (user.is_null()) return;
  if (!user.is_object()) throw UsageError(env_id + " options must be a JSON object of name: value");
  for (const auto& [name, value] : user.items()) {
    const OptionSpec* spec = nullptr;
    for (const auto& s : table) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      std::string valid;
      for (const auto& s : table) valid += (valid.empty() ? "" : ", ") + s.name;
      throw UsageError("unknown option '" + name + "' for " + env_id +
                       (valid.empty() ? std::string(" (it takes no options)") : "; valid options: " + valid));
    }
    if (!has_kind(value, spec->kind)) {
      throw UsageError("option '" + name + "' for " + env_id + " must be " + kind_name(spec->kind) +
                       ", got " + value.dump());
    }
    values_[name] = value;
  }
}

double Options::number(const std::string& name) const {
  return values_.at(name).get<double>();
}
int Options::integer(const std::string& name) const {
  return values_.at(name).get<int>();
}
bool Options::boolean(const std::string& name) const {
  return values_.at(name).get<bool>();
}
std::string Options::text(const std::string& name) const {
  return values_.at(name).get<std::string>();
}

Range Options::range(const std::string& name) const {
  const auto& v = values_.at(name);
  Range r{0.0, 0.0};
  to_extended_number(v[0], r.low);
  to_extended_number(v[1], r.high);
  return r;
}

}  // namespace credo::envs
