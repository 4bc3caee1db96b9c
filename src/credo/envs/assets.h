#pragma once
// Gymnasium's MuJoCo XML models, embedded at build time (cmake/Assets.cmake generates the definition).
#include <string_view>
#include <vector>

namespace credo::envs {

struct EmbeddedAsset {
  std::string_view name;  // file name in gymnasium/envs/mujoco/assets, e.g. "hopper.xml"
  std::string_view text;  // the XML
};

const std::vector<EmbeddedAsset>& embedded_assets();

}  // namespace credo::envs
