#include "credo/rl/evaluation.h"

#include <cmath>
#include <numeric>

namespace credo::rl {

double EvalResult::mean() const {
  if (returns.empty()) return std::nan("");
  return std::accumulate(returns.begin(), returns.end(), 0.0) / static_cast<double>(returns.size());
}

double EvalResult::std() const {
  if (returns.empty()) return std::nan("");
  const double m = mean();
  double sum = 0.0;
  for (double r : returns) sum += (r - m) * (r - m);
  return std::sqrt(sum / static_cast<double>(returns.size()));
}

EvalResult evaluate(envs::Env& env, const ActFn& act, int episodes, std::uint64_t seed) {
  EvalResult result;
  std::vector<float> action(env.spec().action_space.size());
  for (int k = 0; k < episodes; ++k) {
    env.reset(seed + static_cast<std::uint64_t>(k));
    double total = 0.0;
    int length = 0;
    for (;;) {
      act(env.observation(), action);
      const auto step = env.step(std::span<const float>(action));
      total += step.reward;
      ++length;
      if (step.terminated || step.truncated) break;
    }
    result.returns.push_back(total);
    result.lengths.push_back(length);
  }
  return result;
}

}  // namespace credo::rl
