// credo_reference_dump ALGO OUT.pt: runs a learner's update on synthetic data and writes every input, traced
// intermediate (targets, noise, losses) and the weights before and after each update to OUT.pt (a pickled
// dict of tensors that Python's torch.load reads). tests/python/test_learner_reference.py recomputes each
// quantity with PyTorch from the same weights and batch.
#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "credo/config/defaults.h"
#include "credo/core/rng.h"
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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: credo_reference_dump ALGO OUT.pt\n");
    return 2;
  }
  const std::string algo = argv[1];
  torch::set_num_threads(1);
  torch::manual_seed(3);
  auto c = credo::config::default_config(algo, "Hopper-v5");
  const std::string where = "reference_dump";
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

  c10::Dict<std::string, at::Tensor> out;
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
    for (const auto& [name, tensor] : trace) out.insert(prefix + name, tensor);
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
  const auto bytes = torch::pickle_save(c10::IValue(out));
  std::ofstream file(argv[2], std::ios::binary);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return file ? 0 : 1;
}
