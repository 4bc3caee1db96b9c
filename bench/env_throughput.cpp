// Environment step throughput: credo's step against the raw physics it wraps, and vectorised stepping on 1 vs
// N threads. Prints one JSON object; bench/env_throughput.py adds Gymnasium's Python step and makes the
// table.
//
//   build/bench/env_throughput [--steps N] [--repeats R] [--vector-envs E] [--threads T] [--vector-only] [ENV_ID ...]
//
// Single-env numbers time only the step itself (resets excluded) so the two sides do identical work: the raw
// loop replays credo's exact episode starts and actions and runs frame_skip mj_step calls per step.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "credo/core/rng.h"
#include "credo/envs/locomotion_env.h"
#include "credo/envs/registry.h"
#include "credo/envs/vector_env.h"

using Clock = std::chrono::steady_clock;
using namespace credo;
using namespace credo::envs;

namespace {

struct Episode {
  std::vector<double> qpos, qvel;
  std::vector<std::vector<double>> actions;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Runs credo's env for `steps` steps (resetting on episode end); returns seconds spent inside step() and
// records the episodes so the raw loop can replay them.
double time_credo_steps(Env& env, int steps, std::uint64_t seed, std::vector<Episode>& episodes) {
  Rng rng(seed);
  const auto& space = env.spec().action_space;
  std::vector<double> action(space.size());
  double seconds = 0.0;
  env.reset(seed);
  episodes.clear();
  episodes.push_back({env.qpos(), env.qvel(), {}});
  for (int t = 0; t < steps; ++t) {
    for (std::size_t i = 0; i < action.size(); ++i) action[i] = rng.uniform(space.low[i], space.high[i]);
    episodes.back().actions.push_back(action);
    const auto start = Clock::now();
    const auto r = env.step(std::span<const double>(action));
    seconds += std::chrono::duration<double>(Clock::now() - start).count();
    if (r.terminated || r.truncated) {
      env.reset();
      episodes.push_back({env.qpos(), env.qvel(), {}});
    }
  }
  return seconds;
}

// The floor: the same episodes on the same model, only frame_skip x mj_step per step.
double time_raw_physics(const LocomotionEnv& env, const std::vector<Episode>& episodes) {
  ModelPtr model = load_model(env.config().xml_file);
  DataPtr data(mj_makeData(model.get()));
  double seconds = 0.0;
  for (const auto& episode : episodes) {
    mj_resetData(model.get(), data.get());
    std::copy(episode.qpos.begin(), episode.qpos.end(), data->qpos);
    std::copy(episode.qvel.begin(), episode.qvel.end(), data->qvel);
    mj_forward(model.get(), data.get());
    for (const auto& action : episode.actions) {
      const auto start = Clock::now();
      std::copy(action.begin(), action.end(), data->ctrl);
      for (int k = 0; k < env.frame_skip(); ++k) mj_step(model.get(), data.get());
      seconds += std::chrono::duration<double>(Clock::now() - start).count();
    }
  }
  return seconds;
}

// Env steps per second of a VectorEnv over `steps_per_env` steps, autoresets included.
double vector_steps_per_second(const std::string& id, int num_envs, int threads, int steps_per_env) {
  VectorEnv vec(id, num_envs, threads);
  vec.reset(0);
  Rng rng(1);
  const auto& space = vec.spec().action_space;
  std::vector<double> actions(static_cast<std::size_t>(num_envs) * space.size());
  const auto start = Clock::now();
  for (int t = 0; t < steps_per_env; ++t) {
    for (std::size_t i = 0; i < actions.size(); ++i) {
      const std::size_t d = i % space.size();
      actions[i] = rng.uniform(space.low[d], space.high[d]);
    }
    vec.step(actions);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(steps_per_env) * num_envs / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int steps = 20000, repeats = 5, vector_envs = 16, threads = 2;
  bool vector_only = false;  // only the vector on `threads` threads (bench/python_vector_env.py interleaves it)
  std::vector<std::string> ids;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
    if (arg == "--steps")
      steps = next();
    else if (arg == "--repeats")
      repeats = next();
    else if (arg == "--vector-envs")
      vector_envs = next();
    else if (arg == "--threads")
      threads = next();
    else if (arg == "--vector-only")
      vector_only = true;
    else
      ids.push_back(arg);
  }
  if (ids.empty()) ids = {"Hopper-v5", "Walker2d-v5", "HalfCheetah-v5"};
  if (steps < 1 || repeats < 1 || vector_envs < 1 || threads < 1) {
    std::fprintf(stderr,
                 "env_throughput: --steps, --repeats, --vector-envs and --threads must be positive\n");
    return 2;
  }
  nlohmann::ordered_json out;
  out["steps"] = steps;
  out["repeats"] = repeats;
  out["vector_envs"] = vector_envs;
  out["threads"] = threads;
  out["mujoco"] = mj_versionString();
  for (const auto& id : ids) {
    auto env = make_env(id);
    const auto& loco = dynamic_cast<const LocomotionEnv&>(*env);
    std::vector<double> credo_sps, raw_sps, vec1, vecn;
    std::vector<Episode> episodes;
    for (int r = 0; r < repeats && vector_only; ++r) {
      vecn.push_back(vector_steps_per_second(id, vector_envs, threads, steps / vector_envs));
    }
    if (vector_only) {
      out["results"][id] = {{"vector_n_threads_step_per_s", median(vecn)}};
      continue;
    }
    for (int r = 0; r < repeats; ++r) {
      credo_sps.push_back(steps / time_credo_steps(*env, steps, static_cast<std::uint64_t>(r), episodes));
      raw_sps.push_back(steps / time_raw_physics(loco, episodes));
      vec1.push_back(vector_steps_per_second(id, vector_envs, 1, steps / vector_envs));
      vecn.push_back(vector_steps_per_second(id, vector_envs, threads, steps / vector_envs));
    }
    out["results"][id] = {{"credo_step_per_s", median(credo_sps)},
                          {"raw_physics_step_per_s", median(raw_sps)},
                          {"vector_1_thread_step_per_s", median(vec1)},
                          {"vector_n_threads_step_per_s", median(vecn)}};
  }
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}
