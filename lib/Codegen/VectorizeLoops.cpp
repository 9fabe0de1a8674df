//===- VectorizeLoops.cpp - Vector code for elementwise ops and reductions -===//
//
// This file implements llmos-vectorize-loops: the generated path for the
// linalg.generic ops on memrefs that no microkernel or matmul code takes
// (elementwise ops, broadcasts, reductions, pooling, depthwise and other
// convolutions written as generics). One loop dim, the vector dim, is
// tiled by a vector width and the body is rewritten on vectors; the other
// parallel dims become an scf.parallel loop for the runtime's thread pool.
//
// Two shapes are handled:
// - the vector dim is the output's innermost (contiguous) dim: per chunk of
//   the vector dim the outputs are kept in vector registers across the
//   reduction loops (a depthwise convolution's window, a reduction over an
//   outer axis) and stored once;
// - the vector dim is a reduction dim read contiguously (softmax's max and
//   sum, a mean over the last axis, global pooling): a vector accumulator
//   starts at the combining op's neutral element and is folded into the
//   output with one horizontal reduction at the end.
// Every chunk but the last is full; the last one is masked. Math functions
// on vectors become polynomial approximations (libm has no vector forms).
//
//===----------------------------------------------------------------------===//

#include "MatmulUtils.h"
#include "llmos/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_VECTORIZELOOPSPASS
#include "llmos/Codegen/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;

namespace {

/// How an operand is read along the vector dim.
enum class Access {
  Scalar,     // its indices do not depend on the vector dim: one load
  Contiguous, // the vector dim steps its last index by 1: vector loads
  Strided,    // ... by another constant: gathers
};

struct OperandAccess {
  Access access = Access::Scalar;
  int64_t stride = 0;
};

/// What the rewrite of one generic needs.
struct Plan {
  unsigned vectorDim = 0;
  /// The vector dim is a reduction dim (else it is the outputs' last dim).
  bool reduceAlongVector = false;
  /// Lanes per full chunk (a multiple of `lanes`).
  int64_t width = 0;
  /// Lanes of one vector register.
  int64_t lanes = 0;
  SmallVector<OperandAccess> operands;
  /// reduceAlongVector: the op folding a value into the output, and which
  /// of its operands is the output.
  Operation *combiner = nullptr;
  unsigned combinerOutOperand = 0;
  vector::CombiningKind kind = vector::CombiningKind::ADD;
};

std::optional<vector::CombiningKind> combiningKind(Operation *op) {
  using K = vector::CombiningKind;
  return llvm::TypeSwitch<Operation *, std::optional<K>>(op)
      .Case<arith::AddFOp, arith::AddIOp>([](auto) { return K::ADD; })
      .Case<arith::MulFOp, arith::MulIOp>([](auto) { return K::MUL; })
      .Case<arith::MaximumFOp>([](auto) { return K::MAXIMUMF; })
      .Case<arith::MinimumFOp>([](auto) { return K::MINIMUMF; })
      .Case<arith::MaxNumFOp>([](auto) { return K::MAXNUMF; })
      .Case<arith::MinNumFOp>([](auto) { return K::MINNUMF; })
      .Case<arith::MaxSIOp>([](auto) { return K::MAXSI; })
      .Case<arith::MinSIOp>([](auto) { return K::MINSI; })
      .Case<arith::MaxUIOp>([](auto) { return K::MAXUI; })
      .Case<arith::MinUIOp>([](auto) { return K::MINUI; })
      .Case<arith::AndIOp>([](auto) { return K::AND; })
      .Case<arith::OrIOp>([](auto) { return K::OR; })
      .Case<arith::XOrIOp>([](auto) { return K::XOR; })
      .Default([](Operation *) { return std::nullopt; });
}

bool isScalarType(Type type) { return type.isIntOrIndexOrFloat(); }

/// An element type vector loads and stores handle: whole bytes, and not
/// bf16 (whose arithmetic is expanded to integer code later).
bool isMemoryElement(Type type) {
  if (!type.isIntOrFloat() || type.isBF16())
    return false;
  unsigned bits = type.getIntOrFloatBitWidth();
  return bits >= 8 && llvm::isPowerOf2_32(bits);
}

/// Whether the body can be rewritten on vectors: elementwise ops on scalars
/// (no integer division: a masked chunk's idle lanes divide by zero),
/// constants and linalg.index.
bool hasVectorizableBody(linalg::GenericOp op) {
  for (Operation &inner : op.getBody()->without_terminator()) {
    if (isa<linalg::IndexOp, arith::ConstantOp>(inner))
      continue;
    if (!inner.hasTrait<OpTrait::Elementwise>() || inner.getNumRegions() ||
        !isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()))
      return false;
    if (isa<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp, arith::RemUIOp,
            arith::CeilDivSIOp, arith::CeilDivUIOp, arith::FloorDivSIOp>(inner))
      return false;
    if (!llvm::all_of(inner.getOperandTypes(), isScalarType) ||
        !llvm::all_of(inner.getResultTypes(), isScalarType))
      return false;
  }
  return true;
}

/// The constant coefficient of dim `d` in `expr` (0 when it does not
/// occur), or nothing when `expr` is not linear in it.
std::optional<int64_t> coefficient(AffineExpr expr, unsigned d,
                                   unsigned numDims) {
  if (!expr.isFunctionOfDim(d))
    return 0;
  if (!expr.isPureAffine())
    return std::nullopt;
  MLIRContext *context = expr.getContext();
  SmallVector<AffineExpr> at0(numDims, getAffineConstantExpr(0, context));
  SmallVector<AffineExpr> at1 = at0;
  at1[d] = getAffineConstantExpr(1, context);
  auto v0 = dyn_cast<AffineConstantExpr>(expr.replaceDims(at0));
  auto v1 = dyn_cast<AffineConstantExpr>(expr.replaceDims(at1));
  if (!v0 || !v1)
    return std::nullopt;
  return v1.getValue() - v0.getValue();
}

/// How `operand` is read when dim `d` is the vector dim, or nothing when
/// the vector dim moves any index but the last.
std::optional<OperandAccess> classify(linalg::GenericOp op, OpOperand &operand,
                                      unsigned d) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  unsigned results = map.getNumResults();
  for (unsigned r = 0; r + 1 < results; ++r)
    if (map.getResult(r).isFunctionOfDim(d))
      return std::nullopt;
  if (results == 0)
    return OperandAccess{};
  std::optional<int64_t> c =
      coefficient(map.getResult(results - 1), d, map.getNumDims());
  if (!c)
    return std::nullopt;
  if (*c == 0)
    return OperandAccess{};
  if (!hasUnitLastStride(cast<MemRefType>(operand.get().getType())))
    return std::nullopt;
  return OperandAccess{*c == 1 ? Access::Contiguous : Access::Strided, *c};
}

std::optional<SmallVector<OperandAccess>> classifyAll(linalg::GenericOp op,
                                                      unsigned d) {
  SmallVector<OperandAccess> accesses;
  for (OpOperand &operand : op->getOpOperands()) {
    std::optional<OperandAccess> access = classify(op, operand, d);
    if (!access)
      return std::nullopt;
    accesses.push_back(*access);
  }
  return accesses;
}

/// The static trip count of loop dim `d`, if known.
std::optional<int64_t> staticLoopSize(linalg::GenericOp op, unsigned d) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ShapedType::isDynamic(ranges[d]))
    return std::nullopt;
  return ranges[d];
}

/// The chunk width: `unroll` vectors, fewer when the vector dim is known to
/// hold fewer whole vectors.
int64_t chunkWidth(linalg::GenericOp op, unsigned d, int64_t lanes,
                   int64_t unroll) {
  if (std::optional<int64_t> size = staticLoopSize(op, d))
    unroll = std::clamp<int64_t>(*size / lanes, 1, unroll);
  return lanes * unroll;
}

/// Whether `map` (an output's) reads no reduction dim: outputs are read
/// and written outside the reduction loops.
bool indexesParallelDimsOnly(linalg::GenericOp op, AffineMap map) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d < iterators.size(); ++d)
    if (iterators[d] != utils::IteratorType::parallel &&
        map.isFunctionOfDim(d))
      return false;
  return true;
}

/// The vector dim is the outputs' last dim.
std::optional<Plan> planAlongOutput(linalg::GenericOp op, int64_t lanes) {
  AffineMap first = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (first.getNumResults() == 0)
    return std::nullopt;
  auto dim = dyn_cast<AffineDimExpr>(first.getResults().back());
  if (!dim || op.getIteratorTypesArray()[dim.getPosition()] !=
                  utils::IteratorType::parallel)
    return std::nullopt;
  unsigned d = dim.getPosition();
  // A dim of a few elements is not worth a vector.
  std::optional<int64_t> size = staticLoopSize(op, d);
  if (size && *size < 4)
    return std::nullopt;
  std::optional<SmallVector<OperandAccess>> accesses = classifyAll(op, d);
  if (!accesses)
    return std::nullopt;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap map = op.getMatchingIndexingMap(&init);
    if (!indexesParallelDimsOnly(op, map) || map.getNumResults() == 0 ||
        map.getResults().back() != getAffineDimExpr(d, op.getContext()) ||
        (*accesses)[init.getOperandNumber()].access != Access::Contiguous)
      return std::nullopt;
  }
  Plan plan;
  plan.vectorDim = d;
  plan.operands = std::move(*accesses);
  bool reduces = op.getNumReductionLoops() > 0;
  plan.width = chunkWidth(op, d, lanes, reduces ? 4 : 2);
  plan.lanes = lanes;
  return plan;
}

/// The vector dim is a reduction dim some input reads contiguously; the
/// body folds one value into the single output with a combining op.
std::optional<Plan> planAlongReduction(linalg::GenericOp op, int64_t lanes) {
  if (op.getNumDpsInits() != 1 ||
      !indexesParallelDimsOnly(
          op, op.getMatchingIndexingMap(op.getDpsInitOperand(0))))
    return std::nullopt;
  Block *body = op.getBody();
  BlockArgument out = body->getArgument(op.getNumDpsInputs());
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  Operation *combiner = yield.getOperand(0).getDefiningOp();
  if (!combiner || combiner->getBlock() != body ||
      combiner->getNumOperands() != 2 || !combiner->hasOneUse() ||
      !out.hasOneUse() || out.getUses().begin()->getOwner() != combiner)
    return std::nullopt;
  std::optional<vector::CombiningKind> kind = combiningKind(combiner);
  if (!kind || !arith::getNeutralElement(combiner))
    return std::nullopt;
  unsigned outOperand = combiner->getOperand(0) == out ? 0 : 1;
  if (combiner->getOperand(1 - outOperand) == out)
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  // The innermost reduction dim that some input reads contiguously.
  for (int64_t d = op.getNumLoops() - 1; d >= 0; --d) {
    if (iterators[d] != utils::IteratorType::reduction)
      continue;
    std::optional<SmallVector<OperandAccess>> accesses = classifyAll(op, d);
    if (!accesses)
      continue;
    bool contiguous = llvm::any_of(
        op.getDpsInputOperands(), [&](OpOperand *input) {
          return (*accesses)[input->getOperandNumber()].access ==
                 Access::Contiguous;
        });
    if (!contiguous)
      continue;
    if (std::optional<int64_t> size = staticLoopSize(op, d); size && *size < 4)
      return std::nullopt;
    Plan plan;
    plan.vectorDim = d;
    plan.reduceAlongVector = true;
    plan.operands = std::move(*accesses);
    plan.width = chunkWidth(op, d, lanes, 4);
    plan.lanes = lanes;
    plan.combiner = combiner;
    plan.combinerOutOperand = outOperand;
    plan.kind = *kind;
    return plan;
  }
  return std::nullopt;
}

std::optional<Plan> planFor(linalg::GenericOp op, int64_t vectorBits) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
      op.getNumDpsInits() == 0 || !hasVectorizableBody(op))
    return std::nullopt;
  // Lanes from the widest type in use.
  unsigned widest = 8;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    if (!type || !isMemoryElement(type.getElementType()))
      return std::nullopt;
    widest = std::max(widest, type.getElementTypeBitWidth());
  }
  for (Operation &inner : op.getBody()->without_terminator())
    for (Type type : inner.getResultTypes())
      widest = std::max(widest, type.isIndex() ? 64u
                                               : type.getIntOrFloatBitWidth());
  int64_t lanes = vectorBits / widest;
  if (lanes < 2)
    return std::nullopt;
  if (std::optional<Plan> plan = planAlongOutput(op, lanes))
    return plan;
  return planAlongReduction(op, lanes);
}

/// Emits the vector code of one generic by its plan.
class LoopEmitter {
public:
  LoopEmitter(linalg::GenericOp op, const Plan &plan)
      : op(op), plan(plan), loc(op.getLoc()), width(plan.width) {}

  void emit(RewriterBase &rewriter);

private:
  Value index(OpBuilder &b, int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  VectorType vectorOf(Type element) {
    return VectorType::get({width}, element);
  }
  Value zeros(OpBuilder &b, Type element) {
    return arith::ConstantOp::create(b, loc, vectorOf(element),
                                     b.getZeroAttr(vectorOf(element)));
  }
  Value broadcast(OpBuilder &b, Value v) {
    if (isa<VectorType>(v.getType()))
      return v;
    return vector::BroadcastOp::create(b, loc, vectorOf(v.getType()), v);
  }

  /// The memref indices of `operand` at loop indices `ivs`.
  SmallVector<Value> indicesOf(OpBuilder &b, OpOperand &operand,
                               ValueRange ivs) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    SmallVector<Value> indices;
    for (AffineExpr expr : map.getResults()) {
      if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
        indices.push_back(ivs[dim.getPosition()]);
        continue;
      }
      if (auto constant = dyn_cast<AffineConstantExpr>(expr)) {
        indices.push_back(index(b, constant.getValue()));
        continue;
      }
      // Only the loop indices the expression uses (the others may not be
      // defined here).
      AffineMap single = AffineMap::get(map.getNumDims(), 0, expr);
      llvm::SmallBitVector unused = getUnusedDimsBitVector({single});
      SmallVector<Value> operands;
      for (unsigned d = 0; d < map.getNumDims(); ++d)
        if (!unused.test(d))
          operands.push_back(ivs[d]);
      indices.push_back(affine::AffineApplyOp::create(
          b, loc, compressDims(single, unused), operands));
    }
    return indices;
  }

  /// Reads `operand` at `ivs` (the vector dim at its chunk's first lane).
  Value read(OpBuilder &b, OpOperand &operand, ValueRange ivs, Value mask) {
    Value base = operand.get();
    Type element = cast<MemRefType>(base.getType()).getElementType();
    SmallVector<Value> indices = indicesOf(b, operand, ivs);
    const OperandAccess &access = plan.operands[operand.getOperandNumber()];
    switch (access.access) {
    case Access::Scalar:
      return memref::LoadOp::create(b, loc, base, indices);
    case Access::Contiguous:
      if (!mask)
        return vector::LoadOp::create(b, loc, vectorOf(element), base, indices);
      return vector::MaskedLoadOp::create(b, loc, vectorOf(element), base,
                                          indices, mask, zeros(b, element));
    case Access::Strided: {
      SmallVector<int64_t> offsets;
      for (int64_t lane = 0; lane < width; ++lane)
        offsets.push_back(lane * access.stride);
      // A full chunk with stride 2 (strided convolutions and pools): per
      // vector of lanes, two contiguous loads that cover its elements and
      // stay in bounds (the second one ends at the last lane's element),
      // one two-source shuffle. Gathers are slow on many x86 cores.
      if (!mask && access.stride == 2)
        return readStride2(b, base, element, indices);
      auto offsetType = VectorType::get({width}, b.getI64Type());
      Value offsetVector = arith::ConstantOp::create(
          b, loc, offsetType, DenseElementsAttr::get(offsetType,
                                                     ArrayRef(offsets)));
      Value gatherMask = mask;
      if (!gatherMask)
        gatherMask = vector::ConstantMaskOp::create(
            b, loc, VectorType::get({width}, b.getI1Type()),
            ArrayRef<int64_t>{width});
      return vector::GatherOp::create(b, loc, vectorOf(element), base, indices,
                                      offsetVector, gatherMask,
                                      zeros(b, element));
    }
    }
    llvm_unreachable("unknown access");
  }

  Value readStride2(OpBuilder &b, Value base, Type element,
                    SmallVector<Value> indices) {
    int64_t lanes = plan.lanes;
    auto vecType = VectorType::get({lanes}, element);
    Value first = indices.back();
    // Lane i reads element 2i: from the first load (elements 0..L-1) or the
    // second (L-1..2L-2).
    SmallVector<int64_t> picks;
    for (int64_t lane = 0; lane < lanes; ++lane) {
      int64_t e = 2 * lane;
      picks.push_back(e < lanes ? e : lanes + e - (lanes - 1));
    }
    SmallVector<Value> parts;
    for (int64_t g = 0; g < width / lanes; ++g) {
      indices.back() = arith::AddIOp::create(b, loc, first,
                                             index(b, g * 2 * lanes));
      Value low = vector::LoadOp::create(b, loc, vecType, base, indices);
      indices.back() = arith::AddIOp::create(
          b, loc, first, index(b, g * 2 * lanes + lanes - 1));
      Value high = vector::LoadOp::create(b, loc, vecType, base, indices);
      parts.push_back(vector::ShuffleOp::create(b, loc, low, high, picks));
    }
    // Concatenate the vectors pairwise into the chunk.
    while (parts.size() > 1) {
      SmallVector<Value> joined;
      for (size_t i = 0; i + 1 < parts.size(); i += 2) {
        int64_t n = cast<VectorType>(parts[i].getType()).getNumElements() +
                    cast<VectorType>(parts[i + 1].getType()).getNumElements();
        joined.push_back(vector::ShuffleOp::create(
            b, loc, parts[i], parts[i + 1],
            llvm::to_vector(llvm::seq<int64_t>(0, n))));
      }
      if (parts.size() % 2)
        joined.push_back(parts.back());
      parts = std::move(joined);
    }
    return parts.front();
  }

  void write(OpBuilder &b, OpOperand &operand, ValueRange ivs, Value value,
             Value mask) {
    SmallVector<Value> indices = indicesOf(b, operand, ivs);
    value = broadcast(b, value);
    if (mask)
      vector::MaskedStoreOp::create(b, loc, operand.get(), indices, mask,
                                    value);
    else
      vector::StoreOp::create(b, loc, value, operand.get(), indices);
  }

  /// The body on vectors at `ivs`: inputs are read, the outputs' block
  /// arguments take `outs` (nothing for unused ones). Returns the mapping.
  IRMapping body(OpBuilder &b, ValueRange ivs, ValueRange outs, Value mask) {
    IRMapping mapping;
    Block *block = op.getBody();
    for (OpOperand *input : op.getDpsInputOperands()) {
      BlockArgument arg = block->getArgument(input->getOperandNumber());
      if (!arg.use_empty())
        mapping.map(arg, read(b, *input, ivs, mask));
    }
    for (auto [i, out] : llvm::enumerate(outs))
      if (out)
        mapping.map(block->getArgument(op.getNumDpsInputs() + i), out);
    for (Operation &inner : block->without_terminator()) {
      if (&inner == plan.combiner)
        continue;
      if (auto indexOp = dyn_cast<linalg::IndexOp>(inner)) {
        Value iv = ivs[indexOp.getDim()];
        if (indexOp.getDim() == plan.vectorDim) {
          Value step = vector::StepOp::create(b, loc, vectorOf(b.getIndexType()));
          iv = arith::AddIOp::create(b, loc, broadcast(b, iv), step);
        }
        mapping.map(indexOp.getResult(), iv);
        continue;
      }
      bool anyVector = llvm::any_of(inner.getOperands(), [&](Value v) {
        return isa<VectorType>(mapping.lookupOrDefault(v).getType());
      });
      if (!anyVector) {
        b.clone(inner, mapping);
        continue;
      }
      SmallVector<Value> operands;
      for (Value v : inner.getOperands())
        operands.push_back(broadcast(b, mapping.lookupOrDefault(v)));
      SmallVector<Type> types;
      for (Type type : inner.getResultTypes())
        types.push_back(vectorOf(type));
      OperationState state(loc, inner.getName(), operands, types,
                           inner.getAttrs());
      Operation *vectorOp = b.create(state);
      mapping.map(inner.getResults(), vectorOp->getResults());
    }
    return mapping;
  }

  /// Nested scf.for loops over `dims` (from 0 to each one's size) carrying
  /// `iterArgs`; `build` computes the next values at the innermost level.
  SmallVector<Value>
  forLoops(OpBuilder &b, ArrayRef<unsigned> dims, ValueRange iterArgs,
           SmallVectorImpl<Value> &ivs,
           function_ref<SmallVector<Value>(OpBuilder &, ValueRange)> build) {
    if (dims.empty())
      return build(b, iterArgs);
    SmallVector<Value> lbs(dims.size(), index(b, 0)),
        steps(dims.size(), index(b, 1)), ubs;
    for (unsigned d : dims)
      ubs.push_back(sizes[d]);
    scf::LoopNest nest = scf::buildLoopNest(
        b, loc, lbs, ubs, steps, iterArgs,
        [&](OpBuilder &nb, Location, ValueRange loopIvs, ValueRange args) {
          for (auto [d, iv] : llvm::zip(dims, loopIvs))
            ivs[d] = iv;
          return scf::ValueVector(build(nb, args));
        });
    return SmallVector<Value>(nest.results);
  }

  void emitAlongOutput(OpBuilder &b, SmallVectorImpl<Value> &ivs, Value j,
                       Value mask);
  void emitAlongReduction(OpBuilder &b, SmallVectorImpl<Value> &ivs);
  Value tailMask(OpBuilder &b, Value from) {
    Value count = arith::SubIOp::create(b, loc, vectorSize, from);
    return vector::CreateMaskOp::create(
        b, loc, VectorType::get({width}, b.getI1Type()), ValueRange{count});
  }
  /// Where whole steps of `step` from `base` end within the vector dim.
  Value fullEnd(OpBuilder &b, Value base, int64_t step) {
    Value stepValue = index(b, step);
    Value rest = arith::SubIOp::create(b, loc, vectorSize, base);
    Value whole = arith::MulIOp::create(
        b, loc, arith::DivUIOp::create(b, loc, rest, stepValue), stepValue);
    return arith::AddIOp::create(b, loc, base, whole);
  }

  linalg::GenericOp op;
  const Plan &plan;
  Location loc;
  /// The lanes of the vectors being emitted: the plan's chunk width for
  /// the main chunks, one vector's for the rest of the vector dim.
  int64_t width;
  SmallVector<Value> sizes;
  SmallVector<unsigned> parallelDims, reductionDims;
  Value vectorSize;
  /// The static size of the vector dim, if known.
  std::optional<int64_t> staticSize;
};

/// One chunk of the outputs at vector index `j`: loaded (when the body
/// reads them), carried through the reduction loops, stored.
void LoopEmitter::emitAlongOutput(OpBuilder &b, SmallVectorImpl<Value> &ivs,
                                  Value j, Value mask) {
  ivs[plan.vectorDim] = j;
  Block *block = op.getBody();
  SmallVector<Value> outs;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    BlockArgument arg = block->getArgument(init.getOperandNumber());
    Type element = arg.getType();
    if (!arg.use_empty())
      outs.push_back(read(b, init, ivs, mask));
    else if (!reductionDims.empty())
      outs.push_back(zeros(b, element)); // overwritten each step
    else
      outs.push_back(Value());
  }
  SmallVector<Value> results = forLoops(
      b, reductionDims, outs, ivs, [&](OpBuilder &nb, ValueRange current) {
        IRMapping mapping = body(nb, ivs, current, mask);
        SmallVector<Value> next;
        for (Value v : block->getTerminator()->getOperands())
          next.push_back(broadcast(nb, mapping.lookupOrDefault(v)));
        return next;
      });
  for (auto [init, value] : llvm::zip(op.getDpsInitsMutable(), results))
    write(b, init, ivs, value, mask);
}

/// The output element at the parallel indices: vector accumulators over
/// the reduction loops (the vector dim innermost: full chunks, then single
/// vectors, the last one masked), folded into the output with horizontal
/// reductions.
void LoopEmitter::emitAlongReduction(OpBuilder &b,
                                     SmallVectorImpl<Value> &ivs) {
  Type element = plan.combiner->getResult(0).getType();
  std::optional<TypedAttr> neutral = arith::getNeutralElement(plan.combiner);
  auto identity = [&](OpBuilder &nb) -> Value {
    VectorType type = vectorOf(element);
    return arith::ConstantOp::create(
        nb, loc, type, SplatElementsAttr::get(type, cast<Attribute>(*neutral)));
  };
  Value value = plan.combiner->getOperand(1 - plan.combinerOutOperand);
  auto combine = [&](OpBuilder &nb, Value acc, Value next) -> Value {
    SmallVector<Value> operands(2);
    operands[plan.combinerOutOperand] = acc;
    operands[1 - plan.combinerOutOperand] = broadcast(nb, next);
    OperationState state(loc, plan.combiner->getName(), operands,
                         TypeRange{acc.getType()}, plan.combiner->getAttrs());
    return nb.create(state)->getResult(0);
  };
  SmallVector<Value> noOuts{Value()};
  // acc over [from, to) in steps of the current width, unmasked.
  auto accumulate = [&](OpBuilder &nb, Value acc, Value from, Value to) {
    auto loop = scf::ForOp::create(
        nb, loc, from, to, index(nb, width), ValueRange{acc},
        [&](OpBuilder &lb, Location, Value j, ValueRange args) {
          ivs[plan.vectorDim] = j;
          IRMapping mapping = body(lb, ivs, noOuts, Value());
          scf::YieldOp::create(
              lb, loc, combine(lb, args[0], mapping.lookupOrDefault(value)));
        });
    return loop.getResult(0);
  };
  bool rest = plan.width != plan.lanes;
  bool tail = !staticSize || *staticSize % plan.lanes != 0;
  SmallVector<Value> inits;
  width = plan.width;
  inits.push_back(identity(b));
  if (rest) {
    width = plan.lanes;
    inits.push_back(identity(b));
  }
  SmallVector<Value> accs = forLoops(
      b, reductionDims, inits, ivs, [&](OpBuilder &nb, ValueRange current) {
        width = plan.width;
        Value zero = index(nb, 0);
        Value mainEnd = fullEnd(nb, zero, plan.width);
        SmallVector<Value> next{accumulate(nb, current[0], zero, mainEnd)};
        Value from = mainEnd;
        if (rest) {
          width = plan.lanes;
          Value restEnd = fullEnd(nb, mainEnd, plan.lanes);
          next.push_back(accumulate(nb, current[1], mainEnd, restEnd));
          from = restEnd;
        }
        // The last vector, masked (possibly empty), against the neutral
        // element.
        if (tail) {
          ivs[plan.vectorDim] = from;
          Value mask = tailMask(nb, from);
          IRMapping mapping = body(nb, ivs, noOuts, mask);
          Value last = arith::SelectOp::create(
              nb, loc, mask, broadcast(nb, mapping.lookupOrDefault(value)),
              identity(nb));
          next.back() = combine(nb, next.back(), last);
        }
        return next;
      });
  OpOperand &init = *op.getDpsInitOperand(0);
  SmallVector<Value> indices = indicesOf(b, init, ivs);
  Value reduced = memref::LoadOp::create(b, loc, init.get(), indices);
  for (Value acc : accs)
    reduced = vector::ReductionOp::create(b, loc, plan.kind, acc, reduced);
  memref::StoreOp::create(b, loc, reduced, init.get(), indices);
}

void LoopEmitter::emit(RewriterBase &rewriter) {
  rewriter.setInsertionPoint(op);
  for (Range range : cast<linalg::LinalgOp>(op.getOperation())
                         .createLoopRanges(rewriter, loc))
    sizes.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d < op.getNumLoops(); ++d) {
    if (d == plan.vectorDim)
      continue;
    (iterators[d] == utils::IteratorType::parallel ? parallelDims
                                                   : reductionDims)
        .push_back(d);
  }
  vectorSize = sizes[plan.vectorDim];
  staticSize = getConstantIntValue(getAsOpFoldResult(vectorSize));

  SmallVector<Value> ivs(op.getNumLoops());
  // The parallel dims (but the vector dim) run on the thread pool.
  OpBuilder::InsertionGuard guard(rewriter);
  if (!parallelDims.empty()) {
    SmallVector<Value> lbs(parallelDims.size(), index(rewriter, 0)),
        steps(parallelDims.size(), index(rewriter, 1)), ubs;
    for (unsigned d : parallelDims)
      ubs.push_back(sizes[d]);
    auto parallel = scf::ParallelOp::create(rewriter, loc, lbs, ubs, steps);
    for (auto [d, iv] : llvm::zip(parallelDims, parallel.getInductionVars()))
      ivs[d] = iv;
    rewriter.setInsertionPointToStart(parallel.getBody());
  }

  if (plan.reduceAlongVector) {
    emitAlongReduction(rewriter, ivs);
    return;
  }
  // Full chunks: a parallel loop of their own when no other dim is.
  width = plan.width;
  Value zero = index(rewriter, 0), one = index(rewriter, 1);
  Value step = index(rewriter, plan.width);
  Value chunks = arith::DivUIOp::create(rewriter, loc, vectorSize, step);
  Value mainEnd = arith::MulIOp::create(rewriter, loc, chunks, step);
  if (parallelDims.empty()) {
    auto loop = scf::ParallelOp::create(rewriter, loc, ValueRange{zero},
                                        ValueRange{chunks}, ValueRange{one});
    OpBuilder::InsertionGuard inner(rewriter);
    rewriter.setInsertionPointToStart(loop.getBody());
    Value j = arith::MulIOp::create(rewriter, loc, loop.getInductionVars()[0],
                                    step);
    emitAlongOutput(rewriter, ivs, j, Value());
  } else {
    auto loop = scf::ForOp::create(rewriter, loc, zero, mainEnd, step);
    OpBuilder::InsertionGuard inner(rewriter);
    rewriter.setInsertionPointToStart(loop.getBody());
    emitAlongOutput(rewriter, ivs, loop.getInductionVar(), Value());
  }
  // The rest as single vectors, the last one masked.
  width = plan.lanes;
  Value from = mainEnd;
  bool rest = plan.width != plan.lanes &&
              (!staticSize || *staticSize % plan.width >= plan.lanes);
  if (rest) {
    Value restEnd = fullEnd(rewriter, mainEnd, plan.lanes);
    auto loop = scf::ForOp::create(rewriter, loc, mainEnd, restEnd,
                                   index(rewriter, plan.lanes));
    OpBuilder::InsertionGuard inner(rewriter);
    rewriter.setInsertionPointToStart(loop.getBody());
    emitAlongOutput(rewriter, ivs, loop.getInductionVar(), Value());
    from = restEnd;
  }
  if (!staticSize || *staticSize % plan.lanes != 0) {
    emitAlongOutput(rewriter, ivs, from, tailMask(rewriter, from));
  }
}

struct VectorizeLoopsPass
    : public llmos::impl::VectorizeLoopsPassBase<VectorizeLoopsPass> {
  using VectorizeLoopsPassBase::VectorizeLoopsPassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<std::pair<linalg::GenericOp, Plan>> work;
    func.walk([&](linalg::GenericOp op) {
      if (std::optional<Plan> plan = planFor(op, vectorBits))
        work.emplace_back(op, std::move(*plan));
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, plan] : work) {
      LoopEmitter(op, plan).emit(rewriter);
      rewriter.eraseOp(op);
    }
    approximateVectorMath(func);
  }

  /// Math functions on vectors as polynomials (f16 through f32).
  void approximateVectorMath(func::FuncOp func) {
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) {
      if (isa<math::MathDialect>(op->getDialect()) &&
          op->getNumResults() == 1 &&
          isa<VectorType>(op->getResult(0).getType()))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    auto approximated = [](StringRef name) {
      name.consume_front("math.");
      return llvm::is_contained({"exp", "expm1", "log", "log1p", "log2",
                                 "tanh", "erf", "erfc"},
                                name);
    };
    RewritePatternSet patterns(&getContext());
    populateMathF32ExpansionPatterns(patterns, approximated);
    populateMathPolynomialApproximationPatterns(patterns, approximated);
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
