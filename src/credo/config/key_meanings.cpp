#include "credo/config/key_meanings.h"

#include <sstream>
#include <string_view>

#include "credo/config/defaults.h"

namespace credo::config {

namespace {

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(" \t\r");
  return std::string(s.substr(begin, end - begin + 1));
}

// The top-level keys of one file (tables hold per-task overrides, not new keys) with their paragraph's
// comment.
void read_meanings(std::string_view text, std::map<std::string, std::string>& meanings) {
  std::istringstream in{std::string(text)};
  std::string line, paragraph;
  bool after_key = false;
  while (std::getline(in, line)) {
    const std::string l = trim(line);
    if (l.starts_with("[")) return;
    if (l.empty()) {
      paragraph.clear();
      after_key = false;
    } else if (l.starts_with("#")) {
      if (after_key) paragraph.clear();
      after_key = false;
      const std::string words = trim(std::string_view(l).substr(1));
      if (!paragraph.empty()) paragraph += ' ';
      paragraph += words;
    } else if (const auto eq = l.find('='); eq != std::string::npos) {
      after_key = true;
      const std::string key = trim(std::string_view(l).substr(0, eq));
      if (!paragraph.empty()) meanings.emplace(key, paragraph);  // the first file read wins
    }
  }
}

// Wraps `text` into comment lines of at most `width` characters.
std::string comment_lines(const std::string& text, std::size_t width = 110) {
  std::istringstream words(text);
  std::string word, out, line = "#";
  while (words >> word) {
    if (line.size() + 1 + word.size() > width && line != "#") {
      out += line;
      out += '\n';
      line.resize(1);  // back to "#"
    }
    line += ' ';
    line += word;
  }
  out += line;
  out += '\n';
  return out;
}

}  // namespace

std::map<std::string, std::string> key_meanings(const std::string& algo) {
  std::map<std::string, std::string> meanings = {
      {"algo", "The learner (--algo)."},
      {"env", "The environment id (--env)."},
      {"seed",
       "Seed of the run (--seed): networks, exploration, env resets; evaluations use seed + 1e6 + k."},
      {"steps", "The run's length (--steps): environment steps (gradient steps for bc)."},
  };
  read_meanings(embedded_config("learners/" + algo + ".toml"), meanings);
  read_meanings(embedded_config("imitation.toml"), meanings);
  read_meanings(embedded_config("train.toml"), meanings);
  return meanings;
}

std::string annotated_toml(const Config& config, const std::map<std::string, std::string>& requirements) {
  const auto meanings = key_meanings(config.get_string("algo"));
  std::istringstream lines(config.to_toml());
  std::string line, out;
  while (std::getline(lines, line)) {
    const auto key = trim(std::string_view(line).substr(0, line.find('=')));
    const auto it = meanings.find(key);
    std::string text = it == meanings.end() ? "(not described)" : it->second;
    if (const auto req = requirements.find(key); req != requirements.end())
      text += " Must be " + req->second + ".";
    out += comment_lines(text) + line + "\n";
  }
  return out;
}

}  // namespace credo::config
