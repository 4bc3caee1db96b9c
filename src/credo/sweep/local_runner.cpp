#include "credo/sweep/local_runner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/core/stop_signal.h"
#include "credo/sweep/seed_groups.h"
#include "credo/sweep/sweep_pace.h"

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

namespace {

// What waits to run: one cell, or the unfinished cells of a group that may train as one population
// (seed_groups.h).
struct Job {
  std::vector<const Cell*> cells;
  const SeedGroup* group = nullptr;
};

// A started `credo train` process and the cells it trains.
struct Started {
  std::vector<const Cell*> cells;
  std::string label;
};

// The `credo train` arguments of one cell in the state its folder shows now.
std::vector<std::string> cell_args(const std::string& credo, const Cell& cell,
                                   const std::filesystem::path& dir, const std::string& state) {
  std::vector<std::string> args{credo, "train"};
  if (state == "interrupted") {
    args.insert(args.end(), {"--resume", dir.string()});
    return args;
  }
  args.insert(args.end(), cell.train_args.begin(), cell.train_args.end());
  args.insert(args.end(), {"--out", dir.string(), "--force"});
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::exists(dir / "config.toml", ec)) {
    std::filesystem::remove_all(dir, ec);  // a folder the run never got to set up
  }
  return args;
}

// The jobs of the plan's unfinished cells in plan order; with `groups`, a group's cells as one job at its
// first unfinished cell.
std::deque<Job> plan_jobs(const SweepPlan& plan, const std::vector<SeedGroup>& groups,
                          const std::filesystem::path& out) {
  std::map<const Cell*, const SeedGroup*> group_of;
  for (const auto& g : groups) {
    for (const auto* c : g.cells) group_of[c] = &g;
  }
  std::deque<Job> jobs;
  std::map<const SeedGroup*, std::size_t> queued;  // group -> its job
  for (const auto& cell : plan.cells) {
    if (cell_done(cell_state(out / cell.name))) continue;
    const auto it = group_of.find(&cell);
    if (it == group_of.end()) {
      jobs.push_back({{&cell}, nullptr});
    } else if (const auto [at, fresh] = queued.emplace(it->second, jobs.size()); fresh) {
      jobs.push_back({{&cell}, it->second});
    } else {
      jobs[at->second].cells.push_back(&cell);
    }
  }
  return jobs;
}

std::size_t cells_in(const std::deque<Job>& jobs) {
  std::size_t n = 0;
  for (const auto& j : jobs) n += j.cells.size();
  return n;
}

// One local sweep while it runs: what waits, what runs, and the counts its progress lines print.
class LocalSweep {
 public:
  LocalSweep(const SweepPlan& plan, const std::filesystem::path& out, const std::filesystem::path& sweep_file,
             bool populations)
      : plan_(plan),
        out_(out),
        sweep_file_(sweep_file),
        credo_(self_path()),
        groups_(populations ? seed_groups(plan) : std::vector<SeedGroup>{}),
        todo_(plan_jobs(plan, groups_, out)),
        to_run_(cells_in(todo_)) {}

  // Returns the number of cells left unfinished; `signal` is set when a stop signal ended the sweep.
  int run(int jobs, int& signal) {
    jobs_ = jobs;
    std::printf("sweep: %zu cells, %zu to run (%zu done), %d at a time%s%s\n", plan_.cells.size(), to_run_,
                plan_.cells.size() - to_run_, jobs,
                groups_.empty() ? "" : fmt::format(", {} seed populations", groups_.size()).c_str(),
                pace_suffix().c_str());
    std::fflush(stdout);
    write_manifest(plan_, out_, sweep_file_, "local");
    install_stop_handlers();
    bool stopping = false;
    while (!todo_.empty() || !running_.empty()) {
      while (!stop_requested() && !todo_.empty() && static_cast<int>(running_.size()) < jobs) start_next();
      if (stop_requested() && !stopping) {
        stopping = true;
        for (const auto& [pid, cell] : running_) kill(pid, SIGTERM);  // each cell checkpoints and exits
      }
      // Polled, so a stop signal is seen at once whatever the signal handler's restart flags.
      int status = 0;
      const pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid == 0) {
        usleep(100'000);
        continue;
      }
      if (pid < 0) break;
      if (running_.contains(pid)) ended(pid, status);
    }
    if (stop_requested()) signal = stop_signal();
    write_manifest(plan_, out_, sweep_file_, "local");
    return failed_ + static_cast<int>(cells_in(todo_));
  }

 private:
  // ", about 1h05m left" from the run records as they stand, for the end of a progress line; empty when no
  // cell is left.
  std::string pace_suffix() const {
    const auto pace = pace_text(sweep_pace(plan_, out_, jobs_));
    return pace.empty() ? pace : ", " + pace;
  }

  // The job's cells still unfinished, judged again at launch: a cell can finish while it waits (a second
  // sweep on the same folder, or run folders copied in from another machine), and starting it with --force
  // would overwrite that run.
  std::vector<const Cell*> still_to_run(const Job& job) {
    std::vector<const Cell*> cells;
    for (const auto* c : job.cells) {
      const auto state = cell_state(out_ / c->name);
      if (!cell_done(state)) {
        cells.push_back(c);
        continue;
      }
      ++skipped_;
      std::printf("sweep: %s is already %s; not run again\n", c->name.c_str(), state.c_str());
      std::fflush(stdout);
    }
    return cells;
  }

  // Starts the next job: a cell, or a group as one population; a group that cannot continue as one goes
  // back to the front of the queue as its cells.
  void start_next() {
    const Job job = todo_.front();
    todo_.pop_front();
    const auto cells = still_to_run(job);
    if (cells.empty()) return;
    const auto how = job.group ? how_to_start(*job.group, cells, out_) : GroupStart::kApart;
    if (how == GroupStart::kApart && job.group) {
      forget_population(*job.group, out_);
      for (auto c = cells.rbegin(); c != cells.rend(); ++c) todo_.push_front({{*c}, nullptr});
      return;
    }
    Started s{cells, cells.front()->name};
    std::vector<std::string> args;
    auto log = out_ / (cells.front()->name + ".log");
    if (how == GroupStart::kApart) {
      args = cell_args(credo_, *cells.front(), out_ / cells.front()->name,
                       cell_state(out_ / cells.front()->name));
    } else {
      const auto dir = population_dir(out_, *job.group);
      std::filesystem::create_directories(dir.parent_path());
      log = dir.parent_path() / (job.group->name + ".log");
      s.label = fmt::format("population {} ({} cells)", job.group->name, cells.size());
      args = {credo_, "train"};
      const auto more = how == GroupStart::kResume ? std::vector<std::string>{"--resume", dir.string()}
                                                   : new_population_args(*job.group, cells, out_);
      args.insert(args.end(), more.begin(), more.end());
    }
    std::printf("sweep: started %s\n", s.label.c_str());
    std::fflush(stdout);
    running_[launch(args, log)] = std::move(s);
  }

  // A started process ended: each of its cells' states, one line each with the sweep's progress.
  void ended(pid_t pid, int status) {
    const Started done = std::move(running_.at(pid));
    running_.erase(pid);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    for (const auto* cell : done.cells) {
      auto state = cell_state(out_ / cell->name);
      if (state == "pending" && !stop_requested()) {
        // Refused before it made its folder (its log says why): an empty folder marks the cell failed, and
        // the next sweep starts it afresh.
        std::error_code ec;
        std::filesystem::create_directories(out_ / cell->name, ec);
        state = cell_state(out_ / cell->name);
      }
      if (!cell_done(state)) ++failed_;
      ++ended_;
      std::size_t in_flight = 0;
      for (const auto& [p, r] : running_) in_flight += r.cells.size();
      const auto left = to_run_ - ended_ - skipped_;
      std::printf("sweep: %s ended: %s (exit %d); %zu of %zu cells ended, %zu running, %zu waiting%s\n",
                  cell->name.c_str(), state.c_str(), code, plan_.cells.size() - left, plan_.cells.size(),
                  in_flight, cells_in(todo_), pace_suffix().c_str());
    }
    std::fflush(stdout);
    write_manifest(plan_, out_, sweep_file_, "local");
  }

  const SweepPlan& plan_;
  const std::filesystem::path out_, sweep_file_;
  const std::string credo_;
  const std::vector<SeedGroup> groups_;
  std::deque<Job> todo_;
  const std::size_t to_run_;
  std::map<pid_t, Started> running_;
  std::size_t ended_ = 0, skipped_ = 0;
  int failed_ = 0;
  int jobs_ = 1;
};

}  // namespace

int run_local(const SweepPlan& plan, const std::filesystem::path& out,
              const std::filesystem::path& sweep_file, int jobs, bool populations, int& signal) {
  return LocalSweep(plan, out, sweep_file, populations).run(jobs, signal);
}

}  // namespace credo::sweep
