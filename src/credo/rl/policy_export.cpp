#include "credo/rl/policy_export.h"

#include <fmt/format.h>
#include <torch/script.h>

#include <sstream>

#include "credo/core/atomic_file.h"

namespace credo::rl {

namespace {

// TorchScript source of one MLP (credo's nn::Mlp: Linear layers named fc0, fc1, ...) whose weights are
// buffers named prefix + "fc{i}_weight" / "_bias". Each Linear is addmm(bias, x, W^T), as at::linear computes
// it.
std::string mlp_source(const std::string& prefix, std::size_t layers, const std::string& activation,
                       const std::string& output_activation, const std::string& in, const std::string& out) {
  std::string s;
  std::string x = in;
  for (std::size_t i = 0; i < layers; ++i) {
    const std::string act = i + 1 < layers ? activation : output_activation;
    std::string linear =
        fmt::format("torch.addmm(self.{0}fc{1}_bias, {2}, self.{0}fc{1}_weight.t())", prefix, i, x);
    if (act == "relu") linear = "torch.relu(" + linear + ")";
    if (act == "tanh") linear = "torch.tanh(" + linear + ")";
    const std::string target = i + 1 < layers ? fmt::format("{}_h{}", out, i) : out;
    s += fmt::format("    {} = {}\n", target, linear);
    x = target;
  }
  return s;
}

std::string buffer_name(const std::string& parameter) {
  std::string name = parameter;
  for (auto& c : name) {
    if (c == '.') c = '_';
  }
  return name;
}

}  // namespace

void export_torchscript(const Policy& policy, const std::filesystem::path& out) {
  const auto& h = policy.head();
  torch::jit::Module m(c10::QualifiedName("credo.ExportedPolicy"));
  torch::NoGradGuard no_grad;
  for (const auto& p : policy.actor().named_parameters(true)) {
    m.register_buffer(buffer_name(p.key()), p.value().detach().clone());
  }
  m.register_buffer("action_low", torch::tensor(policy.action_low(), torch::kFloat64));
  m.register_buffer("action_high", torch::tensor(policy.action_high(), torch::kFloat64));
  m.register_attribute("env_id", c10::StringType::get(), policy.env_id());
  m.register_attribute("algo", c10::StringType::get(), policy.algo());
  m.register_attribute("obs_dim", c10::IntType::get(), h.obs_dim);
  m.register_attribute("act_dim", c10::IntType::get(), h.act_dim);

  const std::size_t layers = h.hidden.size() + 1;
  std::string src = "def forward(self, obs: Tensor) -> Tensor:\n";
  src += "    single = obs.dim() == 1\n";
  src += "    x = obs.float()\n";
  src += "    if single:\n        x = x.unsqueeze(0)\n";
  if (h.obs_normalizer) {
    const auto& rms = *h.obs_normalizer;
    m.register_buffer("obs_mean", torch::tensor(rms.mean(), torch::kFloat64).unsqueeze(0));
    m.register_buffer("obs_var", torch::tensor(rms.var(), torch::kFloat64).unsqueeze(0));
    src += fmt::format("    z = (x.double() - self.obs_mean) / torch.sqrt(self.obs_var + {:.17g})\n",
                       nn::RunningMeanStd::epsilon);
    if (h.obs_clip > 0)
      src += fmt::format("    z = torch.clamp(z, {0:.17g}, {1:.17g})\n", -h.obs_clip, h.obs_clip);
    src += "    x = z.float()\n";
  }
  if (h.head == "deterministic") {
    src += mlp_source("net_", layers, h.activation, "tanh", "x", "a");
  } else if (h.head == "squashed_gaussian") {
    src += mlp_source("net_", layers, h.activation, "none", "x", "out");
    src += fmt::format("    a = torch.tanh(out[:, 0:{}])\n", h.act_dim);
  } else if (h.head == "gaussian") {
    src += mlp_source("net_", layers, h.activation, "none", "x", "a");
  } else {  // double_deterministic: the action of the actor whose own critic values it higher (SD3)
    src += mlp_source("actor0_net_", layers, h.activation, "tanh", "x", "a0");
    src += mlp_source("actor1_net_", layers, h.activation, "tanh", "x", "a1");
    src += mlp_source("critic0_", layers, h.activation, "none", "torch.cat([x, a0], 1)", "q0");
    src += mlp_source("critic1_", layers, h.activation, "none", "torch.cat([x, a1], 1)", "q1");
    src += "    a = torch.where(q0 >= q1, a0, a1)\n";
  }
  src += "    a64 = torch.clamp(a, -1.0, 1.0).double()\n";
  src += "    y = (self.action_low + 0.5 * (a64 + 1.0) * (self.action_high - self.action_low)).float()\n";
  src += "    if single:\n        y = y.squeeze(0)\n";
  src += "    return y\n";
  m.define(src);
  std::ostringstream bytes;
  m.save(bytes);
  write_file_atomically(out, bytes.str());
}

}  // namespace credo::rl
