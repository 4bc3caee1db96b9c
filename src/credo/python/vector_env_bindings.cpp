// credo._core.VectorEnv: N copies of one env stepped in C++ threads, as python/credo/vector.py wraps it into
// a gymnasium.vector.VectorEnv (autoreset in the same step). The initial states of every episode come from
// Python (reset_to, set_next_initial_state), drawn with numpy as Gymnasium's sub-environments draw them.
#include <pybind11/stl.h>

#include <algorithm>
#include <deque>
#include <string>
#include <type_traits>
#include <vector>

#include "credo/envs/vector_env.h"
#include "credo/python/bindings.h"

namespace py = pybind11;

namespace credo::python {
namespace {

// How a step's infos are typed: for each info key whether its values are float32 (Gymnasium computes the
// control cost in the action's dtype: float32 actions give a float32 "reward_ctrl"), and whether observations
// are.
struct InfoTypes {
  const envs::EnvSpec& spec;
  std::vector<bool> float32;  // per info key

  InfoTypes(const envs::EnvSpec& s, bool float32_actions) : spec(s) {
    for (const auto& key : s.info_keys) {
      const auto& f32 = s.action_dtype_info_keys;
      float32.push_back(float32_actions && std::find(f32.begin(), f32.end(), key) != f32.end());
    }
  }
  bool float32_observations() const { return spec.observation_dtype == envs::Precision::f32; }
};

// One info key's column across the copies and its mask ("_key"), as Gymnasium's VectorEnv._add_info builds
// them.
struct Column {
  std::string key;
  py::array values;
  py::array_t<bool> mask;
  bool float32;

  Column(std::string name, py::ssize_t n, bool f32)
      : key(std::move(name)),
        values(f32 ? py::array(py::array_t<float>(n)) : py::array(py::array_t<double>(n))),
        mask(n),
        float32(f32) {
    std::fill_n(static_cast<char*>(values.mutable_data()), values.nbytes(), 0);
    std::fill_n(mask.mutable_data(), n, false);
  }
  void set(py::ssize_t i, double value) {
    if (float32) {
      static_cast<float*>(values.mutable_data())[i] = static_cast<float>(value);
    } else {
      static_cast<double*>(values.mutable_data())[i] = value;
    }
    mask.mutable_data()[i] = true;
  }
};

// Columns in the order their keys first appear (the order Gymnasium's dict has them in).
class Columns {
 public:
  explicit Columns(py::ssize_t n) : n_(n) {}
  Column& at(const std::string& key, bool float32) {
    for (auto& c : columns_)
      if (c.key == key) return c;  // an existing column keeps its dtype
    return columns_.emplace_back(key, n_, float32);
  }
  void write_to(py::dict& d) const {
    for (const auto& c : columns_) {
      d[py::str(c.key)] = c.values;
      d[py::str("_" + c.key)] = c.mask;
    }
  }

 private:
  py::ssize_t n_;
  std::deque<Column> columns_;
};

py::array_t<bool> bool_array(const std::vector<char>& values) {
  py::array_t<bool> out(static_cast<py::ssize_t>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) out.mutable_data()[i] = values[i] != 0;
  return out;
}

py::array observation_array(std::span<const double> values, bool float32) {
  if (!float32) return to_numpy(values);
  py::array_t<float> out(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

// The infos of gymnasium's SyncVectorEnv in the same-step autoreset mode: every copy's step info (masked),
// except that a finished copy has "final_obs" and "final_info" (its last step's) and, in the main keys, its
// next episode's reset info. Built here in one pass: the same dict vector.py's Python once assembled per
// call.
py::dict gymnasium_infos(envs::VectorEnv& vec, const InfoTypes& types, std::vector<int>& finished) {
  const auto n = static_cast<py::ssize_t>(vec.size());
  std::vector<char> done(static_cast<std::size_t>(n));
  for (int i = 0; i < vec.size(); ++i) {
    done[static_cast<std::size_t>(i)] = vec.done(i) ? 1 : 0;
    if (vec.done(i)) finished.push_back(i);
  }
  const auto& keys = types.spec.info_keys;
  Columns infos(n);
  if (static_cast<py::ssize_t>(finished.size()) < n) {
    std::vector<Column*> columns;
    for (std::size_t j = 0; j < keys.size(); ++j) columns.push_back(&infos.at(keys[j], types.float32[j]));
    for (int i = 0; i < vec.size(); ++i) {
      if (vec.done(i)) continue;
      const auto info = vec.env(i).info();
      for (std::size_t j = 0; j < keys.size(); ++j) columns[j]->set(i, info[j]);
    }
  }
  py::dict out;
  if (finished.empty()) {
    infos.write_to(out);
    return out;
  }
  // Kept for the process's life, never destroyed: a py::object destroyed after the interpreter ends would
  // crash.
  static const auto* full = new py::object(py::module_::import("numpy").attr("full"));
  py::array final_obs = (*full)(n, py::none(), py::arg("dtype") = "object");
  Columns final_info(n);
  for (const int i : finished) {
    final_obs[py::int_(i)] = observation_array(vec.final_observation(i), types.float32_observations());
    const auto last = vec.final_info(i);
    for (std::size_t j = 0; j < keys.size(); ++j) final_info.at(keys[j], types.float32[j]).set(i, last[j]);
    const auto reset = vec.env(i).info();
    const auto& reset_keys = types.spec.reset_info_keys;
    for (std::size_t j = 0; j < reset_keys.size(); ++j) infos.at(reset_keys[j], false).set(i, reset[j]);
  }
  infos.write_to(out);
  py::dict final_info_dict;
  final_info.write_to(final_info_dict);
  out["final_obs"] = final_obs;
  out["_final_obs"] = bool_array(done);
  out["final_info"] = final_info_dict;
  out["_final_info"] = bool_array(done);
  return out;
}

// (observations, rewards, terminated, truncated, infos, finished): infos as gymnasium_infos builds them;
// `finished` the copies that ended and were reset (vector.py draws their next initial states).
template <typename Action>
py::tuple step(envs::VectorEnv& vec, const py::array_t<Action, py::array::c_style>& actions) {
  {
    py::gil_scoped_release release;
    vec.step(std::span<const Action>(actions.data(), static_cast<std::size_t>(actions.size())));
  }
  const auto n = static_cast<py::ssize_t>(vec.size());
  py::array_t<bool> terminated(n), truncated(n);
  for (int i = 0; i < vec.size(); ++i) {
    terminated.mutable_at(i) = vec.terminated(i);
    truncated.mutable_at(i) = vec.truncated(i);
  }
  std::vector<int> finished;
  const auto infos =
      gymnasium_infos(vec, InfoTypes(vec.env(0).spec(), std::is_same_v<Action, float>), finished);
  return py::make_tuple(to_numpy(vec.observations(), n), to_numpy(vec.rewards()), terminated, truncated,
                        infos, finished);
}

}  // namespace

void bind_vector_env(py::module_& m) {
  py::class_<envs::VectorEnv>(m, "VectorEnv")
      .def(
          py::init([](const std::string& id, int num_envs, int num_threads, const std::string& options_json) {
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
