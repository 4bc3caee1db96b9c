#include "credo/run/episode_checkpoint.h"

#include "credo/nn/archive.h"

namespace credo::run {

namespace {

constexpr const char* kKey = "episode";

torch::Tensor tensor_of(const std::vector<double>& values) {
  return torch::tensor(values, torch::kFloat64);
}

std::vector<double> values_of(const torch::Tensor& tensor) {
  const auto t = tensor.to(torch::kFloat64).contiguous();
  return {t.data_ptr<double>(), t.data_ptr<double>() + t.numel()};
}

}  // namespace

void EpisodeCheckpoint::save(torch::serialize::OutputArchive& archive) const {
  torch::serialize::OutputArchive a;
  a.write("physics", tensor_of(env.physics));
  a.write("observation", tensor_of(env.observation));
  a.write("info", tensor_of(env.info));
  nn::write_value(a, "elapsed_steps", env.elapsed_steps);
  nn::write_value(a, "rng", env.rng);
  nn::write_value(a, "episode_return", episode_return);
  nn::write_value(a, "episode_length", episode_length);
  nn::write_value(a, "row_return_sum", row_return_sum);
  nn::write_value(a, "row_length_sum", row_length_sum);
  nn::write_value(a, "row_episodes", row_episodes);
  archive.write(kKey, a);
}

std::optional<EpisodeCheckpoint> EpisodeCheckpoint::load(torch::serialize::InputArchive& archive) {
  torch::serialize::InputArchive a;
  if (!archive.try_read(kKey, a)) return std::nullopt;
  EpisodeCheckpoint e;
  torch::Tensor t;
  a.read("physics", t);
  e.env.physics = values_of(t);
  a.read("observation", t);
  e.env.observation = values_of(t);
  a.read("info", t);
  e.env.info = values_of(t);
  e.env.elapsed_steps = nn::read_int(a, "elapsed_steps");
  e.env.rng = nn::read_string(a, "rng");
  e.episode_return = nn::read_double(a, "episode_return");
  e.episode_length = nn::read_int(a, "episode_length");
  e.row_return_sum = nn::read_double(a, "row_return_sum");
  e.row_length_sum = nn::read_double(a, "row_length_sum");
  e.row_episodes = nn::read_int(a, "row_episodes");
  return e;
}

}  // namespace credo::run
