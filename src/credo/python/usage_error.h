#pragma once
// credo's UsageError in Python: `UsageError`, a ValueError of the module, with the message the command line
// prints. The message goes through core/printable_line.h, as on the command line: it may quote a file's bytes
// (an array's name), and pybind11's own translation raises UnicodeDecodeError on bytes that are not UTF-8.
#include <pybind11/gil_safe_call_once.h>
#include <pybind11/pybind11.h>

#include <exception>

#include "credo/core/error.h"
#include "credo/core/printable_line.h"

namespace credo::python {

// Each module translates what its own functions throw (a local translator: _core and _learn each have one).
inline void register_usage_error(pybind11::module_& m) {
  PYBIND11_CONSTINIT static pybind11::gil_safe_call_once_and_store<pybind11::object> type;
  type.call_once_and_store_result(
      [&] { return pybind11::exception<UsageError>(m, "UsageError", PyExc_ValueError); });
  pybind11::register_local_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const UsageError& e) {
      pybind11::set_error(type.get_stored(), printable_line(e.what()).c_str());
    }
  });
}

}  // namespace credo::python
