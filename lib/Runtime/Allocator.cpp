//===- Allocator.cpp - Memory for buffers of generated code ---------------===//
//
// This file implements the allocation functions that MLIR's memref lowering
// calls from generated code. Live allocations are tracked so that a run can
// give an output buffer the model allocated to the caller without copying it.
//
// Freed blocks are kept in a process-wide cache (up to 1 GiB, or
// $LLMOS_ALLOCATOR_CACHE_MB) and reused for requests of at least half their
// size: the buffers of one run are the buffers of the next, so steady-state
// runs neither map fresh pages from the kernel (and fault them in) nor
// return them. Every block is 64-byte aligned and comes from aligned_alloc,
// so a block handed to the caller is freed with free().
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>

namespace {

constexpr size_t kAlignment = 64;

struct Registry {
  std::mutex mutex;
  /// Live blocks and their (rounded) sizes.
  std::unordered_map<void *, size_t> live;
  /// Free blocks by size.
  std::multimap<size_t, void *> cached;
  size_t cachedBytes = 0;
  size_t limit = 0;
};

Registry &registry() {
  static Registry *r = [] {
    auto *created = new Registry();
    created->limit = size_t(1) << 30;
    if (const char *env = std::getenv("LLMOS_ALLOCATOR_CACHE_MB")) {
      char *end;
      unsigned long long mb = std::strtoull(env, &end, 10);
      if (*env && !*end)
        created->limit = static_cast<size_t>(mb) << 20;
    }
    return created;
  }();
  return *r;
}

void *allocate(size_t alignment, size_t size) {
  if (alignment < kAlignment)
    alignment = kAlignment;
  size_t rounded = (size + alignment - 1) / alignment * alignment;
  if (!rounded)
    rounded = alignment;
  Registry &r = registry();
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.cached.lower_bound(rounded);
    if (it != r.cached.end() && it->first <= 2 * rounded &&
        reinterpret_cast<uintptr_t>(it->second) % alignment == 0) {
      void *ptr = it->second;
      size_t blockSize = it->first;
      r.cached.erase(it);
      r.cachedBytes -= blockSize;
      r.live.emplace(ptr, blockSize);
      return ptr;
    }
  }
  void *ptr = std::aligned_alloc(alignment, rounded);
  if (ptr) {
    std::lock_guard<std::mutex> lock(r.mutex);
    r.live.emplace(ptr, rounded);
  }
  return ptr;
}

} // namespace

bool llmos::rt::takeModelAllocation(void *ptr) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  return r.live.erase(ptr) != 0;
}

extern "C" {

void *_mlir_memref_to_llvm_alloc(size_t size) {
  return allocate(kAlignment, size);
}

void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  return allocate(alignment, size);
}

void _mlir_memref_to_llvm_free(void *ptr) {
  if (!ptr)
    return;
  Registry &r = registry();
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.live.find(ptr);
    if (it != r.live.end()) {
      size_t size = it->second;
      r.live.erase(it);
      if (r.cachedBytes + size <= r.limit) {
        r.cached.emplace(size, ptr);
        r.cachedBytes += size;
        return;
      }
    }
  }
  std::free(ptr);
}

} // extern "C"
