#pragma once
// The parts of credo._learn (the LibTorch side), one function per area, called from learn_module.cpp.
#include <pybind11/pybind11.h>

namespace credo::python {

// credo._learn.Policy: a policy file that acts on numpy observations.
void bind_policy(pybind11::module_& m);
// credo._learn.RunReward: an imitation run's learning reward, for a user's own learner.
void bind_run_reward(pybind11::module_& m);

}  // namespace credo::python
