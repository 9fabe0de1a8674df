//===- Values.cpp - Sequences and optionals -------------------------------===//
//
// This file implements llmos_value (a tensor, a sequence of tensors or an
// optional) and the functions generated code calls for the sequence ops.
// Generated code holds a sequence or optional as a handle: the address of
// its llmos_value, or 0 when empty. Values are immutable: each sequence op
// makes a new value that shares the unchanged tensors. Values made during a
// run belong to the run's arena; outputs take their own reference.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include <algorithm>
#include <cstring>
#include <new>

using namespace llmos::rt;

namespace {

llmos_value *valueOf(int64_t handle) {
  return reinterpret_cast<llmos_value *>(handle);
}

int64_t handleOf(llmos_value *value) {
  return reinterpret_cast<int64_t>(value);
}

/// Elements of a handle (none for 0).
const std::vector<llmos_value *> &elementsOf(int64_t handle) {
  static const std::vector<llmos_value *> none;
  llmos_value *value = valueOf(handle);
  return value ? value->elements : none;
}

llmos_value *newTensorValue(llmos_tensor *tensor) {
  auto *value = new (std::nothrow) llmos_value();
  if (!value)
    return nullptr;
  value->kind = LLMOS_VALUE_TENSOR;
  value->dtype = tensor->dtype;
  value->tensor = tensor;
  return value;
}

/// A value made by generated code: the run's arena holds it (without a run,
/// as in direct calls from tests, it is never freed).
int64_t runValue(llmos_value *value) {
  if (!value)
    return 0; // out of memory: an empty sequence, never a crash
  if (RunArena *arena = currentRunArena())
    arena->adoptValue(value);
  return handleOf(value);
}

/// `position` counted from the back when negative, clamped into
/// [0, size - 1] (or [0, size] when `inclusive`).
int64_t normalize(int64_t position, int64_t size, bool inclusive) {
  if (position < 0)
    position += size;
  int64_t last = inclusive ? size : size - 1;
  return std::max<int64_t>(0, std::min(position, last));
}

/// The tensor at `position` of a sequence handle, or null.
const llmos_tensor *tensorAt(int64_t seq, int64_t position) {
  const std::vector<llmos_value *> &elements = elementsOf(seq);
  if (elements.empty())
    return nullptr;
  llmos_value *element =
      elements[normalize(position, (int64_t)elements.size(), false)];
  return element->kind == LLMOS_VALUE_TENSOR ? element->tensor : nullptr;
}

/// References to `elements` for a new value.
std::vector<llmos_value *> retained(const std::vector<llmos_value *> &elements) {
  for (llmos_value *element : elements)
    llmos_value_retain(element);
  return elements;
}

} // namespace

llmos_value *llmos::rt::newContainer(llmos_value_kind kind, llmos_dtype dtype,
                                     std::vector<llmos_value *> elements) {
  auto *value = new (std::nothrow) llmos_value();
  if (!value) {
    for (llmos_value *element : elements)
      llmos_value_release(element);
    return nullptr;
  }
  value->kind = kind;
  value->dtype = dtype;
  value->elements = std::move(elements);
  return value;
}

extern "C" {

//===----------------------------------------------------------------------===//
// The value API
//===----------------------------------------------------------------------===//

llmos_status *llmos_value_create_tensor(llmos_tensor *tensor,
                                        llmos_value **out) {
  if (!out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  if (!tensor)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "tensor is null");
  llmos_value *value = newTensorValue(tensor);
  if (!value)
    return makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate a value");
  llmos_tensor_retain(tensor);
  *out = value;
  return nullptr;
}

llmos_status *llmos_value_create_sequence(llmos_dtype dtype,
                                          llmos_tensor *const *tensors,
                                          size_t count, llmos_value **out) {
  if (!out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  if (storageSize(dtype) == 0)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "sequence data type %d is not supported", (int)dtype);
  if (count && !tensors)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "tensors is null");
  for (size_t i = 0; i < count; ++i) {
    if (!tensors[i])
      return makeStatus(LLMOS_INVALID_ARGUMENT, "tensor %zu is null", i);
    if (tensors[i]->dtype != dtype)
      return makeStatus(LLMOS_INVALID_ARGUMENT,
                        "tensor %zu is %s in a sequence of %s", i,
                        llmos_dtype_name(tensors[i]->dtype),
                        llmos_dtype_name(dtype));
    if (tensors[i]->device.kind != LLMOS_DEVICE_CPU)
      return makeStatus(LLMOS_INVALID_ARGUMENT, "tensor %zu is not on the CPU",
                        i);
  }
  std::vector<llmos_value *> elements;
  for (size_t i = 0; i < count; ++i) {
    llmos_value *element = nullptr;
    if (llmos_status *status = llmos_value_create_tensor(tensors[i], &element)) {
      for (llmos_value *made : elements)
        llmos_value_release(made);
      return status;
    }
    elements.push_back(element);
  }
  *out = newContainer(LLMOS_VALUE_SEQUENCE, dtype, std::move(elements));
  return *out ? nullptr
              : makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate a sequence");
}

llmos_status *llmos_value_create_optional(llmos_dtype dtype,
                                          llmos_value *element,
                                          llmos_value **out) {
  if (!out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  if (storageSize(dtype) == 0)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "optional data type %d is not supported", (int)dtype);
  std::vector<llmos_value *> elements;
  if (element) {
    if (element->kind == LLMOS_VALUE_OPTIONAL)
      return makeStatus(LLMOS_INVALID_ARGUMENT,
                        "an optional cannot hold an optional");
    if (element->dtype != dtype)
      return makeStatus(LLMOS_INVALID_ARGUMENT,
                        "the element is %s in an optional of %s",
                        llmos_dtype_name(element->dtype),
                        llmos_dtype_name(dtype));
    llmos_value_retain(element);
    elements.push_back(element);
  }
  *out = newContainer(LLMOS_VALUE_OPTIONAL, dtype, std::move(elements));
  return *out ? nullptr
              : makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate an optional");
}

void llmos_value_retain(llmos_value *value) {
  if (value)
    value->refs.fetch_add(1, std::memory_order_relaxed);
}

void llmos_value_release(llmos_value *value) {
  if (!value || value->refs.fetch_sub(1, std::memory_order_acq_rel) != 1)
    return;
  llmos_tensor_release(value->tensor);
  for (llmos_value *element : value->elements)
    llmos_value_release(element);
  delete value;
}

llmos_value_kind llmos_value_kind_of(const llmos_value *value) {
  return value ? value->kind : LLMOS_VALUE_INVALID;
}

llmos_dtype llmos_value_dtype(const llmos_value *value) {
  return value ? value->dtype : LLMOS_DTYPE_INVALID;
}

int64_t llmos_value_length(const llmos_value *value) {
  if (!value)
    return -1;
  return value->kind == LLMOS_VALUE_TENSOR ? 1
                                           : (int64_t)value->elements.size();
}

llmos_tensor *llmos_value_tensor(const llmos_value *value, int64_t index) {
  if (!value)
    return nullptr;
  if (value->kind == LLMOS_VALUE_TENSOR)
    return index == 0 ? value->tensor : nullptr;
  if (value->kind != LLMOS_VALUE_SEQUENCE || index < 0 ||
      index >= (int64_t)value->elements.size())
    return nullptr;
  return value->elements[index]->tensor;
}

const llmos_value *llmos_value_element(const llmos_value *value) {
  if (!value || value->kind != LLMOS_VALUE_OPTIONAL || value->elements.empty())
    return nullptr;
  return value->elements[0];
}

//===----------------------------------------------------------------------===//
// What generated code calls
//===----------------------------------------------------------------------===//

} // extern "C"

namespace {

int64_t insertTensor(int64_t seq, int32_t kind, int32_t dtype,
                     int64_t position, int32_t has_position,
                     int64_t tensor_rank, void *tensor) {
  std::vector<llmos_value *> elements = retained(elementsOf(seq));
  int64_t size = elements.size();
  int64_t at = has_position ? normalize(position, size, true) : size;
  // A copy (of the strings too: the run's strings die with the run).
  llmos_tensor *copy = nullptr;
  if (llmos_status *status =
          copyDescriptor((llmos_dtype)dtype, tensor_rank,
                         static_cast<const int64_t *>(tensor), &copy))
    llmos_status_free(status);
  llmos_value *element = copy ? newTensorValue(copy) : nullptr;
  if (!element) {
    llmos_tensor_release(copy);
    for (llmos_value *e : elements)
      llmos_value_release(e);
    return 0;
  }
  elements.insert(elements.begin() + at, element);
  return runValue(
      newContainer((llmos_value_kind)kind, (llmos_dtype)dtype, elements));
}

void readTensor(int64_t seq, int64_t position, int64_t dst_rank, void *dst) {
  auto *words = static_cast<int64_t *>(dst);
  int64_t count = 1;
  for (int64_t d = 0; d < dst_rank; ++d)
    count *= words[3 + d];
  const llmos_tensor *tensor = tensorAt(seq, position);
  if (!tensor || tensor->numElements != count)
    return; // nothing to read: an empty sequence
  size_t elementSize = storageSize(tensor->dtype);
  char *dest = reinterpret_cast<char *>(words[1]);
  std::memcpy(dest + words[2] * (int64_t)elementSize, tensor->data,
              (size_t)count * elementSize);
}

} // namespace

extern "C" {

// The buffer functions differ only in the element type of their memrefs.
#define LLMOS_DEFINE_SEQ_BUFFERS(t)                                            \
  int64_t llmos_rt_seq_insert_##t(int64_t seq, int32_t kind, int32_t dtype,    \
                                  int64_t position, int32_t has_position,      \
                                  int64_t tensor_rank, void *tensor) {         \
    return insertTensor(seq, kind, dtype, position, has_position,             \
                        tensor_rank, tensor);                                  \
  }                                                                            \
  void llmos_rt_seq_read_##t(int64_t seq, int64_t position, int64_t dst_rank, \
                             void *dst) {                                      \
    readTensor(seq, position, dst_rank, dst);                                  \
  }
LLMOS_DEFINE_SEQ_BUFFERS(i1)
LLMOS_DEFINE_SEQ_BUFFERS(i8)
LLMOS_DEFINE_SEQ_BUFFERS(i16)
LLMOS_DEFINE_SEQ_BUFFERS(i32)
LLMOS_DEFINE_SEQ_BUFFERS(i64)
LLMOS_DEFINE_SEQ_BUFFERS(f16)
LLMOS_DEFINE_SEQ_BUFFERS(bf16)
LLMOS_DEFINE_SEQ_BUFFERS(f32)
LLMOS_DEFINE_SEQ_BUFFERS(f64)
#undef LLMOS_DEFINE_SEQ_BUFFERS

int64_t llmos_rt_seq_wrap(int64_t element, int32_t dtype) {
  llmos_value *sequence = valueOf(element);
  if (sequence) {
    llmos_value_retain(sequence);
  } else {
    // An empty sequence gets a value of its own: an optional holding an
    // empty sequence is not an empty optional.
    sequence = newContainer(LLMOS_VALUE_SEQUENCE, (llmos_dtype)dtype, {});
    if (!sequence)
      return 0;
  }
  return runValue(
      newContainer(LLMOS_VALUE_OPTIONAL, (llmos_dtype)dtype, {sequence}));
}

int64_t llmos_rt_seq_erase(int64_t seq, int64_t position,
                           int32_t has_position) {
  llmos_value *value = valueOf(seq);
  if (!value || value->elements.empty())
    return seq;
  std::vector<llmos_value *> elements = retained(value->elements);
  int64_t size = elements.size();
  int64_t at = has_position ? normalize(position, size, false) : size - 1;
  llmos_value_release(elements[at]);
  elements.erase(elements.begin() + at);
  return runValue(newContainer(value->kind, value->dtype, elements));
}

int64_t llmos_rt_seq_length(int64_t seq) {
  return (int64_t)elementsOf(seq).size();
}

int64_t llmos_rt_seq_element(int64_t seq, int64_t position) {
  const std::vector<llmos_value *> &elements = elementsOf(seq);
  if (elements.empty())
    return 0;
  return handleOf(
      elements[normalize(position, (int64_t)elements.size(), false)]);
}

int64_t llmos_rt_seq_dim(int64_t seq, int64_t position, int64_t dim) {
  const llmos_tensor *tensor = tensorAt(seq, position);
  if (!tensor || dim < 0 || dim >= (int64_t)tensor->dims.size())
    return 0;
  return tensor->dims[dim];
}

} // extern "C"
