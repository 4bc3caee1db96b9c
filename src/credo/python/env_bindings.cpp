// credo._core.Env: one credo environment, as python/credo/envs.py wraps it into a gymnasium.Env.
//
// Arrays cross as numpy float64 (observations, states, info values) and float32 or float64 (actions: the
// float32 path computes reward terms in float32 as Gymnasium does for a float32 action). Every returned array
// is a fresh copy: Gymnasium users keep observations across steps, so a view of credo's buffer would change
// under them. The physics step runs without the GIL.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>
#include <span>

#include "credo/envs/registry.h"
#include "credo/python/bindings.h"

namespace py = pybind11;

namespace credo::python {
namespace {

std::unique_ptr<envs::Env> make(const std::string& id, const std::string& options_json) {
  return envs::make_env(id, parse_options(options_json));
}

template <typename Action>
py::tuple step(envs::Env& env, const py::array_t<Action, py::array::c_style>& action) {
  envs::StepResult result;
  {
    py::gil_scoped_release release;
    result = env.step(std::span<const Action>(action.data(), static_cast<std::size_t>(action.size())));
  }
  return py::make_tuple(to_numpy(env.observation()), result.reward, result.terminated, result.truncated,
                        to_numpy(env.info()));
}

}  // namespace

py::array_t<double> to_numpy(std::span<const double> values, py::ssize_t rows) {
  const auto size = static_cast<py::ssize_t>(values.size());
  if (rows <= 0) return py::array_t<double>(size, values.data());
  return py::array_t<double>({rows, size / rows}, values.data());
}

nlohmann::json parse_options(const std::string& options_json) {
  const auto options = nlohmann::json::parse(options_json, nullptr, false);
  if (options.is_discarded() || !options.is_object()) {
    throw std::invalid_argument("environment options must be a JSON object, got '" + options_json + "'");
  }
  return options;
}

py::dict spec_dict(const envs::Env& env) {
  const envs::EnvSpec& s = env.spec();
  py::dict d;
  d["id"] = s.id;
  d["observation_low"] = to_numpy(s.observation_space.low);
  d["observation_high"] = to_numpy(s.observation_space.high);
  d["action_low"] = to_numpy(s.action_space.low);
  d["action_high"] = to_numpy(s.action_space.high);
  d["observation_dtype"] = s.observation_dtype == envs::Precision::f32 ? "float32" : "float64";
  d["max_episode_steps"] = s.max_episode_steps;
  d["reward_threshold"] = s.reward_threshold ? py::cast(*s.reward_threshold) : py::none();
  d["info_keys"] = s.info_keys;
  d["reset_info_keys"] = s.reset_info_keys;
  d["action_dtype_info_keys"] = s.action_dtype_info_keys;
  return d;
}

py::dict reset_noise_dict(const envs::Env& env) {
  const envs::ResetNoise n = env.reset_noise();
  py::dict d;
  d["qpos_center"] = to_numpy(n.qpos_center);
  d["qvel_center"] = to_numpy(n.qvel_center);
  d["qpos_scale"] = n.qpos_scale;
  d["qvel_scale"] = n.qvel_scale;
  d["gaussian_qvel"] = n.gaussian_qvel;
  return d;
}

void bind_envs(py::module_& m) {
  m.def("env_ids", &envs::env_ids, "Every environment id credo provides, in `credo env list` order.");
  m.def(
      "env_summary", [](const std::string& id) { return envs::env_entry(id).summary; },
      "One line describing the environment `id`.");
  py::class_<envs::Env>(m, "Env")
      .def(py::init(&make), py::arg("id"), py::arg("options_json") = "{}")
      .def("set_max_episode_steps", &envs::Env::set_max_episode_steps, py::arg("steps"))
      .def_property_readonly("spec", &spec_dict)
      .def_property_readonly("reset_noise", &reset_noise_dict)
      .def(
          "reset_to",
          [](envs::Env& env, const Doubles& qpos, const Doubles& qvel) {
            env.reset_to(span_of(qpos), span_of(qvel));
            return py::make_tuple(to_numpy(env.observation()), to_numpy(env.info()));
          },
          py::arg("qpos"), py::arg("qvel"))
      .def("step", &step<float>, py::arg("action"))
      .def("step", &step<double>, py::arg("action"))
      .def("qpos", [](const envs::Env& env) { return to_numpy(env.qpos()); })
      .def("qvel", [](const envs::Env& env) { return to_numpy(env.qvel()); })
      .def_property_readonly("elapsed_steps", &envs::Env::elapsed_steps);
}

}  // namespace credo::python
