#include "credo/core/thread_pool.h"

#include <chrono>
#include <stdexcept>

namespace credo {

namespace {
// How long a waiting thread spins before it sleeps on a futex. Long enough to bridge the gap between two
// back-to-back parallel_for calls when the caller does some work in between (Python building its arrays between
// two vector steps: tens of microseconds, docs/benchmarks.md), short enough not to burn a core when idle.
constexpr auto kSpinTime = std::chrono::microseconds(200);

// Spins until `done()` or kSpinTime has passed (the clock read once every 256 checks); returns done().
template <typename Done>
bool spin_until(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + kSpinTime;
  for (int i = 1;; ++i) {
    if (done()) return true;
    if (i % 256 == 0 && std::chrono::steady_clock::now() > deadline) return done();
  }
}
}  // namespace

ThreadPool::ThreadPool(int num_threads) {
  if (num_threads < 1) throw std::invalid_argument("ThreadPool needs at least one thread");
  for (int i = 1; i < num_threads; ++i) workers_.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
  stop_.store(true);
  generation_.fetch_add(1);
  generation_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::run_chunk(int index) {
  const auto threads = static_cast<std::size_t>(num_threads());
  const std::size_t begin = n_ * static_cast<std::size_t>(index) / threads;
  const std::size_t end = n_ * static_cast<std::size_t>(index + 1) / threads;
  if (begin == end) return;
  try {
    (*body_)(begin, end);
  } catch (...) {
    bool expected = false;
    if (has_error_.compare_exchange_strong(expected, true)) error_ = std::current_exception();
  }
}

void ThreadPool::worker_loop(int index) {
  std::uint64_t seen = 0;
  while (true) {
    std::uint64_t now = seen;
    spin_until([&] { return (now = generation_.load(std::memory_order_acquire)) != seen; });
    if (now == seen) {
      generation_.wait(seen, std::memory_order_acquire);
      continue;
    }
    seen = now;
    if (stop_.load()) return;
    run_chunk(index);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
  }
}

void ThreadPool::parallel_for(std::size_t n, const std::function<void(std::size_t, std::size_t)>& body) {
  if (workers_.empty() || n < 2) {
    if (n > 0) body(0, n);
    return;
  }
  body_ = &body;
  n_ = n;
  has_error_.store(false);
  error_ = nullptr;
  pending_.store(static_cast<int>(workers_.size()), std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  run_chunk(0);
  int left = 0;
  spin_until([&] { return (left = pending_.load(std::memory_order_acquire)) == 0; });
  while (left != 0) {
    pending_.wait(left, std::memory_order_acquire);
    left = pending_.load(std::memory_order_acquire);
  }
  body_ = nullptr;
  if (has_error_.load()) std::rethrow_exception(error_);
}

}  // namespace credo
