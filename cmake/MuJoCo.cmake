# credo::mujoco: the libmujoco shipped in the mujoco wheel. Linking the same library the Python reference uses makes
# the physics bit-identical, which the parity tests rely on. The wheel has no unversioned libmujoco.so, so the
# library is imported by its full path and found at run time through the RPATH.
if(NOT EXISTS "${CREDO_MUJOCO_LIBRARY}")
  message(FATAL_ERROR "credo: libmujoco not found in the mujoco wheel (got '${CREDO_MUJOCO_LIBRARY}').")
endif()
add_library(credo::mujoco SHARED IMPORTED)
set_target_properties(credo::mujoco PROPERTIES
  IMPORTED_LOCATION "${CREDO_MUJOCO_LIBRARY}"
  IMPORTED_NO_SONAME FALSE
  INTERFACE_INCLUDE_DIRECTORIES "${CREDO_MUJOCO_INCLUDE_DIR}")
get_filename_component(CREDO_MUJOCO_LIBRARY_DIR "${CREDO_MUJOCO_LIBRARY}" DIRECTORY)
list(APPEND CMAKE_BUILD_RPATH "${CREDO_MUJOCO_LIBRARY_DIR}")
