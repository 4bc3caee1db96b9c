#pragma once
// A fixed set of worker threads that split a loop with the calling thread.
//
// Built for many short parallel loops in a row (stepping a vector of environments every few microseconds):
// workers spin briefly on an atomic generation counter before sleeping on it (std::atomic::wait), so a loop
// that follows the previous one closely is picked up without a futex round trip.
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace credo {

class ThreadPool {
 public:
  // `num_threads` counts the calling thread: 1 means no workers and loops run inline.
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls body(begin, end) on contiguous, disjoint chunks that cover [0, n), one chunk per thread, and
  // returns when all are done. The first exception thrown by a chunk is rethrown here.
  void parallel_for(std::size_t n, const std::function<void(std::size_t, std::size_t)>& body);

 private:
  void worker_loop(int index);
  void run_chunk(int index);

  std::vector<std::thread> workers_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
  const std::function<void(std::size_t, std::size_t)>* body_ = nullptr;
  std::size_t n_ = 0;
  std::exception_ptr error_;
  std::atomic<bool> has_error_{false};
};

}  // namespace credo
