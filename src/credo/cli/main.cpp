// credo: adversarial imitation learning that stays stable. Entry point of the `credo` command.
//
// Exit status: 0 on success, 2 for bad input (one line on stderr saying what, where and how to fix it), 1 for
// an internal failure. A bad-input message is one line of UTF-8 whatever bytes of a file it quotes
// (core/printable_line.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "credo/cli/commands.h"
#include "credo/core/error.h"
#include "credo/core/printable_line.h"
#include "credo/version.h"

int main(int argc, char** argv) {
  CLI::App app{"credo: adversarial imitation learning with stable deterministic learners (GAIL + CREDO)"};
  app.set_version_flag("--version", std::string("credo ") + CREDO_VERSION);
  app.require_subcommand(1);
  credo::cli::add_env_commands(app);
  credo::cli::add_train_commands(app);
  credo::cli::add_demo_commands(app);
  credo::cli::add_sweep_commands(app);
  credo::cli::add_report_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command that ended on purpose with a status (an interrupted training run)
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "credo: error: %s (see --help)\n", credo::printable_line(e.what()).c_str());
    return 2;
  } catch (const credo::UsageError& e) {
    std::fprintf(stderr, "credo: error: %s\n", credo::printable_line(e.what()).c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "credo: internal error: %s\n", e.what());  // as thrown: a backtrace keeps its lines
    return 1;
  }
  return 0;
}
