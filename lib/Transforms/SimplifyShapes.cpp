//===- SimplifyShapes.cpp - Constant shapes for run-time shape chains -----===//
//
// This file implements llmos-simplify-shapes. A Reshape's shape entry
// computed as `Gather(Shape(y), j)` is replaced by 0 (copy) when y's dim j
// is provably the reshaped tensor's dim at the same position. Dims are
// proven equal by tracing each to a root: the operand dim it is copied
// from, through the ops that keep sizes. Sizes computed from static dims
// fold to constants, and a Reshape whose shape then lacks one entry infers
// it (-1).
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_SIMPLIFYSHAPESPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

using Dim = std::pair<Value, int64_t>;

int64_t dimSize(Value v, int64_t d) {
  return cast<RankedTensorType>(v.getType()).getDimSize(d);
}

/// For an elementwise op with numpy broadcasting: the one operand whose
/// dim gives the result's dim `d` (the others lack it or have size 1).
std::optional<Dim> broadcastSource(Operation *op, int64_t d) {
  int64_t rank = getRank(op->getResult(0));
  std::optional<Dim> source;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type)
      return std::nullopt;
    int64_t od = d - (rank - type.getRank());
    if (od < 0 || type.getDimSize(od) == 1)
      continue;
    if (source) // Two operands with the dim: not provably one of them.
      return std::nullopt;
    source = Dim{operand, od};
  }
  return source;
}

/// The dim of an operand that dim `d` of `v` is a copy of.
std::optional<Dim> sourceOf(Value v, int64_t d) {
  Operation *op = v.getDefiningOp();
  if (!op || !isa<RankedTensorType>(v.getType()))
    return std::nullopt;
  int64_t rank = getRank(v);
  if (isElementwise(op))
    return broadcastSource(op, d);
  // Ops whose first result has their first operand's shape.
  if (isa<SoftmaxOp, LogSoftmaxOp, DropoutOp, IdentityOp,
          LayerNormalizationOp>(op) &&
      v == op->getResult(0))
    return Dim{op->getOperand(0), d};
  if (auto t = dyn_cast<TransposeOp>(op)) {
    if (std::optional<ArrayRef<int64_t>> perm = t.getPerm())
      return Dim{t.getData(), (*perm)[d]};
    return Dim{t.getData(), rank - 1 - d};
  }
  if (auto r = dyn_cast<ReshapeOp>(op)) {
    std::optional<SmallVector<int64_t>> shape = getConstantInts(r.getShape());
    if (shape && d < static_cast<int64_t>(shape->size()) && (*shape)[d] == 0 &&
        r.getAllowzero() == 0)
      return Dim{r.getData(), d};
    return std::nullopt;
  }
  auto matmulSource = [&](Value a, Value b, bool transB) -> std::optional<Dim> {
    int64_t aRank = getRank(a), bRank = getRank(b);
    if (aRank < 2 || bRank < 2)
      return std::nullopt;
    if (d == rank - 1)
      return Dim{b, transB ? bRank - 2 : bRank - 1};
    if (d == rank - 2)
      return Dim{a, aRank - 2};
    // Batch dims: from A when B lacks them or has size 1.
    int64_t bd = d - (rank - bRank);
    int64_t ad = d - (rank - aRank);
    if (ad >= 0 && (bd < 0 || dimSize(b, bd) == 1))
      return Dim{a, ad};
    if (bd >= 0 && (ad < 0 || dimSize(a, ad) == 1))
      return Dim{b, bd};
    return std::nullopt;
  };
  if (auto m = dyn_cast<MatMulOp>(op))
    return matmulSource(m.getA(), m.getB(), false);
  if (auto m = dyn_cast<FusedMatMulOp>(op))
    return matmulSource(m.getA(), m.getB(), m.getTransB() != 0);
  if (auto a = dyn_cast<AttentionOp>(op))
    return d == rank - 1 ? Dim{a.getV(), d} : Dim{a.getQ(), d};
  if (auto c = dyn_cast<FusedConvOp>(op))
    return d == 0 ? std::optional<Dim>(Dim{c.getX(), 0}) : std::nullopt;
  if (auto c = dyn_cast<ConvOp>(op))
    return d == 0 ? std::optional<Dim>(Dim{c.getX(), 0}) : std::nullopt;
  if (auto c = dyn_cast<ConcatOp>(op)) {
    int64_t axis = c.getAxis() < 0 ? c.getAxis() + rank : c.getAxis();
    return d == axis ? std::nullopt
                     : std::optional<Dim>(Dim{c.getInputs()[0], d});
  }
  if (auto g = dyn_cast<GatherOp>(op)) {
    int64_t dataRank = getRank(g.getData()), indexRank = getRank(g.getIndices());
    if (dataRank < 1 || indexRank < 0)
      return std::nullopt;
    int64_t axis = g.getAxis() < 0 ? g.getAxis() + dataRank : g.getAxis();
    if (d < axis)
      return Dim{g.getData(), d};
    if (d < axis + indexRank)
      return Dim{g.getIndices(), d - axis};
    return Dim{g.getData(), d - indexRank + 1};
  }
  return std::nullopt;
}

/// The root a dim is a copy of.
Dim rootOf(Dim dim) {
  for (int steps = 0; steps < 256; ++steps) {
    std::optional<Dim> source = sourceOf(dim.first, dim.second);
    if (!source)
      break;
    dim = *source;
  }
  return dim;
}

bool provablyEqual(Dim a, Dim b) {
  int64_t sa = dimSize(a.first, a.second), sb = dimSize(b.first, b.second);
  if (!ShapedType::isDynamic(sa) || !ShapedType::isDynamic(sb))
    return sa == sb;
  return rootOf(a) == rootOf(b);
}

/// The dim a one-element shape entry reads: Gather(Shape(y), j), possibly
/// unsqueezed to one element.
std::optional<Dim> shapeEntry(Value part) {
  if (auto unsqueeze = part.getDefiningOp<UnsqueezeOp>())
    part = unsqueeze.getData();
  auto gather = part.getDefiningOp<GatherOp>();
  if (!gather || gather.getAxis() != 0)
    return std::nullopt;
  auto shape = gather.getData().getDefiningOp<ShapeOp>();
  std::optional<SmallVector<int64_t>> index =
      getConstantInts(gather.getIndices());
  if (!shape || !index || index->size() != 1 || shape.getStart() != 0)
    return std::nullopt;
  Value y = shape.getData();
  auto yType = dyn_cast<RankedTensorType>(y.getType());
  if (!yType)
    return std::nullopt;
  int64_t j = (*index)[0] < 0 ? (*index)[0] + yType.getRank() : (*index)[0];
  if (j < 0 || j >= yType.getRank())
    return std::nullopt;
  return Dim{y, j};
}

struct SimplifyShapesPass
    : public mlir::llmos::impl::SimplifyShapesPassBase<SimplifyShapesPass> {

  bool simplify(ReshapeOp reshape) {
    auto concat = reshape.getShape().getDefiningOp<ConcatOp>();
    auto xType = dyn_cast<RankedTensorType>(reshape.getData().getType());
    if (!concat || !xType || reshape.getAllowzero() != 0)
      return false;
    SmallVector<Value> parts(concat.getInputs());
    bool changed = false;
    int64_t copied = 0;
    OpBuilder b(reshape);
    for (auto [i, part] : llvm::enumerate(parts)) {
      auto type = dyn_cast<RankedTensorType>(part.getType());
      if (!type || type.getRank() != 1 || type.getDimSize(0) != 1 ||
          static_cast<int64_t>(i) >= xType.getRank() || isConstant(part))
        continue;
      // Every earlier part must be one entry too, for the position to hold.
      bool aligned = llvm::all_of(ArrayRef<Value>(parts).take_front(i), [](Value p) {
        auto t = dyn_cast<RankedTensorType>(p.getType());
        return t && t.getRank() == 1 && t.getDimSize(0) == 1;
      });
      std::optional<Dim> entry = shapeEntry(part);
      if (!aligned || !entry ||
          !provablyEqual(*entry, Dim{reshape.getData(), static_cast<int64_t>(i)}))
        continue;
      part = createI64Constant(b, reshape.getLoc(), {0});
      changed = true;
      ++copied;
    }
    if (!changed)
      return false;
    // All entries known: one constant (which later rounds trace through).
    SmallVector<int64_t> entries;
    for (Value part : parts) {
      std::optional<SmallVector<int64_t>> ints = getConstantInts(part);
      if (!ints) {
        entries.clear();
        break;
      }
      entries.append(ints->begin(), ints->end());
    }
    Value shape = !entries.empty()
                      ? createI64Constant(b, concat.getLoc(), entries)
                      : ConcatOp::create(b, concat.getLoc(), concat.getType(),
                                         parts, concat.getAxisAttr())
                            .getResult();
    reshape.getShapeMutable().assign(shape);
    countRewrite(this, "reshape size copied instead of computed", copied);
    return true;
  }

  /// A small integer value (a shape, a size) whose every element is known
  /// from the static dims it reads (Gather of a static dim of a Shape, and
  /// the arithmetic on such sizes) becomes a constant.
  bool foldKnownValue(Operation *op) {
    if (op->getNumResults() != 1 || op->getNumRegions() != 0 ||
        isa<ConstantOp>(op) || !isa_and_nonnull<LlmosDialect>(op->getDialect()))
      return false;
    Value result = op->getResult(0);
    auto type = dyn_cast<RankedTensorType>(result.getType());
    if (!type || !type.hasStaticShape() || type.getRank() > 1 ||
        !type.getElementType().isInteger(64))
      return false;
    std::optional<SmallVector<int64_t>> values = getPartialInts(result);
    if (!values || static_cast<int64_t>(values->size()) !=
                       type.getNumElements() ||
        llvm::any_of(*values, ShapedType::isDynamic))
      return false;
    OpBuilder b(op);
    auto attr = DenseIntElementsAttr::get(type, *values);
    result.replaceAllUsesWith(ConstantOp::create(b, op->getLoc(), attr));
    countRewrite(this, "size computed from static dims folded");
    return true;
  }

  /// A Reshape whose shape is known but for one entry (a product of
  /// symbolic sizes, say batch * heads) infers that entry: it becomes -1.
  /// Only where the known entries are positive or copy (0) a static
  /// positive input dim, so the inference never divides by zero.
  bool inferOneEntry(ReshapeOp reshape) {
    auto xType = dyn_cast<RankedTensorType>(reshape.getData().getType());
    if (!xType || reshape.getAllowzero() != 0 || isConstant(reshape.getShape()))
      return false;
    std::optional<SmallVector<int64_t>> entries =
        getPartialInts(reshape.getShape());
    if (!entries)
      return false;
    int64_t unknown = -1;
    for (auto [i, entry] : llvm::enumerate(*entries)) {
      int64_t position = static_cast<int64_t>(i);
      if (ShapedType::isDynamic(entry)) {
        if (unknown >= 0)
          return false;
        unknown = position;
      } else if (entry == 0) {
        if (position >= xType.getRank() || xType.getDimSize(position) <= 0)
          return false;
      } else if (entry < 0) {
        return false;
      }
    }
    if (unknown < 0)
      return false;
    (*entries)[unknown] = -1;
    OpBuilder b(reshape);
    reshape.getShapeMutable().assign(
        createI64Constant(b, reshape.getLoc(), *entries));
    countRewrite(this, "reshape size inferred instead of computed");
    return true;
  }

  void runOnOperation() override {
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<Operation *> ops;
      getOperation().walk([&](Operation *op) { ops.push_back(op); });
      for (Operation *op : ops)
        changed |= foldKnownValue(op);
      SmallVector<ReshapeOp> reshapes;
      getOperation().walk([&](ReshapeOp op) { reshapes.push_back(op); });
      for (ReshapeOp op : reshapes)
        changed |= simplify(op);
      for (ReshapeOp op : reshapes)
        changed |= inferOneEntry(op);
      if (changed)
        eraseDeadOps(getOperation());
    }
    eraseDeadOps(getOperation());
  }
};

} // namespace
