// Fuzzes the summary.json reader of sweeps (sweep/cell_state.h cell_state: what a cell's run folder says it
// is, which decides whether a rerun of the sweep starts it again). `credo report` reads summaries in Python
// (scripts/report.py), where tests/python/test_report.py feeds it damaged ones.
#include "credo/sweep/cell_state.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace credo;
  const auto run = fuzz::scratch_folder() / "cell";
  fuzz::write_input(run / "summary.json", data, size);
  return fuzz::expect_refusal_or_success([&] {
    const auto state = sweep::cell_state(run);
    if (state != "finished" && state != "diverged" && state != "interrupted" && state != "failed") {
      throw std::logic_error("cell_state gave '" + state + "'");
    }
  });
}
