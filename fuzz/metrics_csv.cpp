// Fuzzes what a resumed run and `credo report` read back from a run folder's metrics.csv: a column's values,
// and a resume that cuts the file back to a checkpoint's step.
#include "credo/telemetry/metrics_writer.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace credo;
  const auto path = fuzz::write_input(fuzz::scratch_folder() / "metrics.csv", data, size);
  return fuzz::expect_refusal_or_success([&] {
    telemetry::read_metrics_column(path, "eval_return", 1'000'000);
    telemetry::MetricsWriter resumed(path, {"step", "episode_return", "eval_return"}, 5000);
  });
}
