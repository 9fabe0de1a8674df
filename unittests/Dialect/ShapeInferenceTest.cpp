//===- ShapeInferenceTest.cpp - Tests of the shape inference helpers ------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"
#include "llmos/Dialect/Llmos/IR/ShapeInference.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::llmos;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

class ShapeInferenceTest : public ::testing::Test {
protected:
  ShapeInferenceTest() : builder(&context) {
    context.loadDialect<LlmosDialect, func::FuncDialect>();
  }
  RankedTensorType tensor(ArrayRef<int64_t> dims, Type elt = nullptr) {
    return RankedTensorType::get(dims, elt ? elt : builder.getF32Type());
  }
  MLIRContext context;
  OpBuilder builder;
};

TEST(BroadcastDims, Numpy) {
  EXPECT_EQ(*broadcastDims({2, 1, 4}, {3, 1}), (DimList{2, 3, 4}));
  EXPECT_EQ(*broadcastDims({}, {5}), (DimList{5}));
  EXPECT_EQ(*broadcastDims({kDyn, 4}, {3, 1}), (DimList{3, 4}));
  EXPECT_EQ(*broadcastDims({kDyn}, {1}), (DimList{kDyn}));
  EXPECT_EQ(*broadcastDims({kDyn}, {kDyn}), (DimList{kDyn}));
  EXPECT_TRUE(failed(broadcastDims({2, 3}, {4, 3})));
}

TEST(BroadcastDims, Unidirectional) {
  EXPECT_TRUE(isUnidirectionallyBroadcastable({3, 1, 1}, {2, 3, 4, 5}));
  EXPECT_TRUE(isUnidirectionallyBroadcastable({kDyn}, {2, 7}));
  EXPECT_FALSE(isUnidirectionallyBroadcastable({3}, {2, 3, 4}));
  EXPECT_FALSE(isUnidirectionallyBroadcastable({1, 2, 3}, {2, 3}));
}

TEST(DimArithmetic, DynamicAware) {
  EXPECT_EQ(mulDims(3, 4), 12);
  EXPECT_EQ(mulDims(kDyn, 4), kDyn);
  EXPECT_EQ(mulDims(kDyn, 0), 0);
  EXPECT_EQ(productOfDims({2, 3, 4}), 24);
  EXPECT_EQ(productOfDims({}), 1);
  EXPECT_EQ(productOfDims({2, kDyn}), kDyn);
}

TEST_F(ShapeInferenceTest, TypeLattice) {
  Type a = tensor({2, kDyn}), b = tensor({kDyn, 3}), c = tensor({2, 4});
  EXPECT_TRUE(areCompatibleTypes(a, b));
  EXPECT_TRUE(areCompatibleTypes(a, c));
  EXPECT_FALSE(areCompatibleTypes(b, c));
  EXPECT_FALSE(areCompatibleTypes(a, tensor({2, 3}, builder.getI64Type())));
  EXPECT_EQ(refineType(a, b), tensor({2, 3}));
  EXPECT_EQ(refineType(b, c), Type());
  EXPECT_EQ(joinTypes(tensor({2, 3}), tensor({2, 4})), tensor({2, kDyn}));
  EXPECT_EQ(joinTypes(tensor({2}), tensor({2, 4})),
            UnrankedTensorType::get(builder.getF32Type()));
  Type unranked = UnrankedTensorType::get(builder.getF32Type());
  EXPECT_TRUE(areCompatibleTypes(unranked, c));
  EXPECT_EQ(refineType(unranked, c), c);
  Type seqA = SequenceType::get(&context, tensor({2, 3}));
  Type seqB = SequenceType::get(&context, tensor({2, 4}));
  EXPECT_EQ(joinTypes(seqA, seqB),
            SequenceType::get(&context, tensor({2, kDyn})));
  Type opt = OptionalType::get(&context, seqA);
  EXPECT_EQ(joinTypes(opt, seqB),
            OptionalType::get(&context,
                              SequenceType::get(&context, tensor({2, kDyn}))));
}

TEST_F(ShapeInferenceTest, PartialShapeValues) {
  // %s = shape(x : ?x128x768), %g = gather(%s, [0]), concat(%g, [12, 64])
  OwningOpRef<ModuleOp> module = ModuleOp::create(builder.getUnknownLoc());
  builder.setInsertionPointToStart(module->getBody());
  Location loc = builder.getUnknownLoc();
  auto func = func::FuncOp::create(
      builder, loc, "f",
      builder.getFunctionType({tensor({kDyn, 128, 768})}, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  Type i64 = builder.getI64Type();
  Value shape = ShapeOp::create(builder, loc, tensor({3}, i64),
                                entry->getArgument(0), IntegerAttr(),
                                IntegerAttr());
  auto index = DenseIntElementsAttr::get(tensor({1}, i64), ArrayRef<int64_t>{1});
  Value indexValue = ConstantOp::create(builder, loc, index);
  Value gathered =
      GatherOp::create(builder, loc, tensor({1}, i64), shape, indexValue,
                       IntegerAttr());
  auto rest = DenseIntElementsAttr::get(tensor({2}, i64),
                                        ArrayRef<int64_t>{12, 64});
  Value restValue = ConstantOp::create(builder, loc, rest);
  Value concat = ConcatOp::create(builder, loc, tensor({3}, i64),
                                  ValueRange{shape, gathered, restValue},
                                  builder.getI64IntegerAttr(0));
  std::optional<SmallVector<int64_t>> values = getPartialInts(concat);
  ASSERT_TRUE(values.has_value());
  EXPECT_EQ(*values, (SmallVector<int64_t>{kDyn, 128, 768, 128, 12, 64}));
  EXPECT_EQ(*getConstantInts(restValue), (SmallVector<int64_t>{12, 64}));
  EXPECT_FALSE(getConstantInts(shape).has_value());
}

TEST_F(ShapeInferenceTest, MatMulDims) {
  OwningOpRef<ModuleOp> module = ModuleOp::create(builder.getUnknownLoc());
  Operation *op = module.get();
  EXPECT_EQ(*inferMatMulDims(op, {2, 3, 4}, {4, 5}), (DimList{2, 3, 5}));
  EXPECT_EQ(*inferMatMulDims(op, {4}, {4, 5}), (DimList{5}));
  EXPECT_EQ(*inferMatMulDims(op, {3, 4}, {4}), (DimList{3}));
  EXPECT_EQ(*inferMatMulDims(op, {kDyn, 1, 3, 4}, {6, 4, 2}),
            (DimList{kDyn, 6, 3, 2}));
  ScopedDiagnosticHandler silence(&context, [](Diagnostic &) {
    return success();
  });
  EXPECT_TRUE(failed(inferMatMulDims(op, {3, 4}, {5, 6})));
}

} // namespace
