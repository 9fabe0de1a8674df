//===- Elementwise.cpp - Lowering of llmos elementwise ops ----------------===//
//
// This file lowers the elementwise ops (unary math, activations, binary
// arithmetic and comparisons with numpy broadcasting, variadic ops, casts,
// Clip, Where, PRelu, Dropout in inference) to one linalg.generic each. The
// scalar computation of each op is a small function registered in a table.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <functional>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

/// What the scalar function of an op gets besides its operands.
struct ScalarInfo {
  Operation *op;
  Type operandElement; // converted (signless) element type of operand 0
  Type resultElement;  // converted element type of the result
  bool isUnsigned;     // operand 0's element type was unsigned
};

using ScalarFn = std::function<Value(OpBuilder &, Location, ValueRange,
                                     const ScalarInfo &)>;

// %y = llmos.<op> %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
//   => linalg.generic {broadcasting maps} ins(%a, %b) outs(tensor.empty)
struct ElementwiseLowering : public ConversionPattern {
  ElementwiseLowering(const TypeConverter &converter, MLIRContext *context,
                      StringRef opName, ScalarFn fn)
      : ConversionPattern(converter, opName, /*benefit=*/1, context),
        fn(std::move(fn)) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op->getResult(0));
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    // CastLike's second operand only names the type: it is not an input of
    // the computation (broadcasting a rank-3 target into a rank-0 cast made
    // an indexing map that crashed linalg's verifier).
    if (isa<CastLikeOp>(op))
      operands = operands.take_front(1);
    for (Value operand : operands) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (!type)
        return rewriter.notifyMatchFailure(op, "operand is not ranked");
      // Broadcasting only adds leading dims: an operand of higher rank than
      // the result has no indexing map.
      if (type.getRank() > resultType.getRank())
        return op->emitOpError()
               << "has an operand of rank " << type.getRank()
               << " above its result's rank " << resultType.getRank();
    }
    ScalarInfo info{op,
                    operands.empty() ? Type() : elementTypeOf(operands[0]),
                    resultType.getElementType(),
                    op->getNumOperands() &&
                        isUnsignedElement(op->getOperand(0).getType())};
    Value result = buildElementwise(
        rewriter, op->getLoc(), resultType, operands,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return fn(b, loc, args, info);
        });
    SmallVector<Value> results{result};
    // Ops with a second result (Dropout's mask) get theirs separately.
    for (Value extra : op->getResults().drop_front()) {
      RankedTensorType type = convertedTensorType(*getTypeConverter(), extra);
      if (!type)
        return rewriter.notifyMatchFailure(op, "result is not ranked");
      results.push_back(buildElementwise(
          rewriter, op->getLoc(), type, operands.take_front(1),
          [&](OpBuilder &b, Location loc, ValueRange) {
            return scalarConstant(b, loc, type.getElementType(), 1);
          }));
    }
    rewriter.replaceOp(op, results);
    return success();
  }

  ScalarFn fn;
};

bool isFloat(Type t) { return isa<FloatType>(t); }

Value cst(OpBuilder &b, Location loc, Type t, double v) {
  return scalarConstant(b, loc, t, v);
}

Value exp(OpBuilder &b, Location loc, Value x) {
  return math::ExpOp::create(b, loc, x);
}

Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  Value negated = arith::NegFOp::create(b, loc, x);
  Value denominator =
      arith::AddFOp::create(b, loc, cst(b, loc, t, 1), exp(b, loc, negated));
  return arith::DivFOp::create(b, loc, cst(b, loc, t, 1), denominator);
}

Value softplus(OpBuilder &b, Location loc, Value x) {
  // log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)), stable for large |x|.
  Type t = x.getType();
  Value absX = math::AbsFOp::create(b, loc, x);
  Value term = math::Log1pOp::create(
      b, loc, exp(b, loc, arith::NegFOp::create(b, loc, absX)));
  Value positive = arith::MaximumFOp::create(b, loc, x, cst(b, loc, t, 0));
  return arith::AddFOp::create(b, loc, positive, term);
}

Value select(OpBuilder &b, Location loc, Value c, Value t, Value f) {
  return arith::SelectOp::create(b, loc, c, t, f);
}

Value cmpF(OpBuilder &b, Location loc, arith::CmpFPredicate p, Value x,
           Value y) {
  return arith::CmpFOp::create(b, loc, p, x, y);
}

Value maxOf(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isFloat(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value minOf(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isFloat(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

Value add(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

/// ONNX Mod: fmod = 0 takes the sign of the divisor (Python), fmod = 1 the
/// sign of the dividend (C).
Value mod(OpBuilder &b, Location loc, Value x, Value y, bool cMode,
          bool isUnsigned) {
  Type t = x.getType();
  if (isFloat(t)) {
    Value r = arith::RemFOp::create(b, loc, x, y);
    if (cMode)
      return r;
    Value zero = cst(b, loc, t, 0);
    Value rNeg = cmpF(b, loc, arith::CmpFPredicate::OLT, r, zero);
    Value yNeg = cmpF(b, loc, arith::CmpFPredicate::OLT, y, zero);
    Value rNonZero = cmpF(b, loc, arith::CmpFPredicate::ONE, r, zero);
    Value fix = arith::AndIOp::create(
        b, loc, rNonZero, arith::XOrIOp::create(b, loc, rNeg, yNeg));
    return select(b, loc, fix, arith::AddFOp::create(b, loc, r, y), r);
  }
  if (isUnsigned)
    return arith::RemUIOp::create(b, loc, x, y);
  Value r = arith::RemSIOp::create(b, loc, x, y);
  if (cMode)
    return r;
  Value zero = cst(b, loc, t, 0);
  Value rNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, zero);
  Value yNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
  Value rNonZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, r, zero);
  Value fix = arith::AndIOp::create(b, loc, rNonZero,
                                    arith::XOrIOp::create(b, loc, rNeg, yNeg));
  return select(b, loc, fix, arith::AddIOp::create(b, loc, r, y), r);
}

Value compare(OpBuilder &b, Location loc, Value x, Value y,
              arith::CmpFPredicate fp, arith::CmpIPredicate sp,
              arith::CmpIPredicate up, bool isUnsigned) {
  if (isFloat(x.getType()))
    return cmpF(b, loc, fp, x, y);
  return arith::CmpIOp::create(b, loc, isUnsigned ? up : sp, x, y);
}

Value power(OpBuilder &b, Location loc, Value base, Value exponent,
            const ScalarInfo &info) {
  Type t = base.getType();
  Type e = exponent.getType();
  if (isFloat(t)) {
    if (isFloat(e))
      return math::PowFOp::create(
          b, loc, base, convertScalar(b, loc, exponent, t, false, false));
    Value asFloat = convertScalar(b, loc, exponent, t,
                                  isUnsignedElement(info.op->getOperand(1).getType()),
                                  false);
    return math::PowFOp::create(b, loc, base, asFloat);
  }
  if (isFloat(e)) {
    // Integer base, float exponent: compute in the exponent's type.
    Value asFloat = convertScalar(b, loc, base, e, info.isUnsigned, false);
    Value r = math::PowFOp::create(b, loc, asFloat, exponent);
    return convertScalar(b, loc, r, t, false, info.isUnsigned);
  }
  Value exp64 = convertScalar(b, loc, exponent, t, false, false);
  return math::IPowIOp::create(b, loc, base, exp64);
}

using ScalarTable = llvm::StringMap<ScalarFn>;

void addUnary(ScalarTable &t, StringRef name,
              std::function<Value(OpBuilder &, Location, Value,
                                  const ScalarInfo &)>
                  fn) {
  t[name] = [fn](OpBuilder &b, Location loc, ValueRange args,
                 const ScalarInfo &info) { return fn(b, loc, args[0], info); };
}

void addBinary(ScalarTable &t, StringRef name,
               std::function<Value(OpBuilder &, Location, Value, Value,
                                   const ScalarInfo &)>
                   fn) {
  t[name] = [fn](OpBuilder &b, Location loc, ValueRange args,
                 const ScalarInfo &info) {
    return fn(b, loc, args[0], args[1], info);
  };
}

/// Variadic ops fold their operands pairwise.
void addVariadic(ScalarTable &t, StringRef name,
                 std::function<Value(OpBuilder &, Location, Value, Value,
                                     const ScalarInfo &)>
                     fn,
                 bool mean = false) {
  t[name] =
      [fn, mean](OpBuilder &b, Location loc, ValueRange args,
                 const ScalarInfo &info) {
        Value acc = args[0];
        for (Value v : args.drop_front())
          acc = fn(b, loc, acc, v, info);
        if (mean)
          acc = arith::DivFOp::create(
              b, loc, acc, cst(b, loc, acc.getType(), args.size()));
        return acc;
      };
}

} // namespace

namespace {
/// The scalar function of every elementwise op, by op name.
ScalarTable buildScalarTable() {
  ScalarTable t;
  using B = OpBuilder;
  using L = Location;
  using I = const ScalarInfo &;
  // Unary math.
  addUnary(t, AbsOp::getOperationName(), [](B &b, L l, Value x, I i) -> Value {
    if (isFloat(x.getType()))
      return math::AbsFOp::create(b, l, x);
    return i.isUnsigned ? x : Value(math::AbsIOp::create(b, l, x));
  });
  addUnary(t, NegOp::getOperationName(), [](B &b, L l, Value x, I) -> Value {
    if (isFloat(x.getType()))
      return arith::NegFOp::create(b, l, x);
    return arith::SubIOp::create(b, l, cst(b, l, x.getType(), 0), x);
  });
#define LLMOS_FLOAT_UNARY(OP, MATH)                                            \
  addUnary(t, OP::getOperationName(),                                      \
           [](B &b, L l, Value x, I) -> Value { return MATH::create(b, l, x); });
  LLMOS_FLOAT_UNARY(ExpOp, math::ExpOp)
  LLMOS_FLOAT_UNARY(LogOp, math::LogOp)
  LLMOS_FLOAT_UNARY(SqrtOp, math::SqrtOp)
  LLMOS_FLOAT_UNARY(TanhOp, math::TanhOp)
  LLMOS_FLOAT_UNARY(ErfOp, math::ErfOp)
  LLMOS_FLOAT_UNARY(FloorOp, math::FloorOp)
  LLMOS_FLOAT_UNARY(CeilOp, math::CeilOp)
  LLMOS_FLOAT_UNARY(RoundOp, math::RoundEvenOp)
  LLMOS_FLOAT_UNARY(SinOp, math::SinOp)
  LLMOS_FLOAT_UNARY(CosOp, math::CosOp)
  LLMOS_FLOAT_UNARY(TanOp, math::TanOp)
  LLMOS_FLOAT_UNARY(AsinOp, math::AsinOp)
  LLMOS_FLOAT_UNARY(AcosOp, math::AcosOp)
  LLMOS_FLOAT_UNARY(AtanOp, math::AtanOp)
  LLMOS_FLOAT_UNARY(SinhOp, math::SinhOp)
  LLMOS_FLOAT_UNARY(CoshOp, math::CoshOp)
  LLMOS_FLOAT_UNARY(AsinhOp, math::AsinhOp)
  LLMOS_FLOAT_UNARY(AcoshOp, math::AcoshOp)
  LLMOS_FLOAT_UNARY(AtanhOp, math::AtanhOp)
#undef LLMOS_FLOAT_UNARY
  addUnary(t, ReciprocalOp::getOperationName(),
           [](B &b, L l, Value x, I) -> Value {
             return arith::DivFOp::create(b, l, cst(b, l, x.getType(), 1), x);
           });
  addUnary(t, SignOp::getOperationName(), [](B &b, L l, Value x, I i) -> Value {
    Type t = x.getType();
    Value zero = cst(b, l, t, 0), one = cst(b, l, t, 1);
    if (isFloat(t)) {
      Value pos = cmpF(b, l, arith::CmpFPredicate::OGT, x, zero);
      Value neg = cmpF(b, l, arith::CmpFPredicate::OLT, x, zero);
      return select(b, l, pos, one,
                    select(b, l, neg, cst(b, l, t, -1), select(b, l, cmpF(b, l, arith::CmpFPredicate::UNO, x, x), x, zero)));
    }
    Value pos = arith::CmpIOp::create(
        b, l, i.isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, x, zero);
    Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, x, zero);
    if (i.isUnsigned)
      return select(b, l, pos, one, zero);
    return select(b, l, pos, one, select(b, l, neg, cst(b, l, t, -1), zero));
  });
  addUnary(t, IsNaNOp::getOperationName(), [](B &b, L l, Value x, I) -> Value {
    return cmpF(b, l, arith::CmpFPredicate::UNO, x, x);
  });
  addUnary(t, IsInfOp::getOperationName(), [](B &b, L l, Value x, I i) -> Value {
    auto op = cast<IsInfOp>(i.op);
    Type t = x.getType();
    Value pos = cmpF(b, l, arith::CmpFPredicate::OEQ, x,
                     cst(b, l, t, std::numeric_limits<double>::infinity()));
    Value neg = cmpF(b, l, arith::CmpFPredicate::OEQ, x,
                     cst(b, l, t, -std::numeric_limits<double>::infinity()));
    Value no = cst(b, l, b.getI1Type(), 0);
    Value r = op.getDetectPositive() ? pos : no;
    if (op.getDetectNegative())
      r = arith::OrIOp::create(b, l, r, neg);
    return r;
  });
  addUnary(t, NotOp::getOperationName(), [](B &b, L l, Value x, I) -> Value {
    return arith::XOrIOp::create(b, l, x, cst(b, l, x.getType(), 1));
  });
  addUnary(t, BitwiseNotOp::getOperationName(),
           [](B &b, L l, Value x, I) -> Value {
             return arith::XOrIOp::create(b, l, x, cst(b, l, x.getType(), -1));
           });
  addUnary(t, IdentityOp::getOperationName(),
           [](B &, L, Value x, I) { return x; });

  // Activations (the formulas the fused ops' epilogues share).
  auto activation = [](StringRef kind) {
    return [kind](B &b, L l, Value x, I) {
      return buildActivation(b, l, x, kind, {});
    };
  };
  addUnary(t, ReluOp::getOperationName(), activation("relu"));
  addUnary(t, SigmoidOp::getOperationName(), activation("sigmoid"));
  addUnary(t, LeakyReluOp::getOperationName(), [](B &b, L l, Value x, I i) {
    float alpha = cast<LeakyReluOp>(i.op).getAlpha();
    return buildActivation(b, l, x, "leaky_relu", {alpha});
  });
  auto eluLike = [](B &b, L l, Value x, float alpha) -> Value {
    Type t = x.getType();
    Value negative = arith::MulFOp::create(
        b, l, cst(b, l, t, alpha),
        arith::SubFOp::create(b, l, exp(b, l, x), cst(b, l, t, 1)));
    Value pos = cmpF(b, l, arith::CmpFPredicate::OGT, x, cst(b, l, t, 0));
    return select(b, l, pos, x, negative);
  };
  addUnary(t, EluOp::getOperationName(), [eluLike](B &b, L l, Value x, I i) {
    return eluLike(b, l, x, cast<EluOp>(i.op).getAlpha());
  });
  addUnary(t, SeluOp::getOperationName(), [eluLike](B &b, L l, Value x, I i) -> Value {
    auto op = cast<SeluOp>(i.op);
    return arith::MulFOp::create(b, l, cst(b, l, x.getType(), op.getGamma()),
                                 eluLike(b, l, x, op.getAlpha()));
  });
  addUnary(t, CeluOp::getOperationName(), [](B &b, L l, Value x, I i) -> Value {
    Type t = x.getType();
    float alpha = cast<CeluOp>(i.op).getAlpha();
    Value scaled = arith::DivFOp::create(b, l, x, cst(b, l, t, alpha));
    Value neg = arith::MulFOp::create(
        b, l, cst(b, l, t, alpha),
        arith::SubFOp::create(b, l, exp(b, l, scaled), cst(b, l, t, 1)));
    Value zero = cst(b, l, t, 0);
    return arith::AddFOp::create(b, l, arith::MaximumFOp::create(b, l, x, zero),
                                 arith::MinimumFOp::create(b, l, neg, zero));
  });
  addUnary(t, HardSigmoidOp::getOperationName(), [](B &b, L l, Value x, I i) {
    auto op = cast<HardSigmoidOp>(i.op);
    return buildActivation(b, l, x, "hard_sigmoid",
                           {op.getAlpha(), op.getBeta()});
  });
  addUnary(t, HardSwishOp::getOperationName(), activation("hard_swish"));
  addUnary(t, ThresholdedReluOp::getOperationName(), [](B &b, L l, Value x, I i) -> Value {
    Type t = x.getType();
    Value above = cmpF(b, l, arith::CmpFPredicate::OGT, x,
                       cst(b, l, t, cast<ThresholdedReluOp>(i.op).getAlpha()));
    return select(b, l, above, x, cst(b, l, t, 0));
  });
  addUnary(t, SoftplusOp::getOperationName(),
           [](B &b, L l, Value x, I) { return softplus(b, l, x); });
  addUnary(t, SoftsignOp::getOperationName(), [](B &b, L l, Value x, I) -> Value {
    Type t = x.getType();
    Value d = arith::AddFOp::create(b, l, cst(b, l, t, 1),
                                    math::AbsFOp::create(b, l, x));
    return arith::DivFOp::create(b, l, x, d);
  });
  addUnary(t, MishOp::getOperationName(), [](B &b, L l, Value x, I) -> Value {
    return arith::MulFOp::create(
        b, l, x, math::TanhOp::create(b, l, softplus(b, l, x)));
  });
  addUnary(t, GeluOp::getOperationName(), [](B &b, L l, Value x, I i) {
    bool tanh = cast<GeluOp>(i.op).getApproximate() == "tanh";
    return buildActivation(b, l, x, tanh ? "gelu_tanh" : "gelu", {});
  });
  addUnary(t, ShrinkOp::getOperationName(), [](B &b, L l, Value x, I i) -> Value {
    auto op = cast<ShrinkOp>(i.op);
    Type t = x.getType();
    if (!isFloat(t)) {
      Value xf = convertScalar(b, l, x, b.getF32Type(), i.isUnsigned, false);
      Value lambd = cst(b, l, b.getF32Type(), op.getLambd());
      Value bias = cst(b, l, b.getF32Type(), op.getBias());
      Value low = cmpF(b, l, arith::CmpFPredicate::OLT, xf,
                       arith::NegFOp::create(b, l, lambd));
      Value high = cmpF(b, l, arith::CmpFPredicate::OGT, xf, lambd);
      Value r = select(b, l, low, arith::AddFOp::create(b, l, xf, bias),
                       select(b, l, high, arith::SubFOp::create(b, l, xf, bias),
                              cst(b, l, b.getF32Type(), 0)));
      return convertScalar(b, l, r, t, false, i.isUnsigned);
    }
    Value lambd = cst(b, l, t, op.getLambd()), bias = cst(b, l, t, op.getBias());
    Value low = cmpF(b, l, arith::CmpFPredicate::OLT, x,
                     arith::NegFOp::create(b, l, lambd));
    Value high = cmpF(b, l, arith::CmpFPredicate::OGT, x, lambd);
    return select(b, l, low, arith::AddFOp::create(b, l, x, bias),
                  select(b, l, high, arith::SubFOp::create(b, l, x, bias),
                         cst(b, l, t, 0)));
  });
  // Dropout in inference: the output is the input; the mask (a second
  // result) is all true.
  addUnary(t, DropoutOp::getOperationName(),
           [](B &, L, Value x, I) { return x; });

  // Casts.
  t[CastOp::getOperationName()] = ScalarFn(
      [](B &b, L l, ValueRange args, I i) {
        auto op = cast<CastOp>(i.op);
        bool toUnsigned = isUnsignedElement(op.getTo());
        return convertScalar(b, l, args[0], i.resultElement, i.isUnsigned,
                             toUnsigned, op.getSaturate() != 0,
                             op.getRoundMode());
      });
  // BitCast: the same bits; bool is a byte that is 0 or 1.
  t[BitCastOp::getOperationName()] = ScalarFn(
      [](B &b, L l, ValueRange args, I i) -> Value {
        Value x = args[0];
        Type to = i.resultElement;
        if (x.getType() == to)
          return x;
        if (to.isInteger(1))
          return arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, x,
                                       cst(b, l, x.getType(), 0));
        if (x.getType().isInteger(1))
          return arith::ExtUIOp::create(b, l, to, x);
        return arith::BitcastOp::create(b, l, to, x);
      });
  t[CastLikeOp::getOperationName()] = ScalarFn(
      [](B &b, L l, ValueRange args, I i) {
        auto op = cast<CastLikeOp>(i.op);
        bool toUnsigned = isUnsignedElement(op.getTargetType().getType());
        return convertScalar(b, l, args[0], i.resultElement, i.isUnsigned,
                             toUnsigned, op.getSaturate() != 0,
                             op.getRoundMode());
      });

  // Binary arithmetic.
  addBinary(t, AddOp::getOperationName(),
            [](B &b, L l, Value x, Value y, I) { return add(b, l, x, y); });
  addBinary(t, SubOp::getOperationName(), [](B &b, L l, Value x, Value y, I) -> Value {
    if (isFloat(x.getType()))
      return arith::SubFOp::create(b, l, x, y);
    return arith::SubIOp::create(b, l, x, y);
  });
  addBinary(t, MulOp::getOperationName(),
            [](B &b, L l, Value x, Value y, I) { return mul(b, l, x, y); });
  addBinary(t, DivOp::getOperationName(), [](B &b, L l, Value x, Value y, I i) -> Value {
    if (isFloat(x.getType()))
      return arith::DivFOp::create(b, l, x, y);
    if (i.isUnsigned)
      return arith::DivUIOp::create(b, l, x, y);
    return arith::DivSIOp::create(b, l, x, y);
  });
  addBinary(t, ModOp::getOperationName(), [](B &b, L l, Value x, Value y, I i) {
    return mod(b, l, x, y, cast<ModOp>(i.op).getFmod() != 0, i.isUnsigned);
  });
  addBinary(t, PowOp::getOperationName(),
            [](B &b, L l, Value x, Value y, I i) { return power(b, l, x, y, i); });
  // Shift amounts outside [0, width) (LLVM's poison) shift everything out:
  // 0, or the sign for a signed right shift, as BitShift-28 defines them.
  addBinary(t, BitShiftOp::getOperationName(), [](B &b, L l, Value x, Value y, I i) -> Value {
    Type type = x.getType();
    unsigned width = type.getIntOrFloatBitWidth();
    Value widthValue = cst(b, l, type, width);
    Value inRange = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, y,
                                          widthValue);
    if (cast<BitShiftOp>(i.op).getDirection() == "LEFT")
      return select(b, l, inRange, arith::ShLIOp::create(b, l, x, y),
                    cst(b, l, type, 0));
    if (i.isUnsigned)
      return select(b, l, inRange, arith::ShRUIOp::create(b, l, x, y),
                    cst(b, l, type, 0));
    Value amount = select(b, l, inRange, y, cst(b, l, type, width - 1));
    return arith::ShRSIOp::create(b, l, x, amount);
  });
#define LLMOS_BITWISE(OP, ARITH)                                               \
  addBinary(t, OP::getOperationName(), [](B &b, L l, Value x, Value y, I) \
                -> Value { return ARITH::create(b, l, x, y); });
  LLMOS_BITWISE(AndOp, arith::AndIOp)
  LLMOS_BITWISE(OrOp, arith::OrIOp)
  LLMOS_BITWISE(XorOp, arith::XOrIOp)
  LLMOS_BITWISE(BitwiseAndOp, arith::AndIOp)
  LLMOS_BITWISE(BitwiseOrOp, arith::OrIOp)
  LLMOS_BITWISE(BitwiseXorOp, arith::XOrIOp)
#undef LLMOS_BITWISE

  // Comparisons.
  auto comparison = [&](StringRef name, arith::CmpFPredicate fp,
                        arith::CmpIPredicate sp, arith::CmpIPredicate up) {
    addBinary(t, name, [=](B &b, L l, Value x, Value y, I i) {
      return compare(b, l, x, y, fp, sp, up, i.isUnsigned);
    });
  };
  comparison(EqualOp::getOperationName(), arith::CmpFPredicate::OEQ,
             arith::CmpIPredicate::eq, arith::CmpIPredicate::eq);
  comparison(LessOp::getOperationName(), arith::CmpFPredicate::OLT,
             arith::CmpIPredicate::slt, arith::CmpIPredicate::ult);
  comparison(LessOrEqualOp::getOperationName(), arith::CmpFPredicate::OLE,
             arith::CmpIPredicate::sle, arith::CmpIPredicate::ule);
  comparison(GreaterOp::getOperationName(), arith::CmpFPredicate::OGT,
             arith::CmpIPredicate::sgt, arith::CmpIPredicate::ugt);
  comparison(GreaterOrEqualOp::getOperationName(), arith::CmpFPredicate::OGE,
             arith::CmpIPredicate::sge, arith::CmpIPredicate::uge);

  // Variadic.
  addVariadic(t, SumOp::getOperationName(),
              [](B &b, L l, Value x, Value y, I) { return add(b, l, x, y); });
  addVariadic(t, MeanOp::getOperationName(),
              [](B &b, L l, Value x, Value y, I) { return add(b, l, x, y); },
              /*mean=*/true);
  addVariadic(t, MaxOp::getOperationName(),
              [](B &b, L l, Value x, Value y, I i) {
                return maxOf(b, l, x, y, i.isUnsigned);
              });
  addVariadic(t, MinOp::getOperationName(),
              [](B &b, L l, Value x, Value y, I i) {
                return minOf(b, l, x, y, i.isUnsigned);
              });

  // Selection and clamping.
  t[WhereOp::getOperationName()] = ScalarFn(
      [](B &b, L l, ValueRange args, I) -> Value {
        return select(b, l, args[0], args[1], args[2]);
      });
  addBinary(t, PReluOp::getOperationName(), [](B &b, L l, Value x, Value s, I i) -> Value {
    Type t = x.getType();
    Value zero = cst(b, l, t, 0);
    Value neg = isFloat(t) ? cmpF(b, l, arith::CmpFPredicate::OLT, x, zero)
                           : Value(arith::CmpIOp::create(
                                 b, l, arith::CmpIPredicate::slt, x, zero));
    return select(b, l, neg, mul(b, l, x, s), x);
  });
  t[ClipOp::getOperationName()] = ScalarFn(
      [](B &b, L l, ValueRange args, I i) -> Value {
        auto op = cast<ClipOp>(i.op);
        Value x = args[0];
        unsigned next = 1;
        if (op.getMin())
          x = maxOf(b, l, x, args[next++], i.isUnsigned);
        if (op.getMax())
          x = minOf(b, l, x, args[next++], i.isUnsigned);
        return x;
      });
  return t;
}

const ScalarTable &scalarTable() {
  static const ScalarTable table = buildScalarTable();
  return table;
}
} // namespace

void mlir::llmos::lowering::populateElementwisePatterns(
    TypeConverter &c, RewritePatternSet &p) {
  for (const auto &entry : scalarTable())
    p.add<ElementwiseLowering>(c, p.getContext(), entry.getKey(),
                               entry.getValue());
}

FailureOr<Value> mlir::llmos::lowering::buildElementwiseScalar(
    OpBuilder &b, Location loc, Operation *op, ValueRange args,
    Type resultElement) {
  auto it = scalarTable().find(op->getName().getStringRef());
  if (it == scalarTable().end() || op->getNumResults() != 1)
    return failure();
  ScalarInfo info{op, args.empty() ? Type() : args[0].getType(),
                  resultElement,
                  op->getNumOperands() &&
                      isUnsignedElement(op->getOperand(0).getType())};
  return it->getValue()(b, loc, args, info);
}


Value mlir::llmos::lowering::buildActivation(OpBuilder &b, Location l,
                                             Value x, StringRef kind,
                                             ArrayRef<float> params) {
  Type t = x.getType();
  auto mulF = [&](Value u, Value v) -> Value {
    return arith::MulFOp::create(b, l, u, v);
  };
  auto hardSigmoid = [&](float alpha, float beta) -> Value {
    Value v = arith::AddFOp::create(b, l, mulF(x, cst(b, l, t, alpha)),
                                    cst(b, l, t, beta));
    return arith::MinimumFOp::create(
        b, l, arith::MaximumFOp::create(b, l, v, cst(b, l, t, 0)),
        cst(b, l, t, 1));
  };
  if (kind == "relu")
    return maxOf(b, l, x, cst(b, l, t, 0), false);
  if (kind == "leaky_relu") {
    Value neg = cmpF(b, l, arith::CmpFPredicate::OLT, x, cst(b, l, t, 0));
    return select(b, l, neg, mulF(x, cst(b, l, t, params[0])), x);
  }
  if (kind == "clip")
    return arith::MinimumFOp::create(
        b, l, arith::MaximumFOp::create(b, l, x, cst(b, l, t, params[0])),
        cst(b, l, t, params[1]));
  if (kind == "sigmoid")
    return sigmoid(b, l, x);
  if (kind == "hard_sigmoid")
    return hardSigmoid(params[0], params[1]);
  if (kind == "hard_swish")
    return mulF(x, hardSigmoid(1.0f / 6, 0.5f));
  if (kind == "silu")
    return mulF(x, sigmoid(b, l, x));
  if (kind == "tanh")
    return math::TanhOp::create(b, l, x);
  if (kind == "gelu" || kind == "gelu_tanh") {
    Value half = mulF(x, cst(b, l, t, 0.5));
    Value inner;
    if (kind == "gelu_tanh") {
      Value cube = mulF(mulF(x, x), x);
      Value poly =
          arith::AddFOp::create(b, l, x, mulF(cube, cst(b, l, t, 0.044715)));
      inner = math::TanhOp::create(
          b, l, mulF(poly, cst(b, l, t, std::sqrt(2.0 / M_PI))));
    } else {
      inner = math::ErfOp::create(b, l, mulF(x, cst(b, l, t, M_SQRT1_2)));
    }
    return mulF(half, arith::AddFOp::create(b, l, cst(b, l, t, 1), inner));
  }
  return x; // "none"
}
