// Fuzzes the sweep file reader's own part (sweep/sweep_file.h): the tables, the grid's expansion into cells,
// folder names and "{key}" substitution. Resolving each cell's config needs the env registry (MuJoCo) and the
// learners' options, so fuzz/replay.py sends each breaking input through `credo sweep --dry-run`, the whole
// reader.
#include "credo/sweep/sweep_file.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace credo;
  const std::string text(reinterpret_cast<const char*>(data), size);
  return fuzz::expect_refusal_or_success([&] { sweep::read_sweep_file(text, "fuzz.toml", 200, false); });
}
