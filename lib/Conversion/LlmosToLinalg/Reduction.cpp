//===- Reduction.cpp - Lowering of llmos reductions and softmax -----------===//
//
// This file lowers the ReduceXxx ops, ArgMax/ArgMin, Softmax, LogSoftmax,
// Hardmax, CumSum and CumProd to linalg.generic reductions. Reduced axes are dropped
// from the generic's output and re-inserted as unit dims with
// tensor.expand_shape when keepdims is set.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"
#include "llmos/Dialect/Llmos/IR/ShapeInference.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SmallBitVector.h"

#include <functional>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

using Combiner = std::function<Value(OpBuilder &, Location, Value, Value)>;

/// The constant, normalized, sorted axes of a reduction; all axes when
/// absent or (without noop_with_empty_axes) empty.
FailureOr<SmallVector<int64_t>> reductionAxes(Operation *op, Value axes,
                                              int64_t rank, bool noopEmpty,
                                              bool &isNoop) {
  isNoop = false;
  SmallVector<int64_t> result;
  if (axes) {
    std::optional<SmallVector<int64_t>> values = getConstantInts(axes);
    if (!values)
      return op->emitOpError("needs constant axes for code generation");
    for (int64_t a : *values)
      result.push_back(a < 0 ? a + rank : a);
  }
  if (result.empty()) {
    if (noopEmpty) {
      isNoop = true;
      return result;
    }
    for (int64_t d = 0; d < rank; ++d)
      result.push_back(d);
  }
  llvm::sort(result);
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

// %r = llmos.reduce_sum %x, %axes {keepdims = 1}
//   => linalg.generic {reduction over axes} + tensor.expand_shape
template <typename OpTy>
struct ReduceLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getData();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    RankedTensorType resultType =
        convertedTensorType(*this->getTypeConverter(), op.getResult());
    if (!inputType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    int64_t rank = inputType.getRank();
    bool noopEmpty = op.getNoopWithEmptyAxes() != 0;
    if (op.getAxes() && !getConstantInts(op.getAxes())) {
      // Axes known only at run time: one static reduction per set of
      // axes, chosen by the bit mask of the axes.
      auto axesType = cast<RankedTensorType>(adaptor.getAxes().getType());
      if (axesType.getRank() != 1 || axesType.isDynamicDim(0) || rank > 6)
        return op.emitOpError("with run-time axes needs a static number of "
                              "axes and a rank of at most 6");
      int64_t count = axesType.getDimSize(0);
      if (count == 0 && noopEmpty) {
        rewriter.replaceOp(op, castTo(rewriter, loc, input, resultType));
        return success();
      }
      Value mask = indexConstant(rewriter, loc, 0);
      Value rankValue = indexConstant(rewriter, loc, rank);
      for (int64_t i = 0; i < count; ++i) {
        Value axis = normalizeIndex(
            rewriter, loc, extractIndex(rewriter, loc, adaptor.getAxes(), i),
            rankValue);
        Value bit = arith::ShLIOp::create(
            rewriter, loc, indexConstant(rewriter, loc, 1), axis);
        mask = arith::OrIOp::create(rewriter, loc, mask, bit);
      }
      bool keep = op.getKeepdims() != 0;
      // The result shape of reducing the axes of mask `m`.
      auto shapeOf = [&](int64_t m) {
        SmallVector<int64_t> shape;
        for (int64_t d = 0; d < rank; ++d) {
          if (!((m >> d) & 1))
            shape.push_back(inputType.getDimSize(d));
          else if (keep)
            shape.push_back(1);
        }
        return shape;
      };
      // Only the masks whose result fits the declared result type can
      // occur; an empty axes list (without noop) reduces everything.
      SmallVector<int64_t> cases;
      int64_t all = (int64_t(1) << rank) - 1;
      for (int64_t m = 1; m <= all; ++m)
        if (succeeded(verifyCompatibleShape(shapeOf(m),
                                            resultType.getShape())))
          cases.push_back(m);
      if (count == 0)
        mask = indexConstant(rewriter, loc, all);
      Value result = buildIndexSwitch(
          rewriter, loc, resultType, mask, cases,
          [&](OpBuilder &b, Location l, int64_t m) -> Value {
            SmallVector<int64_t> axes;
            SmallVector<int64_t> keptShape;
            for (int64_t d = 0; d < rank; ++d) {
              bool reduced = (m >> d) & 1;
              if (reduced)
                axes.push_back(d);
              keptShape.push_back(reduced ? 1 : inputType.getDimSize(d));
            }
            Value reducedValue = reduce(b, l, op, input, axes);
            if (keep)
              reducedValue = keepDims(
                  b, l, reducedValue,
                  RankedTensorType::get(keptShape,
                                        resultType.getElementType()),
                  axes);
            return castTo(b, l, reducedValue, resultType);
          });
      rewriter.replaceOp(op, result);
      return success();
    }
    bool noop;
    FailureOr<SmallVector<int64_t>> axes = reductionAxes(
        op, op.getAxes(), rank, noopEmpty, noop);
    if (failed(axes))
      return failure();
    if (noop) {
      rewriter.replaceOp(op, input);
      return success();
    }
    Value result = reduce(rewriter, loc, op, input, *axes);
    if (!result)
      return rewriter.notifyMatchFailure(op, "unknown reduction");
    rewriter.replaceOp(
        op, op.getKeepdims() != 0
                ? keepDims(rewriter, loc, result, resultType, *axes)
                : castTo(rewriter, loc, result, resultType));
    return success();
  }

  /// `input` reduced over `axes` (the axes dropped) as the op says.
  Value reduce(OpBuilder &rewriter, Location loc, OpTy op, Value input,
               ArrayRef<int64_t> axes) const {
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    bool isUnsigned = isUnsignedElement(op.getData().getType());
    bool isFloat = isa<FloatType>(element);
    Value result;
    StringRef name = OpTy::getOperationName();
    auto sum = [&](Combiner transform) {
      return reduceOver(
          rewriter, loc, input, axes, element,
          scalarConstant(rewriter, loc, element, 0),
          [&](OpBuilder &b, Location l, Value x, Value acc) {
            return addV(b, l, transform(b, l, x, acc), acc);
          });
    };
    auto identity = [](OpBuilder &, Location, Value x, Value) { return x; };
    if (name == ReduceSumOp::getOperationName()) {
      result = sum(identity);
    } else if (name == ReduceMeanOp::getOperationName()) {
      Value total = sum(identity);
      Value count = countOf(rewriter, loc, input, axes, element);
      auto type = cast<RankedTensorType>(total.getType());
      result = buildElementwise(
          rewriter, loc, type, total,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            if (isFloat)
              return arith::DivFOp::create(b, l, args[0], count);
            return arith::DivSIOp::create(b, l, args[0], count);
          });
    } else if (name == ReduceProdOp::getOperationName()) {
      result = reduceOver(rewriter, loc, input, axes, element,
                          scalarConstant(rewriter, loc, element, 1),
                          [&](OpBuilder &b, Location l, Value x, Value acc) {
                            return mulV(b, l, x, acc);
                          });
    } else if (name == ReduceMaxOp::getOperationName()) {
      Value init = element.isInteger(1)
                       ? scalarConstant(rewriter, loc, element, 0)
                       : (isUnsigned ? scalarConstant(rewriter, loc, element, 0)
                                     : lowestValue(rewriter, loc, element));
      result = reduceOver(rewriter, loc, input, axes, element, init,
                          [&](OpBuilder &b, Location l, Value x, Value acc) {
                            return maxV(b, l, x, acc, isUnsigned);
                          });
    } else if (name == ReduceMinOp::getOperationName()) {
      Value init =
          element.isInteger(1)
              ? scalarConstant(rewriter, loc, element, 1)
              : (isUnsigned
                     ? arith::ConstantOp::create(
                           rewriter, loc,
                           rewriter.getIntegerAttr(
                               element, APInt::getAllOnes(
                                            element.getIntOrFloatBitWidth())))
                           .getResult()
                     : highestValue(rewriter, loc, element));
      result = reduceOver(rewriter, loc, input, axes, element, init,
                          [&](OpBuilder &b, Location l, Value x, Value acc) {
                            return minV(b, l, x, acc, isUnsigned);
                          });
    } else if (name == ReduceL1Op::getOperationName()) {
      result = sum([&](OpBuilder &b, Location l, Value x, Value) -> Value {
        if (isFloat)
          return math::AbsFOp::create(b, l, x);
        return isUnsigned ? x : Value(math::AbsIOp::create(b, l, x));
      });
    } else if (name == ReduceSumSquareOp::getOperationName() ||
               name == ReduceL2Op::getOperationName()) {
      result = sum([&](OpBuilder &b, Location l, Value x, Value) {
        return mulV(b, l, x, x);
      });
      if (name == ReduceL2Op::getOperationName()) {
        auto type = cast<RankedTensorType>(result.getType());
        result = buildElementwise(
            rewriter, loc, type, result,
            [&](OpBuilder &b, Location l, ValueRange args) -> Value {
              if (isFloat)
                return math::SqrtOp::create(b, l, args[0]);
              Value f = convertScalar(b, l, args[0], b.getF64Type(),
                                      isUnsigned, false);
              return convertScalar(b, l, math::SqrtOp::create(b, l, f),
                                   element, false, isUnsigned);
            });
      }
    } else if (name == ReduceLogSumOp::getOperationName()) {
      result = sum(identity);
      auto type = cast<RankedTensorType>(result.getType());
      result = buildElementwise(rewriter, loc, type, result,
                                [&](OpBuilder &b, Location l, ValueRange args) {
                                  return math::LogOp::create(b, l, args[0]);
                                });
    } else if (name == ReduceLogSumExpOp::getOperationName()) {
      // log(sum(exp(x - max))) + max, stable for large values.
      Value max = reduceOver(rewriter, loc, input, axes, element,
                             lowestValue(rewriter, loc, element),
                             [&](OpBuilder &b, Location l, Value x, Value acc) {
                               return maxV(b, l, x, acc, false);
                             });
      auto fullType = inputType;
      Value shifted = mapWithReduced(
          rewriter, loc, input, max, axes, fullType,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            // An all -inf slice has max -inf: use 0 to avoid inf - inf.
            Value finite = arith::CmpFOp::create(
                b, l, arith::CmpFPredicate::ONE, args[1],
                lowestValue(b, l, element));
            Value m = arith::SelectOp::create(
                b, l, finite, args[1], scalarConstant(b, l, element, 0));
            return math::ExpOp::create(
                b, l, arith::SubFOp::create(b, l, args[0], m));
          });
      Value total = reduceOver(rewriter, loc, shifted, axes, element,
                               scalarConstant(rewriter, loc, element, 0),
                               [&](OpBuilder &b, Location l, Value x,
                                   Value acc) { return addV(b, l, x, acc); });
      auto type = cast<RankedTensorType>(total.getType());
      result = buildElementwise(
          rewriter, loc, type, ValueRange{total, max},
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value finite = arith::CmpFOp::create(
                b, l, arith::CmpFPredicate::ONE, args[1],
                lowestValue(b, l, element));
            Value m = arith::SelectOp::create(
                b, l, finite, args[1], scalarConstant(b, l, element, 0));
            return arith::AddFOp::create(
                b, l, math::LogOp::create(b, l, args[0]), m);
          });
    }
    return result;
  }
};

// %i = llmos.arg_max %x {axis = 1}
//   => linalg.generic with (value, index) accumulators over axis 1
template <typename OpTy, bool isMax>
struct ArgReduceLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getData();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    RankedTensorType resultType =
        convertedTensorType(*this->getTypeConverter(), op.getResult());
    if (!inputType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    Type element = inputType.getElementType();
    bool isUnsigned = isUnsignedElement(op.getData().getType());
    bool last = op.getSelectLastIndex() != 0;
    SmallVector<int64_t> shape;
    SmallVector<OpFoldResult> sizes;
    SmallVector<AffineExpr> exprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis) {
        iterators.push_back(utils::IteratorType::reduction);
        continue;
      }
      iterators.push_back(utils::IteratorType::parallel);
      shape.push_back(inputType.getDimSize(d));
      sizes.push_back(tensor::getMixedSize(rewriter, loc, input, d));
      exprs.push_back(rewriter.getAffineDimExpr(d));
    }
    auto valueType = RankedTensorType::get(shape, element);
    auto indexType = RankedTensorType::get(shape, rewriter.getI64Type());
    Value values = linalg::FillOp::create(
                       rewriter, loc,
                       isMax ? lowestValue(rewriter, loc, element)
                             : highestValue(rewriter, loc, element),
                       createEmpty(rewriter, loc, valueType, sizes))
                       .getResult(0);
    Value indices =
        linalg::FillOp::create(rewriter, loc,
                               scalarConstant(rewriter, loc,
                                              rewriter.getI64Type(), -1),
                               createEmpty(rewriter, loc, indexType, sizes))
            .getResult(0);
    AffineMap outMap = AffineMap::get(rank, 0, exprs, rewriter.getContext());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType}, input,
        ValueRange{values, indices},
        {rewriter.getMultiDimIdentityMap(rank), outMap, outMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value i = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value better, equal;
          if (isa<FloatType>(element)) {
            better = arith::CmpFOp::create(
                b, l, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
                x, best);
            equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x,
                                          best);
          } else {
            arith::CmpIPredicate p =
                isMax ? (isUnsigned ? arith::CmpIPredicate::ugt
                                    : arith::CmpIPredicate::sgt)
                      : (isUnsigned ? arith::CmpIPredicate::ult
                                    : arith::CmpIPredicate::slt);
            better = arith::CmpIOp::create(b, l, p, x, best);
            equal = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, x,
                                          best);
          }
          // The first index wins ties unless select_last_index; the first
          // element is always taken (best starts at an extreme value).
          Value unset = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, bestIndex,
              scalarConstant(b, l, b.getI64Type(), 0));
          Value take = arith::OrIOp::create(b, l, better, unset);
          if (last)
            take = arith::OrIOp::create(b, l, take, equal);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, take, x, best),
                         arith::SelectOp::create(b, l, take, i, bestIndex)});
        });
    Value result = generic.getResult(1);
    rewriter.replaceOp(
        op, op.getKeepdims() != 0
                ? keepDims(rewriter, loc, result, resultType, {axis})
                : castTo(rewriter, loc, result, resultType));
    return success();
  }
};

enum class SoftmaxKind { Softmax, LogSoftmax, Hardmax };

// %y = llmos.softmax %x {axis = -1}
//   => max over axis, exp(x - max), sum over axis, divide
template <typename OpTy, SoftmaxKind kind>
struct SoftmaxLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    if (kind != SoftmaxKind::Hardmax) {
      rewriter.replaceOp(op, buildSoftmax(rewriter, loc, input, axis,
                                          kind == SoftmaxKind::LogSoftmax));
      return success();
    }
    Type element = type.getElementType();
    SmallVector<int64_t> axes{axis};
    Value max = reduceOver(rewriter, loc, input, axes, element,
                           lowestValue(rewriter, loc, element),
                           [&](OpBuilder &b, Location l, Value x, Value acc) {
                             return maxV(b, l, x, acc, false);
                           });
    // 1 at the first maximum along the axis.
    Value first = reduceOver(
        rewriter, loc,
        mapWithReduced(
            rewriter, loc, input, max, axes,
            RankedTensorType::get(type.getShape(), rewriter.getI64Type()),
            [&](OpBuilder &b, Location l, ValueRange args) -> Value {
              Value i = arith::IndexCastOp::create(
                  b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
              Value isMax = arith::CmpFOp::create(
                  b, l, arith::CmpFPredicate::OEQ, args[0], args[1]);
              return arith::SelectOp::create(
                  b, l, isMax, i,
                  highestValue(b, l, b.getI64Type()));
            }),
        axes, rewriter.getI64Type(),
        highestValue(rewriter, loc, rewriter.getI64Type()),
        [&](OpBuilder &b, Location l, Value x, Value acc) -> Value {
          return arith::MinSIOp::create(b, l, x, acc);
        });
    rewriter.replaceOp(
        op, mapWithReduced(
                rewriter, loc, input, first, axes, type,
                [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                  Value i = arith::IndexCastOp::create(
                      b, l, b.getI64Type(),
                      linalg::IndexOp::create(b, l, axis));
                  Value hit = arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::eq, i, args[1]);
                  return arith::SelectOp::create(
                      b, l, hit, scalarConstant(b, l, element, 1),
                      scalarConstant(b, l, element, 0));
                }));
    return success();
  }
};

/// The cumulative sum (or product) of `input` along `axis`: a
/// linalg.generic combining x[j] for the j before (or after) each i.
Value buildCumulative(OpBuilder &rewriter, Location loc, Value input,
                      int64_t axis, bool exclusive, bool reverse,
                      bool product) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  Type element = type.getElementType();
  // Iteration space: the output dims plus j (the combined position).
  MLIRContext *context = rewriter.getContext();
  SmallVector<AffineExpr> inExprs;
  for (int64_t d = 0; d < rank; ++d)
    inExprs.push_back(getAffineDimExpr(d == axis ? rank : d, context));
  AffineMap inMap = AffineMap::get(rank + 1, 0, inExprs, context);
  AffineMap outMap =
      AffineMap::getMultiDimIdentityMap(rank + 1, context).getMajorSubMap(rank);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  double neutral = product ? 1 : 0;
  Value init = linalg::FillOp::create(
                   rewriter, loc, scalarConstant(rewriter, loc, element, neutral),
                   createEmpty(rewriter, loc, type,
                               getSizes(rewriter, loc, input)))
                   .getResult(0);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, type, input, init, {inMap, outMap}, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value i = linalg::IndexOp::create(b, l, axis);
        Value j = linalg::IndexOp::create(b, l, rank);
        arith::CmpIPredicate p =
            reverse ? (exclusive ? arith::CmpIPredicate::ugt
                                 : arith::CmpIPredicate::uge)
                    : (exclusive ? arith::CmpIPredicate::ult
                                 : arith::CmpIPredicate::ule);
        Value take = arith::CmpIOp::create(b, l, p, j, i);
        Value x = arith::SelectOp::create(
            b, l, take, args[0], scalarConstant(b, l, element, neutral));
        linalg::YieldOp::create(b, l,
                                product ? mulV(b, l, args[1], x)
                                        : addV(b, l, args[1], x));
      });
  return generic.getResult(0);
}

// %y = llmos.cum_sum %x, %axis {exclusive, reverse}   (and llmos.cum_prod)
//   => linalg.generic combining x[j] for the j before (or after) each i; an
//      axis known only at run time selects one such generic per axis
template <typename CumulativeOp, bool Product>
struct CumulativeLowering : public OpConversionPattern<CumulativeOp> {
  using OpConversionPattern<CumulativeOp>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CumulativeOp op, typename CumulativeOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getX();
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type || type.getRank() == 0)
      return op.emitOpError("needs an input of rank at least 1");
    int64_t rank = type.getRank();
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    if (std::optional<SmallVector<int64_t>> axisValue =
            getConstantInts(op.getAxis())) {
      int64_t axis = (*axisValue)[0] < 0 ? (*axisValue)[0] + rank
                                         : (*axisValue)[0];
      rewriter.replaceOp(op, buildCumulative(rewriter, loc, input, axis,
                                             exclusive, reverse, Product));
      return success();
    }
    Value axis = normalizeIndex(rewriter, loc,
                                extractIndex(rewriter, loc, adaptor.getAxis(), -1),
                                indexConstant(rewriter, loc, rank));
    SmallVector<int64_t> cases = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    rewriter.replaceOp(
        op, buildIndexSwitch(rewriter, loc, type, axis, cases,
                             [&](OpBuilder &b, Location l, int64_t a) {
                               return buildCumulative(b, l, input, a, exclusive,
                                                      reverse, Product);
                             }));
    return success();
  }
};

} // namespace

Value mlir::llmos::lowering::buildSoftmax(OpBuilder &b, Location loc,
                                          Value input, int64_t axis,
                                          bool logarithm) {
  auto type = cast<RankedTensorType>(input.getType());
  Type element = type.getElementType();
  SmallVector<int64_t> axes{axis};
  Value max = reduceOver(b, loc, input, axes, element,
                         lowestValue(b, loc, element),
                         [&](OpBuilder &nb, Location l, Value x, Value acc) {
                           return maxV(nb, l, x, acc, false);
                         });
  Value exps = mapWithReduced(
      b, loc, input, max, axes, type,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return math::ExpOp::create(
            nb, l, arith::SubFOp::create(nb, l, args[0], args[1]));
      });
  Value sum = reduceOver(b, loc, exps, axes, element,
                         scalarConstant(b, loc, element, 0),
                         [&](OpBuilder &nb, Location l, Value x, Value acc) {
                           return addV(nb, l, x, acc);
                         });
  if (!logarithm)
    return mapWithReduced(
        b, loc, exps, sum, axes, type,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return arith::DivFOp::create(nb, l, args[0], args[1]);
        });
  return mapWithReduced(
      b, loc, input, ValueRange{max, sum}, axes, type,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value shifted = arith::SubFOp::create(nb, l, args[0], args[1]);
        return arith::SubFOp::create(nb, l, shifted,
                                     math::LogOp::create(nb, l, args[2]));
      });
}

void mlir::llmos::lowering::populateReductionPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ReduceLowering<ReduceSumOp>, ReduceLowering<ReduceMeanOp>,
               ReduceLowering<ReduceProdOp>, ReduceLowering<ReduceMaxOp>,
               ReduceLowering<ReduceMinOp>, ReduceLowering<ReduceL1Op>,
               ReduceLowering<ReduceL2Op>, ReduceLowering<ReduceSumSquareOp>,
               ReduceLowering<ReduceLogSumOp>,
               ReduceLowering<ReduceLogSumExpOp>,
               ArgReduceLowering<ArgMaxOp, true>,
               ArgReduceLowering<ArgMinOp, false>,
               SoftmaxLowering<SoftmaxOp, SoftmaxKind::Softmax>,
               SoftmaxLowering<LogSoftmaxOp, SoftmaxKind::LogSoftmax>,
               SoftmaxLowering<HardmaxOp, SoftmaxKind::Hardmax>,
               CumulativeLowering<CumSumOp, false>,
               CumulativeLowering<CumProdOp, true>>(converter, context);
}
