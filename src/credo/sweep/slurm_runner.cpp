#include "credo/sweep/slurm_runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/core/stop_signal.h"
#include "credo/sweep/local_runner.h"
#include "credo/sweep/seed_groups.h"

namespace credo::sweep {

namespace {

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe)) r.output += buffer.data();
  r.status = pclose(pipe);
  return r;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && access((std::filesystem::path(dir) / program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

std::string quote(const std::string& text) {
  std::string q = "'";
  for (char c : text) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  q += '\'';
  return q;
}

std::string self_path() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("credo") : p.string();
}

std::string first_line(const std::string& text) {
  const auto end = text.find('\n');
  return text.substr(0, end);
}

// Array tasks ("JOBID_INDEX") Slurm still has queued or running, among `tasks`.
std::set<std::string> active_tasks(const std::set<std::string>& tasks) {
  std::set<std::string> jobs, active;
  for (const auto& t : tasks) jobs.insert(t.substr(0, t.find('_')));
  if (jobs.empty()) return active;
  std::string list;
  for (const auto& j : jobs) list += fmt::format("{}{}", list.empty() ? "" : ",", j);
  // -r: one line per array task, so pending tasks are not folded into ranges.
  const auto r = run_command(fmt::format("squeue -h -r -o %i -j {}", list));
  std::stringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) {
    if (tasks.contains(line)) active.insert(line);
  }
  return active;
}

// Slurm's final word on array tasks that have left the queue, from its accounting database: task ->
// "STATE exit CODE" (COMPLETED exit 0:0, CANCELLED exit 0:15, TIMEOUT ..., OUT_OF_MEMORY ...). Empty where
// the cluster keeps no accounting (sacct missing or "accounting storage is disabled"): the run folders decide
// then (nullopt), as they always do for whether a cell is done.
std::optional<std::map<std::string, std::string>> accounted_tasks(const std::set<std::string>& tasks) {
  std::map<std::string, std::string> states;
  std::set<std::string> jobs;
  for (const auto& t : tasks) jobs.insert(t.substr(0, t.find('_')));
  if (jobs.empty()) return states;
  if (!on_path("sacct")) return std::nullopt;
  std::string list;
  for (const auto& j : jobs) list += fmt::format("{}{}", list.empty() ? "" : ",", j);
  // -X: the allocation line only (no .batch steps); -P: '|'-separated.
  const auto r = run_command(fmt::format("sacct -n -P -X -o JobID,State,ExitCode -j {}", list));
  if (r.status != 0) return std::nullopt;
  std::stringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) {
    std::stringstream fields(line);
    std::string id, state, exit_code;
    if (!std::getline(fields, id, '|') || !std::getline(fields, state, '|') ||
        !std::getline(fields, exit_code)) {
      continue;
    }
    state = state.substr(0, state.find(' '));  // "CANCELLED by 0" -> "CANCELLED"
    if (tasks.contains(id) && state != "PENDING" && state != "RUNNING" && state != "REQUEUED") {
      states[id] = fmt::format("{} exit {}", state, exit_code);
    }
  }
  return states;
}

// One array task: its cells and its line in the job script.
struct ArrayTask {
  std::vector<const Cell*> cells;
  std::string command;
};

ArrayTask cell_task(const Cell& cell, const std::filesystem::path& out) {
  std::string command =
      fmt::format("run_cell {}", quote(std::filesystem::absolute(out / cell.name).string()));
  for (const auto& arg : cell.train_args) command += fmt::format(" {}", quote(arg));
  return {{&cell}, command};
}

// A population's task: its folder, its seeds' run folders, then the arguments of its first start (the
// script's run_population decides between those and --resume when the task starts).
ArrayTask population_task(const SeedGroup& group, const std::vector<const Cell*>& members,
                          const std::filesystem::path& root) {
  std::string command = fmt::format("run_population {}", quote(population_dir(root, group).string()));
  for (const auto* c : members) command += fmt::format(" {}", quote((root / c->name).string()));
  command += " --";
  for (const auto& arg : new_population_args(group, members, root)) command += fmt::format(" {}", quote(arg));
  return {members, command};
}

// The array's tasks for the cells `waiting` (plan order): a task per cell, and with `groups` a task per group
// whose waiting cells train as one population (seed_groups.h); absolute paths, as tasks start elsewhere.
std::vector<ArrayTask> array_tasks(const std::vector<const Cell*>& waiting,
                                   const std::vector<SeedGroup>& groups, const std::filesystem::path& out) {
  const auto root = std::filesystem::absolute(out);
  std::vector<ArrayTask> result;
  std::set<const Cell*> placed;
  for (const auto* cell : waiting) {
    if (placed.contains(cell)) continue;
    const auto group = std::find_if(groups.begin(), groups.end(), [&](const SeedGroup& g) {
      return std::find(g.cells.begin(), g.cells.end(), cell) != g.cells.end();
    });
    std::vector<const Cell*> members{cell};  // the cells this task or these tasks take
    bool whole = false;                      // a group none of whose unfinished cells is still in the queue
    if (group != groups.end()) {
      members.clear();
      whole = true;
      for (const auto* c : group->cells) {
        if (std::find(waiting.begin(), waiting.end(), c) != waiting.end()) {
          members.push_back(c);
        } else if (!cell_done(cell_state(out / c->name))) {
          whole = false;
        }
      }
    }
    const auto how = whole ? how_to_start(*group, members, out) : GroupStart::kApart;
    if (how == GroupStart::kApart) {
      if (whole) forget_population(*group, out);
      for (const auto* c : members) {
        placed.insert(c);
        result.push_back(cell_task(*c, out));
      }
      continue;
    }
    for (const auto* c : members) placed.insert(c);
    result.push_back(population_task(*group, members, root));
  }
  return result;
}

std::map<std::string, std::string> previous_tasks(const std::filesystem::path& out) {
  std::map<std::string, std::string> tasks;
  std::ifstream in(out / "sweep.json");
  if (!in) return tasks;
  try {
    const auto m = nlohmann::json::parse(in);
    for (const auto& c : m.at("cells")) {
      if (c.contains("slurm_task"))
        tasks[c.at("name").get<std::string>()] = c.at("slurm_task").get<std::string>();
    }
  } catch (const std::exception&) {
    // A manifest from another version: no tasks to wait for.
  }
  return tasks;
}

}  // namespace

void require_slurm() {
  for (const char* program : {"sbatch", "squeue", "sinfo"}) {
    if (!on_path(program)) {
      throw UsageError(
          fmt::format("--backend slurm: '{}' is not on PATH; install Slurm's client commands "
                      "(Debian: slurm-client) on this machine, or use --backend local",
                      program));
    }
  }
  const auto r = run_command("sinfo -h -o %P");
  if (r.status != 0) {
    throw UsageError(
        fmt::format("--backend slurm: no Slurm controller answers (sinfo: {}); check that slurmctld "
                    "runs and SLURM_CONF points at its slurm.conf",
                    first_line(r.output)));
  }
}

int run_slurm(const SweepPlan& plan, const std::filesystem::path& out,
              const std::filesystem::path& sweep_file, bool populations, int& signal) {
  require_slurm();
  const std::string credo = self_path();
  auto tasks = previous_tasks(out);
  std::set<std::string> known;
  for (const auto& [cell, task] : tasks) known.insert(task);
  auto active = active_tasks(known);
  // cell -> how its last task ended, by Slurm's accounting (sacct), where the cluster keeps one.
  std::map<std::string, std::string> ended;
  // Returns false while a task that left the queue is not yet in the accounting (slurmctld reports to
  // slurmdbd asynchronously).
  const auto account = [&] {
    std::set<std::string> gone;
    for (const auto& t : known) {
      if (!active.contains(t)) gone.insert(t);
    }
    const auto states = accounted_tasks(gone);
    if (!states) return true;
    bool complete = true;
    for (const auto& [cell, task] : tasks) {
      const auto it = states->find(task);
      if (it == states->end()) {
        complete = complete && !gone.contains(task);
        continue;
      }
      if (ended[cell] == it->second) continue;
      ended[cell] = it->second;
      if (!it->second.starts_with("COMPLETED")) {
        std::printf("sweep: %s (task %s) ended %s\n", cell.c_str(), task.c_str(), it->second.c_str());
      }
    }
    std::fflush(stdout);
    return complete;
  };
  account();

  std::vector<const Cell*> waiting;
  for (const auto& cell : plan.cells) {
    const auto state = cell_state(out / cell.name);
    if (cell_done(state)) continue;
    const auto it = tasks.find(cell.name);
    if (it != tasks.end() && active.contains(it->second)) continue;  // still queued or running: wait for it
    waiting.push_back(&cell);
  }
  const auto groups = populations ? seed_groups(plan) : std::vector<SeedGroup>{};
  const auto submit = array_tasks(waiting, groups, out);
  std::printf("sweep: %zu cells, %zu still in Slurm's queue, %zu to submit in %zu tasks\n", plan.cells.size(),
              active.size(), waiting.size(), submit.size());
  std::fflush(stdout);

  if (!submit.empty()) {
    const auto dir = out / "slurm";
    std::filesystem::create_directories(dir);
    std::string script = "#!/bin/bash\n";
    script += fmt::format("#SBATCH --job-name=credo-sweep\n#SBATCH --array=0-{}\n", submit.size() - 1);
    script += fmt::format("#SBATCH --output={}/%A_%a.out\n", std::filesystem::absolute(dir).string());
    // A task that Slurm preempts or requeues (node failure, `scontrol requeue`) runs this script again from
    // the top: its log is appended to, and run_cell resumes from the checkpoint the SIGTERM left.
    script += "#SBATCH --requeue\n#SBATCH --open-mode=append\n";
    for (const auto& [key, value] : plan.slurm) {
      std::string option = key;
      for (auto& c : option) c = c == '_' ? '-' : c;
      script += fmt::format("#SBATCH --{}={}\n", option, value);
    }
    script += fmt::format("cd {}\n", quote(std::filesystem::current_path().string()));
    // Resume or start is decided when the task starts, not when it was submitted: a requeued task finds the
    // checkpoint its first start wrote. exec: Slurm's SIGTERM (scancel, time limit, preemption) reaches credo
    // itself, which checkpoints.
    // A population (seed_groups.h) resumes when every seed folder has its checkpoint (or diverged) and starts
    // over otherwise, as a cell does.
    script += fmt::format(
        "run_cell() {{  # a run folder, then the arguments of its first start\n"
        "  dir=$1; shift\n"
        "  if [ -f \"$dir/checkpoint.pt\" ] && [ -f \"$dir/config.toml\" ]; then exec {0} train --resume "
        "\"$dir\"; fi\n"
        "  exec {0} train \"$@\" --out \"$dir\" --force\n"
        "}}\n"
        "run_population() {{  # the population's folder, its seeds' run folders, --, the arguments of its "
        "start\n"
        "  pop=$1; shift; ready=1\n"
        "  while [ \"$1\" != -- ]; do\n"
        "    [ -f \"$1/checkpoint.pt\" ] || grep -qs '\"status\": \"diverged\"' \"$1/summary.json\" || "
        "ready=0\n"
        "    shift\n"
        "  done\n"
        "  shift\n"
        "  if [ $ready = 1 ] && [ -f \"$pop/population.json\" ]; then exec {0} train --resume \"$pop\"; fi\n"
        "  exec {0} train \"$@\"\n"
        "}}\n"
        "case \"$SLURM_ARRAY_TASK_ID\" in\n",
        quote(credo));
    for (std::size_t i = 0; i < submit.size(); ++i)
      script += fmt::format("  {}) {} ;;\n", i, submit[i].command);
    script += "esac\n";
    const auto script_path = dir / fmt::format("array-{}.sh", static_cast<long long>(std::time(nullptr)));
    write_file_atomically(script_path, script);
    const auto r = run_command(fmt::format("sbatch --parsable {}", quote(script_path.string())));
    if (r.status != 0) {
      throw UsageError(fmt::format("--backend slurm: sbatch refused the job array ({}); see {}",
                                   first_line(r.output), script_path.string()));
    }
    const std::string job = first_line(r.output).substr(0, first_line(r.output).find(';'));
    for (std::size_t i = 0; i < submit.size(); ++i) {
      for (const auto* cell : submit[i].cells) {
        tasks[cell->name] = fmt::format("{}_{}", job, i);
        known.insert(tasks[cell->name]);
        ended.erase(cell->name);
      }
    }
    std::printf("sweep: submitted job array %s (%zu tasks, script %s)\n", job.c_str(), submit.size(),
                script_path.c_str());
    std::fflush(stdout);
  }
  write_manifest(plan, out, sweep_file, "slurm", tasks, ended);

  install_stop_handlers();
  std::size_t last_active = static_cast<std::size_t>(-1);
  for (;;) {
    active = active_tasks(known);
    if (active.size() != last_active) {
      account();
      std::printf("sweep: %zu tasks queued or running\n", active.size());
      std::fflush(stdout);
      last_active = active.size();
      write_manifest(plan, out, sweep_file, "slurm", tasks, ended);
    }
    if (active.empty()) break;
    if (stop_requested()) {
      signal = stop_signal();
      std::printf(
          "sweep: stopped waiting; the jobs keep running in Slurm, rerun the same command to follow them\n");
      return static_cast<int>(active.size());
    }
    sleep(2);
  }
  for (int tries = 0; tries < 10 && !account(); ++tries) sleep(1);
  write_manifest(plan, out, sweep_file, "slurm", tasks, ended);
  int unfinished = 0;
  for (const auto& cell : plan.cells) {
    const auto state = cell_state(out / cell.name);
    if (!cell_done(state)) ++unfinished;
  }
  return unfinished;
}

}  // namespace credo::sweep
