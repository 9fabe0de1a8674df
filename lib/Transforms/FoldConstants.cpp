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

/// For the other ops that only move elements: the operand and the element of
/// it that each element of result `result` copies. Copies are exact for every
/// element type (64-bit integers included), unlike the arithmetic.
struct Source {
  unsigned operand;
  int64_t element;
};
using Sources = std::vector<Source>;

/// Calls `fn(linear, index)` for every point of `shape`, in row-major order.
void forEachIndex(ArrayRef<int64_t> shape,
                  function_ref<void(int64_t, ArrayRef<int64_t>)> fn) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t linear = 0; linear < count; ++linear) {
    fn(linear, index);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// The row-major position of `index` in `shape`.
int64_t linearize(ArrayRef<int64_t> index, ArrayRef<int64_t> shape) {
  int64_t at = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    at = at * shape[d] + index[d];
  return at;
}

/// Result `result` of `op` taken as the box of operand 0 starting at
/// `start` with `step` per dim (Slice, and the pieces of Split).
Sources boxOf(ArrayRef<HostTensor> in, RankedTensorType resultType,
              ArrayRef<int64_t> start, ArrayRef<int64_t> step) {
  ArrayRef<int64_t> inShape = in[0].type.getShape();
  Sources sources(resultType.getNumElements());
  SmallVector<int64_t> at(inShape.size());
  forEachIndex(resultType.getShape(),
               [&](int64_t linear, ArrayRef<int64_t> index) {
                 for (size_t d = 0; d < at.size(); ++d)
                   at[d] = start[d] + index[d] * step[d];
                 sources[linear] = {0, linearize(at, inShape)};
               });
  return sources;
}

std::optional<Sources> movedElements(Operation *op, ArrayRef<HostTensor> in,
                                     RankedTensorType resultType,
                                     unsigned result) {
  ArrayRef<int64_t> shape = resultType.getShape();
  int64_t rank = shape.size();
  int64_t count = resultType.getNumElements();
  if (isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp, IdentityOp>(op)) {
    if (in[0].size() != count)
      return std::nullopt;
    Sources sources(count);
    for (int64_t i = 0; i < count; ++i)
      sources[i] = {0, i};
    return sources;
  }
  if (isa<ExpandOp>(op)) {
    ArrayRef<int64_t> inShape = in[0].type.getShape();
    int64_t offset = rank - static_cast<int64_t>(inShape.size());
    if (offset < 0)
      return std::nullopt;
    Sources sources(count);
    SmallVector<int64_t> at(inShape.size());
    forEachIndex(shape, [&](int64_t linear, ArrayRef<int64_t> index) {
      for (size_t d = 0; d < inShape.size(); ++d)
        at[d] = inShape[d] == 1 ? 0 : index[offset + d];
      sources[linear] = {0, linearize(at, inShape)};
    });
    return sources;
  }
  if (auto split = dyn_cast<SplitOp>(op)) {
    // The pieces follow each other along the axis; their sizes are the
    // (static) result types'.
    int64_t axis = split.getAxis() < 0 ? split.getAxis() + rank
                                       : split.getAxis();
    if (axis < 0 || axis >= rank)
      return std::nullopt;
    SmallVector<int64_t> start(rank, 0), step(rank, 1);
    for (unsigned r = 0; r < result; ++r) {
      auto piece = dyn_cast<RankedTensorType>(op->getResult(r).getType());
      if (!piece || piece.isDynamicDim(axis))
        return std::nullopt;
      start[axis] += piece.getDimSize(axis);
    }
    if (start[axis] + shape[axis] > in[0].type.getDimSize(axis))
      return std::nullopt;
    return boxOf(in, resultType, start, step);
  }
  if (auto slice = dyn_cast<SliceOp>(op)) {
    ArrayRef<int64_t> inShape = in[0].type.getShape();
    if (static_cast<int64_t>(inShape.size()) != rank)
      return std::nullopt;
    auto ints = [&](Value v) { return getConstantInts(v); };
    std::optional<SmallVector<int64_t>> starts = ints(slice.getStarts());
    std::optional<SmallVector<int64_t>> axes, steps;
    if (slice.getAxes())
      axes = ints(slice.getAxes());
    if (slice.getSteps())
      steps = ints(slice.getSteps());
    if (!starts || (slice.getAxes() && !axes) || (slice.getSteps() && !steps) ||
        (axes && axes->size() != starts->size()) ||
        (steps && steps->size() != starts->size()))
      return std::nullopt;
    SmallVector<int64_t> start(rank, 0), step(rank, 1);
    for (size_t i = 0; i < starts->size(); ++i) {
      int64_t axis = axes ? (*axes)[i] : static_cast<int64_t>(i);
      if (axis < 0)
        axis += rank;
      int64_t s = steps ? (*steps)[i] : 1;
      if (axis < 0 || axis >= rank || s == 0)
        return std::nullopt;
      int64_t size = inShape[axis], b = (*starts)[i];
      if (b < 0)
        b += size;
      // ONNX clamps starts to [0, size] going forward, [0, size-1] back.
      b = s > 0 ? std::clamp<int64_t>(b, 0, size)
                : std::clamp<int64_t>(b, 0, size - 1);
      start[axis] = b;
      step[axis] = s;
    }
    for (int64_t d = 0; d < rank; ++d)
      if (shape[d] > 0 && (start[d] + (shape[d] - 1) * step[d] < 0 ||
                           start[d] + (shape[d] - 1) * step[d] >= inShape[d]))
        return std::nullopt;
    return boxOf(in, resultType, start, step);
  }
  if (auto gather = dyn_cast<GatherOp>(op)) {
    ArrayRef<int64_t> inShape = in[0].type.getShape();
    int64_t inRank = inShape.size();
    int64_t axis = gather.getAxis() < 0 ? gather.getAxis() + inRank
                                        : gather.getAxis();
    int64_t indexRank = in[1].type.getRank();
    if (axis < 0 || axis >= inRank || rank != inRank - 1 + indexRank ||
        in[1].ints.size() != in[1].values.size())
      return std::nullopt;
    Sources sources(count);
    SmallVector<int64_t> at(inRank);
    bool inside = true;
    forEachIndex(shape, [&](int64_t linear, ArrayRef<int64_t> index) {
      int64_t which = linearize(index.slice(axis, indexRank),
                                in[1].type.getShape());
      int64_t position = in[1].ints[which];
      if (position < 0)
        position += inShape[axis];
      if (position < 0 || position >= inShape[axis]) {
        inside = false;
        return;
      }
      for (int64_t d = 0; d < axis; ++d)
        at[d] = index[d];
      at[axis] = position;
      for (int64_t d = axis + 1; d < inRank; ++d)
        at[d] = index[d - 1 + indexRank];
      sources[linear] = {0, linearize(at, inShape)};
    });
    if (!inside)
      return std::nullopt;
    return sources;
  }
  if (isa<WhereOp>(op)) {
    Sources sources(count);
    SmallVector<SmallVector<int64_t>> at(3);
    forEachIndex(shape, [&](int64_t linear, ArrayRef<int64_t> index) {
      int64_t positions[3];
      for (unsigned o = 0; o < 3; ++o) {
        ArrayRef<int64_t> own = in[o].type.getShape();
        int64_t offset = rank - static_cast<int64_t>(own.size());
        at[o].resize(own.size());
        for (size_t d = 0; d < own.size(); ++d)
          at[o][d] = own[d] == 1 ? 0 : index[offset + d];
        positions[o] = linearize(at[o], own);
      }
      unsigned taken = in[0].values[positions[0]] != 0 ? 1 : 2;
      sources[linear] = {taken, positions[taken]};
    });
    return sources;
  }
  return std::nullopt;
}

/// The folded elements of `op`'s single result by arithmetic in double
/// precision, or nullopt when not folded.
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
  if (isa<CastOp>(op))
    return in[0].values; // Rounded to the result's type by the caller.
  if (auto dq = dyn_cast<DequantizeLinearOp>(op))
    return dequantize(dq, in, resultType);
  return std::nullopt;
}

/// Doubles hold integers exactly up to 2^53: integer arithmetic is folded
/// only when its operands and results stay within that.
constexpr double kExactLimit = 9007199254740992.0;

bool withinExactRange(const Values &values) {
  return llvm::all_of(values, [](double v) {
    return std::isfinite(v) && std::fabs(v) < kExactLimit;
  });
}

/// Result `result` of `op` on constant operands, or nullopt when it is not
/// folded.
std::optional<HostTensor> foldResult(Operation *op, ArrayRef<HostTensor> in,
                                     RankedTensorType resultType,
                                     unsigned result) {
  Type element = resultType.getElementType();
  // Transpose and Concat: the graph helpers, which carry exact integers.
  std::optional<HostTensor> moved;
  if (auto t = dyn_cast<TransposeOp>(op)) {
    int64_t rank = in[0].type.getRank();
    SmallVector<int64_t> perm;
    if (std::optional<ArrayRef<int64_t>> p = t.getPerm())
      perm.assign(p->begin(), p->end());
    else
      for (int64_t d = rank - 1; d >= 0; --d)
        perm.push_back(d);
    if (static_cast<int64_t>(perm.size()) == rank)
      moved = transposeTensor(in[0], perm);
  } else if (auto c = dyn_cast<ConcatOp>(op)) {
    int64_t rank = resultType.getRank();
    int64_t axis = c.getAxis() < 0 ? c.getAxis() + rank : c.getAxis();
    if (axis >= 0 && axis < rank)
      moved = concatTensors(in, axis);
  }
  if (moved) {
    if (moved->type.getShape() != resultType.getShape() ||
        moved->type.getElementType() != element)
      return std::nullopt;
    moved->type = resultType;
    return moved;
  }
  HostTensor folded{resultType, {}, {}};
  if (std::optional<Sources> sources =
          movedElements(op, in, resultType, result)) {
    // Element types must agree for a copy (Where's condition is operand 0).
    for (const Source &source : *sources)
      if (in[source.operand].type.getElementType() != element)
        return std::nullopt;
    bool exact = isa<IntegerType>(element);
    folded.values.reserve(sources->size());
    for (const Source &source : *sources) {
      const HostTensor &from = in[source.operand];
      folded.values.push_back(from.values[source.element]);
      if (exact)
        folded.ints.push_back(from.ints[source.element]);
    }
    return folded;
  }
  if (op->getNumResults() != 1)
    return std::nullopt;
  auto integer = dyn_cast<IntegerType>(element);
  bool integerOperands = llvm::any_of(in, [](const HostTensor &t) {
    return isa<IntegerType>(t.type.getElementType());
  });
  if (integerOperands)
    for (const HostTensor &t : in)
      if (!withinExactRange(t.values))
        return std::nullopt;
  if (integer && isa<CastOp>(op) && integerOperands) {
    // An integer to integer cast: wrap the exact elements.
    for (int64_t v : in[0].ints) {
      APInt bits(64, static_cast<uint64_t>(v), true);
      APInt narrow = bits.trunc(integer.getWidth());
      int64_t wrapped = integer.getWidth() == 1 ? (v != 0)
                        : integer.isUnsigned()  ? static_cast<int64_t>(
                                                     narrow.getZExtValue())
                                                : narrow.getSExtValue();
      folded.ints.push_back(wrapped);
      folded.values.push_back(static_cast<double>(wrapped));
    }
    return folded;
  }
  std::optional<Values> values = evaluate(op, in, resultType);
  if (!values || static_cast<int64_t>(values->size()) !=
                     resultType.getNumElements())
    return std::nullopt;
  // Integer results are truncated from doubles, which must be exact.
  if (integer && integer.getWidth() > 1 && !withinExactRange(*values))
    return std::nullopt;
  for (double &v : *values)
    v = toElement(element, v);
  folded.values = std::move(*values);
  if (integer)
    for (double v : folded.values)
      folded.ints.push_back(static_cast<int64_t>(v));
  return folded;
}

struct FoldConstantsPass
    : public mlir::llmos::impl::FoldConstantsPassBase<FoldConstantsPass> {
  using FoldConstantsPassBase::FoldConstantsPassBase;

  /// Folds `op` when it qualifies; true when it did.
  bool tryFold(Operation *op) {
    if (op->getNumResults() == 0 || op->getNumRegions() != 0 ||
        op->getNumOperands() == 0 || isa<ConstantOp>(op) ||
        !isMemoryEffectFree(op))
      return false;
    SmallVector<RankedTensorType> resultTypes;
    int64_t resultElements = 0;
    for (Type type : op->getResultTypes()) {
      auto resultType = dyn_cast<RankedTensorType>(type);
      if (!resultType || !resultType.hasStaticShape() ||
          !isa<FloatType, IntegerType>(resultType.getElementType()))
        return false;
      resultTypes.push_back(resultType);
      resultElements += resultType.getNumElements();
    }
    int64_t operandElements = 0;
    for (Value operand : op->getOperands()) {
      if (!isConstant(operand))
        return false;
      operandElements +=
          cast<RankedTensorType>(operand.getType()).getNumElements();
    }
    if (resultElements > maxElements && resultElements > operandElements)
      return false;
    SmallVector<HostTensor> inputs;
    for (Value operand : op->getOperands()) {
      std::optional<HostTensor> t = readConstant(operand);
      if (!t)
        return false;
      inputs.push_back(std::move(*t));
    }
    SmallVector<HostTensor> results;
    for (auto [r, resultType] : llvm::enumerate(resultTypes)) {
      std::optional<HostTensor> folded =
          foldResult(op, inputs, resultType, r);
      if (!folded)
        return false;
      results.push_back(std::move(*folded));
    }
    OpBuilder b(op);
    for (auto [r, folded] : llvm::enumerate(results))
      op->getResult(r).replaceAllUsesWith(
          createConstant(b, op->getLoc(), folded));
    std::string what = ("folded " + op->getName().stripDialect()).str();
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
