#include "credo/config/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "credo/core/error.h"

namespace credo::config {

namespace {

std::string render(const Value& value) {
  struct Visitor {
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const {
      std::string text = fmt::format("{}", v);  // shortest round-trip form
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
      return text;
    }
    std::string operator()(const std::string& v) const {
      std::ostringstream out;
      out << toml::value<std::string>(v);
      return out.str();
    }
    std::string operator()(const IntList& v) const {
      std::string text = "[";
      for (std::size_t i = 0; i < v.size(); ++i) text += (i ? ", " : "") + std::to_string(v[i]);
      return text + "]";
    }
  };
  return std::visit(Visitor{}, value);
}

Value from_node(const toml::node& node, const std::string& key, const std::string& where) {
  if (auto v = node.as_boolean()) return v->get();
  if (auto v = node.as_integer()) return v->get();
  if (auto v = node.as_floating_point()) return v->get();
  if (auto v = node.as_string()) return v->get();
  if (auto arr = node.as_array()) {
    IntList list;
    for (const auto& item : *arr) {
      auto i = item.as_integer();
      if (!i) throw UsageError(fmt::format("{}: key '{}' must be a list of integers", where, key));
      list.push_back(i->get());
    }
    return list;
  }
  throw UsageError(
      fmt::format("{}: key '{}' has a value of an unsupported kind (use a boolean, number, string or "
                  "list of integers)",
                  where, key));
}

toml::table parse_table(const std::string& text, const std::string& where) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    const auto& pos = e.source().begin;
    throw UsageError(fmt::format("{}: not valid TOML at line {}, column {}: {}", where, pos.line, pos.column,
                                 e.description()));
  }
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

const char* type_name(const Value& value) {
  static constexpr const char* names[] = {"boolean", "integer", "float", "string", "list of integers"};
  return names[value.index()];
}

std::string closest_match(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_distance || (c.find(name) != std::string::npos && best.empty())) {
      best_distance = std::min(d, best_distance);
      best = c;
    }
  }
  return best;
}

void Config::set(const std::string& key, Value value) {
  if (Value* existing = find(key)) {
    *existing = std::move(value);
  } else {
    entries_.emplace_back(key, std::move(value));
  }
}

bool Config::contains(const std::string& key) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == key; });
}

Value* Config::find(const std::string& key) {
  for (auto& e : entries_)
    if (e.first == key) return &e.second;
  return nullptr;
}

const Value& Config::at(const std::string& key) const {
  for (const auto& e : entries_)
    if (e.first == key) return e.second;
  throw std::logic_error("config has no key '" + key + "'");
}

void Config::override_value(const std::string& key, const Value& value, const std::string& where) {
  Value* existing = find(key);
  if (!existing) {
    std::vector<std::string> keys;
    for (const auto& e : entries_) keys.push_back(e.first);
    const std::string suggestion = closest_match(key, keys);
    throw UsageError(
        fmt::format("{}: unknown config key '{}'{}; `credo train --algo ALGO --env ID --show-config` "
                    "lists the keys",
                    where, key, suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"));
  }
  if (std::holds_alternative<double>(*existing) && std::holds_alternative<std::int64_t>(value)) {
    *existing = static_cast<double>(std::get<std::int64_t>(value));
    return;
  }
  if (existing->index() != value.index()) {
    throw UsageError(fmt::format("{}: config key '{}' takes a {} (like {}), not a {}", where, key,
                                 type_name(*existing), render(*existing), type_name(value)));
  }
  *existing = value;
}

void Config::override_from_text(const std::string& key, const std::string& text, const std::string& where) {
  Value* existing = find(key);
  if (!existing) {
    override_value(key, text, where);  // reports the unknown key
    return;
  }
  const auto bad = [&] {
    return UsageError(fmt::format("{}: config key '{}' takes a {} (like {}), not '{}'", where, key,
                                  type_name(*existing), render(*existing), text));
  };
  const auto parse_int = [&](std::string_view s) {
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) throw bad();
    return v;
  };
  switch (existing->index()) {
    case 0:
      if (text == "true")
        *existing = true;
      else if (text == "false")
        *existing = false;
      else
        throw bad();
      return;
    case 1:
      *existing = parse_int(text);
      return;
    case 2: {
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) throw bad();
      *existing = v;
      return;
    }
    case 3:
      *existing = text;
      return;
    case 4: {
      std::string body = text;
      if (!body.empty() && body.front() == '[' && body.back() == ']') body = body.substr(1, body.size() - 2);
      IntList list;
      std::stringstream in(body);
      std::string item;
      while (std::getline(in, item, ',')) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        list.push_back(parse_int(item));
      }
      if (list.empty()) throw bad();
      *existing = list;
      return;
    }
  }
}

void Config::override_from_toml(const std::string& toml_text, const std::string& where) {
  const toml::table table = parse_table(toml_text, where);
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (node.is_table()) {
      throw UsageError(fmt::format("{}: [{}] is a table; a config file holds plain keys only", where, name));
    }
    override_value(name, from_node(node, name, where), where);
  }
}

bool Config::get_bool(const std::string& key) const {
  return std::get<bool>(at(key));
}
std::int64_t Config::get_int(const std::string& key) const {
  return std::get<std::int64_t>(at(key));
}
double Config::get_double(const std::string& key) const {
  const Value& v = at(key);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::get<double>(v);
}
const std::string& Config::get_string(const std::string& key) const {
  return std::get<std::string>(at(key));
}
const IntList& Config::get_ints(const std::string& key) const {
  return std::get<IntList>(at(key));
}

std::string Config::to_toml() const {
  std::string text;
  for (const auto& [key, value] : entries_) text += key + " = " + render(value) + "\n";
  return text;
}

Config parse_toml(const std::string& toml_text, const std::string& where) {
  const toml::table table = parse_table(toml_text, where);
  Config config;
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (node.is_table()) continue;
    config.set(name, from_node(node, name, where));
  }
  return config;
}

}  // namespace credo::config
