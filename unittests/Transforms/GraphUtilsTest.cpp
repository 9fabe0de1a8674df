//===- GraphUtilsTest.cpp - Graph-pass helpers and the pass report --------===//

#include "GraphUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

class GraphUtilsTest : public ::testing::Test {
protected:
  GraphUtilsTest() {
    context.loadDialect<LlmosDialect, func::FuncDialect>();
  }

  OwningOpRef<ModuleOp> parse(const char *source) {
    return parseSourceString<ModuleOp>(source, &context);
  }

  /// A builder inside a fresh function of `module`.
  OpBuilder builderIn(ModuleOp module) {
    OpBuilder b(&context);
    b.setInsertionPointToEnd(module.getBody());
    auto func = func::FuncOp::create(b, b.getUnknownLoc(), "f",
                                     b.getFunctionType({}, {}));
    b.setInsertionPointToEnd(func.addEntryBlock());
    return b;
  }

  MLIRContext context;
};

TEST_F(GraphUtilsTest, ConstantsRoundTripEveryElementType) {
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  OpBuilder b = builderIn(*module);
  Location loc = b.getUnknownLoc();
  struct Case {
    Type element;
    std::vector<double> values;
  };
  std::vector<Case> cases = {
      {b.getF32Type(), {1.5, -2.25, 0.0, 196608.0}},
      {b.getF16Type(), {1.5, -2.25, 0.0, 1024.0}},
      {b.getF64Type(), {1e-300, 2.0, -3.0, 4.0}},
      {IntegerType::get(&context, 8, IntegerType::Unsigned), {0, 1, 200, 255}},
      {b.getIntegerType(8), {-128, -1, 0, 127}},
      {b.getI64Type(), {-5, 1LL << 40, 0, 7}},
  };
  for (const Case &c : cases) {
    HostTensor t{RankedTensorType::get({2, 2}, c.element), c.values, {}};
    std::optional<HostTensor> back =
        readConstant(createConstant(b, loc, t));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->type, t.type);
    EXPECT_EQ(back->values, c.values);
  }
  // 64-bit integers keep every bit through `ints` (their doubles round:
  // INT64_MAX once came back as INT64_MIN).
  std::vector<int64_t> exact = {INT64_MAX, INT64_MIN, (1LL << 53) + 1, -3};
  HostTensor wide{RankedTensorType::get({4}, b.getI64Type()),
                  std::vector<double>(exact.begin(), exact.end()), exact};
  std::optional<HostTensor> wideBack =
      readConstant(createConstant(b, loc, wide));
  ASSERT_TRUE(wideBack.has_value());
  EXPECT_EQ(wideBack->ints, exact);
  // Above the threshold the data lives in a dense_resource blob.
  HostTensor big{RankedTensorType::get({1024}, b.getF32Type()),
                 std::vector<double>(1024, 0.5), {}};
  Value bigConstant = createConstant(b, loc, big);
  EXPECT_TRUE(isa<DenseResourceElementsAttr>(
      bigConstant.getDefiningOp<ConstantOp>().getValue()));
  std::optional<HostTensor> back = readConstant(bigConstant);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->values, big.values);
  EXPECT_FALSE(readConstant(bigConstant, /*maxElements=*/100).has_value());
}

// Constants of at least 1 KiB are dense_resource blobs, read back from raw
// bytes: signed elements must sign-extend and unsigned ones zero-extend at
// every width (negative int32 biases were once read zero-extended, which gave
// an ORT-quantized resnet18 wrong logits at -O1). Bools stay dense (MLIR packs
// them in bits) and must read back element by element.
TEST_F(GraphUtilsTest, ResourceConstantsKeepSignsAtEveryWidth) {
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  OpBuilder b = builderIn(*module);
  Location loc = b.getUnknownLoc();
  auto unsignedOf = [&](unsigned width) {
    return IntegerType::get(&context, width, IntegerType::Unsigned);
  };
  struct Case {
    Type element;
    std::vector<double> pattern;
  };
  std::vector<Case> cases = {
      {b.getIntegerType(8), {-128, -1, 0, 127}},
      {b.getIntegerType(16), {-32768, -1, 0, 32767}},
      {b.getI32Type(), {-2147483648.0, -688, 0, 2147483647.0}},
      {b.getI64Type(), {-(double)(1LL << 40), -1, 0, 7}},
      {unsignedOf(8), {0, 1, 200, 255}},
      {unsignedOf(16), {0, 1, 40000, 65535}},
      {unsignedOf(32), {0, 1, 3000000000.0, 4294967295.0}},
      {b.getI1Type(), {0, 1, 1, 0}},
  };
  for (const Case &c : cases) {
    std::vector<double> values;
    for (int i = 0; i < 2048; ++i)
      values.push_back(c.pattern[i % c.pattern.size()]);
    HostTensor t{RankedTensorType::get({2048}, c.element), values, {}};
    Value constant = createConstant(b, loc, t);
    EXPECT_EQ(isa<DenseResourceElementsAttr>(
                  constant.getDefiningOp<ConstantOp>().getValue()),
              !c.element.isInteger(1))
       ;
    std::optional<HostTensor> back = readConstant(constant);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->values, values);
  }
}

TEST_F(GraphUtilsTest, SplatsAndOtherOperands) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %one = llmos.constant dense<1.0> : tensor<4xf32>
      %mixed = llmos.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
      %0 = llmos.mul %x, %one : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
      %1 = llmos.add %0, %mixed : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
      return %1 : tensor<4xf32>
    })mlir");
  ASSERT_TRUE(module);
  auto func = cast<func::FuncOp>(module->getBody()->front());
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) { ops.push_back(op); });
  Value one = ops[0]->getResult(0), mixed = ops[1]->getResult(0);
  EXPECT_EQ(getSplatValue(one), 1.0);
  EXPECT_TRUE(isSplatOf(one, 1.0));
  EXPECT_FALSE(getSplatValue(mixed).has_value());
  EXPECT_EQ(otherOperand(ops[2], one), func.getArgument(0));
  EXPECT_EQ(otherOperand(ops[3], one), Value());
}

TEST_F(GraphUtilsTest, EraseDeadOpsCountsOpsAndConstants) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %c = llmos.constant dense<2.0> : tensor<4xf32>
      %d = llmos.constant dense<3.0> : tensor<4xf32>
      %0 = llmos.mul %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
      %1 = llmos.relu %0 : (tensor<4xf32>) -> tensor<4xf32>
      return %x : tensor<4xf32>
    })mlir");
  ASSERT_TRUE(module);
  auto func = cast<func::FuncOp>(module->getBody()->front());
  auto [ops, constants] = eraseDeadOps(func);
  EXPECT_EQ(ops, 2);
  EXPECT_EQ(constants, 2);
  EXPECT_EQ(measureGraph(func).ops, 0);
}

TEST_F(GraphUtilsTest, MeasureGraphCountsContractionFlops) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: tensor<?x8xf32>) -> tensor<?x4xf32> {
      %w = llmos.constant dense<1.0> : tensor<8x4xf32>
      %0 = llmos.matmul %x, %w : (tensor<?x8xf32>, tensor<8x4xf32>) -> tensor<?x4xf32>
      return %0 : tensor<?x4xf32>
    })mlir");
  ASSERT_TRUE(module);
  GraphSize size = measureGraph(*module);
  EXPECT_EQ(size.ops, 1);
  EXPECT_EQ(size.constants, 1);
  EXPECT_EQ(size.parameters, 32);
  EXPECT_EQ(size.flops, 2 * 1 * 4 * 8); // The symbolic batch counts as 1.
}

TEST_F(GraphUtilsTest, PassReportCollectsRowsAndRewrites) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %0 = llmos.identity %x : (tensor<4xf32>) -> tensor<4xf32>
      %unused = llmos.constant dense<1.0> : tensor<4xf32>
      return %0 : tensor<4xf32>
    })mlir");
  ASSERT_TRUE(module);
  context.disableMultithreading();
  PassManager pm(&context);
  pm.addNestedPass<func::FuncOp>(createPrunePass());
  auto report = std::make_unique<PassReportInstrumentation>();
  PassReportInstrumentation *rows = report.get();
  pm.addInstrumentation(std::move(report));
  ASSERT_TRUE(succeeded(pm.run(*module)));
  ASSERT_EQ(rows->rows().size(), 1u);
  const PassReportInstrumentation::Row &row = rows->rows()[0];
  EXPECT_EQ(row.pass, "llmos-prune");
  EXPECT_EQ(row.before.ops, 1);
  EXPECT_EQ(row.after.ops, 0);
  EXPECT_EQ(row.before.constants, 1);
  EXPECT_EQ(row.after.constants, 0);
  EXPECT_EQ(row.fired.at("identity"), 1);
  EXPECT_EQ(row.fired.at("unused constant"), 1);
  std::string text;
  llvm::raw_string_ostream os(text);
  rows->print(os, "title");
  EXPECT_NE(text.find("identity 1, unused constant 1"), std::string::npos);
}

} // namespace
