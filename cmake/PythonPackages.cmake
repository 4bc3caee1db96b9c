# Asks credo's Python environment where its packages live. Sets:
#   CREDO_MUJOCO_INCLUDE_DIR  headers shipped in the mujoco wheel (mujoco.HEADERS_DIR, parent of include/mujoco)
#   CREDO_MUJOCO_LIBRARY      the wheel's libmujoco.so.*, the very library the Python reference steps with
#   CREDO_GYM_ASSETS_DIR      Gymnasium's MuJoCo XML assets
#   CREDO_TORCH_DIR           the torch wheel (include/ and lib/ of LibTorch)
#   CREDO_TORCH_RUNTIME_DIRS  folders of the CUDA runtime libraries libtorch_cpu.so names as dependencies
if(NOT EXISTS "${CREDO_PYTHON}")
  message(FATAL_ERROR "credo: Python not found at CREDO_PYTHON='${CREDO_PYTHON}'. "
                      "Run scripts/setup.sh, or pass -DCREDO_PYTHON=/path/to/venv/bin/python.")
endif()

set(_credo_probe [=[
import glob, os, sysconfig, mujoco, gymnasium.envs.mujoco as gm
import importlib.util
lib = sorted(glob.glob(os.path.join(os.path.dirname(mujoco.__file__), "libmujoco.so*")))
torch_dir = os.path.dirname(importlib.util.find_spec("torch").origin)
site = sysconfig.get_paths()["purelib"]
runtime = sorted({os.path.dirname(p) for n in ("libcudart.so.*", "libcupti.so.*")
                  for p in glob.glob(os.path.join(site, "nvidia", "**", n), recursive=True)})
print(os.path.dirname(mujoco.HEADERS_DIR), lib[0] if lib else "", os.path.join(os.path.dirname(gm.__file__), "assets"),
      torch_dir, ",".join(runtime), sep=";")
]=])
execute_process(
  COMMAND "${CREDO_PYTHON}" -c "${_credo_probe}"
  OUTPUT_VARIABLE _credo_paths OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_VARIABLE _credo_err RESULT_VARIABLE _credo_rc)
if(NOT _credo_rc EQUAL 0)
  message(FATAL_ERROR "credo: could not import mujoco and gymnasium with ${CREDO_PYTHON}: ${_credo_err}"
                      "Run scripts/setup.sh to install them.")
endif()
list(GET _credo_paths 0 CREDO_MUJOCO_INCLUDE_DIR)
list(GET _credo_paths 1 CREDO_MUJOCO_LIBRARY)
list(GET _credo_paths 2 CREDO_GYM_ASSETS_DIR)
list(GET _credo_paths 3 CREDO_TORCH_DIR)
list(GET _credo_paths 4 CREDO_TORCH_RUNTIME_DIRS)
string(REPLACE "," ";" CREDO_TORCH_RUNTIME_DIRS "${CREDO_TORCH_RUNTIME_DIRS}")
message(STATUS "credo: mujoco headers ${CREDO_MUJOCO_INCLUDE_DIR}")
message(STATUS "credo: libmujoco ${CREDO_MUJOCO_LIBRARY}")
message(STATUS "credo: Gymnasium assets ${CREDO_GYM_ASSETS_DIR}")
message(STATUS "credo: torch ${CREDO_TORCH_DIR}")
