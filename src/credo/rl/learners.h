#pragma once
// Constructors of the individual learners (one file each); make_learner() picks one by config "algo".
#include <memory>

#include "credo/rl/learner.h"

namespace credo::rl {

std::unique_ptr<Learner> make_td3(const LearnerContext& context);  // td3 and ddpg
std::unique_ptr<Learner> make_sd3(const LearnerContext& context);
std::unique_ptr<Learner> make_sac(const LearnerContext& context);
std::unique_ptr<Learner> make_tssg(const LearnerContext& context);
std::unique_ptr<Learner> make_ppo(const LearnerContext& context);
std::unique_ptr<Learner> make_bc(const LearnerContext& context);

}  // namespace credo::rl
