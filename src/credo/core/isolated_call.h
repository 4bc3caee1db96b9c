#pragma once
// Running a risky read in a child process, so that a library crashing on a hostile file (HDF5 segfaults on
// some corrupt headers, and allocates whatever a header declares) costs the user one line, not the process.
#include <functional>
#include <string>

namespace credo {

struct IsolationLimits {
  unsigned long long memory_bytes = 0;  // the child's address-space limit; 0: half of this machine's RAM
  unsigned seconds = 120;               // the child's time limit
};

// Half of this machine's physical memory (4 GiB when it cannot be read): the default budget of an isolated
// call and of an array a file declares (demos/declared_size.h).
unsigned long long half_the_ram();

// Runs `work` in a forked child with `limits`. Returns when it succeeded; rethrows a UsageError it threw (its
// message); throws UsageError("{what}: {how it died}") when the child crashed, ran out of memory or time.
// `work` must not touch state the caller needs afterwards (the child's changes are lost): callers repeat the
// work in process once it is known to be safe.
void run_isolated(const std::function<void()>& work, const std::string& what,
                  const IsolationLimits& limits = {});

}  // namespace credo
