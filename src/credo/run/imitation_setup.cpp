#include "credo/run/imitation_setup.h"

#include <fmt/format.h>

#include "credo/core/error.h"
#include "credo/core/input_file.h"
#include "credo/core/zip_checksums.h"
#include "credo/demos/demo_files.h"

namespace credo::run {

ImitationParts make_imitation(const TrainingOptions& o, const envs::EnvSpec& spec, torch::Device device) {
  const auto& path = o.run.demos;
  const bool cloning = o.learner.algo == "bc";
  if (path.empty()) {
    if (cloning) throw UsageError("--algo bc clones demonstrations: add --demos FILE (.h5, .npz or Minari)");
    return {};
  }
  const auto d = demos::load_demonstrations(path);
  demos::validate_for_env(d, path, spec);
  const demos::ExpertSelection selection{o.run.demo_episodes, o.run.demo_subsample,
                                         !cloning && o.imitation.absorbing, o.run.seed};
  ImitationParts parts;
  parts.expert = std::make_unique<demos::ExpertTransitions>(
      demos::select_expert_transitions(d, path, selection, spec.action_space.low, spec.action_space.high));
  if (!cloning)
    parts.imitation = std::make_unique<gail::Imitation>(o.imitation, *parts.expert, spec, o.run.seed, device);
  return parts;
}

void load_checkpoint_imitation(const std::filesystem::path& run_dir, gail::Imitation& imitation) {
  const auto path = run_dir / "checkpoint.pt";
  require_readable_file(path, "checkpoint",
                        "the run writes one every checkpoint_interval steps and at its end");
  try {
    verify_zip_checksums(path);
    torch::serialize::InputArchive archive;
    archive.load_from(path.string(), torch::kCPU);  // written on any device, read anywhere
    torch::serialize::InputArchive imitation_archive;
    archive.read("imitation", imitation_archive);
    imitation.load(imitation_archive);
  } catch (const std::exception& e) {
    const std::string what = e.what();
    throw UsageError(
        fmt::format("cannot read the imitation from {}: {}", path.string(), what.substr(0, what.find('\n'))));
  }
}

}  // namespace credo::run
