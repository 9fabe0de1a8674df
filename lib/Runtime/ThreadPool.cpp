//===- ThreadPool.cpp - The runtime's thread pool -------------------------===//
//
// This file implements the thread pool and llmos_rt_parallel_for, which
// generated parallel loops call.
//
//===----------------------------------------------------------------------===//

#include "ThreadPool.h"
#include "RuntimeImpl.h"

#include <algorithm>
#include <atomic>

using namespace llmos::rt;

namespace {
thread_local ThreadPool *activePool = nullptr;
} // namespace

ThreadPool *llmos::rt::currentPool() { return activePool; }
void llmos::rt::setCurrentPool(ThreadPool *pool) { activePool = pool; }

struct ThreadPool::Job {
  int64_t begin, end, chunk, numChunks;
  Body body;
  void *context;
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> done{0};
  std::mutex mutex;
  std::condition_variable finished;
};

ThreadPool::ThreadPool(int threads) : numThreads(std::max(threads, 1)) {
  for (int i = 1; i < numThreads; ++i)
    workers.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  for (std::thread &worker : workers)
    worker.join();
}

void ThreadPool::runChunks(Job &job) {
  int64_t completed = 0;
  for (int64_t c; (c = job.next.fetch_add(1)) < job.numChunks; ++completed) {
    int64_t lo = job.begin + c * job.chunk;
    int64_t hi = std::min(job.end, lo + job.chunk);
    job.body(job.context, lo, hi);
  }
  if (completed &&
      job.done.fetch_add(completed) + completed == job.numChunks) {
    std::lock_guard<std::mutex> lock(job.mutex);
    job.finished.notify_all();
  }
}

void ThreadPool::workerLoop() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, [&] { return stopping || !queue.empty(); });
      if (stopping && queue.empty())
        return;
      job = queue.front();
      // A job stays queued until its chunks are all taken.
      if (job->next.load() >= job->numChunks) {
        queue.pop_front();
        continue;
      }
    }
    runChunks(*job);
    std::lock_guard<std::mutex> lock(mutex);
    if (!queue.empty() && queue.front() == job)
      queue.pop_front();
  }
}

void ThreadPool::parallelFor(int64_t begin, int64_t end, Body body,
                             void *context) {
  int64_t n = end - begin;
  if (n <= 0)
    return;
  if (numThreads == 1 || n == 1) {
    body(context, begin, end);
    return;
  }
  auto job = std::make_shared<Job>();
  job->begin = begin;
  job->end = end;
  // A few chunks per thread balances uneven chunk costs.
  int64_t chunks = std::min<int64_t>(n, 4 * numThreads);
  job->chunk = (n + chunks - 1) / chunks;
  job->numChunks = (n + job->chunk - 1) / job->chunk;
  job->body = body;
  job->context = context;
  {
    std::lock_guard<std::mutex> lock(mutex);
    queue.push_back(job);
  }
  wake.notify_all();
  runChunks(*job);
  std::unique_lock<std::mutex> lock(job->mutex);
  job->finished.wait(lock, [&] { return job->done.load() == job->numChunks; });
}

extern "C" void llmos_rt_parallel_for(int64_t begin, int64_t end,
                                      void (*body)(void *, int64_t, int64_t),
                                      void *context) {
  ThreadPool *pool = activePool;
  if (!pool) {
    // Outside a run, or nested inside a chunk: run inline.
    body(context, begin, end);
    return;
  }
  // Loops nested in a chunk run inline, on the workers (which have no active
  // pool) and on this thread alike.
  activePool = nullptr;
  pool->parallelFor(begin, end, body, context);
  activePool = pool;
}
