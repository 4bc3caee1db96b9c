#include "credo/rl/replay_buffer.h"

#include <stdexcept>
#include <string>

namespace credo::rl {

namespace {

void put(std::vector<float>& store, std::size_t row, std::span<const double> values) {
  const std::size_t width = values.size();
  for (std::size_t j = 0; j < width; ++j) store[row * width + j] = static_cast<float>(values[j]);
}

}  // namespace

ReplayBuffer::ReplayBuffer(std::size_t obs_dim, std::size_t act_dim, std::size_t capacity)
    : obs_dim_(obs_dim), act_dim_(act_dim), capacity_(capacity) {
  if (capacity == 0) throw std::invalid_argument("replay buffer capacity must be positive");
  observations_.resize(capacity * obs_dim);
  next_observations_.resize(capacity * obs_dim);
  actions_.resize(capacity * act_dim);
  rewards_.resize(capacity);
  terminated_.resize(capacity);
  truncated_.resize(capacity);
}

void ReplayBuffer::add(std::span<const double> obs, std::span<const double> action, double reward,
                       std::span<const double> next_obs, bool terminated, bool truncated) {
  if (obs.size() != obs_dim_ || next_obs.size() != obs_dim_ || action.size() != act_dim_) {
    throw std::invalid_argument("replay buffer expects observations of " + std::to_string(obs_dim_) +
                                " and actions of " + std::to_string(act_dim_) + " values");
  }
  put(observations_, next_, obs);
  put(next_observations_, next_, next_obs);
  put(actions_, next_, action);
  rewards_[next_] = static_cast<float>(reward);
  terminated_[next_] = terminated ? 1.0f : 0.0f;
  truncated_[next_] = truncated ? 1.0f : 0.0f;
  next_ = (next_ + 1) % capacity_;
  if (size_ < capacity_) ++size_;
}

Batch ReplayBuffer::sample(std::size_t batch_size, Rng& rng) const {
  if (size_ == 0) throw std::logic_error("cannot sample from an empty replay buffer");
  const auto b = static_cast<std::int64_t>(batch_size);
  const auto o = static_cast<std::int64_t>(obs_dim_);
  const auto a = static_cast<std::int64_t>(act_dim_);
  Batch batch;
  batch.observations = torch::empty({b, o});
  batch.next_observations = torch::empty({b, o});
  batch.actions = torch::empty({b, a});
  batch.rewards = torch::empty({b, 1});
  batch.terminated = torch::empty({b, 1});
  batch.truncated = torch::empty({b, 1});
  float* obs = batch.observations.data_ptr<float>();
  float* next_obs = batch.next_observations.data_ptr<float>();
  float* act = batch.actions.data_ptr<float>();
  float* rew = batch.rewards.data_ptr<float>();
  float* term = batch.terminated.data_ptr<float>();
  float* trunc = batch.truncated.data_ptr<float>();
  batch.indices.resize(batch_size);
  for (std::size_t i = 0; i < batch_size; ++i) {
    const std::size_t k = rng.below(size_);
    batch.indices[i] = static_cast<std::int64_t>(k);
    std::copy_n(observations_.begin() + static_cast<std::ptrdiff_t>(k * obs_dim_), obs_dim_,
                obs + i * obs_dim_);
    std::copy_n(next_observations_.begin() + static_cast<std::ptrdiff_t>(k * obs_dim_), obs_dim_,
                next_obs + i * obs_dim_);
    std::copy_n(actions_.begin() + static_cast<std::ptrdiff_t>(k * act_dim_), act_dim_, act + i * act_dim_);
    rew[i] = rewards_[k];
    term[i] = terminated_[k];
    trunc[i] = truncated_[k];
  }
  return batch;
}

Batch Batch::to(torch::Device device) const {
  if (device == observations.device()) return *this;
  const std::vector<torch::Tensor> parts = {observations,      actions,    rewards,
                                            next_observations, terminated, truncated};
  const auto moved = torch::cat(parts, -1).to(device);  // [B, columns], or a population's [N, B, columns]
  Batch out;
  out.indices = indices;
  std::vector<torch::Tensor*> targets = {&out.observations,      &out.actions,    &out.rewards,
                                         &out.next_observations, &out.terminated, &out.truncated};
  std::int64_t column = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    *targets[i] = moved.narrow(-1, column, parts[i].size(-1));
    column += parts[i].size(-1);
  }
  return out;
}

namespace {

// A view of the stored rows, not a copy: the archive is written before the buffer changes again.
torch::Tensor rows_tensor(const std::vector<float>& store, std::size_t rows, std::size_t width) {
  return torch::from_blob(const_cast<float*>(store.data()),
                          {static_cast<std::int64_t>(rows), static_cast<std::int64_t>(width)});
}

void read_rows(torch::serialize::InputArchive& archive, const std::string& key, std::vector<float>& store,
               std::size_t rows, std::size_t width) {
  torch::Tensor t;
  archive.read(key, t);
  if (t.numel() != static_cast<std::int64_t>(rows * width)) {
    throw std::runtime_error("replay buffer checkpoint: '" + key + "' has the wrong size");
  }
  std::copy_n(t.contiguous().data_ptr<float>(), rows * width, store.begin());
}

}  // namespace

void ReplayBuffer::save(torch::serialize::OutputArchive& archive) const {
  archive.write("dims",
                torch::tensor({static_cast<std::int64_t>(obs_dim_), static_cast<std::int64_t>(act_dim_),
                               static_cast<std::int64_t>(capacity_), static_cast<std::int64_t>(size_),
                               static_cast<std::int64_t>(next_)}));
  archive.write("observations", rows_tensor(observations_, size_, obs_dim_));
  archive.write("next_observations", rows_tensor(next_observations_, size_, obs_dim_));
  archive.write("actions", rows_tensor(actions_, size_, act_dim_));
  archive.write("rewards", rows_tensor(rewards_, size_, 1));
  archive.write("terminated", rows_tensor(terminated_, size_, 1));
  archive.write("truncated", rows_tensor(truncated_, size_, 1));
}

void ReplayBuffer::load(torch::serialize::InputArchive& archive) {
  torch::Tensor dims;
  archive.read("dims", dims);
  const auto* d = dims.data_ptr<std::int64_t>();
  if (static_cast<std::size_t>(d[0]) != obs_dim_ || static_cast<std::size_t>(d[1]) != act_dim_ ||
      static_cast<std::size_t>(d[2]) != capacity_) {
    throw std::runtime_error("replay buffer checkpoint was made with other sizes");
  }
  size_ = static_cast<std::size_t>(d[3]);
  next_ = static_cast<std::size_t>(d[4]);
  read_rows(archive, "observations", observations_, size_, obs_dim_);
  read_rows(archive, "next_observations", next_observations_, size_, obs_dim_);
  read_rows(archive, "actions", actions_, size_, act_dim_);
  read_rows(archive, "rewards", rewards_, size_, 1);
  read_rows(archive, "terminated", terminated_, size_, 1);
  read_rows(archive, "truncated", truncated_, size_, 1);
}

}  // namespace credo::rl
