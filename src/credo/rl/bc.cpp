// Behavioural cloning (Pomerleau 1991; the baseline every imitation result is read against): a deterministic
// policy a = tanh(MLP(s)) regressed onto the expert's normalised actions by mean squared error, with Adam on
// uniform minibatches of the demonstrations. It never acts in the env while learning: each of the run's
// `steps` is one gradient step, and the env only evaluates.
//
// Config keys: hidden, lr, batch_size.
#include <fmt/format.h>

#include "credo/core/error.h"
#include "credo/core/rng.h"
#include "credo/demos/expert_transitions.h"
#include "credo/nn/adam.h"
#include "credo/nn/policy_heads.h"
#include "credo/nn/tensor_utils.h"
#include "credo/rl/learners.h"
#include "credo/rl/policy_file.h"

namespace credo::rl {

namespace {

torch::Tensor rows(const std::vector<float>& values, std::int64_t count, std::int64_t width) {
  return torch::from_blob(const_cast<float*>(values.data()), {count, width}).clone();
}

class BehaviouralCloning final : public Learner {
 public:
  BehaviouralCloning(const LearnerContext& c, const BcOptions& o)
      : Learner({"loss_bc", "grad_norm_actor"}),
        obs_dim_(c.obs_dim),
        act_dim_(c.act_dim),
        hidden_(o.hidden),
        batch_size_(o.batch_size),
        rng_(c.seed ^ 0x9e3779b97f4a7c15ULL),
        actor_(obs_dim_, act_dim_, hidden_) {
    if (c.expert == nullptr) {
      throw UsageError("--algo bc clones demonstrations: add --demos FILE (see `credo demos info`)");
    }
    if (c.expert->obs_width != obs_dim_ || c.expert->act_dim != act_dim_) {
      throw std::logic_error("bc: expert transitions of another size than the env's");
    }
    expert_obs_ = rows(c.expert->observations, c.expert->rows(), obs_dim_);
    expert_actions_ = rows(c.expert->actions, c.expert->rows(), act_dim_);
    optimizer_ = std::make_unique<nn::Adam>(actor_->parameters(), o.lr);
  }

  bool offline() const override { return true; }

  void offline_update() override {
    if (expert_obs_.device() != device()) {  // the demonstrations follow the networks once
      expert_obs_ = on_device(expert_obs_);
      expert_actions_ = on_device(expert_actions_);
    }
    std::vector<std::int64_t> index(static_cast<std::size_t>(batch_size_));
    for (auto& i : index)
      i = static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(expert_obs_.size(0))));
    const auto idx = on_device(torch::tensor(index));
    const auto loss = torch::mse_loss(actor_->forward(expert_obs_.index_select(0, idx)),
                                      expert_actions_.index_select(0, idx));
    optimizer_->zero_grad();
    loss.backward();
    stats_.add("grad_norm_actor", nn::grad_norm(actor_->parameters()));
    optimizer_->step();
    stats_.add("loss_bc", loss.item<double>());
    ++updates_;
  }

  void act(std::span<const double> obs, bool, std::span<float> action) override {
    torch::NoGradGuard no_grad;
    const auto a = actor_->forward(on_device(nn::row_tensor(obs))).to(torch::kCPU).contiguous();
    std::copy_n(a.data_ptr<float>(), action.size(), action.begin());
  }
  void observe(const Transition&) override {}

  void describe_state(nn::StateTable& state) override {
    state.module("actor", *actor_);
    state.rng("rng", rng_);
    state.optimizer("actor_opt", *optimizer_);
  }
  void save_policy(torch::serialize::OutputArchive& archive) const override {
    write_policy_head(archive, {"deterministic", obs_dim_, act_dim_, hidden_, "relu", std::nullopt, 0.0},
                      *actor_);
  }

 private:
  std::int64_t obs_dim_, act_dim_;
  std::vector<std::int64_t> hidden_;
  std::int64_t batch_size_;
  Rng rng_;
  nn::DeterministicActor actor_;
  std::unique_ptr<nn::Adam> optimizer_;
  torch::Tensor expert_obs_, expert_actions_;
};

}  // namespace

std::unique_ptr<Learner> make_bc(const LearnerContext& context, const BcOptions& options) {
  return std::make_unique<BehaviouralCloning>(context, options);
}

}  // namespace credo::rl
