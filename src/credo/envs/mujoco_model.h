#pragma once
// Owning handles for MuJoCo's model and data, and model loading.
#include <mujoco/mujoco.h>

#include <memory>
#include <string>

namespace credo::envs {

struct ModelDeleter {
  void operator()(mjModel* m) const { mj_deleteModel(m); }
};
struct DataDeleter {
  void operator()(mjData* d) const { mj_deleteData(d); }
};
using ModelPtr = std::unique_ptr<mjModel, ModelDeleter>;
using DataPtr = std::unique_ptr<mjData, DataDeleter>;

// Loads an XML model, as Gymnasium's `xml_file` argument does: a bare name of one of Gymnasium's assets
// ("hopper.xml") is taken from the copy embedded at build time; anything else is a path to a file. Throws
// credo::UsageError with MuJoCo's message if the file is missing or does not compile.
ModelPtr load_model(const std::string& xml_file);

}  // namespace credo::envs
