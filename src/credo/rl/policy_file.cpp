#include "credo/rl/policy_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/core/input_file.h"
#include "credo/core/zip_checksums.h"
#include "credo/nn/archive.h"
#include "credo/nn/policy_heads.h"

namespace credo::rl {

namespace {

constexpr const char* kFormat = "credo-policy-1";

torch::Tensor to_tensor(std::span<const double> values) {
  return torch::tensor(std::vector<double>(values.begin(), values.end()), torch::kFloat64);
}

std::vector<double> to_vector(const torch::Tensor& t) {
  const auto c = t.to(torch::kFloat64).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

}  // namespace

void write_policy_head(torch::serialize::OutputArchive& archive, const PolicyHead& head,
                       const torch::nn::Module& actor) {
  nn::write_value(archive, "head", head.head);
  nn::write_value(archive, "obs_dim", head.obs_dim);
  nn::write_value(archive, "act_dim", head.act_dim);
  nn::write_value(archive, "hidden", c10::IValue(head.hidden));
  nn::write_value(archive, "activation", head.activation);
  nn::write_value(archive, "obs_clip", head.obs_clip);
  nn::write_value(archive, "normalize_obs", head.obs_normalizer.has_value());
  if (head.obs_normalizer) {
    torch::serialize::OutputArchive normalizer;
    head.obs_normalizer->save(normalizer);
    archive.write("obs_normalizer", normalizer);
  }
  nn::write_module(archive, "actor", actor);
}

void save_policy_file(const std::filesystem::path& path, const std::string& env_id, const std::string& algo,
                      std::span<const double> action_low, std::span<const double> action_high,
                      const std::function<void(torch::serialize::OutputArchive&)>& write_head) {
  torch::serialize::OutputArchive archive;
  nn::write_value(archive, "format", std::string(kFormat));
  nn::write_value(archive, "env", env_id);
  nn::write_value(archive, "algo", algo);
  archive.write("action_low", to_tensor(action_low));
  archive.write("action_high", to_tensor(action_high));
  write_head(archive);
  std::ostringstream bytes;
  archive.save_to(bytes);
  write_file_atomically(path, bytes.str());
}

Policy Policy::load(const std::filesystem::path& path) {
  require_readable_file(path, "policy file", "pass a final_policy.pt from a run folder");
  Policy policy;
  try {
    verify_zip_checksums(path);
    torch::serialize::InputArchive archive;
    archive.load_from(path.string(), torch::kCPU);  // written on any device, read anywhere
    if (nn::read_string(archive, "format") != kFormat) throw std::runtime_error("unknown format");
    policy.env_id_ = nn::read_string(archive, "env");
    policy.algo_ = nn::read_string(archive, "algo");
    torch::Tensor low, high;
    archive.read("action_low", low);
    archive.read("action_high", high);
    policy.action_low_ = to_vector(low);
    policy.action_high_ = to_vector(high);
    PolicyHead& h = policy.head_;
    h.head = nn::read_string(archive, "head");
    h.obs_dim = nn::read_int(archive, "obs_dim");
    h.act_dim = nn::read_int(archive, "act_dim");
    h.hidden = nn::read_ints(archive, "hidden");
    h.activation = nn::read_string(archive, "activation");
    h.obs_clip = nn::read_double(archive, "obs_clip");
    c10::IValue normalize;
    archive.read("normalize_obs", normalize);
    if (normalize.toBool()) {
      h.obs_normalizer.emplace(static_cast<std::size_t>(h.obs_dim));
      torch::serialize::InputArchive normalizer;
      archive.read("obs_normalizer", normalizer);
      h.obs_normalizer->load(normalizer);
    }
    const auto activation = nn::parse_activation(h.activation);
    if (h.head == "deterministic") {
      policy.actor_ =
          std::make_shared<nn::DeterministicActorImpl>(h.obs_dim, h.act_dim, h.hidden, activation);
    } else if (h.head == "squashed_gaussian") {
      policy.actor_ =
          std::make_shared<nn::SquashedGaussianActorImpl>(h.obs_dim, h.act_dim, h.hidden, activation);
    } else if (h.head == "double_deterministic") {
      policy.actor_ = std::make_shared<nn::DoubleActorImpl>(h.obs_dim, h.act_dim, h.hidden, activation);
    } else if (h.head == "gaussian") {
      policy.actor_ = std::make_shared<nn::GaussianActorImpl>(h.obs_dim, h.act_dim, h.hidden, activation);
    } else {
      throw std::runtime_error("unknown policy head '" + h.head + "'");
    }
    nn::read_module(archive, "actor", *policy.actor_);
    if (static_cast<std::int64_t>(policy.action_low_.size()) != h.act_dim) {
      throw std::runtime_error("action bounds do not match the action size");
    }
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    throw UsageError(
        fmt::format("policy file '{}' is not a valid credo policy ({}); pass a final_policy.pt written "
                    "by `credo train`",
                    path.string(), what));
  }
  policy.actor_->eval();
  return policy;
}

torch::Tensor Policy::act_normalized(const torch::Tensor& raw_obs) {
  torch::NoGradGuard no_grad;
  auto obs = raw_obs;
  if (head_.obs_normalizer) obs = head_.obs_normalizer->normalize(obs, head_.obs_clip);
  return head_action(obs);
}

torch::Tensor Policy::head_action(const torch::Tensor& obs) {
  torch::NoGradGuard no_grad;
  if (head_.head == "deterministic") {
    return std::static_pointer_cast<nn::DeterministicActorImpl>(actor_)->forward(obs);
  }
  if (head_.head == "double_deterministic") {
    return std::static_pointer_cast<nn::DoubleActorImpl>(actor_)->forward(obs);
  }
  if (head_.head == "squashed_gaussian") {
    return std::static_pointer_cast<nn::SquashedGaussianActorImpl>(actor_)->deterministic(obs);
  }
  return std::static_pointer_cast<nn::GaussianActorImpl>(actor_)->mean(obs).clamp(-1.0, 1.0);
}

std::vector<float> Policy::act(std::span<const double> obs) {
  // Normalised in double before the cast to float, as the learners do, so the file acts exactly as they did.
  std::vector<double> input(obs.begin(), obs.end());
  if (head_.obs_normalizer) head_.obs_normalizer->normalize(obs, input, head_.obs_clip);
  auto t = torch::empty({1, head_.obs_dim});
  std::copy(input.begin(), input.end(), t.data_ptr<float>());
  const auto a = head_action(t).contiguous();
  std::vector<float> env_action(action_low_.size());
  to_env_action({a.data_ptr<float>(), env_action.size()}, action_low_, action_high_, env_action);
  return env_action;
}

void to_env_action(std::span<const float> normalized, std::span<const double> low,
                   std::span<const double> high, std::span<float> out) {
  for (std::size_t i = 0; i < normalized.size(); ++i) {
    const double a = std::clamp(static_cast<double>(normalized[i]), -1.0, 1.0);
    out[i] = static_cast<float>(low[i] + 0.5 * (a + 1.0) * (high[i] - low[i]));
  }
}

}  // namespace credo::rl
