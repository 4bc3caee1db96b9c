#include "credo/core/isolated_call.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "credo/core/error.h"

namespace credo {

namespace {

// AddressSanitizer reserves terabytes of address space for its shadow memory: an address-space limit would
// stop a sanitizer build before it starts.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kLimitAddressSpace = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kLimitAddressSpace = false;
#else
constexpr bool kLimitAddressSpace = true;
#endif
#else
constexpr bool kLimitAddressSpace = true;
#endif

// The process's mapped address space (VmSize), from /proc/self/statm.
unsigned long long mapped_bytes() {
  unsigned long long pages = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%llu", &pages) != 1) pages = 0;
    std::fclose(f);
  }
  return pages * static_cast<unsigned long long>(sysconf(_SC_PAGE_SIZE));
}

[[noreturn]] void child(const std::function<void()>& work, const IsolationLimits& limits, int out) {
  if (kLimitAddressSpace) {
    // The budget comes on top of what the process has mapped already (its libraries, LibTorch's
    // reservations).
    const auto budget = limits.memory_bytes > 0 ? limits.memory_bytes : half_the_ram();
    const auto limit_bytes = mapped_bytes() + budget;
    const rlimit limit{limit_bytes, limit_bytes};
    setrlimit(RLIMIT_AS, &limit);
  }
  alarm(limits.seconds);
  int code = 0;
  std::string message;
  try {
    work();
  } catch (const UsageError& e) {
    code = 2, message = e.what();
  } catch (const std::bad_alloc&) {
    code = 4, message = "it needs more memory than allowed";
  } catch (const std::exception& e) {
    code = 3, message = e.what();
  }
  for (std::size_t done = 0; done < message.size();) {
    const auto n = write(out, message.data() + done, message.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  _exit(code);  // no destructors or atexit handlers of the parent's libraries run in the child
}

}  // namespace

unsigned long long half_the_ram() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0
             ? static_cast<unsigned long long>(pages) * static_cast<unsigned long long>(page) / 2
             : 4ULL << 30;
}

void run_isolated(const std::function<void()>& work, const std::string& what, const IsolationLimits& limits) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe failed: ") + std::strerror(errno));
  std::fflush(nullptr);  // nothing buffered is written twice
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]), close(fds[1]);
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    child(work, limits, fds[1]);
  }
  close(fds[1]);
  std::string message;
  char buffer[4096];
  for (;;) {
    const auto n = read(fds[0], buffer, sizeof buffer);
    if (n > 0) {
      message.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    switch (WEXITSTATUS(status)) {
      case 0:
        return;
      case 2:
        throw UsageError(message);
      case 4:
        throw UsageError(fmt::format("{}: {} (corrupt file?)", what, message));
      default:
        throw std::runtime_error(message.empty() ? fmt::format("{}: exit {}", what, WEXITSTATUS(status))
                                                 : message);
    }
  }
  const int signal = WTERMSIG(status);
  throw UsageError(
      fmt::format("{}: {} (corrupt file?)", what,
                  signal == SIGALRM   ? fmt::format("reading it took more than {} s", limits.seconds)
                  : signal == SIGKILL ? std::string("reading it was killed (out of memory?)")
                                      : fmt::format("the reader crashed ({})", strsignal(signal))));
}

}  // namespace credo
