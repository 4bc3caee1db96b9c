#pragma once
// Constructor options of an environment, named as Gymnasium's keyword arguments (forward_reward_weight,
// healthy_z_range, ...). Each task declares a table of the options it accepts; user values are checked
// against it.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace credo::envs {

enum class OptionKind { number, integer, boolean, range, text };

struct OptionSpec {
  std::string name;
  OptionKind kind;
  nlohmann::json default_value;  // a range is [low, high]; "inf" and "-inf" stand for infinities
  std::string description;
};

struct Range {
  double low;
  double high;
  // Gymnasium's healthy checks are strict: low < v < high (a NaN is never inside).
  bool contains(double v) const { return low < v && v < high; }
};

// Option values for one environment: the table's defaults overridden by the user's values.
class Options {
 public:
  // Throws credo::UsageError naming the env and the option for an unknown name (with the valid names) or a
  // value of the wrong kind.
  Options(const std::string& env_id, const std::vector<OptionSpec>& table, const nlohmann::json& user);

  double number(const std::string& name) const;
  int integer(const std::string& name) const;
  bool boolean(const std::string& name) const;
  Range range(const std::string& name) const;
  std::string text(const std::string& name) const;
  const nlohmann::json& values() const { return values_; }

 private:
  nlohmann::json values_;
};

}  // namespace credo::envs
