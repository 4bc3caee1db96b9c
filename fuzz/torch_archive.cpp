// Fuzzes the check every checkpoint.pt and policy .pt file passes before LibTorch reads it: the zip archive's
// structure and every entry's CRC (core/zip_checksums.h). What passes it goes on to LibTorch, which is not
// instrumented here; fuzz/replay.py sends each breaking input through `credo eval`, the whole reader.
#include <stdexcept>

#include "credo/core/zip_checksums.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace credo;
  const auto path = fuzz::write_input(fuzz::scratch_folder() / "input.pt", data, size);
  return fuzz::expect_refusal_or_success([&] {
    try {
      verify_zip_checksums(path);
    } catch (const std::runtime_error& e) {
      throw UsageError(e.what());  // as policy files and resume answer it: one line, exit 2
    }
  });
}
