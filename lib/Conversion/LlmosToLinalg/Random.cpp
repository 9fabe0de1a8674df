//===- Random.cpp - Lowering of the random generators ---------------------===//
//
// This file lowers RandomUniform(Like), RandomNormal(Like), Bernoulli and
// Multinomial. Every element draws from a counter-based generator: the
// splitmix64 finalizer of (key, element index, stream), so that elements
// are independent of the loop order and of the thread that computes them.
// The key is the `seed` attribute's bits when given (the same seed gives
// the same numbers on every run and machine), else a fresh value from the
// runtime (llmos_rt_random_seed) on each execution of the op. The draws
// cannot equal numpy's, which the ONNX reference uses.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

constexpr StringLiteral kRandomSeed = "llmos_rt_random_seed";

Value i64Constant(OpBuilder &b, Location loc, uint64_t value) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(),
                                      static_cast<int64_t>(value));
}

/// The generator's key: the seed attribute's bits, or a call of the
/// runtime's llmos_rt_random_seed() (declared in the module on first use).
Value randomKey(ConversionPatternRewriter &rewriter, Operation *op,
                std::optional<float> seed) {
  Location loc = op->getLoc();
  if (seed) {
    uint32_t bits;
    std::memcpy(&bits, &*seed, sizeof(bits));
    return i64Constant(rewriter, loc, 0x5EED000000000000ull | bits);
  }
  func::FuncOp callee = runtimeFunction(
      rewriter, op, kRandomSeed,
      rewriter.getFunctionType({}, {rewriter.getI64Type()}));
  return func::CallOp::create(rewriter, loc, callee, ValueRange{}).getResult(0);
}

/// splitmix64's finalizer of key + (counter + 1) * golden ratio.
Value mix(OpBuilder &b, Location loc, Value key, Value counter) {
  Value golden = i64Constant(b, loc, 0x9E3779B97F4A7C15ull);
  Value z = arith::AddIOp::create(
      b, loc, key,
      arith::MulIOp::create(
          b, loc, arith::AddIOp::create(b, loc, counter, i64Constant(b, loc, 1)),
          golden));
  auto step = [&](Value v, int64_t shift, uint64_t multiplier) {
    Value x = arith::XOrIOp::create(
        b, loc, v, arith::ShRUIOp::create(b, loc, v, i64Constant(b, loc, shift)));
    return multiplier ? arith::MulIOp::create(b, loc, x,
                                              i64Constant(b, loc, multiplier))
                            .getResult()
                      : x;
  };
  z = step(z, 30, 0xBF58476D1CE4E5B9ull);
  z = step(z, 27, 0x94D049BB133111EBull);
  return step(z, 31, 0);
}

/// A uniform draw in [0, 1) of type f (24 or 53 random bits) for element
/// `index` (i64) of stream `stream`.
Value uniform(OpBuilder &b, Location loc, Value key, Value index,
              int64_t stream, Type f) {
  Value counter = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, index, i64Constant(b, loc, 4)),
      i64Constant(b, loc, stream));
  Value bits = mix(b, loc, key, counter);
  int64_t keep = f.isF64() ? 53 : 24;
  Value top = arith::ShRUIOp::create(b, loc, bits, i64Constant(b, loc, 64 - keep));
  Value asFloat = arith::UIToFPOp::create(b, loc, f, top);
  return mulV(b, loc, asFloat, scalarConstant(b, loc, f, std::ldexp(1.0, -keep)));
}

/// The row-major linear index (i64) of the point `at` in `sizes`.
Value linearIndex(OpBuilder &b, Location loc, ValueRange at,
                  ArrayRef<OpFoldResult> sizes) {
  Value index = indexConstant(b, loc, 0);
  for (auto [i, size] : llvm::enumerate(sizes))
    index = indexAdd(b, loc,
                     indexMul(b, loc, index,
                              getValueOrCreateConstantIndexOp(b, loc, size)),
                     at[i]);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

/// The computation type of a draw for elements of `element`.
Type drawType(OpBuilder &b, Type element) {
  return element.isF64() ? Type(b.getF64Type()) : Type(b.getF32Type());
}

enum class Distribution { Uniform, Normal };

// %y = llmos.random_uniform / random_normal (and the -like forms)
//   => linalg.generic { low + (high - low) * u } or
//      { mean + scale * sqrt(-2 ln(1 - u1)) * cos(2 pi u2) } (Box-Muller)
template <typename OpTy, Distribution distribution, bool like>
struct RandomLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*this->getTypeConverter(), op.getOutput());
    if (!type || !isa<FloatType>(type.getElementType()))
      return op.emitOpError("needs a ranked float result");
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> sizes;
    if constexpr (like)
      sizes = getSizes(rewriter, loc, adaptor.getInput());
    else
      for (int64_t d : type.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
    double a, b;
    if constexpr (distribution == Distribution::Uniform) {
      a = op.getLow();
      b = op.getHigh();
    } else {
      a = op.getMean();
      b = op.getScale();
    }
    Value key = randomKey(rewriter, op, op.getSeed());
    Type element = type.getElementType();
    Type f = drawType(rewriter, element);
    Value result = buildIndexedGeneric(
        rewriter, loc, type, sizes, ValueRange{}, ArrayRef<AffineMap>{},
        [&](OpBuilder &nb, Location l, ValueRange at, ValueRange) -> Value {
          Value index = linearIndex(nb, l, at, sizes);
          Value u = uniform(nb, l, key, index, 0, f);
          Value value;
          if (distribution == Distribution::Uniform) {
            value = addV(nb, l, scalarConstant(nb, l, f, a),
                         mulV(nb, l, scalarConstant(nb, l, f, b - a), u));
          } else {
            Value u2 = uniform(nb, l, key, index, 1, f);
            Value radius = math::SqrtOp::create(
                nb, l,
                mulV(nb, l, scalarConstant(nb, l, f, -2),
                     math::LogOp::create(
                         nb, l, subV(nb, l, scalarConstant(nb, l, f, 1), u))));
            Value angle = math::CosOp::create(
                nb, l, mulV(nb, l, scalarConstant(nb, l, f, 2 * M_PI), u2));
            value = addV(nb, l, scalarConstant(nb, l, f, a),
                         mulV(nb, l, scalarConstant(nb, l, f, b),
                              mulV(nb, l, radius, angle)));
          }
          return convertScalar(nb, l, value, element, false, false);
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, type));
    return success();
  }
};

// %y = llmos.bernoulli %p
//   => linalg.generic { u < p ? 1 : 0 } in the output's type
struct BernoulliLowering : public OpConversionPattern<BernoulliOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BernoulliOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getOutput());
    Value input = adaptor.getInput();
    if (!type || !isa<RankedTensorType>(input.getType()))
      return op.emitOpError("needs ranked tensors");
    Location loc = op.getLoc();
    Value key = randomKey(rewriter, op, op.getSeed());
    Type element = type.getElementType();
    Type inElement = cast<RankedTensorType>(input.getType()).getElementType();
    Type f = drawType(rewriter, inElement);
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    Value result = buildIndexedGeneric(
        rewriter, loc, type, sizes, ValueRange{}, ArrayRef<AffineMap>{},
        [&](OpBuilder &b, Location l, ValueRange at, ValueRange) -> Value {
          Value p = convertScalar(b, l, tensor::ExtractOp::create(b, l, input, at),
                                  f, false, false);
          Value u = uniform(b, l, key, linearIndex(b, l, at, sizes), 0, f);
          Value hit = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, u, p);
          if (element.isInteger(1))
            return hit;
          return arith::SelectOp::create(b, l, hit,
                                         scalarConstant(b, l, element, 1),
                                         scalarConstant(b, l, element, 0));
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, type));
    return success();
  }
};

// %y = llmos.multinomial %logits {sample_size}
//   => linalg.generic over [batch, sample_size] { the first class whose
//      running sum of exp(logit - max) passes u * total }
struct MultinomialLowering : public OpConversionPattern<MultinomialOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MultinomialOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getOutput());
    Value input = adaptor.getInput();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType || inputType.getRank() != 2 || type.getRank() != 2)
      return op.emitOpError("needs [batch, classes] logits");
    Location loc = op.getLoc();
    Value key = randomKey(rewriter, op, op.getSeed());
    Type element = type.getElementType();
    Type f = drawType(rewriter, inputType.getElementType());
    SmallVector<OpFoldResult> sizes = {getDimSize(rewriter, loc, input, 0),
                                       rewriter.getIndexAttr(op.getSampleSize())};
    Value classes = getDimSize(rewriter, loc, input, 1);
    Value result = buildIndexedGeneric(
        rewriter, loc, type, sizes, ValueRange{}, ArrayRef<AffineMap>{},
        [&](OpBuilder &b, Location l, ValueRange at, ValueRange) -> Value {
          Value c0 = indexConstant(b, l, 0), c1 = indexConstant(b, l, 1);
          auto logit = [&](OpBuilder &nb, Location nl, Value j) {
            return convertScalar(
                nb, nl, tensor::ExtractOp::create(nb, nl, input, ValueRange{at[0], j}),
                f, false, false);
          };
          auto maxLoop = scf::ForOp::create(
              b, l, c0, classes, c1, ValueRange{lowestValue(b, l, f)},
              [&](OpBuilder &nb, Location nl, Value j, ValueRange acc) {
                Value m = arith::MaximumFOp::create(nb, nl, acc[0], logit(nb, nl, j));
                scf::YieldOp::create(nb, nl, m);
              });
          Value peak = maxLoop.getResult(0);
          auto weight = [&](OpBuilder &nb, Location nl, Value j) {
            return math::ExpOp::create(nb, nl, subV(nb, nl, logit(nb, nl, j), peak))
                .getResult();
          };
          auto sumLoop = scf::ForOp::create(
              b, l, c0, classes, c1, ValueRange{scalarConstant(b, l, f, 0)},
              [&](OpBuilder &nb, Location nl, Value j, ValueRange acc) {
                Value s = addV(nb, nl, acc[0], weight(nb, nl, j));
                scf::YieldOp::create(nb, nl, s);
              });
          Value target = mulV(b, l, sumLoop.getResult(0),
                              uniform(b, l, key, linearIndex(b, l, at, sizes), 0, f));
          // (running sum, chosen class, found): the last class when
          // rounding leaves the target unreached.
          Value last = indexMax(b, l, indexSub(b, l, classes, c1), c0);
          Value no = arith::ConstantIntOp::create(b, l, b.getI1Type(), 0);
          auto pick = scf::ForOp::create(
              b, l, c0, classes, c1,
              ValueRange{scalarConstant(b, l, f, 0), last, no},
              [&](OpBuilder &nb, Location nl, Value j, ValueRange acc) {
                Value running = addV(nb, nl, acc[0], weight(nb, nl, j));
                Value passes = arith::CmpFOp::create(
                    nb, nl, arith::CmpFPredicate::OGT, running, target);
                Value take = arith::AndIOp::create(
                    nb, nl, passes,
                    arith::XOrIOp::create(
                        nb, nl, acc[2],
                        arith::ConstantIntOp::create(nb, nl, nb.getI1Type(), 1)));
                scf::YieldOp::create(
                    nb, nl,
                    ValueRange{running, arith::SelectOp::create(nb, nl, take, j, acc[1]),
                               arith::OrIOp::create(nb, nl, acc[2], take)});
              });
          return arith::IndexCastOp::create(b, l, element, pick.getResult(1));
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, type));
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateRandomPatterns(TypeConverter &converter,
                                                   RewritePatternSet &patterns) {
  patterns.add<RandomLowering<RandomUniformOp, Distribution::Uniform, false>,
               RandomLowering<RandomUniformLikeOp, Distribution::Uniform, true>,
               RandomLowering<RandomNormalOp, Distribution::Normal, false>,
               RandomLowering<RandomNormalLikeOp, Distribution::Normal, true>,
               BernoulliLowering, MultinomialLowering>(converter,
                                                       patterns.getContext());
}
