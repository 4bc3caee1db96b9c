// credo._core: the compiled half of credo's Python package (python/credo/ is the other half). It exposes the C++
// core with the fewest conversions possible; the Gymnasium API, argument checks that need numpy and the seeding
// live in Python, beside it.
#include <pybind11/pybind11.h>

#include "credo/python/bindings.h"
#include "credo/python/usage_error.h"
#include "credo/version.h"

PYBIND11_MODULE(_core, m) {
  m.doc() = "credo's C++ core (environments, demonstrations); use the `credo` package, not this module";
  m.attr("__version__") = CREDO_VERSION;
  // A problem with what the caller asked for is a ValueError in Python (python/usage_error.h).
  credo::python::register_usage_error(m);
  credo::python::bind_envs(m);
  credo::python::bind_vector_env(m);
  credo::python::bind_demos(m);
}
