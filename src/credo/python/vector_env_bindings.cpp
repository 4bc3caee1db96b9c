// credo._core.VectorEnv: N copies of one env stepped in C++ threads, as python/credo/vector.py wraps it into a
// gymnasium.vector.VectorEnv (autoreset in the same step). The initial states of every episode come from Python
// (reset_to, set_next_initial_state), drawn with numpy as Gymnasium's sub-environments draw them.
#include <pybind11/stl.h>

#include "credo/envs/vector_env.h"
#include "credo/python/bindings.h"

namespace py = pybind11;

namespace credo::python {
namespace {

// (observations, rewards, terminated, truncated, step infos, finished): step infos are size() rows of the env's
// info_keys values, of the step just taken (for a finished copy: its episode's last step); `finished` lists
// (i, final observation, reset info of the next episode) for each copy that finished and was reset.
py::tuple step_result(envs::VectorEnv& vec) {
  const auto n = static_cast<py::ssize_t>(vec.size());
  py::array_t<bool> terminated(n), truncated(n);
  std::vector<double> infos;
  py::list finished;
  for (int i = 0; i < vec.size(); ++i) {
    terminated.mutable_at(i) = vec.terminated(i);
    truncated.mutable_at(i) = vec.truncated(i);
    const auto info = vec.done(i) ? vec.final_info(i) : vec.env(i).info();
    infos.insert(infos.end(), info.begin(), info.end());
    if (vec.done(i)) finished.append(py::make_tuple(i, to_numpy(vec.final_observation(i)), to_numpy(vec.env(i).info())));
  }
  return py::make_tuple(to_numpy(vec.observations(), n), to_numpy(vec.rewards()), terminated, truncated,
                        to_numpy(infos, n), finished);
}

template <typename Action>
py::tuple step(envs::VectorEnv& vec, const py::array_t<Action, py::array::c_style>& actions) {
  {
    py::gil_scoped_release release;
    vec.step(std::span<const Action>(actions.data(), static_cast<std::size_t>(actions.size())));
  }
  return step_result(vec);
}

}  // namespace

void bind_vector_env(py::module_& m) {
  py::class_<envs::VectorEnv>(m, "VectorEnv")
      .def(py::init([](const std::string& id, int num_envs, int num_threads, const std::string& options_json) {
             return std::make_unique<envs::VectorEnv>(id, num_envs, num_threads, parse_options(options_json));
           }),
           py::arg("id"), py::arg("num_envs"), py::arg("num_threads"), py::arg("options_json") = "{}")
      .def(
          "set_max_episode_steps",
          [](envs::VectorEnv& vec, int steps) {
            for (int i = 0; i < vec.size(); ++i) vec.env(i).set_max_episode_steps(steps);
          },
          py::arg("steps"))
      .def_property_readonly("spec", [](envs::VectorEnv& vec) { return spec_dict(vec.env(0)); })
      .def_property_readonly("reset_noise", [](envs::VectorEnv& vec) { return reset_noise_dict(vec.env(0)); })
      .def(
          "reset_to",
          [](envs::VectorEnv& vec, int i, const Doubles& qpos, const Doubles& qvel) {
            vec.reset_to(i, span_of(qpos), span_of(qvel));
            return to_numpy(vec.env(i).info());
          },
          py::arg("i"), py::arg("qpos"), py::arg("qvel"))
      .def(
          "set_next_initial_state",
          [](envs::VectorEnv& vec, int i, const Doubles& qpos, const Doubles& qvel) {
            vec.set_next_initial_state(i, span_of(qpos), span_of(qvel));
          },
          py::arg("i"), py::arg("qpos"), py::arg("qvel"))
      .def("observations", [](envs::VectorEnv& vec) { return to_numpy(vec.observations(), vec.size()); })
      .def("step", &step<float>, py::arg("actions"))
      .def("step", &step<double>, py::arg("actions"));
}

}  // namespace credo::python
