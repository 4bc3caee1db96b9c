#pragma once
// The expert transitions an imitation run learns from: the first `episodes` episodes of the demonstrations,
// optionally subsampled as DAC does, with actions mapped to the learners' normalised space [-1, 1].
//
// Subsampling (Kostrikov et al. 2019, "Discriminator-Actor-Critic", section 5; google-research dac/
// replay_buffer.py `subsample_transitions`): each episode keeps every `subsample`-th transition from a
// random offset of its own, so 1000-step expert episodes give 50 transitions each at the paper's rate 20.
// With absorbing states, each episode that ended by termination (not the time limit) adds one absorbing
// row: the observation is all zeros with the indicator (an extra last input) set to 1, the action zero. DAC
// never drops those rows and weighs them 1/subsample in the discriminator's loss (dac/gail.py), because
// they are kept whole while every other row was thinned.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "credo/demos/demonstrations.h"

namespace credo::demos {

struct ExpertSelection {
  std::int64_t episodes = 0;   // the first N episodes; 0: all
  std::int64_t subsample = 1;  // keep every subsample-th transition of each episode (1: all)
  bool absorbing = false;      // add the indicator input and one absorbing row per terminated episode
  std::uint64_t seed = 0;      // for the per-episode offsets
};

struct ExpertTransitions {
  std::int64_t obs_width = 0;     // the observation size, plus 1 with absorbing states (the indicator)
  std::int64_t act_dim = 0;
  std::vector<float> observations;  // rows() x obs_width
  std::vector<float> actions;       // rows() x act_dim, normalised to [-1, 1] with the env's bounds
  std::vector<float> weights;       // per row: 1, or 1 / subsample for an absorbing row
  std::int64_t episodes = 0;        // episodes used
  std::int64_t absorbing_rows = 0;
  double expert_return = 0.0;       // the recorded expert's mean return, else the mean over all episodes

  std::int64_t rows() const { return static_cast<std::int64_t>(weights.size()); }
};

// Selects from `d` (already checked against the env). Throws UsageError naming `source` when `episodes` is
// negative, `subsample` below 1 or longer than the shortest selected episode.
ExpertTransitions select_expert_transitions(const Demonstrations& d, const std::string& source,
                                            const ExpertSelection& selection, std::span<const double> low,
                                            std::span<const double> high);

}  // namespace credo::demos
