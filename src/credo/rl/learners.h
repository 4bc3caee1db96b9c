#pragma once
// Constructors of the individual learners (one file each); make_learner() picks one by config "algo" and
// gives it its options (learner_options.h).
#include <memory>

#include "credo/rl/learner.h"
#include "credo/rl/learner_options.h"

namespace credo::rl {

std::unique_ptr<Learner> make_td3(const LearnerContext& context, const Td3Options& options);  // td3 and ddpg
std::unique_ptr<Learner> make_sd3(const LearnerContext& context, const Sd3Options& options);
std::unique_ptr<Learner> make_sac(const LearnerContext& context, const SacOptions& options);
std::unique_ptr<Learner> make_tssg(const LearnerContext& context, const TssgOptions& options);
std::unique_ptr<Learner> make_ppo(const LearnerContext& context, const PpoOptions& options);
std::unique_ptr<Learner> make_bc(const LearnerContext& context, const BcOptions& options);

}  // namespace credo::rl
