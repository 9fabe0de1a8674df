//===- RuntimeImpl.h - Internals of the llmos runtime ----------*- C++ -*-===//
//
// The definitions behind the opaque handles of llmos_runtime.h, shared by the
// runtime's sources. Plain C++17; nothing of MLIR or LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_LIB_RUNTIME_RUNTIMEIMPL_H
#define LLMOS_LIB_RUNTIME_RUNTIMEIMPL_H

#include "llmos/Runtime/llmos_abi.h"
#include "llmos/Runtime/llmos_runtime.h"

#include <atomic>
#include <cstdarg>
#include <memory>
#include <string>
#include <vector>

struct llmos_status {
  llmos_status_code code;
  std::string message;
};

struct llmos_tensor {
  std::atomic<int> refs{1};
  llmos_dtype dtype = LLMOS_DTYPE_INVALID;
  std::vector<int64_t> dims;
  int64_t numElements = 0;
  size_t bytes = 0;
  void *data = nullptr;
  llmos_deleter deleter = nullptr;
  void *context = nullptr;
  llmos_device device{LLMOS_DEVICE_CPU, 0};
};

/// A tensor, a sequence of tensors or an optional (llmos_runtime.h). Values
/// are immutable once made; generated code holds sequences and optionals as
/// 64-bit handles: the address of the value, or 0 for an empty one.
struct llmos_value {
  std::atomic<int> refs{1};
  llmos_value_kind kind = LLMOS_VALUE_TENSOR;
  llmos_dtype dtype = LLMOS_DTYPE_INVALID; // of the innermost tensors
  llmos_tensor *tensor = nullptr;          // kind tensor: a reference
  /// Sequence: its tensors (tensor values); optional: none or its element.
  std::vector<llmos_value *> elements;     // references
};

struct llmos_options {
  int32_t threads = 0;
};

namespace llmos::rt {

class ThreadPool;

/// A status with a printf-style message.
llmos_status *makeStatus(llmos_status_code code, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/// Elements of `dims`, or -1 when a dim is negative or the count overflows.
int64_t countElements(const int64_t *dims, int64_t rank);

/// Allocations made by generated code are tracked so that run() can hand an
/// output buffer to the caller without a copy when the model allocated it.
bool takeModelAllocation(void *ptr);

/// The thread pool of the run executing on this thread (null outside runs
/// and on the pool's own workers, where parallel loops run inline).
ThreadPool *currentPool();
/// Maps the weights file of `info` (if it has one) for one more model;
/// fails with a status naming the file.
llmos_status *acquireWeights(const llmos_model_info *info);
/// Drops one model's use of the weights file; unmaps it after the last.
void releaseWeights(const llmos_model_info *info);
void setCurrentPool(ThreadPool *pool);
/// What a run creates besides buffers: the strings of string ops and the
/// sequences and optionals of sequence ops. Freed (strings) or released
/// (values) when the run ends, after its outputs were copied or retained.
class RunArena {
public:
  RunArena() = default;
  RunArena(const RunArena &) = delete;
  RunArena &operator=(const RunArena &) = delete;
  ~RunArena();
  void adopt(void *record);
  void adoptValue(llmos_value *value);

private:
  // Adopted on the run's own thread only.
  std::vector<void *> records;
  std::vector<llmos_value *> values;
};
/// The arena of the run executing on this thread (null outside runs).
RunArena *currentRunArena();
void setCurrentRunArena(RunArena *arena);
/// A new string tensor holding copies of the strings behind `handles`
/// (element i at handles[sum index_d * strides[d]], or handles[i] when
/// `strides` is null).
llmos_status *makeStringTensor(int64_t rank, const int64_t *dims,
                               const int64_t *handles, const int64_t *strides,
                               llmos_tensor **out);
/// Whether `strides` are the row-major strides of `sizes` (unit dims
/// aside).
bool isContiguous(int64_t rank, const int64_t *sizes, const int64_t *strides);
/// A new CPU tensor holding a contiguous copy of the buffer a rank-`rank`
/// memref descriptor ({allocated, aligned, offset, sizes, strides})
/// describes, gathered when strided; strings are copied too.
llmos_status *copyDescriptor(llmos_dtype dtype, int64_t rank,
                             const int64_t *words, llmos_tensor **out);
/// Makes a string tensor free its records with its handle array.
void adoptStrings(llmos_tensor *tensor);
/// A new value of `kind` (sequence or optional) and `dtype` owning
/// `elements` (references it takes over); null when out of memory.
llmos_value *newContainer(llmos_value_kind kind, llmos_dtype dtype,
                          std::vector<llmos_value *> elements);
/// Bytes per element as tensors store them: llmos_dtype_size, and 8 for
/// strings (a handle per element).
size_t storageSize(llmos_dtype dtype);
/// The sgemm kernel in use ("avx512", "avx2" or "portable").
const char *gemmKernelName();
/// Switches the sgemm kernel (tests); false, and no change, when the CPU
/// cannot run it.
bool setGemmKernel(const char *name);

} // namespace llmos::rt

#endif // LLMOS_LIB_RUNTIME_RUNTIMEIMPL_H
