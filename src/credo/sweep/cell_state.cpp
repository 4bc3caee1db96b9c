#include "credo/sweep/cell_state.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace credo::sweep {

bool cell_done(const std::string& state) {
  return state == "finished" || state == "diverged";
}

std::string cell_state(const std::filesystem::path& run_dir) {
  std::error_code ec;
  if (!std::filesystem::exists(run_dir, ec)) return "pending";
  std::ifstream in(run_dir / "summary.json");
  if (in) {
    try {
      const auto summary = nlohmann::json::parse(in);
      const auto status = summary.value("status", std::string());
      if (cell_done(status)) return status;
    } catch (const std::exception&) {
      // A summary being rewritten or cut short: judged by the checkpoint below.
    }
  }
  return std::filesystem::exists(run_dir / "checkpoint.pt", ec) ? "interrupted" : "failed";
}

}  // namespace credo::sweep
