//===- ThreadPool.h - The runtime's thread pool -----------------*- C++ -*-===//
//
// A fixed pool of worker threads that runs the chunks of parallel loops.
// The calling thread takes part, so a pool of N threads has N-1 workers.
// Concurrent runs may share one pool.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_LIB_RUNTIME_THREADPOOL_H
#define LLMOS_LIB_RUNTIME_THREADPOOL_H

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace llmos::rt {

class ThreadPool {
public:
  using Body = void (*)(void *context, int64_t lo, int64_t hi);

  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  int getNumThreads() const { return numThreads; }

  /// Runs body over [begin, end) in chunks; returns when all are done.
  void parallelFor(int64_t begin, int64_t end, Body body, void *context);

private:
  struct Job;
  void workerLoop();
  static void runChunks(Job &job);

  int numThreads;
  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::shared_ptr<Job>> queue;
  bool stopping = false;
};

} // namespace llmos::rt

#endif // LLMOS_LIB_RUNTIME_THREADPOOL_H
