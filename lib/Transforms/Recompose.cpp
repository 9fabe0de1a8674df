//===- Recompose.cpp - LayerNorm, GELU and Softmax from expansions --------===//
//
// This file implements llmos-recompose: subgraphs that exporters write for
// ops older opsets lack are matched and replaced by the op.
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

#include <cmath>

namespace mlir::llmos {
#define GEN_PASS_DEF_RECOMPOSEPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

/// The only user of `value`, if it has exactly one.
Operation *onlyUser(Value value) {
  return value.hasOneUse() ? *value.getUsers().begin() : nullptr;
}

template <typename OpTy>
OpTy onlyUserOf(Value value) {
  return dyn_cast_or_null<OpTy>(onlyUser(value));
}

bool near(std::optional<double> v, double expected) {
  return v && std::fabs(*v - expected) <= 1e-4 * std::fabs(expected);
}

/// The single axis a keepdims reduction reduces, normalized; nullopt when
/// it reduces several or keeps no dims.
template <typename ReduceOp>
std::optional<int64_t> singleAxis(ReduceOp op) {
  if (op.getKeepdims() != 1 || !op.getAxes())
    return std::nullopt;
  std::optional<SmallVector<int64_t>> axes = getConstantInts(op.getAxes());
  int64_t rank = getRank(op.getData());
  if (!axes || axes->size() != 1 || rank <= 0)
    return std::nullopt;
  int64_t axis = (*axes)[0] < 0 ? (*axes)[0] + rank : (*axes)[0];
  if (axis < 0 || axis >= rank)
    return std::nullopt;
  return axis;
}

struct RecomposePass
    : public mlir::llmos::impl::RecomposePassBase<RecomposePass> {

  /// mean = ReduceMean(x); d = x - mean; var = ReduceMean(d^2);
  /// y = d / Sqrt(var + eps) [* scale] [+ bias], over the last axis.
  bool layerNorm(ReduceMeanOp mean) {
    Value x = mean.getData();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    std::optional<int64_t> axis = singleAxis(mean);
    if (!xType || !axis || *axis != xType.getRank() - 1)
      return false;
    auto sub = onlyUserOf<SubOp>(mean.getResult());
    if (!sub || sub.getA() != x || sub.getB() != mean.getResult())
      return false;
    Value d = sub.getResult();
    if (std::distance(d.use_begin(), d.use_end()) != 2)
      return false;
    Operation *square = nullptr, *normalize = nullptr;
    for (Operation *user : d.getUsers()) {
      if (auto pow = dyn_cast<PowOp>(user)) {
        if (pow.getX() == d && isSplatOf(pow.getY(), 2.0))
          square = user;
      } else if (auto mul = dyn_cast<MulOp>(user)) {
        if (mul.getA() == d && mul.getB() == d)
          square = user;
        else
          normalize = user;
      } else if (isa<DivOp>(user)) {
        normalize = user;
      }
    }
    if (!square || !normalize)
      return false;
    auto var = onlyUserOf<ReduceMeanOp>(square->getResult(0));
    if (!var || singleAxis(var) != axis)
      return false;
    auto addEps = onlyUserOf<AddOp>(var.getResult());
    if (!addEps)
      return false;
    std::optional<double> eps =
        getSplatValue(otherOperand(addEps, var.getResult()));
    if (!eps)
      return false;
    auto sqrt = onlyUserOf<SqrtOp>(addEps.getResult());
    if (!sqrt)
      return false;
    // d / sqrt, or d * Reciprocal(sqrt).
    Value y;
    if (auto div = dyn_cast<DivOp>(normalize)) {
      if (div.getA() != d || div.getB() != sqrt.getResult())
        return false;
      y = div.getResult();
    } else {
      auto reciprocal = onlyUserOf<ReciprocalOp>(sqrt.getResult());
      if (!reciprocal ||
          otherOperand(normalize, d) != reciprocal.getResult())
        return false;
      y = normalize->getResult(0);
    }
    if (y.getType() != xType)
      return false;
    // Optional affine part: scale and bias of the normalized axis only.
    int64_t channels = xType.getDimSize(xType.getRank() - 1);
    auto perChannel = [&](Value v) {
      auto t = dyn_cast<RankedTensorType>(v.getType());
      if (!t || t.getRank() < 1 || t.getDimSize(t.getRank() - 1) != channels ||
          ShapedType::isDynamic(channels))
        return false;
      for (int64_t dim : t.getShape().drop_back())
        if (dim != 1)
          return false;
      return true;
    };
    Value scale, bias;
    Operation *last = y.getDefiningOp();
    if (auto mul = onlyUserOf<MulOp>(y)) {
      Value s = otherOperand(mul, y);
      if (s && s != y && perChannel(s) && mul.getType() == xType) {
        scale = s;
        y = mul.getResult();
        last = mul;
      }
    }
    if (auto add = onlyUserOf<AddOp>(y)) {
      Value bv = otherOperand(add, y);
      if (bv && bv != y && perChannel(bv) && add.getType() == xType) {
        bias = bv;
        y = add.getResult();
        last = add;
      }
    }
    if (ShapedType::isDynamic(channels))
      return false;
    OpBuilder b(last);
    Location loc = last->getLoc();
    Type element = xType.getElementType();
    auto vectorType = RankedTensorType::get({channels}, element);
    auto asVector = [&](Value v) -> Value {
      if (v.getType() == vectorType)
        return v;
      return ReshapeOp::create(b, loc, vectorType, v,
                               createI64Constant(b, loc, {channels}),
                               b.getI64IntegerAttr(0));
    };
    if (!scale)
      scale = createConstant(
          b, loc, HostTensor{vectorType, std::vector<double>(channels, 1.0), {}});
    SmallVector<int64_t> statShape(xType.getShape());
    statShape.back() = 1;
    auto statType = RankedTensorType::get(statShape, b.getF32Type());
    auto ln = LayerNormalizationOp::create(
        b, loc, TypeRange{xType, statType, statType}, x, asVector(scale),
        bias ? asVector(bias) : Value(), b.getI64IntegerAttr(-1),
        b.getF32FloatAttr(static_cast<float>(*eps)), b.getI64IntegerAttr(1));
    y.replaceAllUsesWith(ln.getY());
    countRewrite(this, "layer normalization recomposed");
    return true;
  }

  /// x * 0.5 * (1 + Erf(x / sqrt(2))), any association of the product.
  bool gelu(ErfOp erf) {
    Operation *scaled = erf.getInput().getDefiningOp();
    Value x;
    if (auto div = dyn_cast_or_null<DivOp>(scaled)) {
      if (near(getSplatValue(div.getB()), std::sqrt(2.0)))
        x = div.getA();
    } else if (auto mul = dyn_cast_or_null<MulOp>(scaled)) {
      for (Value operand : mul->getOperands())
        if (near(getSplatValue(operand), M_SQRT1_2))
          x = otherOperand(mul, operand);
    }
    if (!x || !scaled->getResult(0).hasOneUse())
      return false;
    Value result = halfXTimesOnePlus(erf.getResult(), x);
    if (!result)
      return false;
    return replaceByGelu(result, x, "none");
  }

  /// The value 0.5 * x * (1 + t) computed from `t` (any association of
  /// the product), or null.
  Value halfXTimesOnePlus(Value t, Value x) {
    auto onePlus = onlyUserOf<AddOp>(t);
    if (!onePlus || !isSplatOf(otherOperand(onePlus, t), 1.0))
      return nullptr;
    Value sum = onePlus.getResult();
    auto m1 = onlyUserOf<MulOp>(sum);
    if (!m1)
      return nullptr;
    Value o1 = otherOperand(m1, sum);
    auto isHalf = [](Value v) { return isSplatOf(v, 0.5); };
    auto isHalfX = [&](Value v) {
      auto half = v.getDefiningOp<MulOp>();
      return half && v.hasOneUse() &&
             ((half.getA() == x && isHalf(half.getB())) ||
              (half.getB() == x && isHalf(half.getA())));
    };
    Value result;
    if (o1 == x) { // (x * t) * 0.5
      auto m2 = onlyUserOf<MulOp>(m1.getResult());
      if (m2 && isHalf(otherOperand(m2, m1.getResult())))
        result = m2.getResult();
    } else if (isHalf(o1)) { // (t * 0.5) * x
      auto m2 = onlyUserOf<MulOp>(m1.getResult());
      if (m2 && otherOperand(m2, m1.getResult()) == x)
        result = m2.getResult();
    } else if (isHalfX(o1)) { // (x * 0.5) * t
      result = m1.getResult();
    }
    if (!result || result.getType() != x.getType())
      return nullptr;
    return result;
  }

  bool replaceByGelu(Value result, Value x, StringRef approximate) {
    OpBuilder b(result.getDefiningOp());
    auto op = GeluOp::create(b, result.getLoc(), x.getType(), x,
                             b.getStringAttr(approximate));
    result.replaceAllUsesWith(op.getResult());
    countRewrite(this, approximate == "tanh" ? "gelu tanh recomposed"
                                             : "gelu recomposed");
    return true;
  }

  /// v = x^3: Pow(x, 3), x * (x * x) or (x * x) * x.
  static bool isCube(Value v, Value x) {
    Operation *op = v.getDefiningOp();
    if (auto pow = dyn_cast_or_null<PowOp>(op))
      return pow.getX() == x && isSplatOf(pow.getY(), 3.0);
    auto mul = dyn_cast_or_null<MulOp>(op);
    if (!mul)
      return false;
    auto isSquare = [&](Value s) {
      auto sq = s.getDefiningOp<MulOp>();
      return sq && sq.getA() == x && sq.getB() == x;
    };
    return (mul.getA() == x && isSquare(mul.getB())) ||
           (mul.getB() == x && isSquare(mul.getA()));
  }

  /// 0.5 * x * (1 + Tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
  bool geluTanh(TanhOp tanh) {
    auto scaled = tanh.getInput().getDefiningOp<MulOp>();
    if (!scaled || !scaled->hasOneUse())
      return false;
    Value inner;
    for (Value operand : scaled->getOperands())
      if (near(getSplatValue(operand), std::sqrt(2.0 / M_PI)))
        inner = otherOperand(scaled, operand);
    auto add = inner ? inner.getDefiningOp<AddOp>() : AddOp();
    if (!add)
      return false;
    Value x;
    for (Value candidate : add->getOperands()) {
      auto term = otherOperand(add, candidate).getDefiningOp<MulOp>();
      if (!term)
        continue;
      for (Value operand : term->getOperands())
        if (near(getSplatValue(operand), 0.044715) &&
            isCube(otherOperand(term, operand), candidate))
          x = candidate;
    }
    if (!x)
      return false;
    Value result = halfXTimesOnePlus(tanh.getResult(), x);
    if (!result)
      return false;
    return replaceByGelu(result, x, "tanh");
  }

  /// x * HardSigmoid(x) with alpha 1/6 and beta 0.5 (opset-13 HardSwish).
  bool hardSwish(HardSigmoidOp sigmoid) {
    auto mul = onlyUserOf<MulOp>(sigmoid.getResult());
    Value x = sigmoid.getX();
    if (!mul || otherOperand(mul, sigmoid.getResult()) != x ||
        !near(sigmoid.getAlpha(), 1.0 / 6) || !near(sigmoid.getBeta(), 0.5) ||
        mul.getType() != x.getType())
      return false;
    OpBuilder b(mul);
    auto op = HardSwishOp::create(b, mul.getLoc(), x.getType(), x);
    mul.getResult().replaceAllUsesWith(op.getResult());
    countRewrite(this, "hard swish recomposed");
    return true;
  }

  /// Exp(x - ReduceMax(x)) / ReduceSum(Exp(...)) over one axis (the
  /// maximum is optional).
  bool softmax(ExpOp exp) {
    Value e = exp.getResult();
    if (std::distance(e.use_begin(), e.use_end()) != 2)
      return false;
    ReduceSumOp sum;
    DivOp div;
    for (Operation *user : e.getUsers()) {
      if (auto s = dyn_cast<ReduceSumOp>(user))
        sum = s;
      else if (auto d = dyn_cast<DivOp>(user))
        div = d;
    }
    if (!sum || !div || div.getA() != e || div.getB() != sum.getResult() ||
        !sum->hasOneUse())
      return false;
    std::optional<int64_t> axis = singleAxis(sum);
    if (!axis)
      return false;
    Value x = exp.getInput();
    if (auto sub = x.getDefiningOp<SubOp>()) {
      auto max = sub.getB().getDefiningOp<ReduceMaxOp>();
      if (max && max.getData() == sub.getA() && singleAxis(max) == axis &&
          sub->hasOneUse() && max->hasOneUse())
        x = sub.getA();
    }
    if (div.getType() != x.getType())
      return false;
    OpBuilder b(div);
    auto op = SoftmaxOp::create(b, div.getLoc(), x.getType(), x,
                                b.getI64IntegerAttr(*axis));
    div.getResult().replaceAllUsesWith(op.getResult());
    countRewrite(this, "softmax recomposed");
    return true;
  }

  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<ReduceMeanOp, ErfOp, ExpOp, TanhOp, HardSigmoidOp>(op))
        candidates.push_back(op);
    });
    bool changed = false;
    for (Operation *op : candidates) {
      if (auto mean = dyn_cast<ReduceMeanOp>(op))
        changed |= layerNorm(mean);
      else if (auto erf = dyn_cast<ErfOp>(op))
        changed |= gelu(erf);
      else if (auto tanh = dyn_cast<TanhOp>(op))
        changed |= geluTanh(tanh);
      else if (auto hs = dyn_cast<HardSigmoidOp>(op))
        changed |= hardSwish(hs);
      else
        changed |= softmax(cast<ExpOp>(op));
    }
    if (!changed)
      return;
    eraseDeadOps(getOperation()); // The replaced subgraphs.
  }
};

} // namespace
