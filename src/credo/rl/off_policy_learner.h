#pragma once
// What every off-policy learner shares (td3, ddpg, sd3, sac, tssg): the replay buffer, uniform random actions
// for the first `start_steps` steps, one call of train_step() per env step after that (`updates_per_step`
// calls), and batches whose rewards come from the reward source when one is set. Each learner writes only its
// update (train_step) and its policy.
//
// Its options (OffPolicyOptions, learner_options.h): buffer_size, batch_size, start_steps, updates_per_step,
// hidden, gamma, tau, critic_threads, cuda_graphs; lr_actor and lr_critic are for the learner's own
// optimisers.
//
// CUDA graphs (cuda_graphs = true on a GPU; nn/cuda_graph.h): a learner whose train_step hands its device
// work to run_update() gets that work captured once per `variant` and replayed. The batches and the noise the
// update draws become fixed device tensors, refilled before each replay with exactly the draws the eager
// update would make, in the same order from the same generator: a run with graphs learns what the same run
// without them learns, up to the GPU's own rounding.
//
// Seed populations (rl/learner_population.h): each seed's learner acts, observes and draws as a separate
// run's would, but leaves its updates to the population's stacked learner, whose networks are every seed's
// stacked (nn/population.h) and whose batches and noise are the seeds' own draws, stacked. A learner that
// supports populations writes its update once for both: its losses, gradient norms and clips go through the
// helpers below, which keep one value per seed in a population and are the plain operations otherwise.
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "credo/core/rng.h"
#include "credo/core/thread_pool.h"
#include "credo/nn/cuda_graph.h"
#include "credo/rl/learner.h"
#include "credo/rl/learner_options.h"
#include "credo/rl/replay_buffer.h"

namespace credo::rl {

class OffPolicyLearner : public Learner {
 public:
  void act(std::span<const double> obs, bool explore, std::span<float> action) final;
  void observe(const Transition& transition) final;

  const ReplayBuffer& buffer() const { return buffer_; }
  // Tests only: one update now, whatever the step count.
  void train_now() {
    batches_sampled_ = 0;
    train_step();
    stats_.flush();
  }
  // Updates replayed from a CUDA graph so far (0 on the CPU or without cuda_graphs).
  std::int64_t graph_replays() const { return graph_replays_; }
  // Whether this learner's update can serve a seed population (its update written with the helpers below).
  virtual bool supports_population() const { return false; }

 protected:
  OffPolicyLearner(const LearnerContext& context, const OffPolicyOptions& options,
                   std::vector<std::string> stat_names);

  // The policy's action for a [1, obs_dim] observation, with exploration when `explore`; in [-1, 1].
  virtual torch::Tensor policy_action(const torch::Tensor& obs, bool explore) = 0;
  // One update of every network; draws its batches with sample_batch().
  virtual void train_step() = 0;
  // Runs `update`, the device work of one update (no host reads; its statistics added as tensors). On a GPU
  // with cuda_graphs, the first updates of each `variant` (a number the learner chooses for each different
  // sequence of work: which networks learn, at which learning rates) run eagerly as warm-ups, the next is
  // captured, and every later one of that variant is a replay.
  void run_update(std::int64_t variant, const std::function<void()>& update);
  // Frees a variant's graph that will not run again (its memory pool goes with it).
  void forget_update(std::int64_t variant) { graphs_.erase(variant); }
  // The learner's own state (networks, optimisers, counters); this class adds the buffer, step and generator.
  virtual void describe_networks(nn::StateTable& state) = 0;
  void describe_state(nn::StateTable& state) final;

  // A uniform batch of `batch_size` transitions whose rewards are the learning rewards.
  Batch sample_batch();
  // Standard-normal noise from the learner's generator, on its device.
  torch::Tensor normal_noise(std::int64_t rows, std::int64_t cols);
  // Env steps observed so far (schedules that follow the run's progress).
  std::int64_t env_steps() const { return steps_; }

  // Per seed in a population (rl/learner_population.h), plain otherwise: the mean squared error of q against
  // y, a batch mean, the backward pass of a loss (summed over seeds: each seed's gradient is its own), the
  // gradients' L2 norm (float64, unread) and their clip to a global norm (tensor_utils.h).
  torch::Tensor mse(const torch::Tensor& q, const torch::Tensor& y) const;
  torch::Tensor batch_mean(const torch::Tensor& x) const;
  void backward(const torch::Tensor& loss) const;
  torch::Tensor grad_norms(const std::vector<torch::Tensor>& params) const;
  void clip_grads(const std::vector<torch::Tensor>& params, double max_norm) const;

  // Runs each closure (a critic's forward and loss) and the backward pass of its loss. With
  // critic_threads = 2 the closures run at the same time on two threads: twin critics are independent graphs,
  // so their passes can use both cores (docs/benchmarks.md). Returns the losses in order.
  std::vector<torch::Tensor> backward_each(const std::vector<std::function<torch::Tensor()>>& losses);

  std::int64_t obs_dim_, act_dim_;
  std::vector<std::int64_t> hidden_;
  double gamma_, tau_;
  std::int64_t batch_size_;
  Rng rng_;  // exploration noise, target noise, sampling: every random draw after the initial weights
  std::unique_ptr<ThreadPool> critic_pool_;  // with critic_threads > 1
  const std::int64_t population_;            // 0, or the seeds this stacked learner updates

 private:
  friend class LearnerPopulation;
  // One captured variant: its graph, the fixed input tensors its update reads, the statistics it writes.
  struct GraphInput {
    bool is_batch = false;
    Batch batch;          // a batch's columns
    torch::Tensor noise;  // or a noise draw
  };
  struct CapturedUpdate {
    std::unique_ptr<nn::CudaGraph> graph;
    int warm_ups = 0;
    bool captured = false;
    std::vector<GraphInput> inputs;
    std::vector<std::pair<std::string, torch::Tensor>> stats;
  };
  enum class DrawMode { draw, draw_and_record, replay_inputs };
  bool graphs_wanted();
  // A batch of this learner's own draw on its device with its learning rewards, or the draw of `draws_`.
  Batch draw_batch();
  // draw_batch in two halves, so a population moves its seeds' draws in one copy: the buffer's sample (on the
  // host), then the learning rewards of a batch already on the device (the imitation's, where there is one).
  Batch draw_host_batch();
  void set_learning_rewards(Batch& on_device);
  torch::Tensor draw_noise(std::int64_t rows, std::int64_t cols);
  void fill_inputs(CapturedUpdate& update);

  // Set by a population: a seed's learner counts its updates and leaves them to the population (its counters
  // follow the stacked learner's); the stacked learner draws from `draws` (the seeds' own, stacked).
  struct DrawSource {
    std::function<Batch()> batch;
    std::function<torch::Tensor(std::int64_t, std::int64_t)> noise;
  };
  bool defer_updates_ = false;
  std::int64_t deferred_updates_ = 0;
  std::optional<DrawSource> draws_;

  ReplayBuffer buffer_;
  std::int64_t start_steps_, updates_per_step_;
  std::int64_t steps_ = 0;
  int batches_sampled_ = 0;
  std::vector<double> action_buffer_;
  bool cuda_graphs_;
  std::optional<bool> graphs_usable_;  // decided at the first update on a GPU
  std::map<std::int64_t, CapturedUpdate> graphs_;
  DrawMode draw_mode_ = DrawMode::draw;
  CapturedUpdate* drawing_for_ = nullptr;
  std::size_t next_input_ = 0;
  std::int64_t graph_replays_ = 0;
};

}  // namespace credo::rl
