#include "credo/rl/learner_population.h"

#include <algorithm>
#include <stdexcept>

#include "credo/config/option_reader.h"
#include "credo/core/error.h"
#include "credo/nn/population.h"
#include "credo/rl/learner_options.h"
#include "credo/rl/off_policy_learner.h"

namespace credo::rl {

namespace {
void copy_counters(Learner& from, Learner& to) {
  const auto source = from.counters();
  for (const auto& [name, value] : to.counters()) {
    const auto it =
        std::find_if(source.begin(), source.end(), [&](const auto& c) { return c.first == name; });
    if (it == source.end()) throw std::logic_error("a population's learners count different things: " + name);
    *value = *it->second;
  }
}

OffPolicyLearner* populable(Learner& learner, const std::string& algo) {
  auto* off_policy = dynamic_cast<OffPolicyLearner*>(&learner);
  if (!off_policy || !off_policy->supports_population())
    throw UsageError(
        "algo '" + algo +
        "' cannot train a seed population yet; use td3, ddpg, sd3, sac or tssg, or one seed per run");
  return off_policy;
}
}  // namespace

LearnerPopulation::LearnerPopulation(const std::vector<LearnerContext>& seeds) {
  if (seeds.empty()) throw UsageError("a seed population needs at least one seed");
  const auto algo = LearnerOptions::read(config::OptionReader(seeds.front().config)).algo;
  for (const auto& context : seeds) {
    torch::manual_seed(context.seed);
    owned_.push_back(make_learner(context));
    seeds_.push_back(populable(*owned_.back(), algo));
    seeds_.back()->defer_updates_ = true;
  }
  auto stacked_context = seeds.front();
  stacked_context.population = static_cast<std::int64_t>(seeds.size());
  stacked_owner_ = make_learner(stacked_context);
  stacked_ = populable(*stacked_owner_, algo);

  const auto modules = stacked_->modules();
  for (std::size_t m = 0; m < modules.size(); ++m) {
    std::vector<torch::nn::Module*> members;
    for (auto* s : seeds_) members.push_back(s->modules().at(m).second);
    nn::stack_parameters(*modules[m].second, members);
  }
  const auto tensors = stacked_->state_tensors();
  for (std::size_t t = 0; t < tensors.size(); ++t) {
    std::vector<torch::Tensor*> members;
    for (auto* s : seeds_) members.push_back(s->state_tensors().at(t).second);
    nn::stack_tensor(*tensors[t].second, members);
  }
  const auto optimizers = stacked_->optimizers();
  for (std::size_t o = 0; o < optimizers.size(); ++o) {
    optimizers[o].second->reset_state();
    for (std::size_t k = 0; k < seeds_.size(); ++k)
      seeds_[k]->optimizers().at(o).second->share_slot(*optimizers[o].second, static_cast<std::int64_t>(k));
  }
  stacked_->draws_ = OffPolicyLearner::DrawSource{
      [this] { return stacked_batch(); },
      [this](std::int64_t rows, std::int64_t cols) { return stacked_noise(rows, cols); }};
}

LearnerPopulation::~LearnerPopulation() = default;

void LearnerPopulation::require_support(const LearnerContext& context) {
  const auto learner = make_learner(context);
  populable(*learner, LearnerOptions::read(config::OptionReader(context.config)).algo);
}

Learner& LearnerPopulation::seed(std::size_t k) {
  return *owned_.at(k);
}

Batch LearnerPopulation::stacked_batch() {
  // Every seed's own draw, stacked on the host and moved to the device in one copy (Batch::to); then each
  // seed's learning rewards on its slice, from its own discriminator where it imitates.
  std::vector<Batch> draws;
  for (auto* s : seeds_) draws.push_back(s->draw_host_batch());
  static const std::vector<torch::Tensor Batch::*> columns = {&Batch::observations, &Batch::actions,
                                                              &Batch::rewards,      &Batch::next_observations,
                                                              &Batch::terminated,   &Batch::truncated};
  Batch host;
  for (auto column : columns) {
    std::vector<torch::Tensor> parts;
    for (const auto& b : draws) parts.push_back(b.*column);
    host.*column = torch::stack(parts);
  }
  Batch out = host.to(stacked_->device());
  if (!seeds_.front()->reward_source_)
    return out;  // the env's rewards, drawn with the batch (all seeds alike)
  std::vector<torch::Tensor> rewards;
  for (std::size_t k = 0; k < seeds_.size(); ++k) {
    Batch slice;
    for (auto column : columns) slice.*column = (out.*column).select(0, static_cast<std::int64_t>(k));
    seeds_[k]->set_learning_rewards(slice);
    rewards.push_back(slice.rewards);
  }
  out.rewards = torch::stack(rewards);
  return out;
}

torch::Tensor LearnerPopulation::stacked_noise(std::int64_t rows, std::int64_t cols) {
  std::vector<torch::Tensor> draws;
  for (auto* s : seeds_) draws.push_back(s->draw_noise(rows, cols));
  return torch::stack(draws);
}

void LearnerPopulation::update() {
  const auto pending = seeds_.front()->deferred_updates_;
  for (auto* s : seeds_) {
    if (s->deferred_updates_ != pending)
      throw std::logic_error("a seed population's seeds were not stepped together");
    s->deferred_updates_ = 0;
  }
  // The schedule's counters (env steps, updates of each kind) are the seeds': the same for all, restored with
  // their checkpoints.
  copy_counters(*seeds_.front(), *stacked_);
  for (std::int64_t i = 0; i < pending; ++i) {
    stacked_->train_step();
    hand_out_statistics();
  }
  for (auto* s : seeds_) copy_counters(*stacked_, *s);
}

void LearnerPopulation::hand_out_statistics() {
  const auto pending = stacked_->stats_.take_pending();
  if (pending.empty()) return;
  std::vector<torch::Tensor> values;
  for (const auto& [name, value] : pending) values.push_back(value);
  const auto host = torch::stack(values).to(torch::kCPU).contiguous();  // [statistics, seeds]: one read
  const auto* read = host.data_ptr<double>();
  const auto n = seeds_.size();
  for (std::size_t i = 0; i < pending.size(); ++i) {
    for (std::size_t k = 0; k < n; ++k) seeds_[k]->stats_.add(pending[i].first, read[i * n + k]);
  }
}

}  // namespace credo::rl
