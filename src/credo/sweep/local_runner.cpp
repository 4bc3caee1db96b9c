#include "credo/sweep/local_runner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "credo/core/atomic_file.h"
#include "credo/core/duration.h"
#include "credo/core/error.h"
#include "credo/core/stop_signal.h"

namespace credo::sweep {

namespace {

// This very binary, so a sweep runs the same credo that planned it: its path, or, when a rebuild has replaced
// the file since the sweep started (the link then ends in " (deleted)"), the running image itself.
std::string self_path() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || p.string().ends_with(" (deleted)")) return "/proc/self/exe";
  return p.string();
}

pid_t launch(const std::vector<std::string>& args, const std::filesystem::path& log) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // The cell stops (SIGTERM: it checkpoints and exits) when the sweep dies in any way, kill -9 included, so
    // no orphan keeps writing into a folder that a rerun of the sweep would start again.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(128 + SIGTERM);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    setpgid(0, 0);  // its own process group: a Ctrl-C reaches the sweep, which stops each cell itself
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

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

void write_manifest(const SweepPlan& plan, const std::filesystem::path& out,
                    const std::filesystem::path& sweep_file, const std::string& backend,
                    const std::map<std::string, std::string>& slurm_tasks,
                    const std::map<std::string, std::string>& slurm_states) {
  nlohmann::ordered_json m;
  m["sweep_file"] = std::filesystem::absolute(sweep_file).string();
  m["backend"] = backend;
  m["cells"] = nlohmann::json::array();
  for (const auto& cell : plan.cells) {
    nlohmann::ordered_json c;
    c["name"] = cell.name;
    nlohmann::ordered_json values = nlohmann::ordered_json::object();
    for (const auto& [k, v] : cell.values) values[k] = v;
    c["values"] = values;
    c["train_args"] = cell.train_args;
    c["state"] = cell_state(out / cell.name);
    if (const auto it = slurm_tasks.find(cell.name); it != slurm_tasks.end()) c["slurm_task"] = it->second;
    if (const auto it = slurm_states.find(cell.name); it != slurm_states.end()) c["slurm_state"] = it->second;
    m["cells"].push_back(c);
  }
  write_file_atomically(out / "sweep.json", m.dump(2) + "\n");
}

int run_local(const SweepPlan& plan, const std::filesystem::path& out,
              const std::filesystem::path& sweep_file, int jobs, int& signal) {
  const std::string credo = self_path();
  std::vector<const Cell*> todo;
  for (const auto& cell : plan.cells) {
    const auto state = cell_state(out / cell.name);
    if (!cell_done(state)) todo.push_back(&cell);
  }
  std::printf("sweep: %zu cells, %zu to run (%zu done), %d at a time\n", plan.cells.size(), todo.size(),
              plan.cells.size() - todo.size(), jobs);
  std::fflush(stdout);
  write_manifest(plan, out, sweep_file, "local");
  install_stop_handlers();
  std::map<pid_t, const Cell*> running;
  std::size_t next = 0, ended = 0, skipped = 0;
  int failed = 0;
  const auto started = std::chrono::steady_clock::now();
  bool stopping = false;
  while ((next < todo.size() || !running.empty())) {
    while (!stop_requested() && next < todo.size() && static_cast<int>(running.size()) < jobs) {
      const Cell& cell = *todo[next++];
      const auto dir = out / cell.name;
      // Judged again at launch: a cell can finish while it waits (a second sweep on the same folder, or run
      // folders copied in from another machine), and starting it with --force would overwrite that run.
      const auto state_now = cell_state(dir);
      if (cell_done(state_now)) {
        ++skipped;
        std::printf("sweep: %s is already %s; not run again\n", cell.name.c_str(), state_now.c_str());
        std::fflush(stdout);
        continue;
      }
      std::vector<std::string> args{credo, "train"};
      if (state_now == "interrupted") {
        args.insert(args.end(), {"--resume", dir.string()});
      } else {
        args.insert(args.end(), cell.train_args.begin(), cell.train_args.end());
        args.insert(args.end(), {"--out", dir.string(), "--force"});
        std::error_code ec;
        if (std::filesystem::exists(dir, ec) && !std::filesystem::exists(dir / "config.toml", ec)) {
          std::filesystem::remove_all(dir, ec);  // a folder the run never got to set up
        }
      }
      running[launch(args, out / (cell.name + ".log"))] = &cell;
      std::printf("sweep: started %s\n", cell.name.c_str());
      std::fflush(stdout);
    }
    if (stop_requested() && !stopping) {
      stopping = true;
      for (const auto& [pid, cell] : running) kill(pid, SIGTERM);  // each cell checkpoints and exits
    }
    // Polled, so a stop signal is seen at once whatever the signal handler's restart flags.
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid == 0) {
      usleep(100'000);
      continue;
    }
    if (pid < 0) break;
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    auto state = cell_state(out / it->second->name);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (state == "pending" && !stop_requested()) {
      // Refused before it made its folder (its log says why): an empty folder marks the cell failed, and the
      // next sweep starts it afresh.
      std::error_code ec;
      std::filesystem::create_directories(out / it->second->name, ec);
      state = cell_state(out / it->second->name);
    }
    if (!cell_done(state)) ++failed;
    const Cell& cell = *it->second;
    running.erase(it);  // the cell itself lives in the plan
    ++ended;
    // The pace so far (cells of one sweep can differ in cost, so this is a rough guide).
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto left = todo.size() - ended - skipped;
    std::printf(
        "sweep: %s ended: %s (exit %d); %zu of %zu cells ended, %zu running, %zu waiting%s\n",
        cell.name.c_str(), state.c_str(), code, plan.cells.size() - left, plan.cells.size(),
        running.size(), todo.size() - next,
        left > 0
            ? fmt::format(", about {} left at this pace",
                          format_duration(elapsed / static_cast<double>(ended) * static_cast<double>(left)))
                  .c_str()
            : "");
    std::fflush(stdout);
    write_manifest(plan, out, sweep_file, "local");
  }
  if (stop_requested()) signal = stop_signal();
  write_manifest(plan, out, sweep_file, "local");
  return failed + static_cast<int>(todo.size() - next);
}

}  // namespace credo::sweep
