//===- Driver.cpp - Command line of compiled executables and llmos-run ----===//
//
// This file implements llmos_run_main: input files in, timed runs, output
// comparison and output files out. Tolerances follow the ONNX backend tests:
// |actual - expected| <= atol + rtol * |expected|, NaN matches NaN.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <vector>

namespace {

struct Options {
  std::string inputsDir, expectedDir, outputsDir;
  std::vector<std::pair<std::string, std::string>> inputFiles;
  std::vector<std::pair<std::string, std::vector<int64_t>>> shapes;
  double rtol = 1e-3, atol = 1e-7;
  int repeat = 0, threads = 0, concurrent = 0;
  bool random = false, npy = false, quiet = false;
};

void usage(const char *program) {
  std::printf(
      "usage: %s [options]\n"
      "Runs the compiled model.\n\n"
      "  --inputs DIR        read inputs from DIR: input_<i>.pb (the ONNX\n"
      "                      backend test layout), or <name>.pb / <name>.npy;\n"
      "                      sequences and optionals as SequenceProto /\n"
      "                      OptionalProto .pb files\n"
      "  --input NAME=FILE   read one input from a .pb or .npy file\n"
      "  --random            fill inputs that were not given with random\n"
      "                      values (dynamic dims from --shape)\n"
      "  --shape NAME=DxD..  the shape of a random input\n"
      "  --expected DIR      compare outputs with output_<i>.pb or\n"
      "                      <name>.pb / <name>.npy in DIR\n"
      "  --rtol R --atol A   comparison tolerances (default 1e-3, 1e-7)\n"
      "  --outputs DIR       write outputs to DIR (created if missing) as\n"
      "                      output_<i>.pb\n"
      "  --npy               write outputs as <name>.npy instead\n"
      "  --repeat N          time N runs after a warm-up run and print\n"
      "                      'median <t> ms (min <t>, max <t>, N runs)'\n"
      "  --threads T         threads per run (default: all cores)\n"
      "  --concurrent N      also run the model from N threads at once, 10\n"
      "                      runs each, and check that every output is\n"
      "                      bit-identical to the first run's\n"
      "  --quiet             print only errors and timings\n"
      "Exit status: 0 when all outputs match, 1 otherwise, 2 for usage.\n",
      program);
}

bool fileExists(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// The file for value `index` named `name` in `dir`, in the layouts the
/// ONNX backend tests and users use.
std::string findFile(const std::string &dir, const char *prefix, size_t index,
                     const char *name) {
  std::vector<std::string> candidates = {
      dir + "/" + prefix + std::to_string(index) + ".pb",
      dir + "/" + name + ".pb", dir + "/" + name + ".npy",
      dir + "/" + prefix + std::to_string(index) + ".npy"};
  for (const std::string &c : candidates)
    if (fileExists(c))
      return c;
  return {};
}

bool parseShape(const char *text, std::vector<int64_t> &dims) {
  dims.clear();
  std::string s(text);
  if (s.empty())
    return true;
  size_t start = 0;
  while (start <= s.size()) {
    size_t x = s.find('x', start);
    std::string part = s.substr(start, x == std::string::npos ? x : x - start);
    char *end;
    long long v = std::strtoll(part.c_str(), &end, 10);
    if (part.empty() || *end || v < 0)
      return false;
    dims.push_back(v);
    if (x == std::string::npos)
      break;
    start = x + 1;
  }
  return true;
}

llmos_status *randomTensor(const llmos_model *model, size_t i,
                           const Options &opts, std::mt19937 &rng,
                           llmos_tensor **out) {
  const char *name = llmos_model_value_name(model, 0, i);
  int64_t rank = llmos_model_value_rank(model, 0, i);
  const int64_t *declared = llmos_model_value_dims(model, 0, i);
  std::vector<int64_t> dims(declared, declared + rank);
  for (const auto &[shapeName, shape] : opts.shapes)
    if (shapeName == name)
      dims = shape;
  for (int64_t d : dims)
    if (d < 0)
      return llmos::rt::makeStatus(
          LLMOS_INVALID_ARGUMENT,
          "input '%s' has dynamic dims: give them with --shape %s=DxD...",
          name, name);
  llmos_dtype dtype = llmos_model_value_dtype(model, 0, i);
  if (dtype == LLMOS_STRING) {
    // Random strings: numbers in [-1, 1) as text.
    int64_t count = llmos::rt::countElements(dims.data(), dims.size());
    std::vector<std::string> texts;
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (int64_t e = 0; e < count; ++e)
      texts.push_back(std::to_string(uniform(rng)));
    std::vector<const char *> pointers;
    for (const std::string &text : texts)
      pointers.push_back(text.c_str());
    return llmos_tensor_create_strings(dims.size(), dims.data(),
                                       pointers.data(), nullptr, out);
  }
  if (llmos_status *status = llmos_tensor_create(
          dtype, dims.size(), dims.data(), llmos_device{LLMOS_DEVICE_CPU, 0},
          out))
    return status;
  void *data = llmos_tensor_data(*out);
  int64_t n = llmos_tensor_num_elements(*out);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (int64_t e = 0; e < n; ++e) {
    float v = uniform(rng);
    switch (dtype) {
    case LLMOS_FLOAT32: static_cast<float *>(data)[e] = v; break;
    case LLMOS_FLOAT64: static_cast<double *>(data)[e] = v; break;
    case LLMOS_INT64: static_cast<int64_t *>(data)[e] = rng() % 16; break;
    case LLMOS_INT32: static_cast<int32_t *>(data)[e] = rng() % 16; break;
    case LLMOS_BOOL: static_cast<uint8_t *>(data)[e] = rng() % 2; break;
    default: break; // zeros
    }
  }
  return nullptr;
}

/// The value of a float8 / float4 / float8e8m0 element (ONNX's tables:
/// the FN formats have no infinities, the FNUZ ones neither negative zero
/// nor infinities, e8m0 is a power of two).
double minifloatValue(llmos_dtype dtype, uint8_t code) {
  int exponentBits, mantissaBits, bias;
  switch (dtype) {
  case LLMOS_FLOAT8E4M3FN: exponentBits = 4; mantissaBits = 3; bias = 7; break;
  case LLMOS_FLOAT8E4M3FNUZ: exponentBits = 4; mantissaBits = 3; bias = 8; break;
  case LLMOS_FLOAT8E5M2: exponentBits = 5; mantissaBits = 2; bias = 15; break;
  case LLMOS_FLOAT8E5M2FNUZ: exponentBits = 5; mantissaBits = 2; bias = 16; break;
  case LLMOS_FLOAT4E2M1: exponentBits = 2; mantissaBits = 1; bias = 1; break;
  case LLMOS_FLOAT8E8M0:
    return code == 0xFF ? NAN : std::ldexp(1.0, int(code) - 127);
  default: return 0;
  }
  int width = 1 + exponentBits + mantissaBits;
  unsigned signBit = 1u << (width - 1);
  unsigned magnitude = code & (signBit - 1);
  bool negative = code & signBit;
  bool fnuz = dtype == LLMOS_FLOAT8E4M3FNUZ || dtype == LLMOS_FLOAT8E5M2FNUZ;
  if (fnuz && code == 0x80)
    return NAN;
  unsigned exponent = magnitude >> mantissaBits;
  unsigned mantissa = magnitude & ((1u << mantissaBits) - 1);
  unsigned maxExponent = (1u << exponentBits) - 1;
  if (dtype == LLMOS_FLOAT8E4M3FN && magnitude == 0x7F)
    return NAN;
  if (dtype == LLMOS_FLOAT8E5M2 && exponent == maxExponent)
    return mantissa ? NAN : (negative ? -INFINITY : INFINITY);
  double value =
      exponent == 0
          ? std::ldexp(mantissa, 1 - bias - mantissaBits)
          : std::ldexp(mantissa + (1u << mantissaBits),
                       int(exponent) - bias - mantissaBits);
  return negative ? -value : value;
}

double elementAsDouble(const llmos_tensor *t, int64_t i) {
  const void *data = t->data;
  switch (t->dtype) {
  case LLMOS_FLOAT32: return static_cast<const float *>(data)[i];
  case LLMOS_FLOAT64: return static_cast<const double *>(data)[i];
  case LLMOS_INT8: return static_cast<const int8_t *>(data)[i];
  case LLMOS_UINT8: return static_cast<const uint8_t *>(data)[i];
  case LLMOS_INT16: return static_cast<const int16_t *>(data)[i];
  case LLMOS_UINT16: return static_cast<const uint16_t *>(data)[i];
  case LLMOS_INT32: return static_cast<const int32_t *>(data)[i];
  case LLMOS_UINT32: return static_cast<const uint32_t *>(data)[i];
  case LLMOS_INT64: return (double)static_cast<const int64_t *>(data)[i];
  case LLMOS_UINT64: return (double)static_cast<const uint64_t *>(data)[i];
  case LLMOS_BOOL: return static_cast<const uint8_t *>(data)[i] != 0;
  case LLMOS_INT4:
  case LLMOS_INT2: return static_cast<const int8_t *>(data)[i];
  case LLMOS_UINT4:
  case LLMOS_UINT2: return static_cast<const uint8_t *>(data)[i];
  case LLMOS_FLOAT8E4M3FN:
  case LLMOS_FLOAT8E4M3FNUZ:
  case LLMOS_FLOAT8E5M2:
  case LLMOS_FLOAT8E5M2FNUZ:
  case LLMOS_FLOAT4E2M1:
  case LLMOS_FLOAT8E8M0:
    return minifloatValue(t->dtype, static_cast<const uint8_t *>(data)[i]);
  case LLMOS_FLOAT16: {
    uint16_t h = static_cast<const uint16_t *>(data)[i];
    int exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    double sign = (h & 0x8000) ? -1.0 : 1.0;
    if (exponent == 0)
      return sign * std::ldexp(mantissa, -24);
    if (exponent == 31)
      return mantissa ? NAN : sign * INFINITY;
    return sign * std::ldexp(mantissa + 1024, exponent - 25);
  }
  case LLMOS_BFLOAT16: {
    uint32_t bits = static_cast<uint32_t>(
                        static_cast<const uint16_t *>(data)[i])
                    << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  default: return 0;
  }
}

/// The ONNX backend test data stores bfloat16 tensors as uint16 bit
/// patterns; such a file feeds (or is compared with) a bfloat16 tensor.
void adoptBfloat16Bits(llmos_tensor *t, llmos_dtype want) {
  if (t && t->dtype == LLMOS_UINT16 && want == LLMOS_BFLOAT16)
    t->dtype = LLMOS_BFLOAT16;
}

/// The same for every tensor of a value.
void adoptBfloat16Bits(llmos_value *v, llmos_dtype want) {
  if (!v || v->dtype != LLMOS_UINT16 || want != LLMOS_BFLOAT16)
    return;
  v->dtype = LLMOS_BFLOAT16;
  adoptBfloat16Bits(v->tensor, want);
  for (llmos_value *element : v->elements)
    adoptBfloat16Bits(element, want);
}

/// Whether two values hold the same kinds, shapes and bytes.
bool identical(const llmos_value *a, const llmos_value *e) {
  if (a->kind != e->kind || a->elements.size() != e->elements.size())
    return false;
  if (a->kind == LLMOS_VALUE_TENSOR)
    return a->tensor->dims == e->tensor->dims &&
           std::memcmp(a->tensor->data, e->tensor->data,
                       llmos_tensor_byte_size(e->tensor)) == 0;
  for (size_t i = 0; i < a->elements.size(); ++i)
    if (!identical(a->elements[i], e->elements[i]))
      return false;
  return true;
}

/// "float32 [2, 3]", "sequence of 2 tensors: float32 [1], float32 [4]",
/// "optional: ...", "empty optional".
std::string describe(const llmos_value *v) {
  if (v->kind == LLMOS_VALUE_TENSOR) {
    std::string s = std::string(llmos_dtype_name(v->dtype)) + " [";
    for (size_t d = 0; d < v->tensor->dims.size(); ++d)
      s += (d ? ", " : "") + std::to_string(v->tensor->dims[d]);
    return s + "]";
  }
  if (v->kind == LLMOS_VALUE_OPTIONAL)
    return v->elements.empty() ? "empty optional"
                               : "optional: " + describe(v->elements[0]);
  std::string s = "sequence of " + std::to_string(v->elements.size()) +
                  " tensor" + (v->elements.size() == 1 ? "" : "s");
  for (size_t i = 0; i < v->elements.size() && i < 8; ++i)
    s += (i ? ", " : ": ") + describe(v->elements[i]);
  return s + (v->elements.size() > 8 ? ", ..." : "");
}

/// Runs `model` from `threads` threads at once, 10 times each, and counts
/// the runs that fail or whose outputs differ in any bit from `reference`.
int runConcurrently(llmos_model *model,
                    const std::vector<llmos_value *> &inputs,
                    const std::vector<llmos_value *> &reference,
                    int threads) {
  std::atomic<int> failures{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int r = 0; r < 10; ++r) {
        std::vector<llmos_value *> outs(reference.size(), nullptr);
        llmos_status *status =
            llmos_model_run_values(model, inputs.data(), inputs.size(),
                                   outs.data(), outs.size());
        if (status) {
          std::fprintf(stderr, "thread %d, run %d: %s\n", t, r,
                       llmos_status_message(status));
          llmos_status_free(status);
          ++failures;
          continue;
        }
        for (size_t i = 0; i < outs.size(); ++i) {
          if (!identical(outs[i], reference[i])) {
            std::fprintf(stderr,
                         "thread %d, run %d: output %zu differs from the "
                         "single-threaded run\n",
                         t, r, i);
            ++failures;
          }
          llmos_value_release(outs[i]);
        }
      }
    });
  }
  for (std::thread &thread : pool)
    thread.join();
  return failures.load();
}

bool isFloat(llmos_dtype d) {
  return d == LLMOS_FLOAT32 || d == LLMOS_FLOAT64 || d == LLMOS_FLOAT16 ||
         d == LLMOS_BFLOAT16 || (d >= LLMOS_FLOAT8E4M3FN &&
                                 d <= LLMOS_FLOAT8E5M2FNUZ) ||
         d == LLMOS_FLOAT4E2M1 || d == LLMOS_FLOAT8E8M0;
}

/// Compares an output with its expected value; prints the first mismatches.
bool compare(const char *name, const llmos_tensor *actual,
             const llmos_tensor *expected, const Options &opts) {
  if (actual->dtype != expected->dtype) {
    std::printf("output '%s': type %s, expected %s\n", name,
                llmos_dtype_name(actual->dtype),
                llmos_dtype_name(expected->dtype));
    return false;
  }
  if (actual->dims != expected->dims) {
    auto show = [](const std::vector<int64_t> &dims) {
      std::string s = "[";
      for (size_t i = 0; i < dims.size(); ++i)
        s += (i ? ", " : "") + std::to_string(dims[i]);
      return s + "]";
    };
    std::printf("output '%s': shape %s, expected %s\n", name,
                show(actual->dims).c_str(), show(expected->dims).c_str());
    return false;
  }
  int64_t mismatches = 0;
  if (actual->dtype == LLMOS_STRING) {
    for (int64_t i = 0; i < actual->numElements; ++i) {
      size_t la, le;
      const char *a = llmos_tensor_string_at(actual, i, &la);
      const char *e = llmos_tensor_string_at(expected, i, &le);
      if (la == le && std::memcmp(a, e, la) == 0)
        continue;
      if (mismatches++ < 5)
        std::printf("output '%s': element %lld is \"%.*s\", expected "
                    "\"%.*s\"\n",
                    name, (long long)i, (int)std::min<size_t>(la, 80), a,
                    (int)std::min<size_t>(le, 80), e);
    }
    if (mismatches)
      std::printf("output '%s': %lld of %lld strings differ\n", name,
                  (long long)mismatches, (long long)actual->numElements);
    return mismatches == 0;
  }
  double worst = 0;
  for (int64_t i = 0; i < actual->numElements; ++i) {
    double a = elementAsDouble(actual, i), e = elementAsDouble(expected, i);
    bool ok;
    if (isFloat(actual->dtype)) {
      if (std::isnan(e) || std::isnan(a))
        ok = std::isnan(e) && std::isnan(a);
      else if (std::isinf(e) || std::isinf(a))
        ok = a == e;
      else
        ok = std::fabs(a - e) <= opts.atol + opts.rtol * std::fabs(e);
    } else {
      ok = a == e;
    }
    if (!ok) {
      if (mismatches < 5)
        std::printf("output '%s': element %lld is %.9g, expected %.9g\n",
                    name, (long long)i, a, e);
      worst = std::max(worst, std::fabs(a - e));
      ++mismatches;
    }
  }
  if (mismatches)
    std::printf("output '%s': %lld of %lld elements differ (largest "
                "difference %.6g, rtol %g, atol %g)\n",
                name, (long long)mismatches, (long long)actual->numElements,
                worst, opts.rtol, opts.atol);
  return mismatches == 0;
}

/// Compares values: the same kinds and lengths, and tensors within the
/// tolerances.
bool compareValues(const std::string &name, const llmos_value *actual,
                   const llmos_value *expected, const Options &opts) {
  if (actual->kind != expected->kind) {
    std::printf("output '%s': %s, expected %s\n", name.c_str(),
                describe(actual).c_str(), describe(expected).c_str());
    return false;
  }
  if (actual->kind == LLMOS_VALUE_TENSOR)
    return compare(name.c_str(), actual->tensor, expected->tensor, opts);
  if (actual->elements.size() != expected->elements.size()) {
    std::printf("output '%s': %s, expected %s\n", name.c_str(),
                describe(actual).c_str(), describe(expected).c_str());
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < actual->elements.size(); ++i)
    ok &= compareValues(actual->kind == LLMOS_VALUE_SEQUENCE
                            ? name + "[" + std::to_string(i) + "]"
                            : name,
                        actual->elements[i], expected->elements[i], opts);
  return ok;
}

int fail(llmos_status *status) {
  std::fprintf(stderr, "error: %s\n", llmos_status_message(status));
  llmos_status_free(status);
  return 1;
}

int runMain(int argc, char **argv, const llmos_model_info *info) {
  Options opts;
  const char *program = argc > 0 ? argv[0] : "model";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char *flag) -> const char * {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s: %s needs a value\n", program, flag);
        return nullptr;
      }
      return argv[++i];
    };
    const char *v = nullptr;
    if (arg == "--help" || arg == "-h") {
      usage(program);
      return 0;
    } else if (arg == "--inputs") {
      if (!(v = value("--inputs"))) return 2;
      opts.inputsDir = v;
    } else if (arg == "--input") {
      if (!(v = value("--input"))) return 2;
      const char *eq = std::strchr(v, '=');
      if (!eq) {
        std::fprintf(stderr, "%s: --input needs NAME=FILE\n", program);
        return 2;
      }
      opts.inputFiles.emplace_back(std::string(v, eq), eq + 1);
    } else if (arg == "--shape") {
      if (!(v = value("--shape"))) return 2;
      const char *eq = std::strchr(v, '=');
      std::vector<int64_t> dims;
      if (!eq || !parseShape(eq + 1, dims)) {
        std::fprintf(stderr, "%s: --shape needs NAME=DxDx...\n", program);
        return 2;
      }
      opts.shapes.emplace_back(std::string(v, eq), dims);
    } else if (arg == "--expected") {
      if (!(v = value("--expected"))) return 2;
      opts.expectedDir = v;
    } else if (arg == "--outputs") {
      if (!(v = value("--outputs"))) return 2;
      opts.outputsDir = v;
    } else if (arg == "--rtol" || arg == "--atol") {
      if (!(v = value(arg.c_str()))) return 2;
      char *end;
      double x = std::strtod(v, &end);
      if (*end || x < 0) {
        std::fprintf(stderr, "%s: %s needs a non-negative number\n", program,
                     arg.c_str());
        return 2;
      }
      (arg == "--rtol" ? opts.rtol : opts.atol) = x;
    } else if (arg == "--repeat" || arg == "--threads" ||
               arg == "--concurrent") {
      if (!(v = value(arg.c_str()))) return 2;
      char *end;
      long x = std::strtol(v, &end, 10);
      if (*end || x < 0 || x > 1000000) {
        std::fprintf(stderr, "%s: %s needs a non-negative integer\n", program,
                     arg.c_str());
        return 2;
      }
      (arg == "--repeat"    ? opts.repeat
       : arg == "--threads" ? opts.threads
                            : opts.concurrent) = static_cast<int>(x);
    } else if (arg == "--random") {
      opts.random = true;
    } else if (arg == "--npy") {
      opts.npy = true;
    } else if (arg == "--quiet") {
      opts.quiet = true;
    } else {
      std::fprintf(stderr, "%s: unknown option '%s' (see --help)\n", program,
                   arg.c_str());
      return 2;
    }
  }

  llmos_options *options = nullptr;
  if (llmos_status *s = llmos_options_create(&options))
    return fail(s);
  if (llmos_status *s = llmos_options_set_threads(options, opts.threads))
    return fail(s);
  llmos_model *model = nullptr;
  llmos_status *status = llmos_model_create(info, options, &model);
  llmos_options_free(options);
  if (status)
    return fail(status);

  size_t numInputs = llmos_model_num_inputs(model);
  size_t numOutputs = llmos_model_num_outputs(model);
  std::vector<llmos_value *> inputs(numInputs, nullptr);
  std::vector<llmos_value *> outputs(numOutputs, nullptr);
  auto cleanup = [&] {
    for (llmos_value *v : inputs)
      llmos_value_release(v);
    for (llmos_value *v : outputs)
      llmos_value_release(v);
    llmos_model_release(model);
  };
  std::mt19937 rng(42);
  for (size_t i = 0; i < numInputs; ++i) {
    const char *name = llmos_model_value_name(model, 0, i);
    std::string file;
    for (const auto &[inputName, path] : opts.inputFiles)
      if (inputName == name)
        file = path;
    if (file.empty() && !opts.inputsDir.empty())
      file = findFile(opts.inputsDir, "input_", i, name);
    llmos_value_kind kind = llmos_model_value_kind(model, 0, i, 0);
    llmos_dtype dtype = llmos_model_value_dtype(model, 0, i);
    if (file.empty()) {
      if (!opts.random || kind != LLMOS_VALUE_TENSOR) {
        std::fprintf(stderr,
                     "error: no data for input '%s' (give --inputs, --input "
                     "%s)\n",
                     name, kind == LLMOS_VALUE_TENSOR
                               ? "or --random"
                               : "with a SequenceProto or OptionalProto .pb");
        cleanup();
        return 1;
      }
      llmos_tensor *tensor = nullptr;
      status = randomTensor(model, i, opts, rng, &tensor);
      if (!status)
        status = llmos_value_create_tensor(tensor, &inputs[i]);
      llmos_tensor_release(tensor);
    } else {
      status = llmos_value_read_file(file.c_str(), kind, dtype, &inputs[i],
                                     nullptr);
      if (!status)
        adoptBfloat16Bits(inputs[i], dtype);
    }
    if (status) {
      cleanup();
      return fail(status);
    }
  }

  // One run (the warm-up when timing), then the timed ones.
  status = llmos_model_run_values(model, inputs.data(), numInputs,
                                  outputs.data(), numOutputs);
  if (status) {
    cleanup();
    return fail(status);
  }
  if (opts.concurrent > 0) {
    int failures = runConcurrently(model, inputs, outputs, opts.concurrent);
    if (failures) {
      cleanup();
      return 1;
    }
    if (!opts.quiet)
      std::printf("concurrent: %d threads x 10 runs, outputs identical\n",
                  opts.concurrent);
  }
  if (opts.repeat > 0) {
    std::vector<double> times;
    for (int r = 0; r < opts.repeat; ++r) {
      std::vector<llmos_value *> scratch(numOutputs, nullptr);
      auto start = std::chrono::steady_clock::now();
      status = llmos_model_run_values(model, inputs.data(), numInputs,
                                      scratch.data(), numOutputs);
      auto end = std::chrono::steady_clock::now();
      for (llmos_value *v : scratch)
        llmos_value_release(v);
      if (status) {
        cleanup();
        return fail(status);
      }
      times.push_back(std::chrono::duration<double, std::milli>(end - start)
                          .count());
    }
    std::sort(times.begin(), times.end());
    double median = times.size() % 2
                        ? times[times.size() / 2]
                        : (times[times.size() / 2 - 1] +
                           times[times.size() / 2]) / 2;
    std::printf("median %.3f ms (min %.3f, max %.3f, %d runs)\n", median,
                times.front(), times.back(), opts.repeat);
  }

  int exitCode = 0;
  // The output directory is created when missing (its parent must exist).
  if (!opts.outputsDir.empty() && mkdir(opts.outputsDir.c_str(), 0777) != 0 &&
      errno != EEXIST) {
    std::fprintf(stderr, "error: cannot create '%s': %s\n",
                 opts.outputsDir.c_str(), std::strerror(errno));
    cleanup();
    return 1;
  }
  for (size_t i = 0; i < numOutputs; ++i) {
    const char *name = llmos_model_value_name(model, 1, i);
    llmos_value *out = outputs[i];
    if (!opts.quiet)
      std::printf("output '%s': %s\n", name, describe(out).c_str());
    if (!opts.expectedDir.empty()) {
      std::string file = findFile(opts.expectedDir, "output_", i, name);
      if (file.empty()) {
        std::printf("output '%s': no expected file in %s\n", name,
                    opts.expectedDir.c_str());
        exitCode = 1;
        continue;
      }
      llmos_value *expected = nullptr;
      if (llmos_status *s = llmos_value_read_file(
              file.c_str(), out->kind, out->dtype, &expected, nullptr)) {
        std::printf("output '%s': %s\n", name, llmos_status_message(s));
        llmos_status_free(s);
        exitCode = 1;
        continue;
      }
      adoptBfloat16Bits(expected, out->dtype);
      if (!compareValues(name, out, expected, opts))
        exitCode = 1;
      llmos_value_release(expected);
    }
    if (!opts.outputsDir.empty()) {
      std::string file =
          opts.outputsDir + "/" +
          (opts.npy ? std::string(name) + ".npy"
                    : "output_" + std::to_string(i) + ".pb");
      if (llmos_status *s =
              llmos_value_write_file(file.c_str(), out, name)) {
        std::fprintf(stderr, "error: %s\n", llmos_status_message(s));
        llmos_status_free(s);
        exitCode = 1;
      }
    }
  }
  if (!opts.expectedDir.empty())
    std::printf("%s\n", exitCode ? "MISMATCH" : "all outputs match");
  cleanup();
  return exitCode;
}

} // namespace

extern "C" int llmos_run_main(int argc, char **argv,
                              const llmos_model_info *info) {
  return runMain(argc, argv, info);
}
