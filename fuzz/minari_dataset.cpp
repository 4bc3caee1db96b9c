// Fuzzes the Minari dataset reader: the input is the dataset's data/main_data.hdf5, beside a fixed, valid
// data/metadata.json for Pendulum-v1.
#include "credo/demos/demo_files.h"
#include "fuzz_input.h"

namespace {
constexpr const char* kMetadata =
    R"({"data_format": "hdf5", "algorithm_name": "fuzz", "env_spec": "{\"id\": \"Pendulum-v1\"}",
        "total_episodes": 1, "total_steps": 3})";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace credo;
  const auto folder = fuzz::scratch_folder() / "minari";
  static const bool written = [&] {
    const std::string text = kMetadata;
    fuzz::write_input(folder / "data" / "metadata.json", reinterpret_cast<const std::uint8_t*>(text.data()),
                      text.size());
    return true;
  }();
  (void)written;
  fuzz::write_input(folder / "data" / "main_data.hdf5", data, size);
  return fuzz::expect_refusal_or_success([&] { demos::read_demonstrations_in_process(folder.string()); });
}
