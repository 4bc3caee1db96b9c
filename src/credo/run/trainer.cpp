#include "credo/run/trainer.h"

#include "credo/run/training_run.h"

namespace credo::run {

TrainResult train(const config::Config& config, const std::filesystem::path& run_dir, bool resume,
                  bool progress, const demos::ExpertTransitions* expert, gail::Imitation* imitation) {
  TrainingRun run(config, run_dir, resume, progress, expert, imitation);
  return run.run();
}

}  // namespace credo::run
