#include "credo/rl/rollout_buffer.h"

#include <stdexcept>

namespace credo::rl {

void compute_gae(std::span<const float> rewards, std::span<const float> values, std::span<const float> ended,
                 float last_value, double gamma, double lambda, std::span<float> advantages,
                 std::span<float> returns) {
  const std::size_t n = rewards.size();
  double next_advantage = 0.0;
  for (std::size_t k = n; k-- > 0;) {
    const double next_value = k + 1 < n ? values[k + 1] : last_value;
    const double not_ended = 1.0 - ended[k];
    const double delta = rewards[k] + gamma * next_value * not_ended - values[k];
    next_advantage = delta + gamma * lambda * not_ended * next_advantage;
    advantages[k] = static_cast<float>(next_advantage);
    returns[k] = static_cast<float>(next_advantage + values[k]);
  }
}

RolloutBuffer::RolloutBuffer(std::int64_t capacity, std::int64_t obs_dim, std::int64_t act_dim)
    : observations(torch::zeros({capacity, obs_dim})),
      raw_observations(torch::zeros({capacity, obs_dim})),
      actions(torch::zeros({capacity, act_dim})),
      raw_next_observations(torch::zeros({capacity, obs_dim})),
      capacity_(capacity),
      obs_dim_(obs_dim),
      act_dim_(act_dim) {
  for (auto* v : {&log_probs, &values, &rewards, &terminated, &truncated})
    v->resize(static_cast<std::size_t>(capacity));
}

void RolloutBuffer::add(std::span<const double> obs, std::span<const double> raw_obs,
                        std::span<const float> action, float log_prob, float value, float reward,
                        std::span<const double> raw_next_obs, bool is_terminated, bool is_truncated) {
  if (full()) throw std::logic_error("rollout buffer is full");
  const auto k = static_cast<std::size_t>(size_);
  float* o = observations.data_ptr<float>() + size_ * obs_dim_;
  float* ro = raw_observations.data_ptr<float>() + size_ * obs_dim_;
  float* rn = raw_next_observations.data_ptr<float>() + size_ * obs_dim_;
  for (std::int64_t j = 0; j < obs_dim_; ++j) {
    o[j] = static_cast<float>(obs[static_cast<std::size_t>(j)]);
    ro[j] = static_cast<float>(raw_obs[static_cast<std::size_t>(j)]);
    rn[j] = static_cast<float>(raw_next_obs[static_cast<std::size_t>(j)]);
  }
  float* a = actions.data_ptr<float>() + size_ * act_dim_;
  for (std::int64_t j = 0; j < act_dim_; ++j) a[j] = action[static_cast<std::size_t>(j)];
  log_probs[k] = log_prob;
  values[k] = value;
  rewards[k] = reward;
  terminated[k] = is_terminated ? 1.0f : 0.0f;
  truncated[k] = is_truncated ? 1.0f : 0.0f;
  ++size_;
}

namespace {

torch::Tensor first_values(const std::vector<float>& v, std::int64_t n) {
  return torch::tensor(std::vector<float>(v.begin(), v.begin() + n));
}

void read_values(torch::serialize::InputArchive& archive, const std::string& key, std::vector<float>& v,
                 std::int64_t n) {
  torch::Tensor t;
  archive.read(key, t);
  const auto c = t.to(torch::kFloat32).contiguous();
  if (c.numel() != n) throw std::runtime_error("rollout checkpoint entry '" + key + "' has the wrong size");
  std::copy_n(c.data_ptr<float>(), n, v.begin());
}

}  // namespace

void RolloutBuffer::save(torch::serialize::OutputArchive& archive) const {
  archive.write("dims", torch::tensor({capacity_, obs_dim_, act_dim_, size_}));
  for (const auto& [key, rows] : {std::pair{"observations", &observations},
                                  {"raw_observations", &raw_observations},
                                  {"actions", &actions},
                                  {"raw_next_observations", &raw_next_observations}}) {
    archive.write(key, rows->slice(0, 0, size_).clone());
  }
  for (const auto& [key, v] : {std::pair{"log_probs", &log_probs},
                               {"values", &values},
                               {"rewards", &rewards},
                               {"terminated", &terminated},
                               {"truncated", &truncated}}) {
    archive.write(key, first_values(*v, size_));
  }
  std::vector<std::int64_t> rows;
  std::vector<float> bootstrap;
  for (const auto& [row, value] : truncation_values) {
    rows.push_back(row);
    bootstrap.push_back(value);
  }
  archive.write("truncation_rows", torch::tensor(rows, torch::kInt64));
  archive.write("truncation_values", torch::tensor(bootstrap, torch::kFloat32));
}

void RolloutBuffer::load(torch::serialize::InputArchive& archive) {
  torch::Tensor dims;
  archive.read("dims", dims);
  const auto* d = dims.data_ptr<std::int64_t>();
  if (d[0] != capacity_ || d[1] != obs_dim_ || d[2] != act_dim_ || d[3] < 0 || d[3] > capacity_) {
    throw std::runtime_error("rollout checkpoint was made with other sizes");
  }
  size_ = d[3];
  for (const auto& [key, rows] : {std::pair{"observations", &observations},
                                  {"raw_observations", &raw_observations},
                                  {"actions", &actions},
                                  {"raw_next_observations", &raw_next_observations}}) {
    torch::Tensor t;
    archive.read(key, t);
    if (t.size(0) != size_)
      throw std::runtime_error(std::string("rollout checkpoint entry '") + key + "' has the wrong size");
    rows->slice(0, 0, size_).copy_(t);
  }
  for (const auto& [key, v] : {std::pair{"log_probs", &log_probs},
                               {"values", &values},
                               {"rewards", &rewards},
                               {"terminated", &terminated},
                               {"truncated", &truncated}}) {
    read_values(archive, key, *v, size_);
  }
  torch::Tensor rows, bootstrap;
  archive.read("truncation_rows", rows);
  archive.read("truncation_values", bootstrap);
  truncation_values.clear();
  for (std::int64_t i = 0; i < rows.numel(); ++i) {
    truncation_values.emplace_back(rows[i].item<std::int64_t>(), bootstrap[i].item<float>());
  }
}

}  // namespace credo::rl
