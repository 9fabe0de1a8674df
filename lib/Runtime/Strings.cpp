//===- Strings.cpp - String tensors and the string functions -------------===//
//
// This file implements string tensors and what compiled models call for
// string ops. A string element is a handle: the address of an immutable
// record { int64_t size; char bytes[size + 1]; } (NUL-terminated), or 0 for
// the empty string. Generated code moves handles like int64 elements
// (reshapes, gathers, concats need nothing else) and calls the functions
// below for everything that looks inside a string. Records belong to the
// string tensor that created them, to the run that created them (freed when
// the run ends, after its outputs were copied), or to the compiled model
// (constants, in its read-only data).
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"
#include "llmos/Runtime/llmos_regex.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <string_view>
#include <vector>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

using namespace llmos::rt;

namespace {

struct StringRecord {
  int64_t size;
  char bytes[1];
};

StringRecord *newRecord(const char *bytes, size_t size) {
  auto *record = static_cast<StringRecord *>(
      std::malloc(sizeof(StringRecord) + size));
  if (!record)
    return nullptr;
  record->size = (int64_t)size;
  if (size)
    std::memcpy(record->bytes, bytes, size);
  record->bytes[size] = '\0';
  return record;
}

const StringRecord *recordOf(int64_t handle) {
  return reinterpret_cast<const StringRecord *>(handle);
}

/// The bytes of a handle ("" for 0).
std::string_view view(int64_t handle) {
  const StringRecord *record = recordOf(handle);
  if (!record)
    return {};
  return {record->bytes, (size_t)record->size};
}

void freeStringTensorData(void *data, void *context) {
  auto *handles = static_cast<int64_t *>(data);
  auto count = reinterpret_cast<intptr_t>(context);
  for (intptr_t i = 0; i < count; ++i)
    std::free(reinterpret_cast<void *>(handles[i]));
  std::free(data);
}

thread_local RunArena *currentArena = nullptr;

/// A string made during a run: owned by the run's arena. The string
/// functions run on the run's own thread (generated code calls them outside
/// its parallel loops), where the arena is set; without one (a direct call
/// outside a run) the record is never freed.
int64_t runString(std::string_view text) {
  StringRecord *record = newRecord(text.data(), text.size());
  if (!record)
    return 0; // out of memory: the empty string, never a crash
  if (currentArena)
    currentArena->adopt(record);
  return reinterpret_cast<int64_t>(record);
}

/// An unranked memref as generated code passes it: its rank, then a
/// pointer to the ranked descriptor { allocated, aligned, offset,
/// sizes[rank], strides[rank] }. The buffers the lowering passes are
/// contiguous (identity layouts).
template <typename T> struct Span {
  T *data;
  int64_t count;
  T &operator[](int64_t i) const { return data[i]; }
};

template <typename T> Span<T> spanOf(int64_t rank, void *descriptor) {
  auto *words = static_cast<int64_t *>(descriptor);
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d)
    count *= words[3 + d];
  return {reinterpret_cast<T *>(words[1]) + words[2], count};
}

template <typename T> std::string formatNumber(T value) {
  if constexpr (std::is_floating_point_v<T>) {
    if (value != value)
      return "NaN";
    if (value == std::numeric_limits<T>::infinity())
      return "INF";
    if (value == -std::numeric_limits<T>::infinity())
      return "-INF";
  }
  char text[64];
  auto result = std::to_chars(text, text + sizeof(text), value);
  return std::string(text, result.ptr);
}

template <typename T> T parseNumber(std::string_view text) {
  // Leading and trailing blanks are ignored; what does not parse is 0.
  while (!text.empty() && std::isspace((unsigned char)text.front()))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace((unsigned char)text.back()))
    text.remove_suffix(1);
  if constexpr (std::is_floating_point_v<T>) {
    std::string lower(text);
    for (char &c : lower)
      c = (char)std::tolower((unsigned char)c);
    std::string_view body = lower;
    bool negative = !body.empty() && body.front() == '-';
    if (!body.empty() && (body.front() == '-' || body.front() == '+'))
      body.remove_prefix(1);
    if (body == "inf" || body == "infinity")
      return negative ? -std::numeric_limits<T>::infinity()
                      : std::numeric_limits<T>::infinity();
    if (body == "nan")
      return std::numeric_limits<T>::quiet_NaN();
    // from_chars takes no leading '+'.
    if (!text.empty() && text.front() == '+')
      text.remove_prefix(1);
  } else {
    if (!text.empty() && text.front() == '+')
      text.remove_prefix(1);
  }
  T value{};
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

/// Calls `fn((T *)nullptr)` with T the C type of an ONNX numeric dtype.
template <typename Fn> void withNumericType(int32_t dtype, Fn fn) {
  switch (dtype) {
  case LLMOS_FLOAT32: return fn((float *)nullptr);
  case LLMOS_FLOAT64: return fn((double *)nullptr);
  case LLMOS_INT8: return fn((int8_t *)nullptr);
  case LLMOS_UINT8: return fn((uint8_t *)nullptr);
  case LLMOS_INT16: return fn((int16_t *)nullptr);
  case LLMOS_UINT16: return fn((uint16_t *)nullptr);
  case LLMOS_INT32: return fn((int32_t *)nullptr);
  case LLMOS_UINT32: return fn((uint32_t *)nullptr);
  case LLMOS_INT64: return fn((int64_t *)nullptr);
  case LLMOS_UINT64: return fn((uint64_t *)nullptr);
  case LLMOS_BOOL: return fn((bool *)nullptr);
  default: return; // the lowering passes no other type
  }
}

std::string changeCase(std::string_view text, int32_t action) {
  std::string out(text);
  if (action == 1)
    for (char &c : out)
      c = (char)std::tolower((unsigned char)c);
  else if (action == 2)
    for (char &c : out)
      c = (char)std::toupper((unsigned char)c);
  return out;
}

/// dst[i] = fn(lhs[i], rhs[i]) over handle buffers of one element count.
template <typename Out, typename Fn>
void forEachPair(int64_t lhsRank, void *lhs, int64_t rhsRank, void *rhs,
                 int64_t dstRank, void *dst, Fn fn) {
  Span<int64_t> x = spanOf<int64_t>(lhsRank, lhs);
  Span<int64_t> y = spanOf<int64_t>(rhsRank, rhs);
  Span<Out> z = spanOf<Out>(dstRank, dst);
  for (int64_t i = 0; i < z.count; ++i)
    z[i] = fn(view(x[i]), view(y[i]));
}

/// The pieces of `text` split at `delimiter` (at most `maxsplit` splits
/// when it is >= 0); an empty delimiter splits at runs of blanks and drops
/// empty pieces.
std::vector<std::string_view> splitString(std::string_view text,
                                          std::string_view delimiter,
                                          int64_t maxsplit) {
  std::vector<std::string_view> pieces;
  if (delimiter.empty()) {
    size_t at = 0;
    while (at < text.size()) {
      while (at < text.size() && std::isspace((unsigned char)text[at]))
        ++at;
      if (at == text.size())
        break;
      if (maxsplit >= 0 && (int64_t)pieces.size() == maxsplit) {
        pieces.push_back(text.substr(at)); // the rest, as Python's split
        break;
      }
      size_t end = at;
      while (end < text.size() && !std::isspace((unsigned char)text[end]))
        ++end;
      pieces.push_back(text.substr(at, end - at));
      at = end;
    }
    return pieces;
  }
  size_t at = 0;
  while (true) {
    size_t next = text.find(delimiter, at);
    if (next == std::string_view::npos ||
        (maxsplit >= 0 && (int64_t)pieces.size() == maxsplit)) {
      pieces.push_back(text.substr(at));
      return pieces;
    }
    pieces.push_back(text.substr(at, next - at));
    at = next + delimiter.size();
  }
}

void fromNumbers(int64_t srcRank, void *src, int64_t dstRank, void *dst,
                 int32_t dtype) {
  Span<int64_t> handles = spanOf<int64_t>(dstRank, dst);
  withNumericType(dtype, [&](auto *tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    Span<T> values = spanOf<T>(srcRank, src);
    for (int64_t i = 0; i < handles.count; ++i) {
      if constexpr (std::is_same_v<T, bool>)
        handles[i] = runString(values[i] ? "1" : "0");
      else
        handles[i] = runString(formatNumber(values[i]));
    }
  });
}

void toNumbers(int64_t srcRank, void *src, int64_t dstRank, void *dst,
               int32_t dtype) {
  Span<int64_t> handles = spanOf<int64_t>(srcRank, src);
  withNumericType(dtype, [&](auto *tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    Span<T> values = spanOf<T>(dstRank, dst);
    for (int64_t i = 0; i < handles.count; ++i) {
      if constexpr (std::is_same_v<T, bool>)
        values[i] = parseNumber<double>(view(handles[i])) != 0;
      else
        values[i] = parseNumber<T>(view(handles[i]));
    }
  });
}

} // namespace

//===----------------------------------------------------------------------===//
// Internals
//===----------------------------------------------------------------------===//

void llmos::rt::RunArena::adopt(void *record) {
  records.push_back(record);
}

void llmos::rt::RunArena::adoptValue(llmos_value *value) {
  values.push_back(value);
}

llmos::rt::RunArena::~RunArena() {
  for (llmos_value *value : values)
    llmos_value_release(value);
  for (void *record : records)
    std::free(record);
}

void llmos::rt::setCurrentRunArena(RunArena *arena) {
  currentArena = arena;
}

RunArena *llmos::rt::currentRunArena() { return currentArena; }

llmos_status *llmos::rt::makeStringTensor(int64_t rank, const int64_t *dims,
                                          const int64_t *handles,
                                          const int64_t *strides,
                                          llmos_tensor **out) {
  llmos_status *status = llmos_tensor_create(
      LLMOS_STRING, rank, dims, llmos_device{LLMOS_DEVICE_CPU, 0}, out);
  if (status)
    return status;
  auto *dest = static_cast<int64_t *>((*out)->data);
  std::vector<int64_t> index(rank, 0);
  for (int64_t e = 0; e < (*out)->numElements; ++e) {
    int64_t source = e;
    if (strides) {
      source = 0;
      for (int64_t d = 0; d < rank; ++d)
        source += index[d] * strides[d];
    }
    std::string_view text = view(handles[source]);
    if (!text.empty()) {
      dest[e] = reinterpret_cast<int64_t>(newRecord(text.data(), text.size()));
      if (!dest[e]) {
        llmos_tensor_release(*out);
        *out = nullptr;
        return makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate a string");
      }
    }
    for (int64_t d = rank - 1; d >= 0 && ++index[d] == dims[d]; --d)
      index[d] = 0;
  }
  return nullptr;
}

void llmos::rt::adoptStrings(llmos_tensor *tensor) {
  tensor->deleter = freeStringTensorData;
  tensor->context = reinterpret_cast<void *>((intptr_t)tensor->numElements);
}

extern "C" {

//===----------------------------------------------------------------------===//
// The public API
//===----------------------------------------------------------------------===//

llmos_status *llmos_tensor_create_strings(int64_t rank, const int64_t *dims,
                                          const char *const *strings,
                                          const size_t *lengths,
                                          llmos_tensor **out) {
  if (!out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  llmos_status *status = llmos_tensor_create(
      LLMOS_STRING, rank, dims, llmos_device{LLMOS_DEVICE_CPU, 0}, out);
  if (status)
    return status;
  int64_t count = (*out)->numElements;
  if (count && !strings) {
    llmos_tensor_release(*out);
    *out = nullptr;
    return makeStatus(LLMOS_INVALID_ARGUMENT, "strings is null");
  }
  auto *handles = static_cast<int64_t *>((*out)->data);
  for (int64_t i = 0; i < count; ++i) {
    if (!strings[i] && (!lengths || lengths[i])) {
      llmos_tensor_release(*out);
      *out = nullptr;
      return makeStatus(LLMOS_INVALID_ARGUMENT, "string %lld is null",
                        (long long)i);
    }
    size_t size = lengths ? lengths[i] : std::strlen(strings[i]);
    if (!size)
      continue;
    handles[i] = reinterpret_cast<int64_t>(newRecord(strings[i], size));
    if (!handles[i]) {
      llmos_tensor_release(*out);
      *out = nullptr;
      return makeStatus(LLMOS_OUT_OF_MEMORY, "cannot allocate a string");
    }
  }
  return nullptr;
}

const char *llmos_tensor_string_at(const llmos_tensor *tensor, int64_t index,
                                   size_t *length) {
  if (!tensor || tensor->dtype != LLMOS_STRING || index < 0 ||
      index >= tensor->numElements)
    return nullptr;
  int64_t handle = static_cast<const int64_t *>(tensor->data)[index];
  const StringRecord *record = recordOf(handle);
  if (length)
    *length = record ? (size_t)record->size : 0;
  return record ? record->bytes : "";
}

//===----------------------------------------------------------------------===//
// Called by compiled models
//===----------------------------------------------------------------------===//

#define LLMOS_STRING_CASTS(suffix, dtype)                                      \
  void llmos_rt_string_from_##suffix(int64_t srcRank, void *src,               \
                                     int64_t dstRank, void *dst) {             \
    fromNumbers(srcRank, src, dstRank, dst, dtype);                            \
  }                                                                            \
  void llmos_rt_string_to_##suffix(int64_t srcRank, void *src,                 \
                                   int64_t dstRank, void *dst) {               \
    toNumbers(srcRank, src, dstRank, dst, dtype);                              \
  }
LLMOS_STRING_CASTS(f32, LLMOS_FLOAT32)
LLMOS_STRING_CASTS(f64, LLMOS_FLOAT64)
LLMOS_STRING_CASTS(i8, LLMOS_INT8)
LLMOS_STRING_CASTS(u8, LLMOS_UINT8)
LLMOS_STRING_CASTS(i16, LLMOS_INT16)
LLMOS_STRING_CASTS(u16, LLMOS_UINT16)
LLMOS_STRING_CASTS(i32, LLMOS_INT32)
LLMOS_STRING_CASTS(u32, LLMOS_UINT32)
LLMOS_STRING_CASTS(i64, LLMOS_INT64)
LLMOS_STRING_CASTS(u64, LLMOS_UINT64)
LLMOS_STRING_CASTS(bool, LLMOS_BOOL)
#undef LLMOS_STRING_CASTS

int64_t llmos_rt_string_normalize(int64_t srcRank, void *src, int64_t dstRank,
                                  void *dst, int64_t stopRank, void *stop,
                                  int32_t caseAction, int32_t caseSensitive) {
  Span<int64_t> inputs = spanOf<int64_t>(srcRank, src);
  Span<int64_t> outputs = spanOf<int64_t>(dstRank, dst);
  Span<int64_t> stops = spanOf<int64_t>(stopRank, stop);
  std::unordered_set<std::string> folded;
  for (int64_t s = 0; s < stops.count; ++s)
    folded.insert(caseSensitive ? std::string(view(stops[s]))
                                : changeCase(view(stops[s]), 1));
  int64_t kept = 0;
  for (int64_t i = 0; i < inputs.count && kept < outputs.count; ++i) {
    std::string_view text = view(inputs[i]);
    std::string key = caseSensitive ? std::string(text) : changeCase(text, 1);
    if (folded.count(key))
      continue;
    outputs[kept++] = caseAction ? runString(changeCase(text, caseAction))
                                 : inputs[i];
  }
  // Nothing left: ONNX returns one empty string.
  if (kept == 0 && outputs.count > 0)
    outputs[0] = 0;
  return kept;
}

void llmos_rt_string_concat(int64_t lhsRank, void *lhs, int64_t rhsRank,
                            void *rhs, int64_t dstRank, void *dst) {
  forEachPair<int64_t>(lhsRank, lhs, rhsRank, rhs, dstRank, dst,
                       [](std::string_view a, std::string_view b) {
                         std::string text(a);
                         text += b;
                         return runString(text);
                       });
}

void llmos_rt_string_equal(int64_t lhsRank, void *lhs, int64_t rhsRank,
                           void *rhs, int64_t dstRank, void *dst) {
  forEachPair<bool>(lhsRank, lhs, rhsRank, rhs, dstRank, dst,
                    [](std::string_view a, std::string_view b) {
                      return a == b;
                    });
}

void llmos_rt_regex_full_match(int64_t srcRank, void *src,
                               int64_t pattern, int64_t dstRank, void *dst) {
  Span<int64_t> x = spanOf<int64_t>(srcRank, src);
  Span<bool> y = spanOf<bool>(dstRank, dst);
  // The compiler checked the pattern; an invalid one matches nothing.
  llmos::regex::Program program = llmos::regex::compile(view(pattern));
  for (int64_t i = 0; i < x.count; ++i)
    y[i] = program.error.empty() && llmos::regex::fullMatch(program, view(x[i]));
}

void llmos_rt_string_lookup(int64_t srcRank, void *src, int64_t tableRank,
                            void *table, int64_t dstRank, void *dst) {
  Span<int64_t> x = spanOf<int64_t>(srcRank, src);
  Span<int64_t> t = spanOf<int64_t>(tableRank, table);
  Span<int64_t> y = spanOf<int64_t>(dstRank, dst);
  std::unordered_map<std::string_view, int64_t> positions;
  for (int64_t k = t.count - 1; k >= 0; --k) // the first of equal entries
    positions[view(t[k])] = k;
  for (int64_t i = 0; i < y.count; ++i) {
    auto it = positions.find(view(x[i]));
    y[i] = it == positions.end() ? -1 : it->second;
  }
}

int64_t llmos_rt_string_split_count(int64_t srcRank, void *src,
                                    int64_t delimiter, int64_t maxsplit) {
  Span<int64_t> x = spanOf<int64_t>(srcRank, src);
  size_t most = 0;
  for (int64_t i = 0; i < x.count; ++i)
    most = std::max(most,
                    splitString(view(x[i]), view(delimiter), maxsplit).size());
  return (int64_t)most;
}

void llmos_rt_string_split(int64_t srcRank, void *src, int64_t delimiter,
                           int64_t maxsplit, int64_t piecesRank, void *pieces,
                           int64_t countsRank, void *counts) {
  Span<int64_t> x = spanOf<int64_t>(srcRank, src);
  Span<int64_t> y = spanOf<int64_t>(piecesRank, pieces);
  Span<int64_t> z = spanOf<int64_t>(countsRank, counts);
  int64_t width = x.count ? y.count / x.count : 0;
  for (int64_t i = 0; i < x.count; ++i) {
    std::vector<std::string_view> parts =
        splitString(view(x[i]), view(delimiter), maxsplit);
    z[i] = (int64_t)parts.size();
    for (int64_t k = 0; k < width; ++k)
      y[i * width + k] =
          k < (int64_t)parts.size() ? runString(parts[k]) : 0;
  }
}

} // extern "C"
