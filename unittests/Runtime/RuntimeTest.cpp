//===- RuntimeTest.cpp - Tests of the llmos runtime -----------------------===//
//
// The model here is written by hand against the ABI: out = a + b (float32,
// shape [batch, 4]) computed with llmos_rt_parallel_for and an output buffer
// from the model allocator, plus a second output that aliases input a.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"
#include "llmos/Runtime/llmos_abi.h"
#include "llmos/Runtime/llmos_runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace {

struct AddContext {
  const float *a, *b;
  float *out;
  int64_t columns;
};

void addRows(void *context, int64_t lo, int64_t hi) {
  auto *ctx = static_cast<AddContext *>(context);
  for (int64_t r = lo; r < hi; ++r)
    for (int64_t c = 0; c < ctx->columns; ++c)
      ctx->out[r * ctx->columns + c] =
          ctx->a[r * ctx->columns + c] + ctx->b[r * ctx->columns + c];
}

void addEntry(void **args) {
  auto *a = static_cast<int64_t *>(args[0]);
  auto *b = static_cast<int64_t *>(args[1]);
  auto *sum = static_cast<int64_t *>(args[2]);
  auto *alias = static_cast<int64_t *>(args[3]);
  int64_t rows = a[3], columns = a[4];
  auto *out = static_cast<float *>(
      _mlir_memref_to_llvm_aligned_alloc(64, rows * columns * sizeof(float)));
  AddContext ctx{reinterpret_cast<const float *>(a[1]),
                 reinterpret_cast<const float *>(b[1]), out, columns};
  llmos_rt_parallel_for(0, rows, addRows, &ctx);
  int64_t words[] = {reinterpret_cast<int64_t>(out),
                     reinterpret_cast<int64_t>(out), 0, rows, columns, columns,
                     1};
  std::memcpy(sum, words, sizeof(words));
  std::memcpy(alias, a, sizeof(words)); // the output is input a itself
}

const int64_t kDims[] = {-1, 4};
const char *const kDimNames[] = {"batch", ""};
const llmos_value_info kInputs[] = {{"a", LLMOS_FLOAT32, 2, kDims, kDimNames, ""},
                                    {"b", LLMOS_FLOAT32, 2, kDims, kDimNames, ""}};
const llmos_value_info kOutputs[] = {
    {"sum", LLMOS_FLOAT32, 2, kDims, kDimNames, ""},
    {"a_again", LLMOS_FLOAT32, 2, kDims, kDimNames, ""}};
const llmos_model_info kInfo = {LLMOS_ABI_VERSION, "add", 2, 2, kInputs,
                                kOutputs, addEntry, nullptr};

llmos_tensor *makeInput(int64_t rows, float base) {
  std::vector<float> values(rows * 4);
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = base + static_cast<float>(i);
  int64_t dims[] = {rows, 4};
  llmos_tensor *t = nullptr;
  llmos_status *s = llmos_tensor_create_copy(
      LLMOS_FLOAT32, 2, dims, values.data(), values.size() * sizeof(float), &t);
  EXPECT_EQ(s, nullptr) << llmos_status_message(s);
  return t;
}

class RuntimeTest : public ::testing::Test {
protected:
  void SetUp() override {
    llmos_options *options = nullptr;
    ASSERT_EQ(llmos_options_create(&options), nullptr);
    ASSERT_EQ(llmos_options_set_threads(options, 4), nullptr);
    ASSERT_EQ(llmos_model_create(&kInfo, options, &model), nullptr);
    llmos_options_free(options);
  }
  void TearDown() override { llmos_model_release(model); }

  /// The status of a run, released; "" on success.
  std::string runMessage(std::vector<llmos_tensor *> inputs,
                         size_t numOutputs = 2) {
    std::vector<llmos_tensor *> outputs(numOutputs, nullptr);
    llmos_status *s = llmos_model_run(model, inputs.data(), inputs.size(),
                                      outputs.data(), outputs.size());
    std::string message = llmos_status_message(s);
    llmos_status_free(s);
    for (llmos_tensor *t : outputs)
      llmos_tensor_release(t);
    return message;
  }

  llmos_model *model = nullptr;
};

TEST_F(RuntimeTest, Signature) {
  EXPECT_STREQ(llmos_model_name(model), "add");
  EXPECT_EQ(llmos_model_num_inputs(model), 2);
  EXPECT_EQ(llmos_model_num_outputs(model), 2);
  EXPECT_STREQ(llmos_model_value_name(model, 0, 1), "b");
  EXPECT_STREQ(llmos_model_value_name(model, 1, 0), "sum");
  EXPECT_EQ(llmos_model_value_dtype(model, 0, 0), LLMOS_FLOAT32);
  EXPECT_EQ(llmos_model_value_rank(model, 0, 0), 2);
  EXPECT_EQ(llmos_model_value_dims(model, 0, 0)[0], -1);
  EXPECT_STREQ(llmos_model_value_dim_name(model, 0, 0, 0), "batch");
  EXPECT_EQ(llmos_model_value_name(model, 0, 2), nullptr);
  EXPECT_EQ(llmos_model_value_dim_name(model, 0, 0, 5), nullptr);
}

TEST_F(RuntimeTest, RunsAndAdoptsOutputs) {
  llmos_tensor *a = makeInput(8, 0), *b = makeInput(8, 100);
  llmos_tensor *inputs[] = {a, b};
  llmos_tensor *outputs[2] = {nullptr, nullptr};
  ASSERT_EQ(llmos_model_run(model, inputs, 2, outputs, 2), nullptr);
  ASSERT_EQ(llmos_tensor_rank(outputs[0]), 2);
  EXPECT_EQ(llmos_tensor_dims(outputs[0])[0], 8);
  auto *sum = static_cast<float *>(llmos_tensor_data(outputs[0]));
  for (int i = 0; i < 32; ++i)
    EXPECT_EQ(sum[i], 100 + 2 * i);
  // The output aliasing an input is a copy: the caller owns both.
  EXPECT_NE(llmos_tensor_data(outputs[1]), llmos_tensor_data(a));
  EXPECT_EQ(std::memcmp(llmos_tensor_data(outputs[1]), llmos_tensor_data(a),
                        llmos_tensor_byte_size(a)),
            0);
  for (llmos_tensor *t : {a, b, outputs[0], outputs[1]})
    llmos_tensor_release(t);
}

TEST_F(RuntimeTest, RejectsMisuse) {
  llmos_tensor *a = makeInput(2, 0), *b = makeInput(3, 0);
  llmos_tensor *good = makeInput(2, 0);
  EXPECT_EQ(runMessage({a}), "model 'add' takes 2 inputs, 1 given");
  EXPECT_EQ(runMessage({a, nullptr}), "input 1 ('b') is null");
  EXPECT_EQ(runMessage({a, b}),
            "dim 'batch' is 3 in input 'b' but 2 in an earlier input");
  EXPECT_EQ(runMessage({a, good}, 1), "model 'add' has 2 outputs, 1 requested");
  int64_t dims3[] = {2, 5};
  llmos_tensor *wide = nullptr;
  ASSERT_EQ(llmos_tensor_create(LLMOS_FLOAT32, 2, dims3,
                                llmos_device{LLMOS_DEVICE_CPU, 0}, &wide),
            nullptr);
  EXPECT_EQ(runMessage({a, wide}),
            "input 'b' must have size 4 in dim 1, got 5");
  llmos_tensor *ints = nullptr;
  int64_t dims2[] = {2, 4};
  ASSERT_EQ(llmos_tensor_create(LLMOS_INT64, 2, dims2,
                                llmos_device{LLMOS_DEVICE_CPU, 0}, &ints),
            nullptr);
  EXPECT_EQ(runMessage({a, ints}), "input 'b' must be float32, got int64");
  llmos_status *s = llmos_model_run(nullptr, nullptr, 0, nullptr, 0);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_INVALID_ARGUMENT);
  llmos_status_free(s);
  for (llmos_tensor *t : {a, b, good, wide, ints})
    llmos_tensor_release(t);
}

TEST_F(RuntimeTest, ConcurrentRunsAgree) {
  llmos_tensor *a = makeInput(64, 1), *b = makeInput(64, 2);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int r = 0; r < 50; ++r) {
        llmos_tensor *inputs[] = {a, b};
        llmos_tensor *outputs[2] = {nullptr, nullptr};
        if (llmos_status *s = llmos_model_run(model, inputs, 2, outputs, 2)) {
          llmos_status_free(s);
          ++failures;
          continue;
        }
        auto *sum = static_cast<float *>(llmos_tensor_data(outputs[0]));
        for (int i = 0; i < 256; ++i)
          if (sum[i] != 3 + 2 * i)
            ++failures;
        llmos_tensor_release(outputs[0]);
        llmos_tensor_release(outputs[1]);
      }
    });
  }
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  llmos_tensor_release(a);
  llmos_tensor_release(b);
}

TEST(RuntimeTensors, CreationChecks) {
  int64_t negative[] = {2, -1};
  llmos_tensor *t = nullptr;
  llmos_status *s = llmos_tensor_create(LLMOS_FLOAT32, 2, negative,
                                        llmos_device{LLMOS_DEVICE_CPU, 0}, &t);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_INVALID_ARGUMENT);
  llmos_status_free(s);
  int64_t dims[] = {2};
  float data[2] = {1, 2};
  s = llmos_tensor_create_copy(LLMOS_FLOAT32, 1, dims, data, 4, &t);
  EXPECT_STREQ(llmos_status_message(s),
               "4 bytes given for a tensor of 8 bytes");
  llmos_status_free(s);
  s = llmos_tensor_create(LLMOS_FLOAT32, 1, dims,
                          llmos_device{LLMOS_DEVICE_CUDA, 0}, &t);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_UNSUPPORTED);
  llmos_status_free(s);
  EXPECT_EQ(llmos_tensor_rank(nullptr), -1);
  llmos_tensor_release(nullptr);
}

TEST(RuntimeStrings, CreateAndRead) {
  int64_t dims[] = {2, 2};
  const char *texts[] = {"a", "", "x\0y", "long text"};
  size_t lengths[] = {1, 0, 3, 9};
  llmos_tensor *t = nullptr;
  ASSERT_EQ(llmos_tensor_create_strings(2, dims, texts, lengths, &t), nullptr);
  EXPECT_EQ(llmos_tensor_dtype(t), LLMOS_STRING);
  size_t length = 99;
  EXPECT_STREQ(llmos_tensor_string_at(t, 0, &length), "a");
  EXPECT_EQ(length, 1u);
  EXPECT_STREQ(llmos_tensor_string_at(t, 1, &length), "");
  EXPECT_EQ(length, 0u);
  const char *middle = llmos_tensor_string_at(t, 2, &length);
  EXPECT_EQ(std::string(middle, length), std::string("x\0y", 3));
  EXPECT_EQ(llmos_tensor_string_at(t, 4, nullptr), nullptr);
  EXPECT_EQ(llmos_tensor_string_at(t, -1, nullptr), nullptr);

  // Files: .pb keeps every byte; .npy cannot hold strings.
  std::string path = ::testing::TempDir() + "/strings.pb";
  ASSERT_EQ(llmos_tensor_write_file(path.c_str(), t, "s"), nullptr);
  llmos_tensor *back = nullptr;
  llmos_status *s = llmos_tensor_read_file(path.c_str(), &back, nullptr);
  ASSERT_EQ(s, nullptr) << llmos_status_message(s);
  for (int64_t i = 0; i < 4; ++i) {
    size_t a, b;
    const char *x = llmos_tensor_string_at(t, i, &a);
    const char *y = llmos_tensor_string_at(back, i, &b);
    EXPECT_EQ(std::string(x, a), std::string(y, b));
  }
  llmos_tensor_release(back);
  std::string npy = ::testing::TempDir() + "/strings.npy";
  s = llmos_tensor_write_file(npy.c_str(), t, nullptr);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_UNSUPPORTED);
  llmos_status_free(s);
  llmos_tensor_release(t);

  // NUL-terminated strings; tensors of empty strings; misuse.
  const char *plain[] = {"p", "q"};
  int64_t two[] = {2};
  ASSERT_EQ(llmos_tensor_create_strings(1, two, plain, nullptr, &t), nullptr);
  EXPECT_STREQ(llmos_tensor_string_at(t, 1, nullptr), "q");
  llmos_tensor_release(t);
  ASSERT_EQ(llmos_tensor_create(LLMOS_STRING, 1, two,
                                llmos_device{LLMOS_DEVICE_CPU, 0}, &t),
            nullptr);
  EXPECT_STREQ(llmos_tensor_string_at(t, 0, nullptr), "");
  llmos_tensor_release(t);
  s = llmos_tensor_create_strings(1, two, nullptr, nullptr, &t);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_INVALID_ARGUMENT);
  llmos_status_free(s);
  const char *withNull[] = {"p", nullptr};
  s = llmos_tensor_create_strings(1, two, withNull, nullptr, &t);
  EXPECT_STREQ(llmos_status_message(s), "string 1 is null");
  llmos_status_free(s);
  int64_t handles[2] = {0, 0};
  s = llmos_tensor_create_copy(LLMOS_STRING, 1, two, handles, 16, &t);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_INVALID_ARGUMENT);
  llmos_status_free(s);
  s = llmos_tensor_wrap(LLMOS_STRING, 1, two, handles, 16, nullptr, nullptr,
                        &t);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_INVALID_ARGUMENT);
  llmos_status_free(s);
  float numbers[2] = {1, 2};
  ASSERT_EQ(llmos_tensor_create_copy(LLMOS_FLOAT32, 1, two, numbers, 8, &t),
            nullptr);
  EXPECT_EQ(llmos_tensor_string_at(t, 0, nullptr), nullptr);
  llmos_tensor_release(t);
}

/// A rank-1 memref descriptor as generated code passes it.
struct Descriptor1D {
  void *allocated, *aligned;
  int64_t offset, size, stride;
};

TEST(RuntimeStrings, FunctionsCompiledModelsCall) {
  llmos::rt::RunArena arena;
  llmos::rt::setCurrentRunArena(&arena);
  // Numbers to text and back.
  float values[3] = {0.1f, -2.5f, NAN};
  int64_t handles[3] = {};
  Descriptor1D in{values, values, 0, 3, 1}, out{handles, handles, 0, 3, 1};
  llmos_rt_string_from_f32(1, &in, 1, &out);
  auto text = [](int64_t handle) {
    return handle ? std::string(reinterpret_cast<const char *>(handle) + 8)
                  : std::string();
  };
  EXPECT_EQ(text(handles[0]), "0.1");
  EXPECT_EQ(text(handles[1]), "-2.5");
  EXPECT_EQ(text(handles[2]), "NaN");
  int32_t parsed[3] = {7, 7, 7};
  Descriptor1D ints{parsed, parsed, 0, 3, 1};
  llmos_rt_string_to_i32(1, &out, 1, &ints);
  EXPECT_EQ(parsed[0], 0); // "0.1" stops at '.'
  EXPECT_EQ(parsed[1], -2);
  EXPECT_EQ(parsed[2], 0); // not a number
  // StringNormalizer: everything removed leaves one empty string.
  int64_t kept[3] = {-1, -1, -1};
  Descriptor1D dst{kept, kept, 0, 3, 1};
  int64_t stop[3] = {handles[0], handles[1], handles[2]};
  Descriptor1D stops{stop, stop, 0, 3, 1};
  EXPECT_EQ(llmos_rt_string_normalize(1, &out, 1, &dst, 1, &stops, 0, 1), 0);
  EXPECT_EQ(kept[0], 0);
  llmos::rt::setCurrentRunArena(nullptr);
}

TEST(RuntimeTensors, FilesRoundTrip) {
  int64_t dims[] = {2, 3};
  int64_t values[] = {1, -2, 3, -4, 5, 1LL << 40};
  llmos_tensor *t = nullptr;
  ASSERT_EQ(llmos_tensor_create_copy(LLMOS_INT64, 2, dims, values,
                                     sizeof(values), &t),
            nullptr);
  std::string dir = ::testing::TempDir();
  for (const char *ext : {".pb", ".npy"}) {
    std::string path = dir + "/roundtrip" + ext;
    ASSERT_EQ(llmos_tensor_write_file(path.c_str(), t, "numbers"), nullptr);
    llmos_tensor *back = nullptr;
    char *name = nullptr;
    llmos_status *s = llmos_tensor_read_file(path.c_str(), &back, &name);
    ASSERT_EQ(s, nullptr) << llmos_status_message(s);
    EXPECT_EQ(llmos_tensor_dtype(back), LLMOS_INT64);
    EXPECT_EQ(llmos_tensor_dims(back)[1], 3);
    EXPECT_EQ(std::memcmp(llmos_tensor_data(back), values, sizeof(values)), 0);
    if (std::string(ext) == ".pb")
      EXPECT_STREQ(name, "numbers");
    std::free(name);
    llmos_tensor_release(back);
  }
  std::string junk = dir + "/junk.pb";
  FILE *f = std::fopen(junk.c_str(), "wb");
  std::fputs("\xff\xff\xff", f);
  std::fclose(f);
  llmos_tensor *bad = nullptr;
  llmos_status *s = llmos_tensor_read_file(junk.c_str(), &bad, nullptr);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_IO_ERROR);
  llmos_status_free(s);
  llmos_tensor_release(t);
}

TEST(RuntimeTensors, SubByteTypesArePackedInFiles) {
  // In memory a byte each (signed types sign-extended); in a .pb file packed
  // low bits first, as ONNX writes them: 5 int4 values take 3 bytes, 6 int2
  // values 2 bytes.
  struct Case {
    llmos_dtype dtype;
    std::vector<int8_t> values;
    std::vector<uint8_t> packed;
  };
  const Case cases[] = {
      {LLMOS_INT4, {-8, 7, -1, 0, 3}, {0x78, 0x0F, 0x03}},
      {LLMOS_UINT4, {15, 0, 9, 1, 2}, {0x0F, 0x19, 0x02}},
      {LLMOS_INT2, {-2, 1, -1, 0, 1, -1}, {0x36, 0x0D}},
      {LLMOS_FLOAT4E2M1, {0x7, 0x8, 0x1, 0xF, 0x2}, {0x87, 0xF1, 0x02}}};
  std::string dir = ::testing::TempDir();
  for (const Case &c : cases) {
    int64_t dims[] = {static_cast<int64_t>(c.values.size())};
    llmos_tensor *t = nullptr;
    ASSERT_EQ(llmos_tensor_create_copy(c.dtype, 1, dims, c.values.data(),
                                       c.values.size(), &t),
              nullptr);
    std::string path = dir + "/packed.pb";
    ASSERT_EQ(llmos_tensor_write_file(path.c_str(), t, "x"), nullptr);
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
    std::string packed(c.packed.begin(), c.packed.end());
    EXPECT_NE(bytes.find(packed), std::string::npos)
        << llmos_dtype_name(c.dtype) << ": packed bytes not in the file";
    llmos_tensor *back = nullptr;
    llmos_status *s = llmos_tensor_read_file(path.c_str(), &back, nullptr);
    ASSERT_EQ(s, nullptr) << llmos_status_message(s);
    EXPECT_EQ(llmos_tensor_dtype(back), c.dtype);
    ASSERT_EQ(llmos_tensor_byte_size(back), c.values.size());
    EXPECT_EQ(std::memcmp(llmos_tensor_data(back), c.values.data(),
                          c.values.size()),
              0)
        << llmos_dtype_name(c.dtype);
    llmos_tensor_release(back);
    llmos_tensor_release(t);
  }
  EXPECT_EQ(llmos_dtype_size(LLMOS_FLOAT8E4M3FN), 1u);
  EXPECT_STREQ(llmos_dtype_name(LLMOS_FLOAT8E8M0), "float8e8m0");
}

TEST(RuntimeTensors, ReadsOnnxTestData) {
  // A TensorProto written by ONNX itself (float_data not raw, from the
  // backend test data) when it is installed.
  const char *path = "/usr/share/libonnx-testdata/data/node/test_add/"
                     "test_data_set_0/input_0.pb";
  FILE *f = std::fopen(path, "rb");
  if (!f)
    GTEST_SKIP() << "libonnx-testdata is not installed";
  std::fclose(f);
  llmos_tensor *t = nullptr;
  ASSERT_EQ(llmos_tensor_read_file(path, &t, nullptr), nullptr);
  EXPECT_EQ(llmos_tensor_dtype(t), LLMOS_FLOAT32);
  EXPECT_EQ(llmos_tensor_num_elements(t), 60);
  llmos_tensor_release(t);
}

} // namespace

// llmos_rt_sgemm against a plain triple loop, with every kernel this CPU
// can run: edge tiles (sizes that are not multiples of the register tiles or
// the cache blocks), transposed (strided) operands, accumulation into C and
// overwriting C (whose old contents must not leak in, NaNs included).
class RuntimeGemm : public ::testing::TestWithParam<const char *> {
protected:
  void SetUp() override {
    previous = llmos::rt::gemmKernelName();
    if (!llmos::rt::setGemmKernel(GetParam()))
      GTEST_SKIP() << "this CPU cannot run the " << GetParam() << " kernel";
  }
  void TearDown() override { llmos::rt::setGemmKernel(previous); }
  const char *previous = nullptr;
};

TEST_P(RuntimeGemm, MatchesReferenceLoops) {
  struct Case {
    int64_t m, n, k;
    bool transA, transB;
  };
  const Case cases[] = {{1, 1, 1, false, false},   {6, 16, 8, false, false},
                        {7, 17, 9, false, false},  {12, 32, 5, false, false},
                        {13, 33, 257, false, false},
                        {64, 49, 300, false, false},
                        {130, 1030, 40, false, false}, {5, 3, 700, true, false},
                        {33, 20, 19, false, true}, {25, 31, 270, true, true},
                        {4, 5, 0, false, false}};
  uint32_t seed = 1;
  auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return static_cast<float>((seed >> 8) % 2001) / 1000.0f - 1.0f;
  };
  for (int accumulate : {1, 0})
    for (const Case &c : cases) {
      std::vector<float> a(c.m * c.k), b(c.k * c.n), out(c.m * c.n), ref;
      for (float &x : a) x = next();
      for (float &x : b) x = next();
      for (float &x : out) x = accumulate ? next() : NAN;
      ref = out;
      // A is m x k: row-major, or stored k x m (transposed).
      int64_t ars = c.transA ? 1 : c.k, acs = c.transA ? c.m : 1;
      int64_t brs = c.transB ? 1 : c.n, bcs = c.transB ? c.k : 1;
      for (int64_t i = 0; i < c.m; ++i)
        for (int64_t j = 0; j < c.n; ++j) {
          double sum = accumulate ? ref[i * c.n + j] : 0.0;
          for (int64_t p = 0; p < c.k; ++p)
            sum += static_cast<double>(a[i * ars + p * acs]) *
                   b[p * brs + j * bcs];
          ref[i * c.n + j] = static_cast<float>(sum);
        }
      llmos_rt_sgemm(c.m, c.n, c.k, a.data(), ars, acs, b.data(), brs, bcs,
                     out.data(), c.n, accumulate);
      for (int64_t i = 0; i < c.m * c.n; ++i)
        ASSERT_NEAR(out[i], ref[i], 1e-4 * (1 + std::abs(ref[i])))
            << c.m << "x" << c.n << "x" << c.k << " accumulate=" << accumulate
            << " at " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(Kernels, RuntimeGemm,
                         ::testing::Values("portable", "avx2", "avx512"),
                         [](const ::testing::TestParamInfo<const char *> &info) {
                           return std::string(info.param);
                         });

// An unknown kernel name is refused and leaves the kernel in use alone.
TEST(RuntimeGemmKernel, UnknownNameIsRefused) {
  std::string before = llmos::rt::gemmKernelName();
  EXPECT_FALSE(llmos::rt::setGemmKernel("sse9"));
  EXPECT_FALSE(llmos::rt::setGemmKernel(nullptr));
  EXPECT_EQ(before, llmos::rt::gemmKernelName());
}

// The allocator reuses freed blocks for requests that fit (at least half
// their size), keeps 64-byte alignment, and never hands out a block twice.
TEST(RuntimeAllocator, ReusesFreedBlocks) {
  void *a = _mlir_memref_to_llvm_alloc(1000);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 64, 0u);
  std::memset(a, 1, 1000);
  _mlir_memref_to_llvm_free(a);
  void *b = _mlir_memref_to_llvm_alloc(900); // fits the cached block
  EXPECT_EQ(b, a);
  void *c = _mlir_memref_to_llvm_alloc(900); // the cached block is taken
  EXPECT_NE(c, b);
  _mlir_memref_to_llvm_free(b);
  void *tiny = _mlir_memref_to_llvm_alloc(8); // much smaller: a new block
  EXPECT_NE(tiny, b);
  void *aligned = _mlir_memref_to_llvm_aligned_alloc(128, 1000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(aligned) % 128, 0u);
  _mlir_memref_to_llvm_free(aligned);
  _mlir_memref_to_llvm_free(tiny);
  _mlir_memref_to_llvm_free(c);
}

// Misuse at model creation: a negative thread count, a model compiled for
// another ABI, and a model whose external weights file is missing.
TEST(RuntimeModels, CreationChecks) {
  llmos_options *options = nullptr;
  ASSERT_EQ(llmos_options_create(&options), nullptr);
  llmos_status *s = llmos_options_set_threads(options, -1);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_INVALID_ARGUMENT);
  llmos_status_free(s);
  llmos_options_free(options);

  llmos_model *model = nullptr;
  llmos_model_info old = kInfo;
  old.abi_version = LLMOS_ABI_VERSION - 1;
  s = llmos_model_create(&old, nullptr, &model);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_UNSUPPORTED);
  EXPECT_EQ(model, nullptr);
  llmos_status_free(s);

  llmos_weights_desc weights = {"llmos-no-such-weights-file.weights", 64, 1,
                                nullptr};
  llmos_model_info external = kInfo;
  external.weights = &weights;
  s = llmos_model_create(&external, nullptr, &model);
  EXPECT_EQ(llmos_status_code_of(s), LLMOS_IO_ERROR);
  EXPECT_NE(std::string(llmos_status_message(s))
                .find("cannot open its weights"),
            std::string::npos)
      << llmos_status_message(s);
  EXPECT_EQ(model, nullptr);
  EXPECT_EQ(weights.base, nullptr);
  llmos_status_free(s);
}

TEST_F(RuntimeTest, RejectsWrongRank) {
  llmos_tensor *a = makeInput(2, 0);
  int64_t dims[] = {8};
  llmos_tensor *flat = nullptr;
  ASSERT_EQ(llmos_tensor_create(LLMOS_FLOAT32, 1, dims,
                                llmos_device{LLMOS_DEVICE_CPU, 0}, &flat),
            nullptr);
  EXPECT_EQ(runMessage({a, flat}), "input 'b' must have rank 2, got 1");
  llmos_tensor_release(flat);
  llmos_tensor_release(a);
}
