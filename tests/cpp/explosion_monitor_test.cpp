// The explosion and divergence monitor (src/credo/telemetry/explosion_monitor.h): its thresholds, its window,
// the diverged status, events.csv, and what a resume keeps.
#include "credo/telemetry/explosion_monitor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "credo/config/defaults.h"
#include "temp_dir.h"

namespace credo::telemetry {
namespace {

ExplosionOptions monitor_config(double threshold = 1e5, double factor = 100.0, double floor = 1.0,
                                std::int64_t window = 1000, double q_bound = 1e5) {
  auto c = config::default_config("td3", "Pendulum-v1");
  c.set("explosion_threshold", threshold);
  c.set("explosion_factor", factor);
  c.set("explosion_floor", floor);
  c.set("explosion_window", window);
  c.set("q_bound", q_bound);
  return ExplosionOptions::read(config::OptionReader(c));
}

std::vector<std::string> lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(ExplosionMonitor, AnAbsoluteThresholdCountsOnsetsNotEveryUpdateAbove) {
  testing::TempDir dir;
  ExplosionMonitor m(monitor_config(10.0), dir / "events.csv");
  const double norms[] = {1, 2, 50, 60, 3, 40};
  for (int i = 0; i < 6; ++i) {
    m.set_step(i + 1);
    m.observe("grad_norm_critic", norms[i]);
  }
  EXPECT_EQ(m.explosions(), 2);  // 50 (60 continues it) and 40
  EXPECT_EQ(m.first_explosion_step(), 3);
  EXPECT_DOUBLE_EQ(m.max_grad_norm("grad_norm_critic"), 60.0);
  const auto log = lines(dir / "events.csv");
  ASSERT_EQ(log.size(), 3U);
  EXPECT_EQ(log[0], "step,event,name,value,threshold");
  EXPECT_EQ(log[1], "3,explosion,grad_norm_critic,50,10");
  EXPECT_FALSE(m.diverged());
}

// An actor's first updates, far below the scale its norms settle at: the relative test waits until the window
// (200 values here) is full.
TEST(ExplosionMonitor, TheRelativeTestWaitsForAFullWindowAndRespectsTheFloor) {
  testing::TempDir dir;
  ExplosionMonitor m(monitor_config(1e9, 10.0, 1.0, 200), dir / "events.csv");
  m.observe("grad_norm_actor", 0.01);
  m.observe("grad_norm_actor", 5.0);  // 500x the first value, but no median yet
  for (int i = 0; i < 150; ++i) m.observe("grad_norm_actor", 0.01);
  m.observe("grad_norm_actor", 5.0);  // 500x the median of 152 values: the window is not full
  EXPECT_EQ(m.explosions(), 0);
  for (int i = 0; i < 47; ++i) m.observe("grad_norm_actor", 0.01);
  m.observe("grad_norm_actor", 0.5);  // 50x the median of a full window, but below the floor of 1
  EXPECT_EQ(m.explosions(), 0);
  m.observe("grad_norm_actor", 2.0);  // 200x the median and above the floor
  EXPECT_EQ(m.explosions(), 1);
}

// ppo's critic after a rollout: one update with a gradient, then epochs in which the clipped value loss moves
// nothing (norm exactly 0). The zeros stay out of the median, so the next rollout's first update, at the
// usual scale, is no event; a norm 100x that scale still is.
TEST(ExplosionMonitor, UpdatesThatMovedNothingStayOutOfTheMedian) {
  testing::TempDir dir;
  ExplosionMonitor m(monitor_config(1e5, 100.0, 1.0, 100), dir / "events.csv");
  for (int rollout = 0; rollout < 120; ++rollout) {
    m.observe("grad_norm_critic", rollout % 2 ? 0.5 : 1.5);  // the first update of the rollout
    for (int epoch = 1; epoch < 10; ++epoch) m.observe("grad_norm_critic", 0.0);
  }
  EXPECT_EQ(m.explosions(), 0);  // against a median of 0, every 1.5 (above the floor) would have been one
  m.observe("grad_norm_critic", 200.0);  // over 100x the nonzero norms' median (1.5) and above the floor
  EXPECT_EQ(m.explosions(), 1);
  EXPECT_EQ(m.max_grad_norm("grad_norm_critic"), 200.0);
}

TEST(ExplosionMonitor, NonFiniteValuesAndRunawayQDiverge) {
  testing::TempDir dir;
  ExplosionMonitor m(monitor_config(1e5, 100, 1, 1000, 100.0), dir / "events.csv");
  m.set_step(7);
  m.observe("q_mean", 50.0);
  m.observe("reward_mean", std::nan(""));  // not a loss, gradient or Q statistic: not watched
  EXPECT_FALSE(m.diverged());
  m.observe("q_max", -150.0);
  EXPECT_TRUE(m.diverged());
  EXPECT_EQ(m.diverged_at(), 7);
  m.set_step(8);
  m.observe("loss_critic", std::nan(""));  // the first divergence stays the one reported
  EXPECT_EQ(m.diverged_at(), 7);
  EXPECT_EQ(m.divergence_reason(), "q_max = -150");
  ExplosionMonitor n(monitor_config(), dir / "events2.csv");
  n.observe("loss_actor", INFINITY);
  EXPECT_TRUE(n.diverged());
}

TEST(ExplosionMonitor, AResumeKeepsEventsUpToItsStepAndTheCounters) {
  testing::TempDir dir;
  ExplosionMonitor::State state;
  {
    ExplosionMonitor m(monitor_config(10.0), dir / "events.csv");
    for (int step : {5, 9, 14}) {
      m.set_step(step);
      m.observe("grad_norm_critic", 1.0);
      m.observe("grad_norm_critic", 100.0);
    }
    m.record_event(12, "collapse", "eval_return_normalized", 0.1, 0.4);
    state = m.state();
  }
  ExplosionMonitor resumed(monitor_config(10.0), dir / "events.csv", 10);
  resumed.restore(state);
  const auto log = lines(dir / "events.csv");
  ASSERT_EQ(log.size(), 3U);  // header and the events at steps 5 and 9
  EXPECT_EQ(log[2].substr(0, 2), "9,");
  EXPECT_EQ(resumed.explosions(), 3);  // the counters are the checkpoint's
  EXPECT_EQ(resumed.first_explosion_step(), 5);
  EXPECT_DOUBLE_EQ(resumed.max_grad_norm("grad_norm_critic"), 100.0);
}

// Norms that settle, then spikes the relative test catches (some lasting several updates): a monitor stopped
// at any update and restored from its state reports the events of one never stopped, the spike that goes on
// across the stop included.
TEST(ExplosionMonitor, AResumedMonitorCountsTheEventsOfAnUninterruptedOne) {
  testing::TempDir dir;
  std::vector<double> norms;
  for (int i = 0; i < 600; ++i) {
    const bool spike = (i % 97 == 40) || (i % 97 == 41) || (i == 301);
    norms.push_back(spike ? 500.0 + i : 1.0 + 0.5 * std::sin(i * 0.7) + 0.002 * i);
  }
  const auto run = [&](const std::filesystem::path& events, std::int64_t stop_at) {
    ExplosionMonitor::State state;
    std::int64_t from = 0;
    if (stop_at > 0) {
      ExplosionMonitor first(monitor_config(1e5, 100.0, 1.0, 150), events);
      for (std::int64_t i = 0; i < stop_at; ++i) {
        first.set_step(i + 1);
        first.observe("grad_norm_critic", norms[i]);
      }
      state = first.state();
      from = stop_at;
    }
    ExplosionMonitor rest(monitor_config(1e5, 100.0, 1.0, 150), events, from > 0 ? from : -1);
    rest.restore(state);
    for (auto i = from; i < static_cast<std::int64_t>(norms.size()); ++i) {
      rest.set_step(i + 1);
      rest.observe("grad_norm_critic", norms[i]);
    }
    return rest.explosions();
  };
  const auto whole = run(dir / "whole.csv", 0);
  EXPECT_EQ(whole,
            5);  // spikes at updates 235, 302, 332, 429, 526 (41-42 and 138 come before the window fills)
  for (std::int64_t stop_at : {120, 235, 302, 377}) {
    const auto name = "stopped_at_" + std::to_string(stop_at) + ".csv";
    EXPECT_EQ(run(dir / name, stop_at), whole) << "stopped at update " << stop_at;
    EXPECT_EQ(lines(dir / name), lines(dir / "whole.csv")) << "stopped at update " << stop_at;
  }
}

// A checkpoint written before the windows were kept has counters only: they are restored, and the windows
// start again (no relative test until the window is full again).
TEST(ExplosionMonitor, AStateWithoutWindowsRestoresTheCounters) {
  testing::TempDir dir;
  ExplosionMonitor m(monitor_config(1e5, 10.0, 1.0), dir / "events.csv");
  m.restore({{{"explosions", 4.0}, {"first_explosion", 700.0}, {"max:grad_norm_actor", 33.0}}, {}});
  EXPECT_EQ(m.explosions(), 4);
  EXPECT_EQ(m.first_explosion_step(), 700);
  for (int i = 0; i < 999; ++i) m.observe("grad_norm_actor", 0.01);
  m.observe("grad_norm_actor", 5.0);  // 500x the values so far, but only 999 of them before it
  EXPECT_EQ(m.explosions(), 4);
  EXPECT_DOUBLE_EQ(m.max_grad_norm("grad_norm_actor"), 33.0);
}

}  // namespace
}  // namespace credo::telemetry
