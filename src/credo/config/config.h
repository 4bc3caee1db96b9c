#pragma once
// A run's hyperparameters: an ordered set of typed keys.
//
// The keys and their types come from credo's committed defaults (configs/learners/*.toml and
// configs/train.toml). Everything a user adds later (a --config file, key=value arguments) may only change
// existing keys, with a value of the same type; an unknown key is an error that suggests the closest known
// one. The resolved config is written into every run folder as TOML and read back by `credo train --resume`.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace credo::config {

using IntList = std::vector<std::int64_t>;
using Value = std::variant<bool, std::int64_t, double, std::string, IntList>;

const char* type_name(const Value& value);

class Config {
 public:
  // Adds or replaces `key` (used when building the defaults).
  void set(const std::string& key, Value value);
  bool contains(const std::string& key) const;

  // Overrides an existing key. `where` names the source for error messages ("--config run.toml", "argument
  // 'lr=abc'"). Throws UsageError for an unknown key (with a suggestion) or a value of another type; an
  // integer is accepted where a float is expected.
  void override_value(const std::string& key, const Value& value, const std::string& where);
  // Overrides from text, parsed by the key's current type: "true"/"false", an integer, a float, a string,
  // or a comma-separated integer list ("256,256" or "[256, 256]").
  void override_from_text(const std::string& key, const std::string& text, const std::string& where);
  // Overrides every key of a TOML document (a flat table of keys; tables are not allowed). `where` names it.
  void override_from_toml(const std::string& toml_text, const std::string& where);

  bool get_bool(const std::string& key) const;
  std::int64_t get_int(const std::string& key) const;
  double get_double(const std::string& key) const;  // accepts an integer value
  const std::string& get_string(const std::string& key) const;
  const IntList& get_ints(const std::string& key) const;

  const std::vector<std::pair<std::string, Value>>& entries() const { return entries_; }
  std::string to_toml() const;

 private:
  const Value& at(const std::string& key) const;
  Value* find(const std::string& key);
  std::vector<std::pair<std::string, Value>> entries_;
};

// Parses a flat TOML document into a Config of its own keys (used for committed defaults and run folders).
Config parse_toml(const std::string& toml_text, const std::string& where);

// The closest of `candidates` to `name` by edit distance, or "" when none is close.
std::string closest_match(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace credo::config
