// Typed options (config/option_reader.h, run/run_options.h): every key of every learner's config is read by
// exactly one options struct, and a value out of range gets one message of one form.
#include <gtest/gtest.h>

#include <map>

#include "credo/config/defaults.h"
#include "credo/config/option_reader.h"
#include "credo/core/error.h"
#include "credo/run/run_options.h"

namespace credo::run {
namespace {

config::Config run_config(const std::string& algo, bool imitation) {
  auto c = config::default_config(algo, "Hopper-v5", imitation);
  c.set("seed", std::int64_t{1});
  c.set("steps", std::int64_t{100000});
  return c;
}

std::string error_of(const config::Config& c) {
  try {
    TrainingOptions::read(c);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(Options, EveryKeyOfEveryLearnerIsReadExactlyOnce) {
  for (const auto& algo : config::known_algos()) {
    for (const bool imitation : {false, true}) {
      const auto c = run_config(algo, imitation);
      const config::OptionReader reader(c);
      TrainingOptions::read(reader);
      std::map<std::string, int> reads;
      for (const auto& key : reader.reads()) ++reads[key];
      for (const auto& [key, value] : c.entries()) {
        EXPECT_EQ(reads[key], 1) << algo << (imitation ? " imitating" : "") << ": key '" << key << "'";
        reads.erase(key);
      }
      EXPECT_TRUE(reads.empty()) << algo << ": read keys the config lacks, first '" << reads.begin()->first
                                 << "'";
    }
  }
}

TEST(Options, ValuesOutOfRangeGetOneMessageForm) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"batch_size", "0", "config key 'batch_size' must be a positive integer, got 0"},
      {"gamma", "1.5", "config key 'gamma' must be in [0, 1], got 1.5"},
      {"lr_actor", "-1e-3", "config key 'lr_actor' must be a positive number, got -0.001"},
      {"on_divergence", "panic", "config key 'on_divergence' must be 'stop' or 'continue', got 'panic'"},
      {"init", "xavier", "config key 'init' must be 'default' or 'orthogonal', got 'xavier'"},
      {"disc_hidden", "64,0",
       "config key 'disc_hidden' must be a list of positive layer widths (like 256,256), "
       "got [64, 0]"},
      {"explosion_factor", "1", "config key 'explosion_factor' must be above 1, got 1"},
      {"actor_start", "-5", "config key 'actor_start' must be >= 0, got -5"},
  };
  for (const auto& [key, value, message] : cases) {
    auto c = run_config("td3", true);
    c.override_from_text(key, value, "test");
    EXPECT_EQ(error_of(c), message) << key << "=" << value;
  }
}

TEST(Options, KeysThatDependOnEachOtherAreCheckedTogether) {
  auto ppo = run_config("ppo", false);
  ppo.override_from_text("minibatch_size", "4096", "test");
  EXPECT_EQ(error_of(ppo), "config key 'minibatch_size' must be at most n_steps (2048), got 4096");
  auto td3 = run_config("td3", false);
  td3.override_from_text("eval_interval", "1500", "test");
  EXPECT_EQ(error_of(td3), "config key 'eval_interval' must be a multiple of log_interval (1000), got 1500");
  td3 = run_config("td3", true);
  td3.override_from_text("clip", "5", "test");
  td3.override_from_text("clip_low", "9", "test");
  EXPECT_EQ(error_of(td3), "config key 'clip_low' must be below clip (5), got 9");
}

TEST(Options, TheDefaultCollapseWindowIsResolvedOnce) {
  auto c = run_config("td3", false);
  EXPECT_EQ(TrainingOptions::read(c).run.collapse_window, 3);
  c.set("steps", std::int64_t{5000});  // one evaluation
  EXPECT_EQ(TrainingOptions::read(c).run.collapse_window, 1);
  c.set("collapse_window", std::int64_t{2});
  EXPECT_EQ(error_of(c),
            "config key 'collapse_window' must be 0 (the default window) or 1 to the run's 1 "
            "evaluations (steps / eval_interval), got 2");
}

}  // namespace
}  // namespace credo::run
