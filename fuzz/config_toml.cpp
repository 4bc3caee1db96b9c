// Fuzzes the TOML config reader (the text of a --config file or a preset).
#include "credo/config/config.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace credo;
  const std::string text(reinterpret_cast<const char*>(data), size);
  return fuzz::expect_refusal_or_success([&] { config::parse_toml(text, "fuzz.toml"); });
}
