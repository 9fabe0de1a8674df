//===- ValuesTest.cpp - Sequences and optionals in the runtime ------------===//
//
// The value API (tensors, sequences, optionals), their .pb files, running a
// model that takes and returns a sequence, and the sequence functions
// compiled models call.
//
//===----------------------------------------------------------------------===//

#include "llmos/Runtime/llmos_abi.h"
#include "llmos/Runtime/llmos_runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

llmos_tensor *floats(std::vector<int64_t> dims, float base) {
  int64_t count = 1;
  for (int64_t d : dims)
    count *= d;
  std::vector<float> values(count);
  for (int64_t i = 0; i < count; ++i)
    values[i] = base + (float)i;
  llmos_tensor *t = nullptr;
  llmos_status *s =
      llmos_tensor_create_copy(LLMOS_FLOAT32, dims.size(), dims.data(),
                               values.data(), values.size() * 4, &t);
  EXPECT_EQ(s, nullptr) << llmos_status_message(s);
  return t;
}

std::string messageOf(llmos_status *s) {
  std::string message = llmos_status_message(s);
  llmos_status_free(s);
  return message;
}

/// A rank-1 f32 memref descriptor over `data`.
struct Descriptor1D {
  void *allocated, *aligned;
  int64_t offset, size, stride;
};

// A model taking a sequence of f32 vectors and a vector, returning the
// sequence with the vector appended and the sequence's length; like
// generated code, it calls the runtime's sequence functions on handles.
void appendEntry(void **args) {
  auto *seqIn = static_cast<int64_t *>(args[0]);
  auto *x = static_cast<Descriptor1D *>(args[1]);
  auto *seqOut = static_cast<int64_t *>(args[2]);
  auto *lengthOut = static_cast<int64_t *>(args[3]);
  int64_t seq = reinterpret_cast<int64_t *>(seqIn[1])[seqIn[2]];
  int64_t appended = llmos_rt_seq_insert_f32(seq, LLMOS_VALUE_SEQUENCE,
                                             LLMOS_FLOAT32, 0, 0, 1, x);
  auto *handle = static_cast<int64_t *>(
      _mlir_memref_to_llvm_aligned_alloc(8, sizeof(int64_t)));
  *handle = appended;
  int64_t seqWords[] = {reinterpret_cast<int64_t>(handle),
                        reinterpret_cast<int64_t>(handle), 0};
  std::memcpy(seqOut, seqWords, sizeof(seqWords));
  auto *length = static_cast<int64_t *>(
      _mlir_memref_to_llvm_aligned_alloc(8, sizeof(int64_t)));
  *length = llmos_rt_seq_length(appended);
  int64_t lengthWords[] = {reinterpret_cast<int64_t>(length),
                           reinterpret_cast<int64_t>(length), 0};
  std::memcpy(lengthOut, lengthWords, sizeof(lengthWords));
}

const int64_t kVectorDims[] = {-1};
const char *const kVectorNames[] = {""};
const llmos_value_info kInputs[] = {
    {"seq", LLMOS_FLOAT32, 1, kVectorDims, kVectorNames, "s"},
    {"x", LLMOS_FLOAT32, 1, kVectorDims, kVectorNames, ""}};
const llmos_value_info kOutputs[] = {
    {"appended", LLMOS_FLOAT32, 1, kVectorDims, kVectorNames, "s"},
    {"length", LLMOS_INT64, 0, kVectorDims, kVectorNames, nullptr}}; // NULL: a tensor
const llmos_model_info kInfo = {LLMOS_ABI_VERSION, "append", 2, 2, kInputs,
                                kOutputs, appendEntry, nullptr};

class SequenceModelTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(llmos_model_create(&kInfo, nullptr, &model), nullptr);
    llmos_tensor *parts[] = {floats({2}, 0), floats({3}, 10)};
    ASSERT_EQ(llmos_value_create_sequence(LLMOS_FLOAT32, parts, 2, &seq),
              nullptr);
    for (llmos_tensor *t : parts)
      llmos_tensor_release(t);
    llmos_tensor *t = floats({4}, 100);
    ASSERT_EQ(llmos_value_create_tensor(t, &x), nullptr);
    llmos_tensor_release(t);
  }
  void TearDown() override {
    llmos_value_release(seq);
    llmos_value_release(x);
    llmos_model_release(model);
  }

  std::string runMessage(std::vector<llmos_value *> inputs) {
    llmos_value *outputs[2] = {nullptr, nullptr};
    std::string message = messageOf(
        llmos_model_run_values(model, inputs.data(), inputs.size(), outputs, 2));
    for (llmos_value *v : outputs)
      llmos_value_release(v);
    return message;
  }

  llmos_model *model = nullptr;
  llmos_value *seq = nullptr, *x = nullptr;
};

} // namespace

TEST(RuntimeValues, CreateAndInspect) {
  llmos_tensor *a = floats({2, 2}, 0), *b = floats({3}, 5);
  llmos_value *tensor = nullptr, *sequence = nullptr, *optional = nullptr,
              *empty = nullptr;
  ASSERT_EQ(llmos_value_create_tensor(a, &tensor), nullptr);
  EXPECT_EQ(llmos_value_kind_of(tensor), LLMOS_VALUE_TENSOR);
  EXPECT_EQ(llmos_value_tensor(tensor, 0), a);
  EXPECT_EQ(llmos_value_length(tensor), 1);

  llmos_tensor *parts[] = {a, b};
  ASSERT_EQ(llmos_value_create_sequence(LLMOS_FLOAT32, parts, 2, &sequence),
            nullptr);
  EXPECT_EQ(llmos_value_kind_of(sequence), LLMOS_VALUE_SEQUENCE);
  EXPECT_EQ(llmos_value_length(sequence), 2);
  EXPECT_EQ(llmos_value_tensor(sequence, 1), b);
  EXPECT_EQ(llmos_value_tensor(sequence, 2), nullptr);
  EXPECT_EQ(llmos_value_element(sequence), nullptr);

  ASSERT_EQ(llmos_value_create_optional(LLMOS_FLOAT32, sequence, &optional),
            nullptr);
  EXPECT_EQ(llmos_value_length(optional), 1);
  EXPECT_EQ(llmos_value_element(optional), sequence);
  ASSERT_EQ(llmos_value_create_optional(LLMOS_FLOAT32, nullptr, &empty),
            nullptr);
  EXPECT_EQ(llmos_value_length(empty), 0);
  EXPECT_EQ(llmos_value_element(empty), nullptr);

  // Misuse is a status, never a crash.
  llmos_value *bad = nullptr;
  EXPECT_EQ(messageOf(llmos_value_create_sequence(LLMOS_INT64, parts, 2, &bad)),
            "tensor 0 is float32 in a sequence of int64");
  EXPECT_EQ(messageOf(llmos_value_create_tensor(nullptr, &bad)),
            "tensor is null");
  EXPECT_EQ(messageOf(llmos_value_create_optional(LLMOS_FLOAT32, empty, &bad)),
            "an optional cannot hold an optional");
  EXPECT_EQ(messageOf(llmos_value_create_optional(LLMOS_INT64, tensor, &bad)),
            "the element is float32 in an optional of int64");
  EXPECT_EQ(bad, nullptr);
  EXPECT_EQ(llmos_value_kind_of(nullptr), LLMOS_VALUE_INVALID);
  EXPECT_EQ(llmos_value_length(nullptr), -1);

  // The values hold their own references.
  llmos_tensor_release(a);
  llmos_tensor_release(b);
  llmos_value_release(sequence);
  EXPECT_EQ(llmos_tensor_num_elements(
                llmos_value_tensor(llmos_value_element(optional), 0)),
            4);
  for (llmos_value *v : {tensor, optional, empty})
    llmos_value_release(v);
}

TEST(RuntimeValues, FilesRoundTrip) {
  std::string dir = ::testing::TempDir();
  std::string seqPath = dir + "/llmos_values_seq.pb";
  std::string optPath = dir + "/llmos_values_opt.pb";
  std::string emptyPath = dir + "/llmos_values_empty.pb";
  llmos_tensor *parts[] = {floats({2}, 1), floats({1, 3}, 7)};
  llmos_value *seq = nullptr, *opt = nullptr, *empty = nullptr;
  ASSERT_EQ(llmos_value_create_sequence(LLMOS_FLOAT32, parts, 2, &seq),
            nullptr);
  ASSERT_EQ(llmos_value_create_optional(LLMOS_FLOAT32, seq, &opt), nullptr);
  ASSERT_EQ(llmos_value_create_optional(LLMOS_INT32, nullptr, &empty),
            nullptr);
  ASSERT_EQ(llmos_value_write_file(seqPath.c_str(), seq, "s"), nullptr);
  ASSERT_EQ(llmos_value_write_file(optPath.c_str(), opt, nullptr), nullptr);
  ASSERT_EQ(llmos_value_write_file(emptyPath.c_str(), empty, nullptr),
            nullptr);
  EXPECT_EQ(messageOf(llmos_value_write_file((dir + "/x.npy").c_str(), seq,
                                             nullptr)),
            dir + "/x.npy: .npy cannot hold a sequence or optional");

  llmos_value *seqBack = nullptr, *optBack = nullptr, *emptyBack = nullptr;
  char *name = nullptr;
  ASSERT_EQ(llmos_value_read_file(seqPath.c_str(), LLMOS_VALUE_SEQUENCE,
                                  LLMOS_FLOAT32, &seqBack, &name),
            nullptr);
  EXPECT_STREQ(name, "s");
  free(name);
  ASSERT_EQ(llmos_value_length(seqBack), 2);
  llmos_tensor *second = llmos_value_tensor(seqBack, 1);
  ASSERT_EQ(llmos_tensor_rank(second), 2);
  EXPECT_EQ(llmos_tensor_dims(second)[1], 3);
  EXPECT_EQ(static_cast<float *>(llmos_tensor_data(second))[2], 9.0f);

  ASSERT_EQ(llmos_value_read_file(optPath.c_str(), LLMOS_VALUE_OPTIONAL,
                                  LLMOS_FLOAT32, &optBack, nullptr),
            nullptr);
  ASSERT_EQ(llmos_value_length(optBack), 1);
  EXPECT_EQ(llmos_value_kind_of(llmos_value_element(optBack)),
            LLMOS_VALUE_SEQUENCE);
  EXPECT_EQ(llmos_value_length(llmos_value_element(optBack)), 2);

  // An empty optional's file does not say its type: the caller's dtype.
  ASSERT_EQ(llmos_value_read_file(emptyPath.c_str(), LLMOS_VALUE_OPTIONAL,
                                  LLMOS_INT32, &emptyBack, nullptr),
            nullptr);
  EXPECT_EQ(llmos_value_length(emptyBack), 0);
  EXPECT_EQ(llmos_value_dtype(emptyBack), LLMOS_INT32);

  llmos_value *bad = nullptr;
  llmos_status *missing = llmos_value_read_file(
      "/nonexistent.pb", LLMOS_VALUE_SEQUENCE, LLMOS_FLOAT32, &bad, nullptr);
  EXPECT_EQ(llmos_status_code_of(missing), LLMOS_IO_ERROR);
  llmos_status_free(missing);
  for (llmos_tensor *t : parts)
    llmos_tensor_release(t);
  for (llmos_value *v : {seq, opt, empty, seqBack, optBack, emptyBack})
    llmos_value_release(v);
  for (const std::string &path : {seqPath, optPath, emptyPath})
    unlink(path.c_str());
}

TEST_F(SequenceModelTest, Signature) {
  EXPECT_EQ(llmos_model_value_kind(model, 0, 0, 0), LLMOS_VALUE_SEQUENCE);
  EXPECT_EQ(llmos_model_value_kind(model, 0, 0, 1), LLMOS_VALUE_TENSOR);
  EXPECT_EQ(llmos_model_value_kind(model, 0, 0, 2), LLMOS_VALUE_INVALID);
  EXPECT_EQ(llmos_model_value_kind(model, 0, 1, 0), LLMOS_VALUE_TENSOR);
  EXPECT_EQ(llmos_model_value_kind(model, 1, 1, 0), LLMOS_VALUE_TENSOR);
  EXPECT_EQ(llmos_model_value_kind(model, 1, 5, 0), LLMOS_VALUE_INVALID);
}

TEST_F(SequenceModelTest, RunsWithValues) {
  llmos_value *inputs[] = {seq, x};
  llmos_value *outputs[2] = {nullptr, nullptr};
  ASSERT_EQ(llmos_model_run_values(model, inputs, 2, outputs, 2), nullptr);
  ASSERT_EQ(llmos_value_kind_of(outputs[0]), LLMOS_VALUE_SEQUENCE);
  ASSERT_EQ(llmos_value_length(outputs[0]), 3);
  llmos_tensor *last = llmos_value_tensor(outputs[0], 2);
  EXPECT_EQ(llmos_tensor_dims(last)[0], 4);
  EXPECT_EQ(static_cast<float *>(llmos_tensor_data(last))[3], 103.0f);
  // The appended tensor is a copy; the input's tensors are shared.
  EXPECT_NE(llmos_tensor_data(last),
            llmos_tensor_data(llmos_value_tensor(x, 0)));
  EXPECT_EQ(llmos_value_tensor(outputs[0], 0), llmos_value_tensor(seq, 0));
  EXPECT_EQ(*static_cast<int64_t *>(
                llmos_tensor_data(llmos_value_tensor(outputs[1], 0))),
            3);
  // The output outlives the run and the input.
  llmos_value *again[2] = {nullptr, nullptr};
  ASSERT_EQ(llmos_model_run_values(model, inputs, 2, again, 2), nullptr);
  EXPECT_EQ(llmos_value_length(again[0]), 3);
  for (llmos_value *v : {outputs[0], outputs[1], again[0], again[1]})
    llmos_value_release(v);
}

TEST_F(SequenceModelTest, RejectsMisuse) {
  EXPECT_EQ(runMessage({x, x}), "input 'seq' must be a sequence, got a tensor");
  EXPECT_EQ(runMessage({seq, seq}), "input 'x' must be a tensor, got a sequence");
  EXPECT_EQ(runMessage({seq, nullptr}), "input 1 ('x') is null");
  llmos_tensor *ints = nullptr;
  int64_t dims[] = {2};
  ASSERT_EQ(llmos_tensor_create(LLMOS_INT64, 1, dims,
                                llmos_device{LLMOS_DEVICE_CPU, 0}, &ints),
            nullptr);
  llmos_value *intSeq = nullptr;
  ASSERT_EQ(llmos_value_create_sequence(LLMOS_INT64, &ints, 1, &intSeq),
            nullptr);
  EXPECT_EQ(runMessage({intSeq, x}), "input 'seq' must hold float32, got int64");
  llmos_tensor *matrix = floats({2, 2}, 0);
  llmos_value *matrixSeq = nullptr;
  ASSERT_EQ(llmos_value_create_sequence(LLMOS_FLOAT32, &matrix, 1, &matrixSeq),
            nullptr);
  EXPECT_EQ(runMessage({matrixSeq, x}), "input 'seq' must have rank 1, got 2");
  // The tensor API refuses a model with sequences.
  llmos_tensor *plain[] = {matrix, matrix};
  llmos_tensor *outs[2];
  EXPECT_EQ(messageOf(llmos_model_run(model, plain, 2, outs, 2)),
            "input 'seq' of model 'append' is a sequence: run the model with "
            "llmos_model_run_values");
  llmos_tensor_release(ints);
  llmos_tensor_release(matrix);
  llmos_value_release(intSeq);
  llmos_value_release(matrixSeq);
}

TEST_F(SequenceModelTest, ConcurrentRunsAgree) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int r = 0; r < 50; ++r) {
        llmos_value *inputs[] = {seq, x};
        llmos_value *outputs[2] = {nullptr, nullptr};
        if (llmos_status *s =
                llmos_model_run_values(model, inputs, 2, outputs, 2)) {
          llmos_status_free(s);
          ++failures;
          continue;
        }
        if (llmos_value_length(outputs[0]) != 3 ||
            static_cast<float *>(llmos_tensor_data(
                llmos_value_tensor(outputs[0], 2)))[0] != 100.0f)
          ++failures;
        llmos_value_release(outputs[0]);
        llmos_value_release(outputs[1]);
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(RuntimeValues, FunctionsCompiledModelsCall) {
  // Outside a run nothing owns what the functions make; the test releases
  // the values itself.
  float data[] = {1, 2, 3};
  Descriptor1D x{data, data, 0, 3, 1};
  int64_t one = llmos_rt_seq_insert_f32(0, LLMOS_VALUE_SEQUENCE,
                                        LLMOS_FLOAT32, 0, 0, 1, &x);
  // Positions are clamped: 9 is the back, -9 the front.
  float other[] = {7};
  Descriptor1D y{other, other, 0, 1, 1};
  int64_t two = llmos_rt_seq_insert_f32(one, LLMOS_VALUE_SEQUENCE,
                                        LLMOS_FLOAT32, -9, 1, 1, &y);
  EXPECT_EQ(llmos_rt_seq_length(two), 2);
  EXPECT_EQ(llmos_rt_seq_dim(two, 0, 0), 1);
  EXPECT_EQ(llmos_rt_seq_dim(two, -1, 0), 3);
  EXPECT_EQ(llmos_rt_seq_dim(two, 0, 4), 0);
  float read[3] = {0, 0, 0};
  Descriptor1D out{read, read, 0, 3, 1};
  llmos_rt_seq_read_f32(two, 1, 1, &out);
  EXPECT_EQ(read[2], 3.0f);
  // A strided source is gathered.
  float strided[] = {1, -1, 2, -1};
  Descriptor1D evens{strided, strided, 0, 2, 2};
  int64_t three = llmos_rt_seq_insert_f32(two, LLMOS_VALUE_SEQUENCE,
                                          LLMOS_FLOAT32, 9, 1, 1, &evens);
  float pair[2] = {0, 0};
  Descriptor1D pairOut{pair, pair, 0, 2, 1};
  llmos_rt_seq_read_f32(three, 2, 1, &pairOut);
  EXPECT_EQ(pair[1], 2.0f);
  int64_t erased = llmos_rt_seq_erase(three, 0, 0); // the last
  EXPECT_EQ(llmos_rt_seq_length(erased), 2);
  EXPECT_EQ(llmos_rt_seq_dim(erased, -1, 0), 3);
  // Empty handles: no elements, nothing read, erase keeps them empty.
  EXPECT_EQ(llmos_rt_seq_length(0), 0);
  EXPECT_EQ(llmos_rt_seq_erase(0, 0, 1), 0);
  EXPECT_EQ(llmos_rt_seq_element(0, 0), 0);
  llmos_rt_seq_read_f32(0, 0, 1, &out);
  EXPECT_EQ(read[2], 3.0f);
  // An optional of an empty sequence is not empty.
  int64_t wrapped = llmos_rt_seq_wrap(0, LLMOS_FLOAT32);
  EXPECT_EQ(llmos_rt_seq_length(wrapped), 1);
  int64_t inner = llmos_rt_seq_element(wrapped, 0);
  EXPECT_NE(inner, 0);
  EXPECT_EQ(llmos_rt_seq_length(inner), 0);
  for (int64_t h : {one, two, three, erased, wrapped})
    llmos_value_release(reinterpret_cast<llmos_value *>(h));
}
