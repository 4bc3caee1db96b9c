// Config: typed keys, overrides from text and TOML, suggestions for unknown keys, per-task defaults.
#include "credo/config/config.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>

#include "credo/config/defaults.h"
#include "credo/config/key_meanings.h"
#include "credo/core/error.h"

namespace credo::config {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, OverridesParseByTheKeysType) {
  Config c = default_config("td3", "Hopper-v5");
  c.override_from_text("lr_actor", "1e-3", "test");
  c.override_from_text("batch_size", "128", "test");
  c.override_from_text("twin_critics", "false", "test");
  c.override_from_text("hidden", "[400, 300]", "test");
  EXPECT_DOUBLE_EQ(c.get_double("lr_actor"), 1e-3);
  EXPECT_EQ(c.get_int("batch_size"), 128);
  EXPECT_FALSE(c.get_bool("twin_critics"));
  EXPECT_EQ(c.get_ints("hidden"), (IntList{400, 300}));
}

TEST(Config, UnknownKeySuggestsTheClosestOne) {
  Config c = default_config("td3", "Hopper-v5");
  const auto message = error_of([&] { c.override_from_text("lr_actr", "1", "argument 'lr_actr=1'"); });
  EXPECT_NE(message.find("unknown config key 'lr_actr'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'lr_actor'"), std::string::npos) << message;
}

TEST(Config, WrongTypesAreRejectedWithAnExample) {
  Config c = default_config("sac", "Hopper-v5");
  EXPECT_NE(error_of([&] { c.override_from_text("batch_size", "2.5", "x"); }).find("takes a integer"),
            std::string::npos);
  EXPECT_NE(error_of([&] { c.override_from_text("auto_alpha", "yes", "x"); }).find("boolean"),
            std::string::npos);
  EXPECT_NE(error_of([&] { c.override_from_toml("gamma = \"high\"", "f.toml"); }).find("float"),
            std::string::npos);
  EXPECT_NE(error_of([&] { c.override_from_toml("gamma = ", "f.toml"); }).find("not valid TOML"),
            std::string::npos);
  // An integer is accepted for a float.
  c.override_from_toml("gamma = 1", "f.toml");
  EXPECT_DOUBLE_EQ(c.get_double("gamma"), 1.0);
}

TEST(Config, PerTaskTablesApplyFamilyValues) {
  EXPECT_DOUBLE_EQ(default_config("sd3", "Hopper-v5").get_double("beta"), 0.05);
  EXPECT_DOUBLE_EQ(default_config("sd3", "Walker2d-v4").get_double("beta"), 0.1);
  EXPECT_DOUBLE_EQ(default_config("sd3", "HalfCheetah-v5").get_double("beta"), 0.005);
  EXPECT_EQ(default_config("td3", "Pendulum-v1").get_int("start_steps"), 1000);
  EXPECT_EQ(default_config("td3", "Hopper-v5").get_int("start_steps"), 25000);
}

TEST(Config, UnknownAlgoNamesTheKnownOnes) {
  const auto message = error_of([] { default_config("td4", "Hopper-v5"); });
  EXPECT_NE(message.find("did you mean 'td3'"), std::string::npos) << message;
  EXPECT_EQ(known_algos(), (std::vector<std::string>{"bc", "ddpg", "ppo", "sac", "sd3", "td3", "tssg"}));
}

TEST(Config, ImitationOnlyTablesApplyOnlyWhenImitating) {
  const auto plain = default_config("td3", "Hopper-v5");
  const auto imitating = default_config("td3", "Hopper-v5", true);
  EXPECT_EQ(plain.get_ints("hidden"), (IntList{256, 256}));  // sfujim/TD3's defaults for RL stay
  EXPECT_EQ(plain.get_int("start_steps"), 25000);
  EXPECT_DOUBLE_EQ(plain.get_double("actor_grad_clip"), 0.0);
  EXPECT_EQ(imitating.get_ints("hidden"), (IntList{400, 300}));  // DAC's for imitation
  EXPECT_EQ(imitating.get_int("start_steps"), 1000);
  EXPECT_DOUBLE_EQ(imitating.get_double("actor_grad_clip"), 40.0);
  EXPECT_EQ(default_config("td3", "HalfCheetah-v5", true).get_int("start_steps"), 10000);
  // PPO takes DAC's discriminator on the MuJoCo tasks and keeps on Pendulum the one it was measured with there.
  const auto ppo_hopper = default_config("ppo", "Hopper-v5", true);
  EXPECT_FALSE(ppo_hopper.get_bool("disc_normalize_obs"));
  EXPECT_DOUBLE_EQ(ppo_hopper.get_double("gradient_penalty"), 10.0);
  EXPECT_EQ(ppo_hopper.get_string("reward"), "gail");
  EXPECT_EQ(ppo_hopper.get_int("disc_updates"), 4);
  EXPECT_FALSE(ppo_hopper.get_bool("absorbing"));
  EXPECT_TRUE(default_config("td3", "Hopper-v5", true).get_bool("absorbing"));
  EXPECT_EQ(default_config("ppo", "HalfCheetah-v5", true).get_int("disc_updates"), 1);
  EXPECT_TRUE(default_config("ppo", "HalfCheetah-v5", true).get_bool("absorbing"));  // it never terminates
  EXPECT_FALSE(default_config("ppo", "Walker2d-v5", true).get_bool("absorbing"));
  EXPECT_TRUE(default_config("ppo", "Pendulum-v1", true).get_bool("disc_normalize_obs"));
  EXPECT_DOUBLE_EQ(default_config("ppo", "Pendulum-v1", true).get_double("gradient_penalty"), 0.0);
  EXPECT_FALSE(default_config("sac", "Hopper-v5", true).get_bool("disc_normalize_obs"));
}

TEST(Config, PresetsApplyPlainKeysThenTheLearnersThenTheTasks) {
  auto td3 = default_config("td3", "HalfCheetah-v5");
  apply_preset(td3, "dac");
  EXPECT_EQ(td3.get_ints("hidden"), (IntList{400, 300}));
  EXPECT_EQ(td3.get_int("demo_subsample"), 20);
  EXPECT_DOUBLE_EQ(td3.get_double("actor_grad_clip"), 40.0);
  EXPECT_EQ(td3.get_int("start_steps"), 10000);
  auto sac = default_config("sac", "Hopper-v5");
  apply_preset(sac, "dac");  // the plain keys fit every off-policy learner
  EXPECT_EQ(sac.get_int("batch_size"), 100);
  EXPECT_EQ(known_presets(), (std::vector<std::string>{"dac"}));
  auto ppo = default_config("ppo", "Hopper-v5");
  EXPECT_NE(error_of([&] { apply_preset(ppo, "dac"); }).find("sets 'batch_size', a key ppo does not have"),
            std::string::npos);
  const auto missing = error_of([&] { apply_preset(sac, "/nonexistent/preset.toml"); });
  EXPECT_NE(missing.find("neither a preset credo has (dac) nor a readable file"), std::string::npos)
      << missing;
}

TEST(Config, TomlRoundTripKeepsEveryValue) {
  Config c = default_config("ppo", "Hopper-v5");
  c.override_from_text("lr", "0.000123456789", "x");
  const Config back = parse_toml(c.to_toml(), "round trip");
  ASSERT_EQ(back.entries().size(), c.entries().size());
  for (const auto& [key, value] : c.entries()) {
    Config probe = back;
    EXPECT_NO_THROW(probe.override_value(key, value, "x")) << key;
  }
  EXPECT_DOUBLE_EQ(back.get_double("lr"), 0.000123456789);
  EXPECT_TRUE(std::isinf(back.get_double("stop_at_return")));
}

// Every key a learner has, plain or imitating, is described in the committed files (`--help-config`).
TEST(Config, EveryKeyOfEveryLearnerHasAMeaning) {
  for (const auto& algo : known_algos()) {
    const auto meanings = key_meanings(algo);
    for (const bool imitation : {false, true}) {
      const Config config = default_config(algo, "Hopper-v5", imitation);
      for (const auto& [key, value] : config.entries()) {
        const auto it = meanings.find(key);
        ASSERT_NE(it, meanings.end()) << algo << ": key '" << key << "' has no comment in configs/";
        EXPECT_GT(it->second.size(), 10u) << algo << " " << key;
      }
    }
  }
  // The paragraph above a key describes it, not the file's header.
  const auto td3 = key_meanings("td3");
  EXPECT_NE(td3.at("tau").find("Polyak"), std::string::npos) << td3.at("tau");
  EXPECT_NE(td3.at("explosion_window").find("Explosion"), std::string::npos);
  EXPECT_NE(key_meanings("bc").at("eval_interval").find("Gradient steps"), std::string::npos);
}

TEST(Config, AnnotatedTomlReadsBackAsTheSameConfig) {
  Config c = default_config("td3", "Hopper-v5", true);
  const std::string text = annotated_toml(c);
  EXPECT_NE(text.find("# Discount factor"), std::string::npos);
  EXPECT_EQ(text.find("(not described)"), std::string::npos);
  const Config back = parse_toml(text, "annotated");
  const std::map<std::string, Value> read(back.entries().begin(), back.entries().end());
  ASSERT_EQ(read.size(), c.entries().size());
  for (const auto& [key, value] : c.entries()) EXPECT_TRUE(read.at(key) == value) << key;
}

}  // namespace
}  // namespace credo::config
