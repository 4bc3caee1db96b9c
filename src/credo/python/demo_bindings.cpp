// credo._core.load_demos: a demonstration file (HDF5, npz or Minari) read and validated as `credo train --demos`
// reads it, as numpy arrays. The read runs in a child process first (demos::load_demonstrations), so a file that
// would crash the HDF5 library raises a ValueError rather than ending the interpreter.
#include <pybind11/stl.h>

#include <optional>

#include "credo/demos/demo_files.h"
#include "credo/envs/registry.h"
#include "credo/python/bindings.h"

namespace py = pybind11;

namespace credo::python {
namespace {

template <typename T>
py::array_t<T> rows_of(const std::vector<T>& values, std::int64_t rows) {
  const auto n = static_cast<py::ssize_t>(rows);
  return py::array_t<T>({n, n ? static_cast<py::ssize_t>(values.size()) / n : 0}, values.data());
}

py::array_t<bool> flags_of(const std::vector<std::uint8_t>& values) {
  py::array_t<bool> out(static_cast<py::ssize_t>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) out.mutable_at(static_cast<py::ssize_t>(i)) = values[i] != 0;
  return out;
}

py::dict to_dict(const demos::Demonstrations& d) {
  py::dict out;
  out["observations"] = rows_of(d.observations, d.size());
  out["actions"] = rows_of(d.actions, d.size());
  out["rewards"] = py::array_t<float>(static_cast<py::ssize_t>(d.rewards.size()), d.rewards.data());
  out["terminals"] = flags_of(d.terminals);
  out["timeouts"] = flags_of(d.timeouts);
  out["next_observations"] = rows_of(d.next_observations, d.size());
  out["episode_starts"] =
      py::array_t<std::int64_t>(static_cast<py::ssize_t>(d.episode_starts.size()), d.episode_starts.data());
  out["env_id"] = d.env_id;
  out["expert_return_mean"] = d.expert_return_mean;
  out["expert_return_std"] = d.expert_return_std;
  out["collection_seed"] = d.collection_seed;
  out["noise"] = d.noise;
  out["policy"] = d.policy;
  out["algo"] = d.algo;
  out["credo_version"] = d.credo_version;
  return out;
}

py::dict load_demos(const std::string& reference, const std::optional<std::string>& env_id) {
  demos::Demonstrations d;
  {
    py::gil_scoped_release release;
    d = demos::load_demonstrations(reference);
    if (env_id) demos::validate_for_env(d, reference, envs::make_env(*env_id)->spec());
  }
  return to_dict(d);
}

}  // namespace

void bind_demos(py::module_& m) {
  m.def("load_demos", &load_demos, py::arg("reference"), py::arg("env_id") = py::none(),
        "Reads and validates demonstrations (a file, a Minari dataset folder or minari:ID); with env_id, also "
        "checks them against that env. Returns a dict of numpy arrays and the file's attributes.");
}

}  // namespace credo::python
