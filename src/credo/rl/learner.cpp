#include "credo/rl/learner.h"

#include "credo/rl/learners.h"

namespace credo::rl {

void Learner::save(torch::serialize::OutputArchive& archive) {
  nn::StateTable state;
  state.integer("updates", updates_);
  describe_state(state);
  state.save(archive);
}

void Learner::load(torch::serialize::InputArchive& archive) {
  nn::StateTable state;
  state.integer("updates", updates_);
  describe_state(state);
  state.load(archive);
  state.to(device_);  // checkpoints load into host memory (nn/device.h: portable between machines)
  after_load();
}

void Learner::to(torch::Device device) {
  nn::StateTable state;
  describe_state(state);
  state.to(device);
  device_ = device;
}

nn::StateTable Learner::state_table() {
  nn::StateTable state;
  describe_state(state);
  return state;
}

std::vector<std::pair<std::string, torch::nn::Module*>> Learner::modules() {
  return state_table().modules();
}
std::vector<std::pair<std::string, nn::Adam*>> Learner::optimizers() {
  return state_table().optimizers();
}
std::vector<std::pair<std::string, std::int64_t*>> Learner::counters() {
  return state_table().integers();
}
std::vector<std::pair<std::string, torch::Tensor*>> Learner::state_tensors() {
  return state_table().tensors();
}

std::unique_ptr<Learner> make_learner(const LearnerContext& context) {
  const auto options = LearnerOptions::read(config::OptionReader(context.config));
  const auto make = [&](const auto& o) -> std::unique_ptr<Learner> {
    using O = std::decay_t<decltype(o)>;
    if constexpr (std::is_same_v<O, Td3Options>)
      return make_td3(context, o);  // td3 and ddpg
    else if constexpr (std::is_same_v<O, Sd3Options>)
      return make_sd3(context, o);
    else if constexpr (std::is_same_v<O, SacOptions>)
      return make_sac(context, o);
    else if constexpr (std::is_same_v<O, TssgOptions>)
      return make_tssg(context, o);
    else if constexpr (std::is_same_v<O, PpoOptions>)
      return make_ppo(context, o);
    else
      return make_bc(context, o);
  };
  auto learner = std::visit(make, options.of);
  learner->to(context.device);
  return learner;
}

}  // namespace credo::rl
