// Fuzzes the demonstration file readers (HDF5 and .npz, chosen by the file's first bytes as `credo` chooses):
// every input is either read into valid demonstrations or refused with a UsageError.
#include "credo/demos/demo_files.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace credo;
  const auto path = fuzz::write_input(fuzz::scratch_folder() / "demos.bin", data, size);
  return fuzz::expect_refusal_or_success([&] { demos::read_demonstrations_in_process(path); });
}
