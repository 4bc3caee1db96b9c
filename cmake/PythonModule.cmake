# credo's Python package: the pybind11 extension credo._core (src/credo/python/) and the package's own files
# (python/credo/), assembled in build/python/credo so the tests import the built package without installing
# it. `pip install .` (pyproject.toml, scikit-build-core) builds the same targets and installs them.
execute_process(
  COMMAND "${CREDO_PYTHON}" -c [=[
import importlib.metadata as m, pybind11
print(pybind11.get_cmake_dir(), m.version("torch"), m.version("mujoco"), m.version("gymnasium"), sep=";")
]=]
  OUTPUT_VARIABLE _credo_py OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_VARIABLE _credo_py_err RESULT_VARIABLE _credo_py_rc)
if(NOT _credo_py_rc EQUAL 0)
  message(FATAL_ERROR "credo: pybind11 not found in ${CREDO_PYTHON}: ${_credo_py_err}"
                      "Run scripts/setup.sh to install requirements.txt.")
endif()
list(GET _credo_py 0 _credo_pybind11_dir)
list(GET _credo_py 1 CREDO_TORCH_VERSION)
list(GET _credo_py 2 CREDO_MUJOCO_VERSION)
list(GET _credo_py 3 CREDO_GYMNASIUM_VERSION)

set(Python_EXECUTABLE "${CREDO_PYTHON}")
find_package(Python 3.10 REQUIRED COMPONENTS Interpreter Development.Module)
find_package(pybind11 CONFIG REQUIRED HINTS "${_credo_pybind11_dir}")

set(CREDO_PYTHON_PACKAGE_DIR "${CMAKE_BINARY_DIR}/python/credo")
file(GLOB CREDO_PYTHON_SOURCES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/python/credo/*.py")
foreach(_file IN LISTS CREDO_PYTHON_SOURCES)
  get_filename_component(_name "${_file}" NAME)
  configure_file("${_file}" "${CREDO_PYTHON_PACKAGE_DIR}/${_name}" COPYONLY)
endforeach()
# The versions the C++ side is built against: the package refuses to import beside others (ABI).
configure_file("${PROJECT_SOURCE_DIR}/python/build_info.json.in" "${CREDO_PYTHON_PACKAGE_DIR}/build_info.json" @ONLY)
configure_file("${PROJECT_SOURCE_DIR}/python/credo_command.py" "${CMAKE_BINARY_DIR}/python/credo_command.py" COPYONLY)
