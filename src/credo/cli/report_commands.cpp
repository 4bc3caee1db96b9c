// `credo report DIR... --out OUT`: runs scripts/report.py (aggregation, tables and matplotlib figures) with
// credo's venv Python. Plotting lives in Python because matplotlib is the figure library of this field; the
// numbers come from the run folders' own files.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "credo/cli/commands.h"
#include "credo/core/error.h"
#include "credo/version.h"

namespace credo::cli {

namespace {

struct ReportArgs {
  std::vector<std::string> dirs;
  std::string out;
};

void run_report(const ReportArgs& a) {
  const std::filesystem::path script = std::filesystem::path(CREDO_SOURCE_DIR) / "scripts" / "report.py";
  const std::string python = CREDO_PYTHON_PATH;
  std::error_code ec;
  if (!std::filesystem::exists(script, ec) || !std::filesystem::exists(python, ec)) {
    throw UsageError(fmt::format("credo report needs {} and credo's Python {} (run scripts/setup.sh)",
                                 script.string(), python));
  }
  std::vector<std::string> args{python, script.string()};
  args.insert(args.end(), a.dirs.begin(), a.dirs.end());
  args.insert(args.end(), {"--out", a.out});
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  execv(python.c_str(), argv.data());
  throw UsageError(fmt::format("cannot run {}", python));
}

}  // namespace

void add_report_commands(CLI::App& app) {
  auto a = std::make_shared<ReportArgs>();
  auto* report = app.add_subcommand(
      "report", "Aggregate run folders and sweeps into OUT/report.md with figures and CSV tables");
  report->add_option("dirs", a->dirs, "run folders, or folders holding them (sweeps)")->required();
  report->add_option("--out", a->out, "report folder")->required();
  report->callback([a] { run_report(*a); });
}

}  // namespace credo::cli
