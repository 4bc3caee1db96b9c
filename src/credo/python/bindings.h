#pragma once
// The parts of credo._core, one function per area, called from module.cpp.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "credo/envs/env.h"

namespace credo::python {

// credo._core.Env and the registry (env_ids, env_summary).
void bind_envs(pybind11::module_& m);
// credo._core.VectorEnv.
void bind_vector_env(pybind11::module_& m);
// credo._core.load_demos.
void bind_demos(pybind11::module_& m);

// Shared by both: C-contiguous float64 arrays in, as spans.
using Doubles = pybind11::array_t<double, pybind11::array::c_style>;
inline std::span<const double> span_of(const Doubles& a) { return {a.data(), static_cast<std::size_t>(a.size())}; }
// a fresh numpy copy of `values`, shaped `rows` x (size / rows) when rows > 0.
pybind11::array_t<double> to_numpy(std::span<const double> values, pybind11::ssize_t rows = 0);
// An env's spaces, dtypes, limits and info keys as a dict (python/credo/envs.py builds the Gymnasium spaces).
pybind11::dict spec_dict(const envs::Env& env);
// The initial-state distribution (envs::ResetNoise) as a dict.
pybind11::dict reset_noise_dict(const envs::Env& env);
// Parses the options JSON python/credo/envs.py writes from keyword arguments.
nlohmann::json parse_options(const std::string& options_json);

}  // namespace credo::python
