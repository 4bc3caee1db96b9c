// credo._learn.RunReward: the learning reward of an imitation run (its discriminator, transform, scale,
// normalisation, clip and absorbing-state value) as the run's learner saw it at its last checkpoint, scored
// on a user's batches without changing anything (gail::AdversarialReward::score).
#include <ATen/CPUGeneratorImpl.h>
#include <pybind11/numpy.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>

#include "credo/core/error.h"
#include "credo/envs/registry.h"
#include "credo/python/learn_bindings.h"
#include "credo/run/imitation_setup.h"
#include "credo/run/run_config.h"

namespace py = pybind11;

namespace credo::python {
namespace {

using Floats = py::array_t<float, py::array::c_style>;
using Doubles = py::array_t<double, py::array::c_style>;

// Restores LibTorch's default CPU generator to its state at construction when it goes out of scope.
class GeneratorStateKept {
 public:
  GeneratorStateKept() : generator_(at::detail::getDefaultCPUGenerator()), state_(generator_.get_state()) {}
  ~GeneratorStateKept() { generator_.set_state(state_); }
  GeneratorStateKept(const GeneratorStateKept&) = delete;
  GeneratorStateKept& operator=(const GeneratorStateKept&) = delete;

 private:
  at::Generator generator_;
  at::Tensor state_;
};

class RunReward {
 public:
  // `demos` replaces the run's demonstration file when not empty (a run folder moved to another machine).
  RunReward(const std::string& run_dir, const std::string& demos) {
    config::Config c = run::read_run_config(run_dir);
    if (!demos.empty()) c.set("demos", demos);
    const auto options = run::TrainingOptions::read(c);
    if (options.run.demos.empty()) {
      throw UsageError("'" + run_dir +
                       "' is a run on the env's own reward (no demos): it has no imitation reward");
    }
    if (options.learner.algo == "bc") {
      throw UsageError("'" + run_dir +
                       "' is behavioural cloning: it has no discriminator and no imitation reward");
    }
    env_id_ = options.run.env;
    const envs::EnvSpec spec = envs::make_env(env_id_)->spec();
    action_space_ = spec.action_space;
    obs_dim_ = static_cast<std::int64_t>(spec.observation_space.size());
    transform_ = options.imitation.reward.transform;
    {
      // The imitation seeds LibTorch's global generator for its initial weights (replaced from the checkpoint
      // at once); the user's process keeps its own random stream, also when the set-up throws.
      const GeneratorStateKept kept;
      parts_ = run::make_imitation(options, spec);  // on the CPU, whatever device the run trained on
    }
    run::load_checkpoint_imitation(run_dir, *parts_.imitation);
  }

  // obs [B, obs_dim], actions [B, act_dim] in the env's units, terminated [B] (1: a true termination);
  // `upper_clip` inf for none. Returns [B] float32 learning rewards.
  py::array_t<float> score(const Floats& obs, const Doubles& actions, const Floats& terminated,
                           double upper_clip) {
    const auto rows = obs.shape(0);
    const auto act_dim = static_cast<py::ssize_t>(action_space_.size());
    std::vector<float> unit(static_cast<std::size_t>(rows * act_dim));
    for (py::ssize_t i = 0; i < rows; ++i) {
      for (py::ssize_t j = 0; j < act_dim; ++j) {
        unit[static_cast<std::size_t>(i * act_dim + j)] =
            static_cast<float>(action_space_.to_unit(static_cast<std::size_t>(j), actions.at(i, j)));
      }
    }
    py::array_t<float> out(rows);
    {
      py::gil_scoped_release release;
      const auto o = torch::from_blob(const_cast<float*>(obs.data()), {rows, obs_dim_});
      const auto a = torch::from_blob(unit.data(), {rows, act_dim});
      const auto t = torch::from_blob(const_cast<float*>(terminated.data()), {rows, 1});
      const auto r = parts_.imitation->reward().score(o, a, t, upper_clip).contiguous();
      std::copy_n(r.data_ptr<float>(), rows, out.mutable_data());
    }
    return out;
  }

  double run_clip() { return parts_.imitation->reward().upper_clip(); }
  const std::string& env_id() const { return env_id_; }
  const std::string& transform() const { return transform_; }
  std::int64_t obs_dim() const { return obs_dim_; }
  std::int64_t act_dim() const { return static_cast<std::int64_t>(action_space_.size()); }

 private:
  run::ImitationParts parts_;
  std::string env_id_, transform_;
  envs::Box action_space_;
  std::int64_t obs_dim_ = 0;
};

}  // namespace

void bind_run_reward(py::module_& m) {
  py::class_<RunReward>(m, "RunReward")
      .def(py::init<const std::string&, const std::string&>(), py::arg("run_dir"), py::arg("demos"))
      .def("score", &RunReward::score, py::arg("obs"), py::arg("actions"), py::arg("terminated"),
           py::arg("upper_clip"))
      .def_property_readonly("run_clip", &RunReward::run_clip)
      .def_property_readonly("env_id", &RunReward::env_id)
      .def_property_readonly("transform", &RunReward::transform)
      .def_property_readonly("obs_dim", &RunReward::obs_dim)
      .def_property_readonly("act_dim", &RunReward::act_dim);
}

}  // namespace credo::python
