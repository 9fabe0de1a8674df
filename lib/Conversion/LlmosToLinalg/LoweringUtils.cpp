//===- LoweringUtils.cpp - Helpers of the llmos -> linalg lowering --------===//
//
// This file implements the helpers shared by the lowering patterns.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosTypes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "llvm/ADT/SmallBitVector.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

LlmosTypeConverter::LlmosTypeConverter() {
  addConversion([](Type type) { return type; });
  auto signless = [](Type element) -> Type {
    if (auto integer = dyn_cast<IntegerType>(element))
      if (!integer.isSignless())
        return IntegerType::get(integer.getContext(), integer.getWidth());
    if (isa<StringType>(element)) // a handle per string
      return IntegerType::get(element.getContext(), 64);
    return element;
  };
  addConversion([signless](RankedTensorType type) -> Type {
    return type.clone(signless(type.getElementType()));
  });
  addConversion([signless](UnrankedTensorType type) -> Type {
    return UnrankedTensorType::get(signless(type.getElementType()));
  });
  // Sequences and optionals: a 64-bit handle to a runtime value, held in a
  // 0-D tensor so that it flows through control flow and function
  // boundaries like any tensor (llmos_abi.h).
  auto handle = [](Type type) -> Type {
    return RankedTensorType::get({}, IntegerType::get(type.getContext(), 64));
  };
  addConversion([handle](SequenceType type) -> Type { return handle(type); });
  addConversion([handle](OptionalType type) -> Type { return handle(type); });
  auto cast = [](OpBuilder &b, Type type, ValueRange inputs,
                 Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs)
        .getResult(0);
  };
  addSourceMaterialization(cast);
  addTargetMaterialization(cast);
}

Value mlir::llmos::lowering::indexConstant(OpBuilder &b, Location loc,
                                           int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value mlir::llmos::lowering::getDimSize(OpBuilder &b, Location loc,
                                        Value tensor, int64_t dim) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (!type.isDynamicDim(dim))
    return indexConstant(b, loc, type.getDimSize(dim));
  return tensor::DimOp::create(b, loc, tensor, dim);
}

SmallVector<OpFoldResult> mlir::llmos::lowering::getSizes(OpBuilder &b,
                                                          Location loc,
                                                          Value tensor) {
  return tensor::getMixedSizes(b, loc, tensor);
}

/// The sizes of `type`'s dynamic dims among `sizes`, as values.
static SmallVector<Value> dynamicSizes(OpBuilder &b, Location loc,
                                       RankedTensorType type,
                                       ArrayRef<OpFoldResult> sizes) {
  SmallVector<Value> dynamic;
  for (auto [i, size] : llvm::enumerate(sizes))
    if (type.isDynamicDim(i))
      dynamic.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  return dynamic;
}

Value mlir::llmos::lowering::createEmpty(OpBuilder &b, Location loc,
                                         RankedTensorType type,
                                         ArrayRef<OpFoldResult> sizes) {
  return tensor::EmptyOp::create(b, loc, type,
                                 dynamicSizes(b, loc, type, sizes));
}

Value mlir::llmos::lowering::createEmpty(OpBuilder &b, Location loc,
                                         RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type, ValueRange());
}

SmallVector<OpFoldResult>
mlir::llmos::lowering::broadcastSizes(OpBuilder &b, Location loc,
                                      RankedTensorType resultType,
                                      ValueRange operands) {
  int64_t rank = resultType.getRank();
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d) {
    if (!resultType.isDynamicDim(d)) {
      sizes.push_back(b.getIndexAttr(resultType.getDimSize(d)));
      continue;
    }
    // A dynamic result dim: the first operand with a non-unit size there.
    Value size;
    for (Value operand : operands) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t od = d - (rank - type.getRank());
      if (od < 0 || type.getDimSize(od) == 1)
        continue;
      size = getDimSize(b, loc, operand, od);
      break;
    }
    sizes.push_back(size ? OpFoldResult(size) : b.getIndexAttr(1));
  }
  return sizes;
}

AffineMap mlir::llmos::lowering::broadcastMap(MLIRContext *context,
                                              RankedTensorType operandType,
                                              RankedTensorType resultType) {
  int64_t rank = resultType.getRank(), operandRank = operandType.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t od = 0; od < operandRank; ++od) {
    int64_t d = od + rank - operandRank;
    if (operandType.getDimSize(od) == 1 && resultType.getDimSize(d) != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(d, context));
  }
  return AffineMap::get(rank, 0, exprs, context);
}

Value mlir::llmos::lowering::buildElementwise(OpBuilder &b, Location loc,
                                              RankedTensorType resultType,
                                              ValueRange operands,
                                              ScalarBody body) {
  MLIRContext *context = b.getContext();
  Value init = createEmpty(b, loc, resultType,
                           broadcastSizes(b, loc, resultType, operands));
  SmallVector<AffineMap> maps;
  for (Value operand : operands)
    maps.push_back(broadcastMap(
        context, cast<RankedTensorType>(operand.getType()), resultType));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, operands, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value mlir::llmos::lowering::scalarConstant(OpBuilder &b, Location loc,
                                            Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  if (type.isIndex())
    return indexConstant(b, loc, static_cast<int64_t>(value));
  auto integer = cast<IntegerType>(type);
  if (integer.getWidth() == 1)
    return arith::ConstantOp::create(b, loc,
                                     b.getIntegerAttr(type, value != 0));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value mlir::llmos::lowering::lowestValue(OpBuilder &b, Location loc,
                                         Type type) {
  if (isa<FloatType>(type))
    return scalarConstant(b, loc, type,
                          -std::numeric_limits<double>::infinity());
  unsigned width = type.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, APInt::getSignedMinValue(width)));
}

Value mlir::llmos::lowering::highestValue(OpBuilder &b, Location loc,
                                          Type type) {
  if (isa<FloatType>(type))
    return scalarConstant(b, loc, type,
                          std::numeric_limits<double>::infinity());
  unsigned width = type.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, APInt::getSignedMaxValue(width)));
}

Value mlir::llmos::lowering::convertScalar(OpBuilder &b, Location loc,
                                           Value value, Type to,
                                           bool fromUnsigned, bool toUnsigned,
                                           bool saturate,
                                           StringRef roundMode) {
  Type from = value.getType();
  if (from == to)
    return value;
  // Mini floats convert through f32, in integer arithmetic.
  if (isMiniFloat(from))
    return convertScalar(b, loc, miniFloatToF32(b, loc, value), to, false,
                         toUnsigned, saturate, roundMode);
  if (isMiniFloat(to)) {
    // f64 goes through a round-to-odd f32, which keeps the one rounding to
    // the mini float exact. (Integers that f32 rounds are far beyond every
    // mini float's range: they saturate either way.)
    Value wide;
    if (from.isF64())
      wide = f64ToF32RoundToOdd(b, loc, value);
    else
      wide = convertScalar(b, loc, value, b.getF32Type(), fromUnsigned, false);
    return f32ToMiniFloat(b, loc, wide, to, saturate, roundMode);
  }
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, value);
    if (fromFloat.getWidth() > toFloat.getWidth())
      return arith::TruncFOp::create(b, loc, to, value);
    // Same width, different format (f16 <-> bf16): through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  if (fromFloat) {
    if (to.isInteger(1)) {
      Value zero = scalarConstant(b, loc, from, 0);
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   zero);
    }
    // Below a byte (int4, int2) the value wraps, as in onnx's reference:
    // through i32, then truncated.
    Type wide = to.getIntOrFloatBitWidth() < 8 ? b.getI32Type() : to;
    Value converted =
        toUnsigned && wide == to
            ? arith::FPToUIOp::create(b, loc, wide, value).getResult()
            : arith::FPToSIOp::create(b, loc, wide, value).getResult();
    if (wide == to)
      return converted;
    return arith::TruncIOp::create(b, loc, to, converted);
  }
  bool fromBool = from.isInteger(1);
  if (toFloat) {
    if (fromUnsigned || fromBool)
      return arith::UIToFPOp::create(b, loc, to, value);
    return arith::SIToFPOp::create(b, loc, to, value);
  }
  // Integer to integer.
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value,
                                 zero);
  }
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromWidth > toWidth)
    return arith::TruncIOp::create(b, loc, to, value);
  if (fromUnsigned || fromBool)
    return arith::ExtUIOp::create(b, loc, to, value);
  return arith::ExtSIOp::create(b, loc, to, value);
}

Value mlir::llmos::lowering::addV(OpBuilder &b, Location loc, Value x,
                                  Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value mlir::llmos::lowering::subV(OpBuilder &b, Location loc, Value x,
                                  Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::SubFOp::create(b, loc, x, y);
  return arith::SubIOp::create(b, loc, x, y);
}

Value mlir::llmos::lowering::mulV(OpBuilder &b, Location loc, Value x,
                                  Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

Value mlir::llmos::lowering::maxV(OpBuilder &b, Location loc, Value x, Value y,
                                  bool isUnsigned) {
  Type t = x.getType();
  if (isa<FloatType>(t))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (t.isInteger(1))
    return arith::OrIOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value mlir::llmos::lowering::minV(OpBuilder &b, Location loc, Value x, Value y,
                                  bool isUnsigned) {
  Type t = x.getType();
  if (isa<FloatType>(t))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (t.isInteger(1))
    return arith::AndIOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

Value mlir::llmos::lowering::indexAdd(OpBuilder &b, Location loc, Value x,
                                      Value y) {
  return arith::AddIOp::create(b, loc, x, y);
}

Value mlir::llmos::lowering::indexSub(OpBuilder &b, Location loc, Value x,
                                      Value y) {
  return arith::SubIOp::create(b, loc, x, y);
}

Value mlir::llmos::lowering::indexMul(OpBuilder &b, Location loc, Value x,
                                      Value y) {
  return arith::MulIOp::create(b, loc, x, y);
}

Value mlir::llmos::lowering::indexMin(OpBuilder &b, Location loc, Value x,
                                      Value y) {
  return arith::MinSIOp::create(b, loc, x, y);
}

Value mlir::llmos::lowering::indexMax(OpBuilder &b, Location loc, Value x,
                                      Value y) {
  return arith::MaxSIOp::create(b, loc, x, y);
}

namespace {
/// `fold` on two constants, else `build` on index values.
OpFoldResult sizeOp(OpBuilder &b, Location loc, OpFoldResult x, OpFoldResult y,
                    function_ref<int64_t(int64_t, int64_t)> fold,
                    function_ref<Value(Value, Value)> build) {
  std::optional<int64_t> cx = getConstantIntValue(x), cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(fold(*cx, *cy));
  return build(getValueOrCreateConstantIndexOp(b, loc, x),
               getValueOrCreateConstantIndexOp(b, loc, y));
}

int64_t floorDiv(int64_t x, int64_t y) {
  int64_t q = x / y;
  return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q;
}
} // namespace

OpFoldResult mlir::llmos::lowering::sizeAdd(OpBuilder &b, Location loc,
                                            OpFoldResult x, OpFoldResult y) {
  if (isConstantIntValue(y, 0))
    return x;
  if (isConstantIntValue(x, 0))
    return y;
  return sizeOp(
      b, loc, x, y, [](int64_t p, int64_t q) { return p + q; },
      [&](Value p, Value q) { return indexAdd(b, loc, p, q); });
}

OpFoldResult mlir::llmos::lowering::sizeSub(OpBuilder &b, Location loc,
                                            OpFoldResult x, OpFoldResult y) {
  if (isConstantIntValue(y, 0))
    return x;
  return sizeOp(
      b, loc, x, y, [](int64_t p, int64_t q) { return p - q; },
      [&](Value p, Value q) { return indexSub(b, loc, p, q); });
}

OpFoldResult mlir::llmos::lowering::sizeMul(OpBuilder &b, Location loc,
                                            OpFoldResult x, OpFoldResult y) {
  if (isConstantIntValue(y, 1))
    return x;
  if (isConstantIntValue(x, 1))
    return y;
  return sizeOp(
      b, loc, x, y, [](int64_t p, int64_t q) { return p * q; },
      [&](Value p, Value q) { return indexMul(b, loc, p, q); });
}

OpFoldResult mlir::llmos::lowering::sizeMax(OpBuilder &b, Location loc,
                                            OpFoldResult x, OpFoldResult y) {
  return sizeOp(
      b, loc, x, y, [](int64_t p, int64_t q) { return std::max(p, q); },
      [&](Value p, Value q) { return indexMax(b, loc, p, q); });
}

OpFoldResult mlir::llmos::lowering::sizeFloorDiv(OpBuilder &b, Location loc,
                                                 OpFoldResult x, int64_t y) {
  if (y == 1)
    return x;
  return sizeOp(
      b, loc, x, b.getIndexAttr(y), floorDiv, [&](Value p, Value q) -> Value {
        return arith::FloorDivSIOp::create(b, loc, p, q);
      });
}

OpFoldResult mlir::llmos::lowering::sizeCeilDiv(OpBuilder &b, Location loc,
                                                OpFoldResult x, int64_t y) {
  if (y == 1)
    return x;
  return sizeOp(
      b, loc, x, b.getIndexAttr(y),
      [](int64_t p, int64_t q) { return -floorDiv(-p, q); },
      [&](Value p, Value q) -> Value {
        return arith::CeilDivSIOp::create(b, loc, p, q);
      });
}

int64_t mlir::llmos::lowering::staticSize(OpFoldResult size) {
  return getConstantIntValue(size).value_or(ShapedType::kDynamic);
}

Value mlir::llmos::lowering::indexClamp(OpBuilder &b, Location loc, Value x,
                                        Value lo, Value hi) {
  return indexMin(b, loc, indexMax(b, loc, x, lo), hi);
}

Value mlir::llmos::lowering::toIndex(OpBuilder &b, Location loc, Value value) {
  if (value.getType().isIndex())
    return value;
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
}

Value mlir::llmos::lowering::extractScalar(OpBuilder &b, Location loc,
                                           Value tensor, int64_t i) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> position;
  if (type.getRank() > 0)
    position.assign(type.getRank(), indexConstant(b, loc, 0));
  if (type.getRank() == 1 && i >= 0)
    position[0] = indexConstant(b, loc, i);
  return tensor::ExtractOp::create(b, loc, tensor, position);
}

Value mlir::llmos::lowering::extractIndex(OpBuilder &b, Location loc,
                                          Value tensor, int64_t i) {
  return toIndex(b, loc, extractScalar(b, loc, tensor, i));
}

Value mlir::llmos::lowering::indexToFloat(OpBuilder &b, Location loc,
                                          Value index, Type f) {
  return arith::SIToFPOp::create(
      b, loc, f, arith::IndexCastOp::create(b, loc, b.getI64Type(), index));
}

Value mlir::llmos::lowering::normalizeIndex(OpBuilder &b, Location loc,
                                            Value index, Value size) {
  Value zero = indexConstant(b, loc, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value wrapped = arith::SelectOp::create(b, loc, negative,
                                          indexAdd(b, loc, index, size), index);
  Value last = indexSub(b, loc, size, indexConstant(b, loc, 1));
  return indexClamp(b, loc, wrapped, zero, indexMax(b, loc, last, zero));
}

Value mlir::llmos::lowering::castTo(OpBuilder &b, Location loc, Value value,
                                    Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

SmallVector<OpFoldResult>
mlir::llmos::lowering::mixedSizes(OpBuilder &b, RankedTensorType type,
                                  ArrayRef<OpFoldResult> dynamic) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    sizes.push_back(type.isDynamicDim(d) ? dynamic[d]
                                         : b.getIndexAttr(type.getDimSize(d)));
  return sizes;
}

Value mlir::llmos::lowering::reshapeTensor(OpBuilder &b, Location loc,
                                           Value value,
                                           RankedTensorType resultType,
                                           ArrayRef<OpFoldResult> sizes) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type == resultType)
    return value;
  int64_t rank = type.getRank(), resultRank = resultType.getRank();
  Type element = resultType.getElementType();
  if (rank == resultRank && type.getShape() == resultType.getShape())
    return value;
  if (resultRank == 0) {
    // Only a tensor of one element becomes a scalar.
    auto ones = RankedTensorType::get(SmallVector<int64_t>(rank, 1), element);
    return tensor::CollapseShapeOp::create(b, loc, resultType,
                                           castTo(b, loc, value, ones),
                                           ArrayRef<ReassociationIndices>{});
  }
  if (rank == 0) {
    auto ones =
        RankedTensorType::get(SmallVector<int64_t>(resultRank, 1), element);
    Value expanded = tensor::ExpandShapeOp::create(
        b, loc, ones, value, ArrayRef<ReassociationIndices>{});
    return castTo(b, loc, expanded, resultType);
  }
  // Through one dimension: collapse everything, then expand to the result.
  Value flat = value;
  if (rank > 1) {
    ReassociationIndices all;
    for (int64_t d = 0; d < rank; ++d)
      all.push_back(d);
    flat = tensor::CollapseShapeOp::create(b, loc, value,
                                           ArrayRef<ReassociationIndices>{all});
  }
  int64_t total = resultType.hasStaticShape() ? resultType.getNumElements()
                                              : ShapedType::kDynamic;
  flat = castTo(b, loc, flat, RankedTensorType::get({total}, element));
  if (resultRank == 1)
    return castTo(b, loc, flat, resultType);
  SmallVector<OpFoldResult> resultSizes = mixedSizes(b, resultType, sizes);
  if (resultType.getNumDynamicDims() > 1) {
    // MLIR 22's expand-strided-metadata crashes on an expand_shape group
    // with two or more dynamic dims; tensor.reshape (memref.reshape, which
    // computes its strides at run time) takes the shape as a tensor.
    SmallVector<Value> dims;
    for (OpFoldResult size : resultSizes)
      dims.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
    Value shape = tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({resultRank}, b.getIndexType()), dims);
    return tensor::ReshapeOp::create(b, loc, resultType, flat, shape);
  }
  ReassociationIndices all;
  for (int64_t d = 0; d < resultRank; ++d)
    all.push_back(d);
  return tensor::ExpandShapeOp::create(b, loc, resultType, flat,
                                       ArrayRef<ReassociationIndices>{all},
                                       resultSizes);
}

Value mlir::llmos::lowering::buildIndexedGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    ArrayRef<OpFoldResult> sizes, ValueRange inputs, ArrayRef<AffineMap> maps,
    IndexedBody body) {
  int64_t rank = resultType.getRank();
  Value init = createEmpty(b, loc, resultType, mixedSizes(b, resultType, sizes));
  SmallVector<AffineMap> allMaps(maps.begin(), maps.end());
  allMaps.push_back(b.getMultiDimIdentityMap(rank));
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, allMaps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d)
          indices.push_back(linalg::IndexOp::create(nested, nestedLoc, d));
        linalg::YieldOp::create(
            nested, nestedLoc,
            body(nested, nestedLoc, indices, args.drop_back()));
      });
  return generic.getResult(0);
}

bool mlir::llmos::lowering::isUnsignedElement(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  return type.isUnsignedInteger();
}

Type mlir::llmos::lowering::elementTypeOf(Value value) {
  return cast<ShapedType>(value.getType()).getElementType();
}

RankedTensorType
mlir::llmos::lowering::convertedTensorType(const TypeConverter &converter,
                                           Value result) {
  return dyn_cast_or_null<RankedTensorType>(
      converter.convertType(result.getType()));
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

Value mlir::llmos::lowering::reduceOver(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> axes, Type elementType, Value init,
                 ReduceCombiner combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  llvm::SmallBitVector reduced(rank);
  for (int64_t axis : axes)
    reduced.set(axis);
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> sizes;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    if (reduced.test(d)) {
      iterators.push_back(utils::IteratorType::reduction);
      continue;
    }
    iterators.push_back(utils::IteratorType::parallel);
    shape.push_back(type.getDimSize(d));
    sizes.push_back(tensor::getMixedSize(b, loc, input, d));
    outExprs.push_back(b.getAffineDimExpr(d));
  }
  auto resultType = RankedTensorType::get(shape, elementType);
  Value empty = createEmpty(b, loc, resultType, sizes);
  Value filled = linalg::FillOp::create(b, loc, init, empty).getResult(0);
  SmallVector<AffineMap> maps{
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0, outExprs, b.getContext())};
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, input, filled, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                combine(nested, nestedLoc, args[0], args[1]));
      });
  return generic.getResult(0);
}

Value mlir::llmos::lowering::keepDims(OpBuilder &b, Location loc,
                                      Value reduced,
                                      RankedTensorType resultType,
                                      ArrayRef<int64_t> axes) {
  if (reduced.getType() == resultType)
    return reduced;
  // The reduced axes become unit dims; every other dim is the next dim of
  // the reduced tensor. (Guessing the axes from the shapes goes wrong when
  // the input has static unit dims of its own next to dynamic ones.)
  auto sourceType = cast<RankedTensorType>(reduced.getType());
  int64_t rank = resultType.getRank();
  SmallVector<OpFoldResult> sizes;
  int64_t s = 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (llvm::is_contained(axes, d) || s >= sourceType.getRank()) {
      sizes.push_back(b.getIndexAttr(1));
      continue;
    }
    sizes.push_back(tensor::getMixedSize(b, loc, reduced, s++));
  }
  return reshapeTensor(b, loc, reduced, resultType, sizes);
}

AffineMap mlir::llmos::lowering::droppedAxesMap(MLIRContext *context, int64_t rank,
                         ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, exprs, context);
}

Value mlir::llmos::lowering::mapWithReduced(OpBuilder &b, Location loc, Value input,
                     ValueRange reduced, ArrayRef<int64_t> axes,
                     RankedTensorType resultType, ScalarBody body) {
  int64_t rank = resultType.getRank();
  SmallVector<Value> operands{input};
  operands.append(reduced.begin(), reduced.end());
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank)};
  for (size_t i = 0; i < reduced.size(); ++i)
    maps.push_back(droppedAxesMap(b.getContext(), rank, axes));
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value empty = createEmpty(b, loc, resultType, getSizes(b, loc, input));
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, operands, empty, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args.drop_back()));
      });
  return generic.getResult(0);
}


Value mlir::llmos::lowering::countOf(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
              Type type) {
  Value count = indexConstant(b, loc, 1);
  for (int64_t axis : axes)
    count = arith::MulIOp::create(b, loc, count,
                                  getDimSize(b, loc, input, axis));
  Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
  if (isa<FloatType>(type))
    return arith::SIToFPOp::create(b, loc, type, asInt);
  return convertScalar(b, loc, asInt, type, false, false);
}


Value mlir::llmos::lowering::buildIndexSwitch(
    OpBuilder &b, Location loc, RankedTensorType resultType, Value index,
    ArrayRef<int64_t> cases,
    function_ref<Value(OpBuilder &, Location, int64_t)> caseBody) {
  auto switchOp = scf::IndexSwitchOp::create(b, loc, TypeRange{resultType},
                                             index, cases, cases.size());
  OpBuilder::InsertionGuard guard(b);
  for (auto [i, caseValue] : llvm::enumerate(cases)) {
    Block *block = b.createBlock(&switchOp.getCaseRegions()[i]);
    b.setInsertionPointToStart(block);
    scf::YieldOp::create(b, loc, caseBody(b, loc, caseValue));
  }
  Block *block = b.createBlock(&switchOp.getDefaultRegion());
  b.setInsertionPointToStart(block);
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    sizes.push_back(b.getIndexAttr(
        resultType.isDynamicDim(d) ? 0 : resultType.getDimSize(d)));
  scf::YieldOp::create(b, loc, createEmpty(b, loc, resultType, sizes));
  return switchOp.getResult(0);
}

Value mlir::llmos::lowering::unranked(OpBuilder &b, Location loc,
                                      Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  return memref::CastOp::create(
      b, loc, UnrankedMemRefType::get(type.getElementType(), 0), buffer);
}

Value mlir::llmos::lowering::readBuffer(OpBuilder &b, Location loc,
                                        Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
  return unranked(b, loc,
                  bufferization::ToBufferOp::create(b, loc, memrefType, tensor,
                                                    b.getUnitAttr()));
}

Value mlir::llmos::lowering::allocLike(OpBuilder &b, Location loc,
                                       RankedTensorType type,
                                       ArrayRef<OpFoldResult> sizes) {
  return memref::AllocOp::create(
      b, loc, MemRefType::get(type.getShape(), type.getElementType()),
      dynamicSizes(b, loc, type, sizes));
}

Value mlir::llmos::lowering::asTensor(OpBuilder &b, Location loc,
                                      Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  return bufferization::ToTensorOp::create(
      b, loc, RankedTensorType::get(type.getShape(), type.getElementType()),
      buffer, b.getUnitAttr(), b.getUnitAttr());
}
