//===- TensorImportTest.cpp - Tests of ONNX tensor and type conversion ----===//

#include "TensorImport.h"

#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"
#include "llmos/Dialect/Llmos/IR/LlmosTypes.h"
#include "llmos/Import/OnnxImporter.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;

namespace {

class TensorImportTest : public ::testing::Test {
protected:
  TensorImportTest()
      : loc(UnknownLoc::get(&context)),
        handler(&context, [this](Diagnostic &diag) {
          errors.push_back(diag.str());
          return success();
        }) {
    context.loadDialect<LlmosDialect>();
  }
  MLIRContext context;
  Location loc;
  std::vector<std::string> errors;
  ScopedDiagnosticHandler handler;
};

TEST(ShapeSpec, Parses) {
  EXPECT_EQ(*parseShapeSpec("1x3x224x224"),
            (SmallVector<int64_t>{1, 3, 224, 224}));
  EXPECT_EQ(*parseShapeSpec("?x128"),
            (SmallVector<int64_t>{ShapedType::kDynamic, 128}));
  EXPECT_TRUE(parseShapeSpec("")->empty());
  EXPECT_FALSE(parseShapeSpec("1x-3").has_value());
  EXPECT_FALSE(parseShapeSpec("1xx3").has_value());
  EXPECT_FALSE(parseShapeSpec("abc").has_value());
}

TEST_F(TensorImportTest, DataTypes) {
  EXPECT_TRUE(getElementTypeForDType(&context, 1).isF32());
  EXPECT_TRUE(getElementTypeForDType(&context, 2).isUnsignedInteger(8));
  EXPECT_TRUE(getElementTypeForDType(&context, 9).isInteger(1));
  EXPECT_TRUE(isa<StringType>(getElementTypeForDType(&context, 8)));
  EXPECT_TRUE(isa<Float8E4M3FNType>(getElementTypeForDType(&context, 17)));
  EXPECT_EQ(getElementTypeForDType(&context, 0), Type());
  EXPECT_EQ(getElementTypeForDType(&context, 99), Type());
  EXPECT_EQ(getDTypeForName("float"), 1);
  EXPECT_EQ(getDTypeName(7), "INT64");
}

TEST_F(TensorImportTest, TypedFields) {
  TensorConverter converter(&context, "", 1 << 20);
  onnx::TensorProto half;
  half.set_data_type(10); // FLOAT16 in int32_data
  half.add_dims(2);
  half.add_int32_data(0x3C00); // 1.0
  half.add_int32_data(0xC000); // -2.0
  FailureOr<ElementsAttr> attr = converter.convert(half, loc, "t");
  ASSERT_TRUE(succeeded(attr));
  auto dense = cast<DenseFPElementsAttr>(*attr);
  EXPECT_EQ((*dense.getValues<APFloat>().begin()).convertToFloat(), 1.0f);
  EXPECT_EQ(dense.getValues<APFloat>()[1].convertToFloat(), -2.0f);

  onnx::TensorProto flags;
  flags.set_data_type(9);
  flags.add_dims(3);
  flags.set_raw_data(std::string("\x01\x00\x01", 3));
  attr = converter.convert(flags, loc, "b");
  ASSERT_TRUE(succeeded(attr));
  auto bools = cast<DenseElementsAttr>(*attr).getValues<bool>();
  EXPECT_TRUE(bools[0]);
  EXPECT_FALSE(bools[1]);
  EXPECT_TRUE(bools[2]);

  onnx::TensorProto int4;
  int4.set_data_type(22); // INT4, two per byte, low nibble first
  int4.add_dims(3);
  int4.set_raw_data(std::string("\xF7\x01", 2)); // 7, -1, 1
  attr = converter.convert(int4, loc, "i4");
  ASSERT_TRUE(succeeded(attr));
  SmallVector<int64_t> values;
  for (const APInt &v : cast<DenseIntElementsAttr>(*attr).getValues<APInt>())
    values.push_back(v.getSExtValue());
  EXPECT_EQ(values, (SmallVector<int64_t>{7, -1, 1}));
}

TEST_F(TensorImportTest, LargeTensorsBecomeResourcesWithoutCopy) {
  TensorConverter converter(&context, "", 64);
  onnx::TensorProto weights;
  weights.set_name("conv/weight:0");
  weights.set_data_type(1);
  weights.add_dims(32);
  std::string raw(32 * 4, '\0');
  float one = 1.0f;
  std::memcpy(raw.data(), &one, 4);
  weights.set_raw_data(raw);
  const char *before = weights.raw_data().data();
  FailureOr<ElementsAttr> attr = converter.convert(weights, loc, "w");
  ASSERT_TRUE(succeeded(attr));
  auto resource = dyn_cast<DenseResourceElementsAttr>(*attr);
  ASSERT_TRUE(resource);
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  ASSERT_NE(blob, nullptr);
  // The blob owns the protobuf's buffer: same bytes, no copy.
  EXPECT_EQ(blob->getData().data(), before);
  EXPECT_FALSE(weights.has_raw_data());
  EXPECT_EQ(resource.getRawHandle().getKey(), "conv_weight_0");
}

TEST_F(TensorImportTest, RejectsInconsistentTensors) {
  TensorConverter converter(&context, "", 1 << 20);
  onnx::TensorProto t;
  t.set_data_type(1);
  t.add_dims(4);
  t.add_float_data(1.0f);
  EXPECT_TRUE(failed(converter.convert(t, loc, "short")));
  onnx::TensorProto negative;
  negative.set_data_type(1);
  negative.add_dims(-2);
  EXPECT_TRUE(failed(converter.convert(negative, loc, "negative")));
  onnx::TensorProto unknown;
  unknown.set_data_type(42);
  EXPECT_TRUE(failed(converter.convert(unknown, loc, "unknown")));
  onnx::TensorProto raw;
  raw.set_data_type(7);
  raw.add_dims(2);
  raw.set_raw_data(std::string(15, '\0'));
  EXPECT_TRUE(failed(converter.convert(raw, loc, "raw")));
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_NE(errors[0].find("1 values for 4 elements"), std::string::npos);
  EXPECT_NE(errors[1].find("negative dimension"), std::string::npos);
  EXPECT_NE(errors[2].find("unknown data type 42"), std::string::npos);
  EXPECT_NE(errors[3].find("15 bytes"), std::string::npos);
}

TEST_F(TensorImportTest, ExternalData) {
  SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("llmos-ext", dir));
  SmallString<128> file(dir);
  llvm::sys::path::append(file, "weights.bin");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    ASSERT_FALSE(ec);
    int64_t values[4] = {10, 20, 30, 40};
    os.write("padding!", 8);
    os.write(reinterpret_cast<const char *>(values), sizeof(values));
  }
  TensorConverter converter(&context, dir, 8);
  auto external = [](StringRef location, StringRef offset,
                     StringRef length) {
    onnx::TensorProto t;
    t.set_data_type(7);
    t.add_dims(4);
    t.set_data_location(onnx::TensorProto::EXTERNAL);
    auto add = [&](StringRef k, StringRef v) {
      if (v.empty())
        return;
      auto *e = t.add_external_data();
      e->set_key(k.str());
      e->set_value(v.str());
    };
    add("location", location);
    add("offset", offset);
    add("length", length);
    return t;
  };
  onnx::TensorProto good = external("weights.bin", "8", "32");
  FailureOr<ElementsAttr> attr = converter.convert(good, loc, "w");
  ASSERT_TRUE(succeeded(attr));
  auto resource = cast<DenseResourceElementsAttr>(*attr);
  ArrayRef<char> data = resource.getRawHandle().getBlob()->getData();
  int64_t third;
  std::memcpy(&third, data.data() + 16, 8);
  EXPECT_EQ(third, 30);

  onnx::TensorProto escape = external("../weights.bin", "0", "");
  EXPECT_TRUE(failed(converter.convert(escape, loc, "escape")));
  onnx::TensorProto past = external("weights.bin", "16", "");
  EXPECT_TRUE(failed(converter.convert(past, loc, "past")));
  onnx::TensorProto missing = external("nope.bin", "", "");
  EXPECT_TRUE(failed(converter.convert(missing, loc, "missing")));
  EXPECT_EQ(errors.size(), 3u);
  llvm::sys::fs::remove_directories(dir);
}

} // namespace
