# Embeds Gymnasium's MuJoCo XML models into the credo library at build time. The files are read from the installed
# gymnasium package (never committed), so the `credo` binary needs no asset path at run time.
include(${CMAKE_CURRENT_LIST_DIR}/Embed.cmake)
set(CREDO_GENERATED_DIR "${CMAKE_BINARY_DIR}/generated")
if(NOT EXISTS "${CREDO_GYM_ASSETS_DIR}/hopper.xml")
  message(FATAL_ERROR "credo: Gymnasium assets not found in ${CREDO_GYM_ASSETS_DIR}; is gymnasium installed in "
                      "${CREDO_PYTHON}?")
endif()
credo_embed_files(OUTPUT "${CREDO_GENERATED_DIR}/credo/envs/embedded_assets.cpp" HEADER credo/envs/assets.h
  NAMESPACE credo::envs FUNCTION embedded_assets STRUCT EmbeddedAsset DIR "${CREDO_GYM_ASSETS_DIR}"
  FILES hopper.xml walker2d.xml walker2d_v5.xml half_cheetah.xml)

# credo's committed default hyperparameters (configs/), also compiled in.
file(GLOB _credo_configs RELATIVE "${CMAKE_SOURCE_DIR}/configs" CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/configs/*.toml"
     "${CMAKE_SOURCE_DIR}/configs/learners/*.toml" "${CMAKE_SOURCE_DIR}/configs/presets/*.toml")
credo_embed_files(OUTPUT "${CREDO_GENERATED_DIR}/credo/config/embedded_configs.cpp" HEADER credo/config/defaults.h
  NAMESPACE credo::config FUNCTION embedded_configs STRUCT EmbeddedFile DIR "${CMAKE_SOURCE_DIR}/configs"
  FILES ${_credo_configs})
