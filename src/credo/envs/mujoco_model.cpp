#include "credo/envs/mujoco_model.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>

#include "credo/core/error.h"
#include "credo/envs/assets.h"

namespace credo::envs {

namespace {

// MuJoCo's default warning handler prints to stdout and appends to MUJOCO_LOG.TXT in the working folder;
// credo's stdout carries data (JSON, tables), so warnings go to stderr instead, each distinct message once
// per process.
void warn_once_to_stderr(const char* message) {
  static std::mutex mutex;
  static std::set<std::string> seen;
  std::string text(message);
  // Gymnasium's half_cheetah.xml uses `settotalmass`, which MuJoCo 4 deprecates. The model still compiles to
  // the same masses (the parity tests prove it), and a user cannot act on it, so it is not repeated on every
  // run.
  if (text.find("'settotalmass' is deprecated") != std::string::npos) return;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::lock_guard lock(mutex);
  if (seen.insert(text).second) std::fprintf(stderr, "credo: MuJoCo warning: %s\n", text.c_str());
}

}  // namespace

ModelPtr load_model(const std::string& xml_file) {
  static std::once_flag handler_installed;
  std::call_once(handler_installed, [] { mju_user_warning = warn_once_to_stderr; });
  std::array<char, 1024> error{};
  for (const auto& asset : embedded_assets()) {
    if (asset.name != xml_file) continue;
    mjVFS vfs;
    mj_defaultVFS(&vfs);
    mj_addBufferVFS(&vfs, xml_file.c_str(), asset.text.data(), static_cast<int>(asset.text.size()));
    ModelPtr model(mj_loadXML(xml_file.c_str(), &vfs, error.data(), static_cast<int>(error.size())));
    mj_deleteVFS(&vfs);
    if (!model) throw UsageError("embedded model '" + xml_file + "' failed to compile: " + error.data());
    return model;
  }
  if (!std::filesystem::is_regular_file(xml_file)) {
    throw UsageError("xml_file '" + xml_file + "' is neither one of Gymnasium's assets nor an existing file");
  }
  ModelPtr model(mj_loadXML(xml_file.c_str(), nullptr, error.data(), static_cast<int>(error.size())));
  if (!model) throw UsageError("xml_file '" + xml_file + "' failed to load: " + error.data());
  return model;
}

}  // namespace credo::envs
