//===- Model.cpp - llmos runtime models -----------------------------------===//
//
// This file implements model handles: their signatures, and run(), which
// checks the inputs against the signature, passes memref descriptors to the
// compiled entry function and turns the output descriptors into tensors.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"
#include "ThreadPool.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <thread>

using namespace llmos::rt;

struct llmos_model {
  const llmos_model_info *info = nullptr;
  std::unique_ptr<ThreadPool> pool;
};

namespace {

const llmos_value_info *valueInfo(const llmos_model *model, int isOutput,
                                  int64_t index) {
  if (!model)
    return nullptr;
  const llmos_model_info *info = model->info;
  int32_t count = isOutput ? info->num_outputs : info->num_inputs;
  if (index < 0 || index >= count)
    return nullptr;
  return isOutput ? &info->outputs[index] : &info->inputs[index];
}

/// Words of a rank-r memref descriptor: two pointers, the offset, sizes and
/// strides, all 8 bytes wide.
size_t descriptorWords(int32_t rank) { return 3 + 2 * (size_t)rank; }

const char *containersOf(const llmos_value_info &info) {
  return info.containers ? info.containers : "";
}

const char *kindName(llmos_value_kind kind) {
  switch (kind) {
  case LLMOS_VALUE_TENSOR: return "a tensor";
  case LLMOS_VALUE_SEQUENCE: return "a sequence";
  case LLMOS_VALUE_OPTIONAL: return "an optional";
  default: return "invalid";
  }
}

llmos_value_kind kindOfContainer(char c) {
  return c == 's' ? LLMOS_VALUE_SEQUENCE
         : c == 'o' ? LLMOS_VALUE_OPTIONAL
                    : LLMOS_VALUE_INVALID;
}

/// Checks a tensor against the innermost tensor of `want`; symbolic dims
/// are bound in `symbols` when given (tensors inside sequences may differ
/// in them).
llmos_status *checkTensor(const llmos_value_info &want,
                          const llmos_tensor *tensor,
                          std::map<std::string, int64_t> *symbols) {
  if (tensor->device.kind != LLMOS_DEVICE_CPU)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "input '%s' is not on the CPU",
                      want.name);
  if (tensor->dtype != want.dtype)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "input '%s' must be %s, got %s",
                      want.name, llmos_dtype_name((llmos_dtype)want.dtype),
                      llmos_dtype_name(tensor->dtype));
  if (want.rank < 0)
    return nullptr;
  if ((int64_t)tensor->dims.size() != want.rank)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "input '%s' must have rank %d, got %zu", want.name,
                      want.rank, tensor->dims.size());
  for (int32_t d = 0; d < want.rank; ++d) {
    int64_t size = tensor->dims[d];
    if (want.dims[d] >= 0 && size != want.dims[d])
      return makeStatus(LLMOS_INVALID_ARGUMENT,
                        "input '%s' must have size %lld in dim %d, got %lld",
                        want.name, (long long)want.dims[d], d,
                        (long long)size);
    const char *symbol = want.dim_names ? want.dim_names[d] : "";
    if (symbols && symbol && *symbol) {
      auto [it, inserted] = symbols->emplace(symbol, size);
      if (!inserted && it->second != size)
        return makeStatus(LLMOS_INVALID_ARGUMENT,
                          "dim '%s' is %lld in input '%s' but %lld in an "
                          "earlier input",
                          symbol, (long long)size, want.name,
                          (long long)it->second);
    }
  }
  return nullptr;
}

/// Checks `value` against the kinds `containers` spells (from the outside
/// in) and its tensors against `want`.
llmos_status *checkValue(const llmos_value_info &want, const llmos_value *value,
                         const char *containers,
                         std::map<std::string, int64_t> &symbols) {
  llmos_value_kind expected =
      *containers ? kindOfContainer(*containers) : LLMOS_VALUE_TENSOR;
  if (value->kind != expected)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "input '%s' must be %s, got %s",
                      want.name, kindName(expected), kindName(value->kind));
  if (expected == LLMOS_VALUE_TENSOR)
    return checkTensor(want, value->tensor,
                       containers == containersOf(want) ? &symbols : nullptr);
  if (value->dtype != want.dtype)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "input '%s' must hold %s, got %s", want.name,
                      llmos_dtype_name((llmos_dtype)want.dtype),
                      llmos_dtype_name(value->dtype));
  for (const llmos_value *element : value->elements)
    if (llmos_status *status =
            checkValue(want, element, containers + 1, symbols))
      return status;
  return nullptr;
}

llmos_status *checkInputs(const llmos_model *model,
                          llmos_value *const *inputs, size_t numInputs) {
  const llmos_model_info *info = model->info;
  if (numInputs != (size_t)info->num_inputs)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "model '%s' takes %d inputs, %zu given", info->name,
                      info->num_inputs, numInputs);
  if (numInputs && !inputs)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "inputs is null");
  std::map<std::string, int64_t> symbols;
  for (size_t i = 0; i < numInputs; ++i) {
    const llmos_value_info &want = info->inputs[i];
    const llmos_value *value = inputs[i];
    if (!value || (value->kind == LLMOS_VALUE_TENSOR && !value->tensor))
      return makeStatus(LLMOS_INVALID_ARGUMENT, "input %zu ('%s') is null", i,
                        want.name);
    if (llmos_status *status =
            checkValue(want, value, containersOf(want), symbols))
      return status;
  }
  return nullptr;
}

void freeModelBuffer(void *, void *allocated) { std::free(allocated); }

/// Generated code stores 4- and 2-bit values in the low bits of a byte and
/// leaves the others unspecified; outputs get the documented form (signed
/// types sign-extended, the others zero-extended).
void normalizeSubByteElements(llmos_tensor *tensor) {
  unsigned bits;
  bool isSigned;
  switch (tensor->dtype) {
  case LLMOS_INT4: bits = 4; isSigned = true; break;
  case LLMOS_UINT4: case LLMOS_FLOAT4E2M1: bits = 4; isSigned = false; break;
  case LLMOS_INT2: bits = 2; isSigned = true; break;
  case LLMOS_UINT2: bits = 2; isSigned = false; break;
  default: return;
  }
  auto *bytes = static_cast<uint8_t *>(tensor->data);
  unsigned shift = 8 - bits;
  for (int64_t i = 0; i < tensor->numElements; ++i)
    bytes[i] = isSigned
                   ? static_cast<uint8_t>(static_cast<int8_t>(bytes[i] << shift) >> shift)
                   : static_cast<uint8_t>(static_cast<uint8_t>(bytes[i] << shift) >> shift);
}

/// The tensor for an output descriptor: adopts a buffer the model allocated
/// for it, copies anything else (inputs, constants, shared buffers).
llmos_status *makeOutput(const llmos_value_info &info, const int64_t *words,
                         llmos_tensor **out) {
  auto dtype = (llmos_dtype)info.dtype;
  void *allocated = reinterpret_cast<void *>(words[0]);
  char *aligned = reinterpret_cast<char *>(words[1]);
  int64_t offset = words[2];
  const int64_t *sizes = words + 3;
  const int64_t *strides = words + 3 + info.rank;
  int64_t count = countElements(sizes, info.rank);
  if (count < 0)
    return makeStatus(LLMOS_INTERNAL, "output '%s' has an invalid shape",
                      info.name);
  // A buffer the model allocated for this output goes to the caller as is
  // (identity layouts only); anything else, strings included, is copied.
  bool contiguous =
      dtype != LLMOS_STRING && isContiguous(info.rank, sizes, strides);
  size_t elementSize = storageSize(dtype);
  size_t bytes = (size_t)count * elementSize;
  char *data = aligned + offset * (int64_t)elementSize;
  llmos_status *status =
      contiguous && offset == 0 && data == allocated &&
              takeModelAllocation(allocated)
          ? llmos_tensor_wrap(dtype, info.rank, sizes, data, bytes,
                              freeModelBuffer, allocated, out)
          : copyDescriptor(dtype, info.rank, words, out);
  if (!status)
    normalizeSubByteElements(*out);
  return status;
}

/// The value for an output: a tensor from its descriptor, or the sequence
/// or optional behind the handle of a rank-0 descriptor (a new empty one
/// for handle 0).
llmos_status *makeOutputValue(const llmos_value_info &info,
                              const int64_t *words, llmos_value **out) {
  const char *containers = containersOf(info);
  if (!*containers) {
    llmos_tensor *tensor = nullptr;
    if (llmos_status *status = makeOutput(info, words, &tensor))
      return status;
    llmos_status *status = llmos_value_create_tensor(tensor, out);
    llmos_tensor_release(tensor);
    return status;
  }
  int64_t handle = reinterpret_cast<const int64_t *>(words[1])[words[2]];
  if (auto *value = reinterpret_cast<llmos_value *>(handle)) {
    llmos_value_retain(value);
    *out = value;
    return nullptr;
  }
  *out = newContainer(kindOfContainer(*containers), (llmos_dtype)info.dtype,
                      {});
  return *out ? nullptr
              : makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate output '%s'",
                           info.name);
}

} // namespace

extern "C" {

llmos_status *llmos_options_create(llmos_options **out) {
  if (!out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "out is null");
  *out = new (std::nothrow) llmos_options();
  return *out ? nullptr
              : makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate options");
}

llmos_status *llmos_options_set_threads(llmos_options *options,
                                        int32_t threads) {
  if (!options)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "options is null");
  if (threads < 0)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "threads must be 0 (all cores) or more, got %d",
                      threads);
  options->threads = threads;
  return nullptr;
}

void llmos_options_free(llmos_options *options) { delete options; }

llmos_status *llmos_model_create(const llmos_model_info *info,
                                 const llmos_options *options,
                                 llmos_model **out) {
  if (!out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  if (!info)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "model info is null");
  if (info->abi_version != LLMOS_ABI_VERSION)
    return makeStatus(LLMOS_UNSUPPORTED,
                      "model '%s' was compiled for runtime ABI %u, this "
                      "runtime implements %u",
                      info->name ? info->name : "?", info->abi_version,
                      (unsigned)LLMOS_ABI_VERSION);
  int threads = options ? options->threads : 0;
  if (threads == 0)
    threads = (int)std::max(1u, std::thread::hardware_concurrency());
  if (llmos_status *status = acquireWeights(info))
    return status;
  auto *model = new (std::nothrow) llmos_model();
  if (!model) {
    releaseWeights(info);
    return makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate a model");
  }
  model->info = info;
  model->pool = std::make_unique<ThreadPool>(threads);
  *out = model;
  return nullptr;
}

void llmos_model_release(llmos_model *model) {
  if (!model)
    return;
  releaseWeights(model->info);
  delete model;
}

const char *llmos_model_name(const llmos_model *model) {
  return model ? model->info->name : nullptr;
}

int64_t llmos_model_num_inputs(const llmos_model *model) {
  return model ? model->info->num_inputs : -1;
}

int64_t llmos_model_num_outputs(const llmos_model *model) {
  return model ? model->info->num_outputs : -1;
}

const char *llmos_model_value_name(const llmos_model *model, int isOutput,
                                   int64_t index) {
  const llmos_value_info *info = valueInfo(model, isOutput, index);
  return info ? info->name : nullptr;
}

llmos_dtype llmos_model_value_dtype(const llmos_model *model, int isOutput,
                                    int64_t index) {
  const llmos_value_info *info = valueInfo(model, isOutput, index);
  return info ? (llmos_dtype)info->dtype : LLMOS_DTYPE_INVALID;
}

int64_t llmos_model_value_rank(const llmos_model *model, int isOutput,
                               int64_t index) {
  const llmos_value_info *info = valueInfo(model, isOutput, index);
  return info ? info->rank : -1;
}

const int64_t *llmos_model_value_dims(const llmos_model *model, int isOutput,
                                      int64_t index) {
  const llmos_value_info *info = valueInfo(model, isOutput, index);
  return info ? info->dims : nullptr;
}

const char *llmos_model_value_dim_name(const llmos_model *model, int isOutput,
                                       int64_t index, int64_t dim) {
  const llmos_value_info *info = valueInfo(model, isOutput, index);
  if (!info || dim < 0 || dim >= info->rank)
    return nullptr;
  return info->dim_names ? info->dim_names[dim] : "";
}

llmos_value_kind llmos_model_value_kind(const llmos_model *model,
                                        int isOutput, int64_t index,
                                        int64_t level) {
  const llmos_value_info *info = valueInfo(model, isOutput, index);
  if (!info || level < 0)
    return LLMOS_VALUE_INVALID;
  const char *containers = containersOf(*info);
  int64_t depth = (int64_t)std::strlen(containers);
  if (level > depth)
    return LLMOS_VALUE_INVALID;
  return level == depth ? LLMOS_VALUE_TENSOR
                        : kindOfContainer(containers[level]);
}

llmos_status *llmos_model_run(llmos_model *model,
                              llmos_tensor *const *inputs, size_t numInputs,
                              llmos_tensor **outputs, size_t numOutputs) {
  if (!model)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "model is null");
  const llmos_model_info *info = model->info;
  for (int32_t i = 0; i < info->num_inputs + info->num_outputs; ++i) {
    bool isOutput = i >= info->num_inputs;
    const llmos_value_info &value =
        isOutput ? info->outputs[i - info->num_inputs] : info->inputs[i];
    if (*containersOf(value))
      return makeStatus(LLMOS_INVALID_ARGUMENT,
                        "%s '%s' of model '%s' is %s: run the model with "
                        "llmos_model_run_values",
                        isOutput ? "output" : "input", value.name, info->name,
                        kindName(kindOfContainer(*containersOf(value))));
  }
  if (numInputs && !inputs)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "inputs is null");
  if (numOutputs && !outputs)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "outputs is null");
  // Tensor values that borrow the caller's tensors for the run.
  std::unique_ptr<llmos_value[]> wrapped(new (std::nothrow)
                                            llmos_value[numInputs + 1]);
  std::vector<llmos_value *> inputValues(numInputs);
  std::vector<llmos_value *> outputValues(numOutputs, nullptr);
  if (!wrapped)
    return makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate the inputs");
  for (size_t i = 0; i < numInputs; ++i) {
    wrapped[i].tensor = inputs[i];
    wrapped[i].dtype = inputs[i] ? inputs[i]->dtype : LLMOS_DTYPE_INVALID;
    inputValues[i] = &wrapped[i];
  }
  llmos_status *status = llmos_model_run_values(
      model, inputValues.data(), numInputs, outputValues.data(), numOutputs);
  for (size_t i = 0; i < numOutputs; ++i) {
    outputs[i] = nullptr;
    if (status)
      continue;
    outputs[i] = outputValues[i]->tensor;
    llmos_tensor_retain(outputs[i]);
    llmos_value_release(outputValues[i]);
  }
  return status;
}

llmos_status *llmos_model_run_values(llmos_model *model,
                                     llmos_value *const *inputs,
                                     size_t numInputs, llmos_value **outputs,
                                     size_t numOutputs) {
  if (!model)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "model is null");
  const llmos_model_info *info = model->info;
  if (llmos_status *status = checkInputs(model, inputs, numInputs))
    return status;
  if (numOutputs != (size_t)info->num_outputs)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "model '%s' has %d outputs, %zu requested", info->name,
                      info->num_outputs, numOutputs);
  if (numOutputs && !outputs)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "outputs is null");
  for (size_t i = 0; i < numOutputs; ++i)
    outputs[i] = nullptr;

  // One descriptor per input, then one per output. Sequences and
  // optionals pass their handle in a rank-0 descriptor.
  std::vector<std::vector<int64_t>> descriptors;
  std::vector<int64_t> handles(numInputs, 0);
  std::vector<void *> args;
  descriptors.reserve(numInputs + numOutputs);
  for (size_t i = 0; i < numInputs; ++i) {
    if (*containersOf(info->inputs[i])) {
      handles[i] = reinterpret_cast<int64_t>(inputs[i]);
      std::vector<int64_t> words(descriptorWords(0));
      words[0] = words[1] = reinterpret_cast<int64_t>(&handles[i]);
      descriptors.push_back(std::move(words));
      continue;
    }
    const llmos_tensor *tensor = inputs[i]->tensor;
    int32_t rank = info->inputs[i].rank;
    std::vector<int64_t> words(descriptorWords(rank));
    words[0] = words[1] = reinterpret_cast<int64_t>(tensor->data);
    words[2] = 0;
    for (int64_t d = rank - 1, stride = 1; d >= 0; --d) {
      words[3 + d] = tensor->dims[d];
      words[3 + rank + d] = stride;
      stride *= tensor->dims[d];
    }
    descriptors.push_back(std::move(words));
  }
  for (size_t i = 0; i < numOutputs; ++i)
    descriptors.emplace_back(
        descriptorWords(*containersOf(info->outputs[i]) ? 0
                                                        : info->outputs[i].rank),
        0);
  for (std::vector<int64_t> &words : descriptors)
    args.push_back(words.data());

  llmos_status *status = nullptr;
  {
    // What the run makes (strings, sequences) lives until its outputs are
    // copied or retained.
    RunArena arena;
    ThreadPool *previous = currentPool();
    RunArena *previousArena = currentRunArena();
    setCurrentPool(model->pool.get());
    setCurrentRunArena(&arena);
    info->entry(args.data());
    setCurrentRunArena(previousArena);
    setCurrentPool(previous);

    for (size_t i = 0; i < numOutputs && !status; ++i)
      status = makeOutputValue(info->outputs[i],
                               descriptors[numInputs + i].data(), &outputs[i]);
  }
  // Model buffers that were copied rather than adopted are freed now, after
  // every output that might share them has been read.
  for (size_t i = 0; i < numOutputs; ++i) {
    void *allocated = reinterpret_cast<void *>(descriptors[numInputs + i][0]);
    if (allocated && takeModelAllocation(allocated))
      std::free(allocated);
  }
  if (status) {
    for (size_t i = 0; i < numOutputs; ++i) {
      llmos_value_release(outputs[i]);
      outputs[i] = nullptr;
    }
  }
  return status;
}

} // extern "C"
