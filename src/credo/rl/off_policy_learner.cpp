#include "credo/rl/off_policy_learner.h"

#include <fmt/format.h>

#include <stdexcept>

#include "credo/nn/population.h"
#include "credo/nn/tensor_utils.h"

namespace credo::rl {

namespace {
// Eager updates of a variant before its capture: LibTorch's CUDA graph notes ask for a few warm-up iterations
// on the capture stream; cuBLAS and autograd set up their per-stream state in the first.
constexpr int kWarmUps = 3;

Batch clone(const Batch& b) {
  Batch out;
  out.observations = b.observations.clone();
  out.actions = b.actions.clone();
  out.rewards = b.rewards.clone();
  out.next_observations = b.next_observations.clone();
  out.terminated = b.terminated.clone();
  out.truncated = b.truncated.clone();
  return out;
}

void copy_into(Batch& fixed, const Batch& b) {
  fixed.observations.copy_(b.observations);
  fixed.actions.copy_(b.actions);
  fixed.rewards.copy_(b.rewards);
  fixed.next_observations.copy_(b.next_observations);
  fixed.terminated.copy_(b.terminated);
  fixed.truncated.copy_(b.truncated);
}
}  // namespace

OffPolicyLearner::OffPolicyLearner(const LearnerContext& context, const OffPolicyOptions& options,
                                   std::vector<std::string> stat_names)
    : Learner(std::move(stat_names)),
      obs_dim_(context.obs_dim),
      act_dim_(context.act_dim),
      hidden_(options.hidden),
      gamma_(options.gamma),
      tau_(options.tau),
      batch_size_(options.batch_size),
      rng_(context.seed ^ 0x9e3779b97f4a7c15ULL),
      population_(context.population),
      buffer_(static_cast<std::size_t>(context.obs_dim), static_cast<std::size_t>(context.act_dim),
              static_cast<std::size_t>(options.buffer_size)),
      start_steps_(options.start_steps),
      updates_per_step_(options.updates_per_step),
      action_buffer_(static_cast<std::size_t>(context.act_dim)),
      cuda_graphs_(options.cuda_graphs) {
  if (options.critic_threads > 1) critic_pool_ = std::make_unique<ThreadPool>(options.critic_threads);
}

std::vector<torch::Tensor> OffPolicyLearner::backward_each(
    const std::vector<std::function<torch::Tensor()>>& losses) {
  std::vector<torch::Tensor> out(losses.size());
  const auto run = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      out[i] = losses[i]();
      backward(out[i]);
    }
  };
  if (critic_pool_ && losses.size() > 1 && device().is_cpu()) {
    critic_pool_->parallel_for(losses.size(), run);
  } else {
    run(0, losses.size());
  }
  return out;
}

void OffPolicyLearner::act(std::span<const double> obs, bool explore, std::span<float> action) {
  if (explore && steps_ < start_steps_) {
    for (auto& a : action) a = static_cast<float>(rng_.uniform(-1.0, 1.0));
    return;
  }
  torch::NoGradGuard no_grad;
  const auto a = policy_action(on_device(nn::row_tensor(obs)), explore).to(torch::kCPU).contiguous();
  std::copy_n(a.data_ptr<float>(), action.size(), action.begin());
}

void OffPolicyLearner::observe(const Transition& t) {
  for (std::size_t i = 0; i < action_buffer_.size(); ++i) action_buffer_[i] = t.action[i];
  buffer_.add(t.obs, action_buffer_, t.reward, t.next_obs, t.terminated, t.truncated);
  ++steps_;
  if (steps_ < start_steps_) return;
  if (defer_updates_) {  // a population's seed: the population runs them (rl/learner_population.h)
    deferred_updates_ += updates_per_step_;
    updates_ += updates_per_step_;
    return;
  }
  for (std::int64_t i = 0; i < updates_per_step_; ++i) {
    train_step();
    stats_.flush();
    ++updates_;
  }
}

bool OffPolicyLearner::graphs_wanted() {
  if (!cuda_graphs_ || !device().is_cuda() || tracing()) return false;
  if (!graphs_usable_) {
    std::string why;
    graphs_usable_ = nn::cuda_graphs_available(why);
    if (!*graphs_usable_)
      fmt::print(stderr, "credo: cuda_graphs = true, but {}; updating without CUDA graphs\n", why);
  }
  return *graphs_usable_;
}

torch::Tensor OffPolicyLearner::mse(const torch::Tensor& q, const torch::Tensor& y) const {
  return population_ > 0 ? (q - y).square().mean({1, 2}) : torch::mse_loss(q, y);
}

torch::Tensor OffPolicyLearner::batch_mean(const torch::Tensor& x) const {
  return population_ > 0 ? x.mean({1, 2}) : x.mean();
}

void OffPolicyLearner::backward(const torch::Tensor& loss) const {
  if (population_ > 0) {
    loss.sum().backward();
  } else {
    loss.backward();
  }
}

torch::Tensor OffPolicyLearner::grad_norms(const std::vector<torch::Tensor>& params) const {
  return population_ > 0 ? nn::seed_grad_norms(params) : nn::grad_norm_tensor(params);
}

void OffPolicyLearner::clip_grads(const std::vector<torch::Tensor>& params, double max_norm) const {
  if (population_ > 0) {
    nn::clip_seed_grad_norms(params, max_norm);
  } else {
    nn::clip_grad_norm(params, max_norm);
  }
}

void OffPolicyLearner::run_update(std::int64_t variant, const std::function<void()>& update) {
  if (!graphs_wanted()) {
    update();
    return;
  }
  auto& u = graphs_[variant];
  if (!u.graph) {
    std::string why;
    u.graph = nn::make_cuda_graph(device(), why);
  }
  if (!u.captured && u.warm_ups < kWarmUps) {
    u.inputs.clear();  // each warm-up records the draws it makes; the capture reads from the same ones
    draw_mode_ = DrawMode::draw_and_record;
    drawing_for_ = &u;
    u.graph->run_eagerly(update);
    draw_mode_ = DrawMode::draw;
    ++u.warm_ups;
    return;
  }
  fill_inputs(u);
  if (!u.captured) {
    draw_mode_ = DrawMode::replay_inputs;
    drawing_for_ = &u;
    next_input_ = 0;
    u.graph->capture(update);
    u.stats = stats_.take_pending();
    draw_mode_ = DrawMode::draw;
    if (next_input_ != u.inputs.size())
      throw std::logic_error("a captured update drew other inputs than its warm-ups");
    u.captured = true;
  }
  u.graph->replay();
  stats_.queue(u.stats);
  ++graph_replays_;
}

void OffPolicyLearner::fill_inputs(CapturedUpdate& u) {
  // The draws in the order the update makes them, from the same generator: what the eager update would use.
  for (auto& input : u.inputs) {
    if (input.is_batch) {
      copy_into(input.batch, draw_batch());
    } else {
      input.noise.copy_(draw_noise(input.noise.size(-2), input.noise.size(-1)));
    }
  }
}

Batch OffPolicyLearner::draw_batch() {
  if (draws_) return draws_->batch();
  Batch batch = draw_host_batch().to(device());
  set_learning_rewards(batch);
  return batch;
}

Batch OffPolicyLearner::draw_host_batch() {
  return buffer_.sample(static_cast<std::size_t>(batch_size_), rng_);
}

void OffPolicyLearner::set_learning_rewards(Batch& b) {
  if (!reward_source_) return;
  torch::NoGradGuard no_grad;
  b.rewards = reward_source_->rewards(b.observations, b.actions, b.next_observations, b.terminated);
}

Batch OffPolicyLearner::sample_batch() {
  if (draw_mode_ == DrawMode::replay_inputs) {
    const auto& input = drawing_for_->inputs.at(next_input_++);
    if (!input.is_batch)
      throw std::logic_error("a captured update drew a batch where its warm-up drew noise");
    return input.batch;
  }
  Batch batch = draw_batch();
  if (draw_mode_ == DrawMode::draw_and_record) drawing_for_->inputs.push_back({true, clone(batch), {}});
  if (tracing()) {  // tests only; no string building on the training path
    const std::string prefix = "batch" + std::to_string(batches_sampled_++) + ".";
    trace(prefix + "observations", batch.observations);
    trace(prefix + "actions", batch.actions);
    trace(prefix + "rewards", batch.rewards);
    trace(prefix + "next_observations", batch.next_observations);
    trace(prefix + "terminated", batch.terminated);
  }
  return batch;
}

torch::Tensor OffPolicyLearner::normal_noise(std::int64_t rows, std::int64_t cols) {
  if (draw_mode_ == DrawMode::replay_inputs) {
    const auto& input = drawing_for_->inputs.at(next_input_++);
    if (input.is_batch || input.noise.size(-2) != rows || input.noise.size(-1) != cols)
      throw std::logic_error("a captured update drew other noise than its warm-ups");
    return input.noise;
  }
  auto noise = draw_noise(rows, cols);
  if (draw_mode_ == DrawMode::draw_and_record) drawing_for_->inputs.push_back({false, {}, noise.clone()});
  return noise;
}

torch::Tensor OffPolicyLearner::draw_noise(std::int64_t rows, std::int64_t cols) {
  if (draws_) return draws_->noise(rows, cols);
  return on_device(nn::normal_tensor(rng_, rows, cols));
}

void OffPolicyLearner::describe_state(nn::StateTable& state) {
  state.integer("steps", steps_);
  state.rng("rng", rng_);
  state.part("replay_buffer", buffer_);
  describe_networks(state);
}

}  // namespace credo::rl
