//===- Tensor.cpp - llmos runtime tensors ---------------------------------===//
//
// This file implements reference-counted tensors: owned (zeroed or copied)
// and wrapped caller memory.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

using namespace llmos::rt;

size_t llmos::rt::storageSize(llmos_dtype dtype) {
  return dtype == LLMOS_STRING ? sizeof(int64_t) : llmos_dtype_size(dtype);
}

int64_t llmos::rt::countElements(const int64_t *dims, int64_t rank) {
  int64_t count = 1;
  for (int64_t i = 0; i < rank; ++i) {
    if (dims[i] < 0 || __builtin_mul_overflow(count, dims[i], &count))
      return -1;
  }
  return count;
}

namespace {

/// Buffers of owned tensors are 64-byte aligned for vector code.
void *allocateAligned(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64;
  return std::aligned_alloc(64, rounded ? rounded : 64);
}

void freeAligned(void *data, void *) { std::free(data); }

llmos_status *checkShape(llmos_dtype dtype, int64_t rank, const int64_t *dims,
                         int64_t *count, size_t *bytes) {
  if (storageSize(dtype) == 0)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "tensor data type %d is not supported", (int)dtype);
  if (rank < 0 || rank > 64)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "tensor rank %lld is invalid",
                      (long long)rank);
  if (rank > 0 && !dims)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "tensor dims are null");
  *count = countElements(dims, rank);
  if (*count < 0)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "tensor dims must be non-negative and not overflow");
  size_t size = storageSize(dtype);
  if ((uint64_t)*count > SIZE_MAX / size)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "tensor is too large");
  *bytes = (size_t)*count * size;
  return nullptr;
}

llmos_tensor *newTensor(llmos_dtype dtype, int64_t rank, const int64_t *dims,
                        int64_t count, size_t bytes) {
  auto *tensor = new (std::nothrow) llmos_tensor();
  if (!tensor)
    return nullptr;
  tensor->dtype = dtype;
  tensor->dims.assign(dims, dims + rank);
  tensor->numElements = count;
  tensor->bytes = bytes;
  return tensor;
}

} // namespace

extern "C" {

llmos_status *llmos_tensor_create(llmos_dtype dtype, int64_t rank,
                                  const int64_t *dims, llmos_device device,
                                  llmos_tensor **out) {
  if (!out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  if (device.kind != LLMOS_DEVICE_CPU)
    return makeStatus(LLMOS_UNSUPPORTED,
                      "device kind %d is not supported by this runtime",
                      (int)device.kind);
  int64_t count;
  size_t bytes;
  if (llmos_status *status = checkShape(dtype, rank, dims, &count, &bytes))
    return status;
  llmos_tensor *tensor = newTensor(dtype, rank, dims, count, bytes);
  void *data = tensor ? allocateAligned(bytes) : nullptr;
  if (!data) {
    delete tensor;
    return makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate %zu bytes", bytes);
  }
  std::memset(data, 0, bytes); // for strings: all empty
  tensor->data = data;
  tensor->deleter = freeAligned;
  if (dtype == LLMOS_STRING)
    adoptStrings(tensor);
  *out = tensor;
  return nullptr;
}

llmos_status *llmos_tensor_create_copy(llmos_dtype dtype, int64_t rank,
                                       const int64_t *dims, const void *data,
                                       size_t bytes, llmos_tensor **out) {
  if (!out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  if (dtype == LLMOS_STRING)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "string tensors are made with llmos_tensor_create_strings");
  int64_t count;
  size_t expected;
  if (llmos_status *status = checkShape(dtype, rank, dims, &count, &expected))
    return status;
  if (bytes != expected)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "%zu bytes given for a tensor of %zu bytes", bytes,
                      expected);
  if (!data && bytes)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "data is null");
  if (llmos_status *status = llmos_tensor_create(
          dtype, rank, dims, llmos_device{LLMOS_DEVICE_CPU, 0}, out))
    return status;
  if (bytes)
    std::memcpy((*out)->data, data, bytes);
  return nullptr;
}

llmos_status *llmos_tensor_wrap(llmos_dtype dtype, int64_t rank,
                                const int64_t *dims, void *data, size_t bytes,
                                llmos_deleter deleter, void *context,
                                llmos_tensor **out) {
  if (!out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  if (dtype == LLMOS_STRING)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "string tensors are made with llmos_tensor_create_strings");
  int64_t count;
  size_t expected;
  if (llmos_status *status = checkShape(dtype, rank, dims, &count, &expected))
    return status;
  if (bytes != expected)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "%zu bytes given for a tensor of %zu bytes", bytes,
                      expected);
  if (!data && bytes)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "data is null");
  if (reinterpret_cast<uintptr_t>(data) % llmos_dtype_size(dtype))
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "data is not aligned to its %zu-byte elements",
                      llmos_dtype_size(dtype));
  llmos_tensor *tensor = newTensor(dtype, rank, dims, count, bytes);
  if (!tensor)
    return makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate a tensor");
  tensor->data = data;
  tensor->deleter = deleter;
  tensor->context = context;
  *out = tensor;
  return nullptr;
}

void llmos_tensor_retain(llmos_tensor *tensor) {
  if (tensor)
    tensor->refs.fetch_add(1, std::memory_order_relaxed);
}

void llmos_tensor_release(llmos_tensor *tensor) {
  if (!tensor || tensor->refs.fetch_sub(1, std::memory_order_acq_rel) != 1)
    return;
  if (tensor->deleter)
    tensor->deleter(tensor->data, tensor->context);
  delete tensor;
}

llmos_dtype llmos_tensor_dtype(const llmos_tensor *tensor) {
  return tensor ? tensor->dtype : LLMOS_DTYPE_INVALID;
}

int64_t llmos_tensor_rank(const llmos_tensor *tensor) {
  return tensor ? (int64_t)tensor->dims.size() : -1;
}

const int64_t *llmos_tensor_dims(const llmos_tensor *tensor) {
  return tensor ? tensor->dims.data() : nullptr;
}

int64_t llmos_tensor_num_elements(const llmos_tensor *tensor) {
  return tensor ? tensor->numElements : -1;
}

size_t llmos_tensor_byte_size(const llmos_tensor *tensor) {
  return tensor ? tensor->bytes : 0;
}

void *llmos_tensor_data(llmos_tensor *tensor) {
  return tensor ? tensor->data : nullptr;
}

llmos_device llmos_tensor_device(const llmos_tensor *tensor) {
  return tensor ? tensor->device : llmos_device{LLMOS_DEVICE_CPU, 0};
}

} // extern "C"

bool llmos::rt::isContiguous(int64_t rank, const int64_t *sizes,
                             const int64_t *strides) {
  for (int64_t d = rank - 1, stride = 1; d >= 0; --d) {
    if (sizes[d] != 1 && strides[d] != stride)
      return false;
    stride *= sizes[d];
  }
  return true;
}

llmos_status *llmos::rt::copyDescriptor(llmos_dtype dtype, int64_t rank,
                                        const int64_t *words,
                                        llmos_tensor **out) {
  const char *aligned = reinterpret_cast<const char *>(words[1]);
  int64_t offset = words[2];
  const int64_t *sizes = words + 3, *strides = words + 3 + rank;
  if (dtype == LLMOS_STRING) // copies of the strings, wherever they live
    return makeStringTensor(rank, sizes,
                            reinterpret_cast<const int64_t *>(aligned) + offset,
                            strides, out);
  llmos_status *status = llmos_tensor_create(
      dtype, rank, sizes, llmos_device{LLMOS_DEVICE_CPU, 0}, out);
  if (status)
    return status;
  size_t elementSize = storageSize(dtype);
  const char *data = aligned + offset * (int64_t)elementSize;
  char *dest = static_cast<char *>((*out)->data);
  if (isContiguous(rank, sizes, strides)) {
    std::memcpy(dest, data, (*out)->bytes);
    return nullptr;
  }
  std::vector<int64_t> index(rank, 0);
  for (int64_t e = 0; e < (*out)->numElements; ++e) {
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += index[d] * strides[d];
    std::memcpy(dest + e * elementSize, data + source * (int64_t)elementSize,
                elementSize);
    for (int64_t d = rank - 1; d >= 0 && ++index[d] == sizes[d]; --d)
      index[d] = 0;
  }
  return nullptr;
}
