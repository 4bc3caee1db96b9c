// credo._learn: the parts of credo's Python package that need LibTorch (policies, an imitation run's reward),
// a module of its own so that `import credo` does not load LibTorch. python/credo/policy.py imports torch
// first, which loads the very LibTorch this module links (the package pins that torch).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "credo/python/bindings.h"
#include "credo/python/learn_bindings.h"
#include "credo/python/usage_error.h"
#include "credo/rl/policy_file.h"

namespace py = pybind11;

namespace credo::python {
namespace {

// Deterministic actions, float32 in the env's units, for observations [B, obs_dim]: row by row, as `credo
// collect` and `credo eval` act.
py::array_t<float> act(rl::Policy& policy, const Doubles& observations) {
  const auto obs_dim = static_cast<std::size_t>(policy.head().obs_dim);
  const auto act_dim = static_cast<py::ssize_t>(policy.head().act_dim);
  if (observations.ndim() != 2 || static_cast<std::size_t>(observations.shape(1)) != obs_dim) {
    throw std::invalid_argument(policy.env_id() + " policy expects observations of " +
                                std::to_string(obs_dim) + " values");
  }
  const py::ssize_t rows = observations.shape(0);
  py::array_t<float> actions({rows, act_dim});
  const std::span<const double> all = span_of(observations);
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < rows; ++i) {
      const auto action = policy.act(all.subspan(static_cast<std::size_t>(i) * obs_dim, obs_dim));
      std::copy(action.begin(), action.end(), actions.mutable_data(i, 0));
    }
  }
  return actions;
}

}  // namespace

void bind_policy(py::module_& m) {
  using rl::Policy;
  py::class_<Policy>(m, "Policy")
      .def(py::init([](const std::string& path) { return Policy::load(path); }), py::arg("path"))
      .def_property_readonly("env_id", &Policy::env_id)
      .def_property_readonly("algo", &Policy::algo)
      .def_property_readonly("obs_dim", [](const Policy& p) { return p.head().obs_dim; })
      .def_property_readonly("act_dim", [](const Policy& p) { return p.head().act_dim; })
      .def("act", &act, py::arg("observations"));
}

}  // namespace credo::python

PYBIND11_MODULE(_learn, m) {
  m.doc() =
      "credo's C++ learning side (policies, imitation rewards); use the `credo` package, not this module";
  credo::python::register_usage_error(m);
  credo::python::bind_policy(m);
  credo::python::bind_run_reward(m);
}
