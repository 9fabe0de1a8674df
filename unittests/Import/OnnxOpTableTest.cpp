//===- OnnxOpTableTest.cpp - Tests of the generated operator table --------===//

#include "OnnxOpTable.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;

namespace {

TEST(OnnxOpTable, LooksUpByDomainAndName) {
  const OnnxOpInfo *conv = lookupOnnxOp("", "Conv");
  ASSERT_NE(conv, nullptr);
  EXPECT_STREQ(conv->opName, "llmos.conv");
  EXPECT_EQ(lookupOnnxOp("ai.onnx", "Conv"), conv);
  EXPECT_EQ(lookupOnnxOp("com.microsoft", "Conv"), nullptr);
  EXPECT_EQ(lookupOnnxOp("", "NoSuchOp"), nullptr);
  ASSERT_EQ(conv->operands.size(), 3u);
  EXPECT_EQ(conv->operands[2].kind, OnnxArgKind::Optional);
  const OnnxAttrInfo *group = conv->findAttribute("group");
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->kind, OnnxAttrKind::Int);
  EXPECT_FALSE(group->required);
}

TEST(OnnxOpTable, VersionInEffect) {
  const OnnxOpInfo *reshape = lookupOnnxOp("", "Reshape");
  ASSERT_NE(reshape, nullptr);
  EXPECT_EQ(reshape->versionAt(4), 1);
  EXPECT_EQ(reshape->versionAt(13), 13);
  EXPECT_EQ(reshape->versionAt(17), 14);
  const OnnxOpInfo *layerNorm = lookupOnnxOp("", "LayerNormalization");
  ASSERT_NE(layerNorm, nullptr);
  EXPECT_EQ(layerNorm->versionAt(16), 0);
  EXPECT_EQ(layerNorm->versionAt(17), 17);
}

TEST(OnnxOpTable, OperandTypeChecks) {
  MLIRContext context;
  const OnnxOpInfo *conv = lookupOnnxOp("", "Conv");
  auto f32 = RankedTensorType::get({1, 3, 8, 8}, Float32Type::get(&context));
  auto i64 = RankedTensorType::get({1}, IntegerType::get(&context, 64));
  EXPECT_TRUE(conv->operands[0].checkType(f32));
  EXPECT_FALSE(conv->operands[0].checkType(i64));
}

TEST(OnnxOpTable, EveryEntryIsARegisteredOp) {
  MLIRContext context;
  context.loadDialect<LlmosDialect>();
  EXPECT_GT(getOnnxOpTable().size(), 180u);
  for (const OnnxOpInfo &info : getOnnxOpTable()) {
    EXPECT_TRUE(RegisteredOperationName::lookup(info.opName, &context))
        << info.opName;
    EXPECT_FALSE(info.versions.empty()) << info.onnxName;
    EXPECT_TRUE(std::is_sorted(info.versions.begin(), info.versions.end()))
        << info.onnxName;
  }
}

} // namespace
