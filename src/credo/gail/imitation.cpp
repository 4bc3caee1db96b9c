#include "credo/gail/imitation.h"

#include <fmt/format.h>

#include <cmath>

#include "credo/core/error.h"
#include "credo/nn/archive.h"

namespace credo::gail {

namespace {

const std::vector<std::string> kStatNames = {
    "loss_disc",  "grad_norm_disc", "disc_acc_expert", "disc_acc_policy", "reward_mean", "reward_max",
    "reward_min", "reward_raw_max", "clip_fraction",   "outlier_high",    "outlier_low"};

// The adaptive clip adds its threshold (a column only its runs have, so older run folders resume unchanged).
std::vector<std::string> stat_names(const RewardOptions& reward) {
  auto names = kStatNames;
  if (reward.clip_quantile > 0.0) names.emplace_back("clip_threshold");
  return names;
}

torch::Tensor rows(const std::vector<float>& values, std::int64_t count, std::int64_t width) {
  return torch::from_blob(const_cast<float*>(values.data()), {count, width}).clone();
}

}  // namespace

Imitation::Imitation(const ImitationOptions& options, const demos::ExpertTransitions& expert,
                     const envs::EnvSpec& spec, std::uint64_t seed, torch::Device device)
    : obs_dim_(static_cast<std::int64_t>(spec.observation_space.size())),
      act_dim_(static_cast<std::int64_t>(spec.action_space.size())),
      absorbing_(options.absorbing),
      disc_obs_dim_(obs_dim_ + (absorbing_ ? 1 : 0)),
      batch_size_(options.disc_batch_size),
      interval_(options.disc_interval),
      updates_(options.disc_updates),
      start_(options.disc_start),
      capacity_(options.disc_buffer),
      rng_(seed + 7'777'777),  // a stream of its own, apart from the learner's
      stats_(stat_names(options.reward)) {
  if (expert.obs_width != disc_obs_dim_ || expert.act_dim != act_dim_) {
    throw std::logic_error("expert transitions selected for another env or absorbing setting");
  }
  expert_obs_ = rows(expert.observations, expert.rows(), disc_obs_dim_);
  expert_actions_ = rows(expert.actions, expert.rows(), act_dim_);
  expert_weights_ = rows(expert.weights, expert.rows(), 1);
  // The discriminator's initial weights come from the run's seed (LibTorch's global generator is otherwise
  // seeded differently in every process); the trainer seeds the learner's weights afterwards.
  torch::manual_seed(seed + 5'000'000);
  torch::Tensor mean, std;
  if (options.disc_normalize_obs) {
    // Standardised with the demonstrations' statistics (a constant dimension keeps std 1).
    mean = expert_obs_.mean(0, true);
    std = expert_obs_.std(0, false, true);
    std = torch::where(std > 1e-6, std, torch::ones_like(std));
  }
  const auto make_discriminator = [&] {
    auto d = std::make_unique<Discriminator>(disc_obs_dim_, act_dim_, options.disc_hidden,
                                             nn::parse_activation(options.disc_activation), options.disc_lr,
                                             options.gradient_penalty, mean, std);
    d->to(device);
    return d;
  };
  discriminator_ = make_discriminator();
  if (options.disc_parallel) {
    scorer_ = make_discriminator();
    scorer_->copy_weights_from(*discriminator_);
    pool_ = std::make_unique<ThreadPool>(2);
  }
  expert_obs_ = expert_obs_.to(device);
  expert_actions_ = expert_actions_.to(device);
  expert_weights_ = expert_weights_.to(device);
  reward_ = std::make_unique<AdversarialReward>(scorer_ ? *scorer_ : *discriminator_, options.reward, stats_);
  policy_obs_.resize(static_cast<std::size_t>(capacity_ * disc_obs_dim_));
  policy_actions_.resize(static_cast<std::size_t>(capacity_ * act_dim_));
}

void Imitation::push(std::span<const double> obs, std::span<const float> action, bool absorbing) {
  const auto row = policy_obs_.begin() + next_ * disc_obs_dim_;
  if (absorbing) {
    std::fill(row, row + disc_obs_dim_, 0.0F);
    row[obs_dim_] = 1.0F;
    std::fill(policy_actions_.begin() + next_ * act_dim_, policy_actions_.begin() + (next_ + 1) * act_dim_,
              0.0F);
  } else {
    std::copy(obs.begin(), obs.end(), row);
    if (absorbing_) row[obs_dim_] = 0.0F;
    std::copy(action.begin(), action.end(), policy_actions_.begin() + next_ * act_dim_);
  }
  next_ = (next_ + 1) % capacity_;
  filled_ = std::min(filled_ + 1, capacity_);
}

void Imitation::observe(std::span<const double> obs, std::span<const float> action, bool terminated) {
  push(obs, action, false);
  if (absorbing_ && terminated) push({}, {}, true);
}

bool Imitation::round_due(std::int64_t step) const {
  return step >= start_ && step % interval_ == 0 && filled_ > 0;
}

void Imitation::step(std::int64_t step, const std::function<void()>& learner_update) {
  if (!round_due(step)) {
    learner_update();
    return;
  }
  std::vector<DiscriminatorUpdate> round;
  if (!pool_) {
    learner_update();
    round = run_round();
  } else {
    // Chunk 0 on this thread, chunk 1 on the worker; the statistics are recorded here afterwards, in the same
    // order as without the thread (the explosion monitor listens to them).
    pool_->parallel_for(2, [&](std::size_t begin, std::size_t) {
      if (begin == 0) {
        learner_update();
      } else {
        round = run_round();
      }
    });
    scorer_->copy_weights_from(*discriminator_);
  }
  record(round);
}

std::vector<DiscriminatorUpdate> Imitation::run_round() {
  const auto expert_n = expert_obs_.size(0);
  std::vector<std::int64_t> expert_idx(static_cast<std::size_t>(batch_size_)),
      policy_idx(static_cast<std::size_t>(batch_size_));
  std::vector<DiscriminatorUpdate> round;
  for (std::int64_t u = 0; u < updates_; ++u) {
    for (auto& i : expert_idx)
      i = static_cast<std::int64_t>(rng_.uniform01() * static_cast<double>(expert_n));
    for (auto& i : policy_idx) i = static_cast<std::int64_t>(rng_.uniform01() * static_cast<double>(filled_));
    const auto e = torch::tensor(expert_idx).to(expert_obs_.device());
    const auto p = torch::tensor(policy_idx);
    const auto policy_obs = torch::from_blob(policy_obs_.data(), {capacity_, disc_obs_dim_})
                                .index_select(0, p)
                                .to(expert_obs_.device());
    const auto policy_actions = torch::from_blob(policy_actions_.data(), {capacity_, act_dim_})
                                    .index_select(0, p)
                                    .to(expert_obs_.device());
    round.push_back(discriminator_->update(expert_obs_.index_select(0, e), expert_actions_.index_select(0, e),
                                           expert_weights_.index_select(0, e), policy_obs, policy_actions,
                                           rng_));
  }
  return round;
}

void Imitation::record(const std::vector<DiscriminatorUpdate>& round) {
  for (const auto& result : round) {
    stats_.add("loss_disc", result.loss);
    stats_.add("grad_norm_disc", result.grad_norm);
    stats_.add("disc_acc_expert", result.acc_expert);
    stats_.add("disc_acc_policy", result.acc_policy);
  }
}

void Imitation::save(torch::serialize::OutputArchive& archive) const {
  torch::serialize::OutputArchive disc;
  discriminator_->save(disc);
  archive.write("discriminator", disc);
  // Only the rows written so far: the ring fills from row 0, so they are the first `filled_`.
  archive.write("policy_obs", rows(policy_obs_, filled_, disc_obs_dim_));
  archive.write("policy_actions", rows(policy_actions_, filled_, act_dim_));
  nn::write_value(archive, "filled", filled_);
  nn::write_value(archive, "next", next_);
  const auto state = rng_.state();
  nn::write_value(archive, "rng", state);
  torch::serialize::OutputArchive normalizer;
  reward_->normalizer().save(normalizer);
  archive.write("reward_normalizer", normalizer);
  if (const auto& clip = reward_->adaptive_clip()) {
    auto window = clip->state();
    archive.write("adaptive_clip_values",
                  rows(window.values, static_cast<std::int64_t>(window.values.size()), 1));
    nn::write_value(archive, "adaptive_clip_threshold", window.threshold);
    nn::write_value(archive, "adaptive_clip_since_refresh", window.since_refresh);
  }
}

void Imitation::load(torch::serialize::InputArchive& archive) {
  torch::serialize::InputArchive disc;
  archive.read("discriminator", disc);
  discriminator_->load(disc);
  if (scorer_) scorer_->copy_weights_from(*discriminator_);
  torch::Tensor obs, actions;
  archive.read("policy_obs", obs);
  archive.read("policy_actions", actions);
  // Checkpoints of earlier versions hold the whole ring; later ones the rows written.
  if (obs.numel() > static_cast<std::int64_t>(policy_obs_.size()) ||
      actions.numel() > static_cast<std::int64_t>(policy_actions_.size())) {
    throw std::runtime_error("the discriminator's imitator samples do not fit disc_buffer");
  }
  std::copy_n(obs.contiguous().data_ptr<float>(), obs.numel(), policy_obs_.begin());
  std::copy_n(actions.contiguous().data_ptr<float>(), actions.numel(), policy_actions_.begin());
  filled_ = nn::read_int(archive, "filled");
  next_ = nn::read_int(archive, "next");
  rng_.set_state(nn::read_string(archive, "rng"));
  torch::serialize::InputArchive normalizer;
  archive.read("reward_normalizer", normalizer);
  reward_->normalizer().load(normalizer);
  if (auto& clip = reward_->adaptive_clip()) {
    torch::Tensor values;
    archive.read("adaptive_clip_values", values);
    values = values.contiguous();
    AdaptiveClip::State state;
    state.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
    state.threshold = nn::read_double(archive, "adaptive_clip_threshold");
    state.since_refresh = nn::read_int(archive, "adaptive_clip_since_refresh");
    clip->restore(state);
  }
}

}  // namespace credo::gail
