//===- FoldConstants.cpp - Evaluate ops on constants ----------------------===//
//
// This file implements llmos-fold-constants: an op whose operands are all
// constants is evaluated on the host (in double precision, then rounded to
// the result's element type) and replaced by a constant.
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <functional>

namespace mlir::llmos {
#define GEN_PASS_DEF_FOLDCONSTANTSPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

using Values = std::vector<double>;

/// `fn` at every point of `resultType`, reading each operand under numpy
/// broadcasting.
Values broadcastMap(RankedTensorType resultType,
                    ArrayRef<const HostTensor *> operands,
                    function_ref<double(ArrayRef<double>)> fn) {
  ArrayRef<int64_t> shape = resultType.getShape();
  int64_t rank = shape.size();
  int64_t count = resultType.getNumElements();
  SmallVector<SmallVector<int64_t>> strides;
  for (const HostTensor *operand : operands) {
    ArrayRef<int64_t> own = operand->type.getShape();
    SmallVector<int64_t> ownStrides = rowMajorStrides(own);
    SmallVector<int64_t> s(rank, 0);
    int64_t offset = rank - static_cast<int64_t>(own.size());
    for (int64_t d = 0; d < static_cast<int64_t>(own.size()); ++d)
      s[offset + d] = own[d] == 1 ? 0 : ownStrides[d];
    strides.push_back(s);
  }
  Values result(count);
  SmallVector<int64_t> index(rank, 0);
  SmallVector<double> args(operands.size());
  for (int64_t linear = 0; linear < count; ++linear) {
    for (size_t o = 0; o < operands.size(); ++o) {
      int64_t at = 0;
      for (int64_t d = 0; d < rank; ++d)
        at += index[d] * strides[o][d];
      args[o] = operands[o]->values[at];
    }
    result[linear] = fn(args);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return result;
}

bool isFloatTensor(RankedTensorType type) {
  return isa<FloatType>(type.getElementType());
}

/// Rounds like the element type stores: integers truncate toward zero
/// and wrap to their width; bools are 0 or 1.
double toElement(Type element, double v) {
  auto integer = dyn_cast<IntegerType>(element);
  if (!integer)
    return v;
  if (integer.getWidth() == 1)
    return v != 0 ? 1 : 0;
  if (!std::isfinite(v))
    return 0;
  double t = std::trunc(v);
  unsigned width = integer.getWidth();
  if (width >= 64)
    return t;
  APInt bits(64, static_cast<uint64_t>(static_cast<int64_t>(t)), true);
  APInt narrow = bits.trunc(width);
  return integer.isUnsigned() ? static_cast<double>(narrow.getZExtValue())
                              : static_cast<double>(narrow.getSExtValue());
}

using Unary = std::function<double(double)>;
using Binary = std::function<double(double, double)>;

std::optional<Unary> unaryFn(Operation *op) {
  return TypeSwitch<Operation *, std::optional<Unary>>(op)
      .Case([](NegOp) { return Unary([](double x) { return -x; }); })
      .Case([](AbsOp) { return Unary([](double x) { return std::fabs(x); }); })
      .Case([](SqrtOp) { return Unary([](double x) { return std::sqrt(x); }); })
      .Case([](ReciprocalOp) { return Unary([](double x) { return 1 / x; }); })
      .Case([](ExpOp) { return Unary([](double x) { return std::exp(x); }); })
      .Case([](LogOp) { return Unary([](double x) { return std::log(x); }); })
      .Case([](ErfOp) { return Unary([](double x) { return std::erf(x); }); })
      .Case([](TanhOp) { return Unary([](double x) { return std::tanh(x); }); })
      .Case([](SigmoidOp) {
        return Unary([](double x) { return 1 / (1 + std::exp(-x)); });
      })
      .Case([](ReluOp) {
        return Unary([](double x) { return x > 0 ? x : (x == x ? 0.0 : x); });
      })
      .Case([](FloorOp) { return Unary([](double x) { return std::floor(x); }); })
      .Case([](CeilOp) { return Unary([](double x) { return std::ceil(x); }); })
      .Default([](Operation *) { return std::nullopt; });
}

std::optional<Binary> binaryFn(Operation *op, bool isFloat) {
  return TypeSwitch<Operation *, std::optional<Binary>>(op)
      .Case([](AddOp) { return Binary(std::plus<double>()); })
      .Case([](SubOp) { return Binary(std::minus<double>()); })
      .Case([](MulOp) { return Binary(std::multiplies<double>()); })
      .Case([&](DivOp) -> std::optional<Binary> {
        if (isFloat)
          return Binary(std::divides<double>());
        return Binary(
            [](double a, double b) { return b == 0 ? 0 : std::trunc(a / b); });
      })
      .Case([](PowOp) {
        return Binary([](double a, double b) { return std::pow(a, b); });
      })
      .Case([](EqualOp) {
        return Binary([](double a, double b) { return a == b ? 1.0 : 0.0; });
      })
      .Case([](LessOp) {
        return Binary([](double a, double b) { return a < b ? 1.0 : 0.0; });
      })
      .Case([](GreaterOp) {
        return Binary([](double a, double b) { return a > b ? 1.0 : 0.0; });
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// A variadic Min / Max / Sum (numpy broadcasting).
std::optional<Binary> variadicFn(Operation *op) {
  return TypeSwitch<Operation *, std::optional<Binary>>(op)
      .Case([](MinOp) {
        return Binary([](double a, double b) { return std::fmin(a, b); });
      })
      .Case([](MaxOp) {
        return Binary([](double a, double b) { return std::fmax(a, b); });
      })
      .Case([](SumOp) { return Binary(std::plus<double>()); })
      .Default([](Operation *) { return std::nullopt; });
}

/// DequantizeLinear: (x - zero_point) * scale, per tensor or per axis.
std::optional<Values> dequantize(DequantizeLinearOp op,
                                 ArrayRef<HostTensor> in,
                                 RankedTensorType resultType) {
  if (op.getBlockSize() != 0)
    return std::nullopt;
  const HostTensor &x = in[0], &scale = in[1];
  const HostTensor *zero = in.size() > 2 ? &in[2] : nullptr;
  int64_t rank = x.type.getRank();
  if (scale.size() == 1 && (!zero || zero->size() == 1)) {
    double s = scale.values[0], z = zero ? zero->values[0] : 0;
    Values result(x.size());
    for (int64_t i = 0; i < x.size(); ++i)
      result[i] = (x.values[i] - z) * s;
    return result;
  }
  int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
  if (axis < 0 || axis >= rank || scale.type.getRank() != 1 ||
      scale.size() != x.type.getDimSize(axis))
    return std::nullopt;
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= x.type.getDimSize(d);
  int64_t channels = scale.size();
  Values result(x.size());
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t c = (i / inner) % channels;
    double z = zero ? zero->values[zero->size() == 1 ? 0 : c] : 0;
    result[i] = (x.values[i] - z) * scale.values[c];
  }
  return result;
}

/// The folded elements of `op`'s result, or nullopt when not folded.
std::optional<Values> evaluate(Operation *op, ArrayRef<HostTensor> in,
                               RankedTensorType resultType) {
  bool isFloat = isFloatTensor(in[0].type);
  if (in.size() == 1)
    if (std::optional<Unary> fn = unaryFn(op)) {
      if (!isFloat && !isa<NegOp, AbsOp, ReluOp>(op))
        return std::nullopt;
      Values result(in[0].size());
      for (int64_t i = 0; i < in[0].size(); ++i)
        result[i] = (*fn)(in[0].values[i]);
      return result;
    }
  if (in.size() == 2)
    if (std::optional<Binary> fn = binaryFn(op, isFloat)) {
      const HostTensor *operands[] = {&in[0], &in[1]};
      return broadcastMap(resultType, operands, [&](ArrayRef<double> a) {
        return (*fn)(a[0], a[1]);
      });
    }
  if (std::optional<Binary> fn = variadicFn(op)) {
    SmallVector<const HostTensor *> operands;
    for (const HostTensor &t : in)
      operands.push_back(&t);
    return broadcastMap(resultType, operands, [&](ArrayRef<double> a) {
      double acc = a[0];
      for (double v : a.drop_front())
        acc = (*fn)(acc, v);
      return acc;
    });
  }
  if (isa<CastOp, ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(op))
    return in[0].values; // Same elements; the type says the rest.
  if (isa<ExpandOp>(op)) {
    const HostTensor *operands[] = {&in[0]};
    return broadcastMap(resultType, operands,
                        [](ArrayRef<double> a) { return a[0]; });
  }
  if (auto where = dyn_cast<WhereOp>(op)) {
    const HostTensor *operands[] = {&in[0], &in[1], &in[2]};
    return broadcastMap(resultType, operands, [](ArrayRef<double> a) {
      return a[0] != 0 ? a[1] : a[2];
    });
  }
  if (auto t = dyn_cast<TransposeOp>(op)) {
    int64_t rank = in[0].type.getRank();
    SmallVector<int64_t> perm;
    if (std::optional<ArrayRef<int64_t>> p = t.getPerm())
      perm.assign(p->begin(), p->end());
    else
      for (int64_t d = rank - 1; d >= 0; --d)
        perm.push_back(d);
    return transposeTensor(in[0], perm).values;
  }
  if (auto c = dyn_cast<ConcatOp>(op)) {
    int64_t axis = c.getAxis() < 0 ? c.getAxis() + resultType.getRank()
                                   : c.getAxis();
    return concatTensors(in, axis).values;
  }
  if (auto dq = dyn_cast<DequantizeLinearOp>(op))
    return dequantize(dq, in, resultType);
  return std::nullopt;
}

struct FoldConstantsPass
    : public mlir::llmos::impl::FoldConstantsPassBase<FoldConstantsPass> {
  using FoldConstantsPassBase::FoldConstantsPassBase;

  /// Folds `op` when it qualifies; true when it did.
  bool tryFold(Operation *op) {
    if (op->getNumResults() != 1 || op->getNumRegions() != 0 ||
        op->getNumOperands() == 0 || isa<ConstantOp>(op) ||
        !isMemoryEffectFree(op))
      return false;
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape())
      return false;
    Type element = resultType.getElementType();
    if (!isa<FloatType, IntegerType>(element))
      return false;
    int64_t operandElements = 0;
    for (Value operand : op->getOperands()) {
      if (!isConstant(operand))
        return false;
      operandElements +=
          cast<RankedTensorType>(operand.getType()).getNumElements();
    }
    int64_t resultElements = resultType.getNumElements();
    if (resultElements > maxElements && resultElements > operandElements)
      return false;
    SmallVector<HostTensor> inputs;
    for (Value operand : op->getOperands()) {
      std::optional<HostTensor> t = readConstant(operand);
      if (!t)
        return false;
      inputs.push_back(std::move(*t));
    }
    std::optional<Values> values = evaluate(op, inputs, resultType);
    if (!values || static_cast<int64_t>(values->size()) != resultElements)
      return false;
    for (double &v : *values)
      v = toElement(element, v);
    OpBuilder b(op);
    Value folded =
        createConstant(b, op->getLoc(), HostTensor{resultType, *values});
    std::string what = ("folded " + op->getName().stripDialect()).str();
    op->getResult(0).replaceAllUsesWith(folded);
    op->erase();
    countRewrite(this, what);
    return true;
  }

  void runOnOperation() override {
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<Operation *> candidates;
      getOperation().walk([&](Operation *op) {
        if (isa_and_nonnull<LlmosDialect>(op->getDialect()))
          candidates.push_back(op);
      });
      for (Operation *op : candidates)
        changed |= tryFold(op);
    }
    // Constants left without users.
    SmallVector<Operation *> dead;
    getOperation().walk([&](ConstantOp op) {
      if (op->use_empty())
        dead.push_back(op);
    });
    for (Operation *op : dead)
      op->erase();
  }
};

} // namespace
