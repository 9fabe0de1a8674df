//===- Allocator.cpp - Memory for buffers of generated code ---------------===//
//
// This file implements the allocation functions that MLIR's memref lowering
// calls from generated code. Live allocations are tracked so that a run can
// give an output buffer the model allocated to the caller without copying it.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include <cstdlib>
#include <mutex>
#include <unordered_set>

namespace {
std::mutex registryMutex;
std::unordered_set<void *> &registry() {
  static auto *live = new std::unordered_set<void *>();
  return *live;
}

void *track(void *ptr) {
  if (ptr) {
    std::lock_guard<std::mutex> lock(registryMutex);
    registry().insert(ptr);
  }
  return ptr;
}
} // namespace

bool llmos::rt::takeModelAllocation(void *ptr) {
  std::lock_guard<std::mutex> lock(registryMutex);
  return registry().erase(ptr) != 0;
}

extern "C" {

void *_mlir_memref_to_llvm_alloc(size_t size) {
  return track(std::malloc(size ? size : 1));
}

void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  if (alignment < sizeof(void *))
    alignment = sizeof(void *);
  size_t rounded = (size + alignment - 1) / alignment * alignment;
  return track(std::aligned_alloc(alignment, rounded ? rounded : alignment));
}

void _mlir_memref_to_llvm_free(void *ptr) {
  if (!ptr)
    return;
  {
    std::lock_guard<std::mutex> lock(registryMutex);
    registry().erase(ptr);
  }
  std::free(ptr);
}

} // extern "C"
