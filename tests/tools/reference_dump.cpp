// credo_reference_dump ALGO OUT.pt: runs a learner's update on synthetic data and writes every input, traced
// intermediate (targets, noise, losses) and the weights before and after each update to OUT.pt (a pickled
// dict of tensors that Python's torch.load reads). tests/python/test_learner_reference.py recomputes each
// quantity with PyTorch from the same weights and batch.
//
// ALGO "td3_dac" is td3 with DAC's actor additions (gradient clip, decayed rate); "discriminator" is one
// update of the GAIL discriminator with DAC's gradient penalty and weighted expert samples.
#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "credo/config/defaults.h"
#include "credo/core/rng.h"
#include "credo/gail/discriminator.h"
#include "credo/rl/learner.h"
#include "credo/rl/off_policy_learner.h"

namespace {

constexpr std::int64_t kObs = 11, kAct = 3;

void snapshot(c10::Dict<std::string, at::Tensor>& out, const std::string& prefix,
              credo::rl::Learner& learner) {
  for (const auto& [name, module] : learner.modules()) {
    for (const auto& p : module->named_parameters())
      out.insert(prefix + name + "." + p.key(), p.value().detach().clone());
  }
}

std::vector<double> random_vector(credo::Rng& rng, std::int64_t n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = rng.normal();
  return v;
}

// One discriminator update on a synthetic batch: inputs, interpolation weights, weights before and after,
// gradients, loss and penalty.
void dump_discriminator(c10::Dict<std::string, at::Tensor>& out) {
  constexpr std::int64_t kDiscObs = kObs + 1, kBatch = 16;  // with the absorbing indicator
  credo::gail::Discriminator disc(kDiscObs, kAct, {32, 32}, credo::nn::Activation::tanh, 1e-3, 10.0);
  for (const auto& p : disc.net()->named_parameters()) out.insert("init." + p.key(), p.value().detach().clone());
  const auto expert_obs = torch::randn({kBatch, kDiscObs}) * 3.0;
  const auto expert_actions = torch::rand({kBatch, kAct}) * 2 - 1;
  auto weights = torch::ones({kBatch, 1});
  weights.index_put_({torch::indexing::Slice(0, 4)}, 1.0 / 20.0);  // four absorbing rows at rate 20
  const auto policy_obs = torch::randn({kBatch, kDiscObs});
  const auto policy_actions = torch::rand({kBatch, kAct}) * 2 - 1;
  credo::Rng rng(17);
  credo::Rng copy = rng;  // the update draws one uniform per sample from it: the interpolation weights
  std::vector<float> alpha(kBatch);
  for (auto& a : alpha) a = static_cast<float>(copy.uniform01());
  const auto result = disc.update(expert_obs, expert_actions, weights, policy_obs, policy_actions, rng);
  out.insert("expert_obs", expert_obs);
  out.insert("expert_actions", expert_actions);
  out.insert("expert_weights", weights);
  out.insert("policy_obs", policy_obs);
  out.insert("policy_actions", policy_actions);
  out.insert("alpha", torch::from_blob(alpha.data(), {kBatch, 1}).clone());
  out.insert("loss", result.loss.cpu());
  out.insert("penalty", result.penalty.cpu());
  for (const auto& p : disc.net()->named_parameters()) {
    out.insert("after." + p.key(), p.value().detach().clone());
    out.insert("grad." + p.key(), p.value().grad().clone());
  }
}

int write(const c10::Dict<std::string, at::Tensor>& out, const char* path) {
  const auto bytes = torch::pickle_save(c10::IValue(out));
  std::ofstream file(path, std::ios::binary);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return file ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: credo_reference_dump ALGO OUT.pt\n");
    return 2;
  }
  const std::string name = argv[1];
  torch::set_num_threads(1);
  torch::manual_seed(3);
  c10::Dict<std::string, at::Tensor> out;
  if (name == "discriminator") {
    dump_discriminator(out);
    return write(out, argv[2]);
  }
  const bool dac = name == "td3_dac";
  const std::string algo = dac ? "td3" : name;
  auto c = credo::config::default_config(algo, "Hopper-v5");
  const std::string where = "reference_dump";
  if (dac) {  // a clip small enough to act, and two halvings of the actor's rate by step 200
    c.override_from_text("actor_grad_clip", "0.002", where);
    c.override_from_text("lr_actor_decay", "0.5", where);
    c.override_from_text("lr_actor_decay_steps", "100", where);
  }
  c.override_from_text("hidden", "32,32", where);
  if (algo == "ppo") {
    c.override_from_text("n_steps", "64", where);
    c.override_from_text("minibatch_size", "16", where);
    c.override_from_text("epochs", "2", where);
  } else {
    c.override_from_text("batch_size", "16", where);
    c.override_from_text("start_steps", "1000000", where);
    c.override_from_text("buffer_size", "1000", where);
  }
  if (algo == "sd3") c.override_from_text("noise_samples", "5", where);
  auto learner = credo::rl::make_learner({kObs, kAct, c, 5, 640});

  for (const auto& [key, value] : c.entries()) {
    if (const auto* d = std::get_if<double>(&value))
      out.insert("config." + key, torch::tensor(*d, torch::kFloat64));
    if (const auto* i = std::get_if<std::int64_t>(&value))
      out.insert("config." + key, torch::tensor(static_cast<double>(*i), torch::kFloat64));
    if (const auto* b = std::get_if<bool>(&value))
      out.insert("config." + key, torch::tensor(*b ? 1.0 : 0.0, torch::kFloat64));
  }
  snapshot(out, "init.", *learner);

  credo::Rng rng(11);
  std::map<std::string, torch::Tensor> trace;
  std::vector<float> action(kAct);
  const auto dump_trace = [&](const std::string& prefix) {
    for (const auto& [key, tensor] : trace) out.insert(prefix + key, tensor);
    trace.clear();
  };
  if (algo == "ppo") {
    learner->set_trace(&trace);
    auto obs = random_vector(rng, kObs);
    for (int t = 0; t < 64; ++t) {
      learner->act(obs, true, action);
      const auto next = random_vector(rng, kObs);
      const bool terminated = rng.uniform01() < 0.05;
      learner->observe({obs, action, rng.normal(), next, terminated, false});
      obs = terminated ? random_vector(rng, kObs) : next;
    }
    dump_trace("step0.");
    snapshot(out, "after0.", *learner);
  } else {
    auto* off = dynamic_cast<credo::rl::OffPolicyLearner*>(learner.get());
    for (int t = 0; t < 200; ++t) {
      const auto obs = random_vector(rng, kObs);
      for (auto& a : action) a = static_cast<float>(rng.uniform(-1.0, 1.0));
      const auto next = random_vector(rng, kObs);
      off->observe({obs, action, rng.normal(), next, rng.uniform01() < 0.1, false});
    }
    learner->set_trace(&trace);
    const int steps = (algo == "td3" || algo == "tssg") ? 2 : 1;
    for (int k = 0; k < steps; ++k) {
      off->train_now();
      dump_trace("step" + std::to_string(k) + ".");
      snapshot(out, "after" + std::to_string(k) + ".", *learner);
    }
  }
  return write(out, argv[2]);
}
