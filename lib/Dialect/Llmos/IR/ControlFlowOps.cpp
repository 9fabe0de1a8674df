//===- ControlFlowOps.cpp - llmos If, Loop, Scan --------------------------===//
//
// This file implements shape inference for the control-flow ops and the
// fixed-point computation of their body argument types.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/ControlFlowOps.cpp.inc"

void LlmosDialect::registerControlFlowOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/ControlFlowOps.cpp.inc"
      >();
}

namespace {
/// The operands of a body's terminator, or failure when it has none.
FailureOr<OperandRange> getYielded(Operation *op, Region &region,
                                   StringRef name) {
  if (region.empty() || region.front().empty())
    return op->emitOpError() << name << " is empty";
  auto yield = dyn_cast<YieldOp>(region.front().back());
  if (!yield)
    return op->emitOpError() << name << " must end with llmos.yield";
  return yield.getValues();
}

/// `type` with a new dim of `size` inserted at `axis`.
Type insertDim(Type type, int64_t axis, int64_t size) {
  auto tensor = dyn_cast<TensorType>(type);
  if (!tensor)
    return nullptr;
  std::optional<DimList> dims = getDims(type);
  if (!dims)
    return type;
  if (axis < 0)
    axis += dims->size() + 1;
  dims->insert(dims->begin() + std::clamp<int64_t>(axis, 0, dims->size()),
               size);
  return makeTensorType(*dims, tensor.getElementType());
}

/// `type` without the dim at `axis` (a scan slice).
Type dropDim(Type type, int64_t axis) {
  auto tensor = cast<TensorType>(type);
  std::optional<DimList> dims = getDims(type);
  if (!dims)
    return type;
  dims->erase(dims->begin() + axis);
  return makeTensorType(*dims, tensor.getElementType());
}

bool isTrueConstant(Value value) {
  std::optional<SmallVector<int64_t>> values = getConstantInts(value);
  return values && values->size() == 1 && values->front() != 0;
}

/// Scan axes (default 0), normalized against each value's rank.
FailureOr<SmallVector<int64_t>>
getScanAxes(Operation *op, std::optional<ArrayRef<int64_t>> attr,
            ArrayRef<int64_t> ranks, StringRef name) {
  SmallVector<int64_t> axes(ranks.size(), 0);
  if (attr) {
    if (attr->size() != ranks.size())
      return op->emitOpError() << name << " has " << attr->size()
                               << " values, expected " << ranks.size();
    axes.assign(attr->begin(), attr->end());
  }
  for (auto [axis, rank] : llvm::zip(axes, ranks)) {
    if (rank < 0)
      continue;
    FailureOr<int64_t> normalized = normalizeAxis(op, axis, rank, name);
    if (failed(normalized))
      return failure();
    axis = *normalized;
  }
  return axes;
}
} // namespace

//===----------------------------------------------------------------------===//
// If
//===----------------------------------------------------------------------===//

LogicalResult IfOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> cond = getDims(getCond());
  if (cond && productOfDims(*cond) != 1 &&
      !ShapedType::isDynamic(productOfDims(*cond)))
    return emitOpError("cond must hold a single value");
  FailureOr<OperandRange> thenValues =
      getYielded(*this, getThenBranch(), "then_branch");
  FailureOr<OperandRange> elseValues =
      getYielded(*this, getElseBranch(), "else_branch");
  if (failed(thenValues) || failed(elseValues))
    return failure();
  if (thenValues->size() != elseValues->size())
    return emitOpError() << "then_branch yields " << thenValues->size()
                         << " values but else_branch yields "
                         << elseValues->size();
  if (thenValues->size() != getNumResults())
    return emitOpError() << "branches yield " << thenValues->size()
                         << " values for " << getNumResults() << " results";
  for (auto [index, values] :
       llvm::enumerate(llvm::zip(*thenValues, *elseValues))) {
    auto [a, b] = values;
    Type joined = joinTypes(a.getType(), b.getType());
    if (!joined)
      return emitOpError() << "branch output #" << index << " has types "
                           << a.getType() << " and " << b.getType();
    inferred.push_back(joined);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Loop
//===----------------------------------------------------------------------===//

LogicalResult LoopOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Block &body = getBody().front();
  size_t numCarried = getVInitial().size();
  if (body.getNumArguments() != numCarried + 2)
    return emitOpError() << "body takes " << body.getNumArguments()
                         << " arguments, expected 2 + " << numCarried
                         << " carried values";
  FailureOr<OperandRange> yielded = getYielded(*this, getBody(), "body");
  if (failed(yielded))
    return failure();
  if (yielded->size() < numCarried + 1)
    return emitOpError() << "body yields " << yielded->size()
                         << " values, expected at least 1 + " << numCarried;
  size_t numScan = yielded->size() - 1 - numCarried;
  if (getNumResults() != numCarried + numScan)
    return emitOpError() << "has " << getNumResults() << " results, but the "
                         << "body yields " << numCarried << " carried and "
                         << numScan << " scan outputs";
  for (auto [init, arg, next] :
       llvm::zip(getVInitial(), body.getArguments().drop_front(2),
                 yielded->drop_front(1))) {
    Type joined = joinTypes(init.getType(), next.getType());
    if (!joined || !areCompatibleTypes(joined, arg.getType()) ||
        !areCompatibleTypes(joinTypes(next.getType(), arg.getType()),
                            arg.getType()))
      return emitOpError() << "carried value of initial type "
                           << init.getType() << " is yielded as "
                           << next.getType()
                           << " but the body argument has type "
                           << arg.getType();
    inferred.push_back(arg.getType());
  }
  // The trip count is known when M is constant and nothing can stop the
  // loop early: no initial condition and the body passes it through.
  int64_t trips = kDynamic;
  if (std::optional<SmallVector<int64_t>> m =
          getM() ? getConstantInts(getM()) : std::nullopt) {
    Value nextCond = (*yielded)[0];
    bool passThrough =
        nextCond == body.getArgument(1) || isTrueConstant(nextCond);
    if ((!getCond() || isTrueConstant(getCond())) && passThrough)
      trips = std::max<int64_t>(m->front(), 0);
  }
  for (Value scan : yielded->drop_front(1 + numCarried)) {
    Type stacked = insertDim(scan.getType(), 0, trips);
    if (!stacked)
      return emitOpError("scan outputs must be tensors");
    inferred.push_back(stacked);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Scan
//===----------------------------------------------------------------------===//

LogicalResult ScanOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  int64_t numScanInputs = getNumScanInputs();
  int64_t numOperands = getInitialStateAndScanInputs().size();
  if (numScanInputs < 1 || numScanInputs > numOperands)
    return emitOpError() << "num_scan_inputs " << numScanInputs
                         << " is out of range for " << numOperands
                         << " operands";
  int64_t numState = numOperands - numScanInputs;
  Block &body = getBody().front();
  if (static_cast<int64_t>(body.getNumArguments()) != numOperands)
    return emitOpError() << "body takes " << body.getNumArguments()
                         << " arguments, expected " << numOperands;
  FailureOr<OperandRange> yielded = getYielded(*this, getBody(), "body");
  if (failed(yielded))
    return failure();
  int64_t numScanOutputs = yielded->size() - numState;
  if (numScanOutputs < 0 ||
      static_cast<int64_t>(getNumResults()) != numState + numScanOutputs)
    return emitOpError("result count does not match the body's outputs");
  SmallVector<int64_t> inputRanks;
  for (Value v : getInitialStateAndScanInputs().drop_front(numState))
    inputRanks.push_back(getRank(v));
  FailureOr<SmallVector<int64_t>> inputAxes =
      getScanAxes(*this, getScanInputAxes(), inputRanks, "scan_input_axes");
  if (failed(inputAxes))
    return failure();
  int64_t length = kDynamic;
  for (auto [v, axis] : llvm::zip(
           getInitialStateAndScanInputs().drop_front(numState), *inputAxes)) {
    std::optional<DimList> dims = getDims(v);
    if (!dims)
      continue;
    int64_t size = (*dims)[axis];
    if (!ShapedType::isDynamic(size)) {
      if (!ShapedType::isDynamic(length) && length != size)
        return emitOpError("scan inputs differ in sequence length");
      length = size;
    }
  }
  for (auto [arg, next] : llvm::zip(body.getArguments().take_front(numState),
                                    yielded->take_front(numState))) {
    if (!areCompatibleTypes(arg.getType(), next.getType()))
      return emitOpError() << "state value is yielded as " << next.getType()
                           << " but the body argument has type "
                           << arg.getType();
    inferred.push_back(arg.getType());
  }
  SmallVector<int64_t> outputRanks;
  for (Value v : yielded->drop_front(numState))
    outputRanks.push_back(getRank(v) < 0 ? -1 : getRank(v) + 1);
  FailureOr<SmallVector<int64_t>> outputAxes =
      getScanAxes(*this, getScanOutputAxes(), outputRanks, "scan_output_axes");
  if (failed(outputAxes))
    return failure();
  for (auto [v, axis] : llvm::zip(yielded->drop_front(numState), *outputAxes))
    inferred.push_back(insertDim(v.getType(), axis, length));
  return success();
}

//===----------------------------------------------------------------------===//
// Body argument types
//===----------------------------------------------------------------------===//

namespace {
/// Sets the body argument types to `types`; returns true when any changed.
bool setArgumentTypes(Block &body, ArrayRef<Type> types) {
  bool changed = false;
  for (auto [arg, type] : llvm::zip(body.getArguments(), types)) {
    if (arg.getType() != type) {
      arg.setType(type);
      changed = true;
    }
  }
  return changed;
}

/// Wraps yielded values in llmos.optional where the carried argument is an
/// optional and the body yields a plain value (ONNX lets a loop start from
/// an empty optional and carry the value it makes), so that a carried value
/// keeps one type.
void wrapOptionalCarries(Operation *op, Region &region, size_t first,
                         size_t firstYield, size_t count) {
  Block &body = region.front();
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield || yield->getNumOperands() < firstYield + count ||
      body.getNumArguments() < first + count)
    return;
  OpBuilder builder(yield);
  for (size_t i = 0; i < count; ++i) {
    Value yielded = yield->getOperand(firstYield + i);
    if (!isa<OptionalType>(body.getArgument(first + i).getType()) ||
        isa<OptionalType>(yielded.getType()))
      continue;
    Value wrapped = OptionalOp::create(
        builder, yield.getLoc(), OptionalType::get(op->getContext(), yielded.getType()), yielded,
        TypeAttr());
    yield->setOperand(firstYield + i, wrapped);
  }
}

/// A Loop's carried sequence that starts empty (SequenceEmpty, used by this
/// loop alone) and grows by a SequenceInsert in the body starts from the
/// inserted tensor's type rather than the empty sequence's unknown one, so
/// that stacking the result keeps a rank; widening then generalizes the type
/// over the iterations. The SequenceEmpty takes the same type.
LogicalResult seedEmptySequences(LoopOp loop, Region &region) {
  Block &body = region.front();
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  size_t carried = loop.getVInitial().size();
  if (!yield || yield->getNumOperands() < 1 + carried ||
      body.getNumArguments() < 2 + carried)
    return success();
  bool changed = false;
  for (size_t k = 0; k < carried; ++k) {
    Value init = loop.getVInitial()[k];
    auto empty = init.getDefiningOp<SequenceEmptyOp>();
    BlockArgument arg = body.getArgument(2 + k);
    auto insert = yield->getOperand(1 + k).getDefiningOp<SequenceInsertOp>();
    auto seq = dyn_cast<SequenceType>(arg.getType());
    if (!empty || !init.hasOneUse() || !insert ||
        insert.getInputSequence() != arg || !seq ||
        seq.getElementType().hasRank())
      continue;
    auto tensor = dyn_cast<RankedTensorType>(insert.getTensor().getType());
    if (!tensor ||
        tensor.getElementType() != seq.getElementType().getElementType())
      continue;
    auto seeded = SequenceType::get(loop.getContext(), tensor);
    arg.setType(seeded);
    init.setType(seeded);
    changed = true;
  }
  if (changed)
    return reinferRegion(region);
  return success();
}

/// Widens carried arguments (from index `first`, paired with yielded values
/// from `firstYield`) until the yielded types refine the argument types.
LogicalResult widenCarried(Operation *op, Region &region, size_t first,
                           size_t firstYield, size_t count) {
  wrapOptionalCarries(op, region, first, firstYield, count);
  Block &body = region.front();
  // Each round makes at least one dim dynamic or drops a rank, so the
  // number of rounds is bounded by the total rank; cap it anyway.
  for (int round = 0; round < 64; ++round) {
    FailureOr<OperandRange> yielded = getYielded(op, region, "body");
    if (failed(yielded))
      return failure();
    if (yielded->size() < firstYield + count)
      return success(); // The op's inference reports the count mismatch.
    SmallVector<Type> types(body.getArgumentTypes());
    bool changed = false;
    for (size_t i = 0; i < count; ++i) {
      Type current = types[first + i];
      Type next = (*yielded)[firstYield + i].getType();
      Type joined = joinTypes(current, next);
      if (!joined)
        return op->emitOpError() << "carried value changes type from "
                                 << current << " to " << next;
      if (joined != current) {
        types[first + i] = joined;
        changed = true;
      }
    }
    if (!changed)
      return success();
    setArgumentTypes(body, types);
    if (failed(reinferRegion(region)))
      return failure();
  }
  return op->emitOpError("body argument types do not converge");
}

/// The element tensor type of a sequence value, or the value's own type.
Type elementOrSelf(Type type) {
  if (auto seq = dyn_cast<SequenceType>(type))
    return seq.getElementType();
  return type;
}
} // namespace

FailureOr<SmallVector<Type>> mlir::llmos::getBodyArgumentTypes(Operation *op) {
  MLIRContext *context = op->getContext();
  SmallVector<Type> types;
  if (auto loop = dyn_cast<LoopOp>(op)) {
    types.push_back(RankedTensorType::get({}, IntegerType::get(context, 64)));
    types.push_back(RankedTensorType::get({}, IntegerType::get(context, 1)));
    for (Value init : loop.getVInitial())
      types.push_back(init.getType());
    return types;
  }
  if (auto scan = dyn_cast<ScanOp>(op)) {
    auto operands = scan.getInitialStateAndScanInputs();
    int64_t numScan = scan.getNumScanInputs();
    int64_t numState = static_cast<int64_t>(operands.size()) - numScan;
    if (numScan < 1 || numState < 0)
      return scan.emitOpError() << "num_scan_inputs " << numScan
                                << " is out of range for " << operands.size()
                                << " operands";
    SmallVector<int64_t> ranks;
    for (Value v : operands.drop_front(numState))
      ranks.push_back(getRank(v));
    FailureOr<SmallVector<int64_t>> axes =
        getScanAxes(op, scan.getScanInputAxes(), ranks, "scan_input_axes");
    if (failed(axes))
      return failure();
    for (Value v : operands.take_front(numState))
      types.push_back(v.getType());
    for (auto [v, axis] : llvm::zip(operands.drop_front(numState), *axes))
      types.push_back(dropDim(v.getType(), axis));
    return types;
  }
  if (isa<SequenceMapOp>(op)) {
    for (Value v : op->getOperands())
      types.push_back(elementOrSelf(v.getType()));
    return types;
  }
  return types;
}

LogicalResult mlir::llmos::inferRegionArgumentTypes(Operation *op) {
  if (!isa<LoopOp, ScanOp, SequenceMapOp>(op))
    return success();
  FailureOr<SmallVector<Type>> implied = getBodyArgumentTypes(op);
  if (failed(implied))
    return failure();
  Region &region = op->getRegion(0);
  Block &body = region.front();
  if (body.getNumArguments() != implied->size())
    return op->emitOpError() << "body takes " << body.getNumArguments()
                             << " arguments, expected " << implied->size();
  // Loop's iteration number and condition have fixed types; other arguments
  // keep what they already allow (e.g. a declared dynamic shape).
  size_t fixed = isa<LoopOp>(op) ? 2 : 0;
  SmallVector<Type> types(*implied);
  if (!isa<SequenceMapOp>(op)) {
    for (size_t i = fixed; i < types.size(); ++i) {
      Type joined = joinTypes(types[i], body.getArgument(i).getType());
      if (!joined)
        return op->emitOpError()
               << "body argument #" << i << " has type "
               << body.getArgument(i).getType() << ", but the op passes "
               << types[i];
      types[i] = joined;
    }
  }
  if (setArgumentTypes(body, types) && failed(reinferRegion(region)))
    return failure();
  if (auto loop = dyn_cast<LoopOp>(op)) {
    if (failed(seedEmptySequences(loop, region)))
      return failure();
    return widenCarried(op, region, 2, 1, loop.getVInitial().size());
  }
  if (auto scan = dyn_cast<ScanOp>(op))
    return widenCarried(op, region, 0, 0,
                        scan.getInitialStateAndScanInputs().size() -
                            scan.getNumScanInputs());
  return success();
}

std::optional<SmallVector<Type>>
mlir::llmos::getRefinedRegionArgumentTypes(Operation *op) {
  if (!isa<LoopOp, ScanOp, SequenceMapOp>(op))
    return std::nullopt;
  FailureOr<SmallVector<Type>> implied = getBodyArgumentTypes(op);
  Block &body = op->getRegion(0).front();
  if (failed(implied) || body.getNumArguments() != implied->size())
    return std::nullopt;
  size_t carriedBegin = 0, carriedEnd = 0;
  if (auto loop = dyn_cast<LoopOp>(op)) {
    carriedBegin = 2;
    carriedEnd = 2 + loop.getVInitial().size();
  } else if (auto scan = dyn_cast<ScanOp>(op)) {
    carriedEnd =
        scan.getInitialStateAndScanInputs().size() - scan.getNumScanInputs();
  }
  SmallVector<Type> types(body.getArgumentTypes());
  bool changed = false;
  for (size_t i = 0; i < types.size(); ++i) {
    if (i >= carriedBegin && i < carriedEnd)
      continue;
    Type refined = refineType(types[i], (*implied)[i]);
    if (refined && refined != types[i]) {
      types[i] = refined;
      changed = true;
    }
  }
  if (!changed)
    return std::nullopt;
  return types;
}
