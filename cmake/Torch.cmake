# credo::torch: LibTorch's CPU libraries from the torch wheel in credo's venv.
#
# The wheel's own CMake package (torch.utils.cmake_prefix_path) is a CUDA build's: find_package(Torch) requires a
# CUDA toolkit and probes for GPUs at configure time, and links the CUDA libraries. credo trains on the CPU, so it
# imports libtorch_cpu and libc10 directly. libtorch_cpu.so still names the CUDA runtime and CUPTI (for its
# profiler) as dependencies; the wheel's nvidia-* packages provide them and the RPATH points there.
set(_torch_lib "${CREDO_TORCH_DIR}/lib")
foreach(_name torch_cpu c10)
  if(NOT EXISTS "${_torch_lib}/lib${_name}.so")
    message(FATAL_ERROR "credo: ${_torch_lib}/lib${_name}.so not found; is torch installed in ${CREDO_PYTHON}?")
  endif()
  add_library(credo::${_name} SHARED IMPORTED)
  set_target_properties(credo::${_name} PROPERTIES IMPORTED_LOCATION "${_torch_lib}/lib${_name}.so")
endforeach()
add_library(credo_torch INTERFACE)
add_library(credo::torch ALIAS credo_torch)
target_link_libraries(credo_torch INTERFACE credo::torch_cpu credo::c10)
# SYSTEM: no warnings from LibTorch's headers under credo's warning flags.
target_include_directories(credo_torch SYSTEM INTERFACE "${CREDO_TORCH_DIR}/include"
                                                        "${CREDO_TORCH_DIR}/include/torch/csrc/api/include")
target_compile_definitions(credo_torch INTERFACE _GLIBCXX_USE_CXX11_ABI=1)
foreach(_dir IN LISTS CREDO_TORCH_RUNTIME_DIRS)
  target_link_options(credo_torch INTERFACE "-Wl,-rpath-link,${_dir}")
endforeach()
list(APPEND CMAKE_BUILD_RPATH "${_torch_lib}" ${CREDO_TORCH_RUNTIME_DIRS})

# CUDA graphs (nn/cuda_graph.h) need the wheel's CUDA libraries and the CUDA runtime's headers: cuda_runtime_api.h
# (the wheel's nvidia-* packages have it) and crt/host_config.h, which cuda_runtime.h includes (a CUDA toolkit or
# the nvidia-cuda-nvcc package has it). Off, or where any is missing, cuda runs update without graphs.
get_filename_component(_site "${CREDO_TORCH_DIR}" DIRECTORY)
file(GLOB _cuda_include_candidates LIST_DIRECTORIES true "${_site}/nvidia/*/include" "/usr/local/cuda/include"
     "/usr/local/cuda-*/include" "/usr/local/include")
find_path(CREDO_CUDA_INCLUDE_DIR cuda_runtime_api.h PATHS ${_cuda_include_candidates} NO_DEFAULT_PATH)
find_path(CREDO_CUDA_CRT_DIR crt/host_config.h PATHS ${_cuda_include_candidates} NO_DEFAULT_PATH)
set(_cuda_graphs_default OFF)
if(CREDO_CUDA_INCLUDE_DIR AND CREDO_CUDA_CRT_DIR AND EXISTS "${_torch_lib}/libtorch_cuda.so"
   AND EXISTS "${_torch_lib}/libc10_cuda.so")
  set(_cuda_graphs_default ON)
endif()
option(CREDO_CUDA_GRAPHS "Build the CUDA graph plugin for cuda runs" ${_cuda_graphs_default})
if(CREDO_CUDA_GRAPHS)
  if(NOT _cuda_graphs_default)
    message(FATAL_ERROR "credo: CREDO_CUDA_GRAPHS needs cuda_runtime_api.h, crt/host_config.h and the torch wheel's "
                        "CUDA libraries (found: ${CREDO_CUDA_INCLUDE_DIR}, ${CREDO_CUDA_CRT_DIR})")
  endif()
  foreach(_name torch_cuda c10_cuda)
    add_library(credo::${_name} SHARED IMPORTED)
    set_target_properties(credo::${_name} PROPERTIES IMPORTED_LOCATION "${_torch_lib}/lib${_name}.so")
  endforeach()
  message(STATUS "credo: CUDA graphs on (CUDA headers ${CREDO_CUDA_INCLUDE_DIR}, ${CREDO_CUDA_CRT_DIR})")
else()
  message(STATUS "credo: CUDA graphs off (CUDA headers: ${CREDO_CUDA_INCLUDE_DIR}, ${CREDO_CUDA_CRT_DIR})")
endif()
