#pragma once
// `credo export`: a policy as a TorchScript module that Python loads with nothing but torch
// (torch.jit.load). Its forward takes raw observations ([obs_dim] or [B, obs_dim], any float type) and
// returns float32 actions in the env's units, computing exactly what Policy::act does: observation
// normalisation (when the policy has it), the deterministic head, clipping to [-1, 1], and the map onto the
// action bounds. The module also carries env_id, algo, obs_dim and act_dim as attributes.
#include <filesystem>

#include "credo/rl/policy_file.h"

namespace credo::rl {

void export_torchscript(const Policy& policy, const std::filesystem::path& out);

}  // namespace credo::rl
