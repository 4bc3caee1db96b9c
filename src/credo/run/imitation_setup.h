#pragma once
// What a run with demonstrations learns from, set up from its options as `credo train` and `--resume` do: the
// selected expert transitions, and for every learner but bc the adversarial imitation (discriminator and
// reward) around it; and the imitation's state read back from a run folder's checkpoint.
#include <filesystem>
#include <memory>

#include "credo/demos/expert_transitions.h"
#include "credo/envs/env.h"
#include "credo/gail/imitation.h"
#include "credo/run/run_options.h"

namespace credo::run {

struct ImitationParts {
  std::unique_ptr<demos::ExpertTransitions> expert;
  std::unique_ptr<gail::Imitation> imitation;
};

// Empty parts for a run without demonstrations; UsageError for bc without them or for a bad file. The
// imitation learns on `device` (the run's, from nn::select_device).
ImitationParts make_imitation(const TrainingOptions& options, const envs::EnvSpec& spec,
                              torch::Device device = torch::kCPU);

// Reads the imitation's state (discriminator, reward normaliser, adaptive clip) from run_dir/checkpoint.pt;
// UsageError (one line) for a missing, corrupt or foreign checkpoint.
void load_checkpoint_imitation(const std::filesystem::path& run_dir, gail::Imitation& imitation);

}  // namespace credo::run
