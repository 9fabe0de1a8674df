//===- ResolveSequences.cpp - Sequences of known structure -----------------===//
//
// This file implements llmos-resolve-sequences: sequences whose list of
// tensors is known at compile time are replaced by those tensors, so that
// models that build lists of tensors with constant positions (PyTorch lists,
// SplitToSequence / ConcatFromSequence pairs) compile to plain tensor code.
// Optionals built in the graph (known to hold a value or to be empty) are
// resolved the same way.
//
//===----------------------------------------------------------------------===//

#include "llmos/Transforms/Passes.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"
#include "llmos/Dialect/Llmos/IR/ShapeInference.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_RESOLVESEQUENCESPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;

namespace {

using TensorList = SmallVector<Value>;

/// A constant scalar position normalized into [0, size] (`inclusive`: an
/// insert position may equal the size), or nullopt.
std::optional<int64_t> constantPosition(Value position, int64_t size,
                                        bool inclusive) {
  std::optional<SmallVector<int64_t>> values = getConstantInts(position);
  if (!values || values->size() != 1)
    return std::nullopt;
  int64_t p = (*values)[0];
  if (p < 0)
    p += size;
  if (p < 0 || p > size || (!inclusive && p == size))
    return std::nullopt;
  return p;
}

/// A tensor type with a unit dim inserted at `axis` (unranked stays so).
Type withUnitDim(Type type, int64_t axis) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked)
    return type;
  SmallVector<int64_t> shape(ranked.getShape());
  int64_t rank = shape.size() + 1;
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return UnrankedTensorType::get(ranked.getElementType());
  shape.insert(shape.begin() + axis, 1);
  return RankedTensorType::get(shape, ranked.getElementType());
}

struct ResolveSequencesPass
    : public llmos::impl::ResolveSequencesPassBase<ResolveSequencesPass> {
  DenseMap<Value, TensorList> known;
  /// Optionals built in the graph: their value, or a null Value when empty.
  DenseMap<Value, Value> knownOptionals;

  void runOnOperation() override {
    known.clear();
    knownOptionals.clear();
    erasedIfs.clear();
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) { ops.push_back(op); });
    for (Operation *op : ops)
      track(op);
    SmallPtrSet<Operation *, 16> replaced;
    for (Operation *op : ops)
      if (replaceUse(op))
        replaced.insert(op);
    // Erase the replaced ops, then the sequence ops that nothing uses any
    // more, users first.
    for (Operation *op : replaced)
      op->erase();
    // An If on a now constant condition (has_element of a known optional)
    // becomes its taken branch: the other may read an empty optional.
    SmallVector<IfOp> ifs;
    getOperation().walk([&](IfOp op) { ifs.push_back(op); });
    for (IfOp op : ifs)
      inlineConstantIf(op);
    for (Operation *op : llvm::reverse(ops))
      if (!replaced.contains(op) && !erasedIfs.contains(op) &&
          isa<SequenceEmptyOp, SequenceConstructOp, SequenceInsertOp,
              SequenceEraseOp, SplitToSequenceOp, OptionalOp>(op) &&
          op->use_empty())
        op->erase();
  }

  SmallPtrSet<Operation *, 16> erasedIfs;

  /// Replaces an If whose condition is a constant by its taken branch.
  void inlineConstantIf(IfOp op) {
    std::optional<SmallVector<int64_t>> cond = getConstantInts(op.getCond());
    if (!cond || cond->size() != 1)
      return;
    Region &region = (*cond)[0] ? op.getThenBranch() : op.getElseBranch();
    Block &block = region.front();
    Operation *yield = block.getTerminator();
    for (auto [result, value] :
         llvm::zip(op->getResults(), yield->getOperands()))
      if (result.getType() != value.getType() &&
          !(isa<TensorType>(result.getType()) &&
            isa<TensorType>(value.getType()) &&
            tensor::CastOp::areCastCompatible(value.getType(),
                                              result.getType())))
        return;
    SmallVector<Value> values(yield->getOperands());
    op->getBlock()->getOperations().splice(Block::iterator(op),
                                           block.getOperations(),
                                           block.begin(),
                                           Block::iterator(yield));
    OpBuilder b(op);
    for (auto [result, value] : llvm::zip(op->getResults(), values)) {
      // The taken branch's value is often more precise than the If's join
      // of both branches (a rank the other branch lacked). Users that
      // re-infer their types (llmos ops, the function's return, whose type
      // shape inference updates) take it as it is; a cast to the old type
      // would hide it from shape inference downstream.
      bool refinable = llvm::all_of(result.getUsers(), [](Operation *user) {
        return isa<func::ReturnOp>(user) ||
               (isa_and_nonnull<LlmosDialect>(user->getDialect()) &&
                !user->hasTrait<OpTrait::IsTerminator>());
      });
      if (value.getType() != result.getType() && !refinable)
        value = tensor::CastOp::create(b, op.getLoc(), result.getType(), value);
      result.replaceAllUsesWith(value);
    }
    // The branch's ops were walked inside the If; erase it (and, with it,
    // the other branch) once, and remember it so nothing erases it twice.
    op->walk([&](Operation *inner) { erasedIfs.insert(inner); });
    op->erase();
  }

  /// Records the tensors of the sequence `op` produces, when known.
  void track(Operation *op) {
    OpBuilder b(op);
    if (isa<SequenceEmptyOp>(op)) {
      known[op->getResult(0)] = {};
    } else if (auto construct = dyn_cast<SequenceConstructOp>(op)) {
      known[construct.getResult()] = TensorList(construct->getOperands());
    } else if (auto insert = dyn_cast<SequenceInsertOp>(op)) {
      auto it = known.find(insert.getInputSequence());
      if (it == known.end())
        return;
      TensorList list = it->second;
      int64_t size = list.size();
      std::optional<int64_t> at =
          insert.getPosition()
              ? constantPosition(insert.getPosition(), size, true)
              : std::optional<int64_t>(size);
      if (!at)
        return;
      list.insert(list.begin() + *at, insert.getTensor());
      known[insert.getResult()] = list;
    } else if (auto erase = dyn_cast<SequenceEraseOp>(op)) {
      auto it = known.find(erase.getInputSequence());
      if (it == known.end() || it->second.empty())
        return;
      TensorList list = it->second;
      int64_t size = list.size();
      std::optional<int64_t> at =
          erase.getPosition() ? constantPosition(erase.getPosition(), size, false)
                              : std::optional<int64_t>(size - 1);
      if (!at)
        return;
      list.erase(list.begin() + *at);
      known[erase.getResult()] = list;
    } else if (auto split = dyn_cast<SplitToSequenceOp>(op)) {
      trackSplit(b, split);
    } else if (auto optional = dyn_cast<OptionalOp>(op)) {
      knownOptionals[optional.getOutput()] = optional.getInput();
    }
  }

  /// split_to_sequence with a static number of pieces: a llmos.split.
  void trackSplit(OpBuilder &b, SplitToSequenceOp op) {
    auto inputType = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!inputType)
      return;
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    if (axis < 0 || axis >= rank)
      return;
    int64_t dim = inputType.getDimSize(axis);
    int64_t pieces;
    Value split = op.getSplit();
    bool squeeze = false;
    if (!split) {
      // Pieces of one along the axis; keepdims = 0 drops the axis.
      if (ShapedType::isDynamic(dim))
        return;
      pieces = dim;
      squeeze = op.getKeepdims() == 0;
    } else {
      auto splitType = dyn_cast<RankedTensorType>(split.getType());
      if (!splitType)
        return;
      if (splitType.getRank() == 1 && !splitType.isDynamicDim(0)) {
        pieces = splitType.getDimSize(0);
      } else {
        // A scalar chunk size: a static count needs a constant size.
        std::optional<SmallVector<int64_t>> size = getConstantInts(split);
        if (!size || size->size() != 1 || (*size)[0] <= 0 ||
            ShapedType::isDynamic(dim))
          return;
        pieces = (dim + (*size)[0] - 1) / (*size)[0];
        SmallVector<int64_t> sizes(pieces, (*size)[0]);
        sizes.back() = dim - (pieces - 1) * (*size)[0];
        auto sizesType = RankedTensorType::get({pieces}, b.getI64Type());
        split = ConstantOp::create(
            b, op.getLoc(), DenseElementsAttr::get(sizesType, ArrayRef(sizes)));
      }
    }
    if (pieces <= 0 || pieces > 4096)
      return;
    Type element = op.getType().getElementType();
    Type pieceType = squeeze ? withUnitDim(element, axis) : Type(element);
    SmallVector<Type> types(pieces, pieceType);
    auto splitOp = SplitOp::create(b, op.getLoc(), types, op.getInput(), split,
                                   b.getI64IntegerAttr(axis), IntegerAttr());
    TensorList list(splitOp->getResults());
    if (squeeze) {
      auto axesType = RankedTensorType::get({1}, b.getI64Type());
      Value axes = ConstantOp::create(
          b, op.getLoc(), DenseElementsAttr::get(axesType, ArrayRef{axis}));
      for (Value &piece : list)
        piece = SqueezeOp::create(b, op.getLoc(), element, piece, axes);
    }
    known[op.getResult()] = list;
  }

  /// Replaces the result of an op that reads a known sequence (the op is
  /// left without uses, for the caller to erase); true when it did.
  bool replaceUse(Operation *op) {
    OpBuilder b(op);
    auto replace = [&](Value result, Value value) {
      if (value.getType() != result.getType())
        value = tensor::CastOp::create(b, op->getLoc(), result.getType(), value);
      result.replaceAllUsesWith(value);
      return true;
    };
    if (auto at = dyn_cast<SequenceAtOp>(op)) {
      auto it = known.find(at.getInputSequence());
      if (it == known.end())
        return false;
      std::optional<int64_t> position =
          constantPosition(at.getPosition(), it->second.size(), false);
      if (!position || !tensor::CastOp::areCastCompatible(
                           it->second[*position].getType(), at.getType()))
        return false;
      return replace(at.getResult(), it->second[*position]);
    } else if (auto length = dyn_cast<SequenceLengthOp>(op)) {
      auto it = known.find(length.getInputSequence());
      auto type = dyn_cast<RankedTensorType>(length.getType());
      if (it == known.end() || !type || !type.getElementType().isInteger(64))
        return false;
      Value count = ConstantOp::create(
          b, op->getLoc(),
          DenseElementsAttr::get(type, ArrayRef<int64_t>{(int64_t)it->second.size()}));
      return replace(length.getResult(), count);
    } else if (auto concat = dyn_cast<ConcatFromSequenceOp>(op)) {
      auto it = known.find(concat.getInputSequence());
      if (it == known.end() || it->second.empty())
        return false;
      TensorList inputs = it->second;
      if (concat.getNewAxis() != 0) {
        auto axesType = RankedTensorType::get({1}, b.getI64Type());
        Value axes = ConstantOp::create(
            b, op->getLoc(),
            DenseElementsAttr::get(axesType, ArrayRef{concat.getAxis()}));
        for (Value &input : inputs)
          input = UnsqueezeOp::create(
              b, op->getLoc(), withUnitDim(input.getType(), concat.getAxis()),
              input, axes);
      }
      auto joined = ConcatOp::create(b, op->getLoc(), concat.getType(), inputs,
                                     b.getI64IntegerAttr(concat.getAxis()));
      return replace(concat.getResult(), joined.getResult());
    } else if (auto has = dyn_cast<OptionalHasElementOp>(op)) {
      // A known optional, or a plain tensor or sequence (opset 18).
      Value input = has.getInput();
      auto it = knownOptionals.find(input);
      bool present;
      if (it != knownOptionals.end())
        present = static_cast<bool>(it->second);
      else if (!isa<OptionalType>(input.getType()))
        present = true;
      else
        return false;
      auto type = dyn_cast<RankedTensorType>(has.getType());
      if (!type)
        return false;
      Value flag = ConstantOp::create(
          b, op->getLoc(), DenseElementsAttr::get(type, ArrayRef<bool>{present}));
      return replace(has.getResult(), flag);
    } else if (auto get = dyn_cast<OptionalGetElementOp>(op)) {
      Value input = get.getInput();
      Value element;
      if (auto it = knownOptionals.find(input); it != knownOptionals.end())
        element = it->second; // null when empty: left for run time
      else if (!isa<OptionalType>(input.getType()))
        element = input;
      if (!element)
        return false;
      if (element.getType() != get.getType() &&
          !(isa<TensorType>(element.getType()) &&
            isa<TensorType>(get.getType()) &&
            tensor::CastOp::areCastCompatible(element.getType(),
                                              get.getType())))
        return false;
      return replace(get.getResult(), element);
    }
    return false;
  }
};

} // namespace
