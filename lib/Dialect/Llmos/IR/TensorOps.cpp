//===- TensorOps.cpp - llmos constants, shape and data-movement ops -------===//
//
// This file implements the constant op's assembly and folder and the shape
// inference of the ops that create, reshape, slice, gather and scatter
// tensors. Shape-typed operands (Reshape's shape, Slice's starts, ...) are
// read with getPartialInts so that shapes computed at run time from other
// shapes still give precise result types.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/TensorOps.cpp.inc"

void LlmosDialect::registerTensorOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/TensorOps.cpp.inc"
      >();
}

namespace {
Type i64Type(MLIRContext *context) { return IntegerType::get(context, 64); }

std::optional<ArrayRef<int64_t>> asRef(const std::optional<DimList> &dims) {
  if (!dims)
    return std::nullopt;
  return ArrayRef<int64_t>(*dims);
}

/// Checks that a shape-like operand is 1-D.
LogicalResult check1D(Operation *op, Value value, StringRef name) {
  int64_t rank = getRank(value);
  if (rank >= 0 && rank != 1)
    return op->emitOpError() << name << " must be a 1-D tensor, got rank "
                             << rank;
  return success();
}

/// Axes lists: 1-D, though ONNX's own tests also pass a scalar.
LogicalResult checkAxes(Operation *op, Value value) {
  int64_t rank = getRank(value);
  if (rank > 1)
    return op->emitOpError() << "axes must be a 1-D tensor, got rank " << rank;
  return success();
}

/// The partial values of a 1-D operand as dims: negative entries other than
/// kDynamic are errors.
FailureOr<std::optional<SmallVector<int64_t>>>
getShapeOperand(Operation *op, Value value, StringRef name) {
  if (failed(check1D(op, value, name)))
    return failure();
  std::optional<SmallVector<int64_t>> values = getPartialInts(value);
  if (values)
    for (int64_t v : *values)
      if (v < 0 && !ShapedType::isDynamic(v)) {
        op->emitOpError() << name << " has a negative size " << v;
        return failure();
      }
  return values;
}
} // namespace

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

void ConstantOp::print(OpAsmPrinter &printer) {
  printer << ' ';
  printer.printAttribute(getValue());
  printer.printOptionalAttrDict((*this)->getAttrs(), {"value"});
}

ParseResult ConstantOp::parse(OpAsmParser &parser, OperationState &result) {
  ElementsAttr value;
  if (parser.parseAttribute(value) ||
      parser.parseOptionalAttrDict(result.attributes))
    return failure();
  result.getOrAddProperties<Properties>().value = value;
  result.addTypes(value.getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult ConstantOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(getValue().getType());
  return success();
}

LogicalResult
ConstantOfShapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = Float32Type::get(getContext());
  if (std::optional<ElementsAttr> value = getValue()) {
    if (value->getNumElements() != 1)
      return emitOpError("value must hold exactly one element");
    elementType = value->getElementType();
  }
  FailureOr<std::optional<SmallVector<int64_t>>> shape =
      getShapeOperand(*this, getInput(), "input");
  if (failed(shape))
    return failure();
  if (!*shape) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  inferred.push_back(makeTensorType(DimList(**shape), elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape queries
//===----------------------------------------------------------------------===//

LogicalResult ShapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  int64_t rank = getRank(getData());
  if (rank < 0) {
    inferred.push_back(makeTensorType(DimList{kDynamic}, i64Type(getContext())));
    return success();
  }
  int64_t start = getStart(), end = getEnd().value_or(rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  inferred.push_back(makeTensorType(DimList{std::max<int64_t>(end - start, 0)},
                                    i64Type(getContext())));
  return success();
}

LogicalResult SizeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(RankedTensorType::get({}, i64Type(getContext())));
  return success();
}

//===----------------------------------------------------------------------===//
// Reshapes
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getData());
  if (failed(check1D(*this, getShape(), "shape")))
    return failure();
  std::optional<SmallVector<int64_t>> target = getPartialInts(getShape());
  if (!target) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  std::optional<DimList> input = getDims(getData());
  DimList dims;
  int inferIndex = -1;
  for (auto [i, t] : llvm::enumerate(*target)) {
    if (ShapedType::isDynamic(t)) {
      dims.push_back(kDynamic);
    } else if (t == 0 && !getAllowzero()) {
      if (!input) {
        dims.push_back(kDynamic);
      } else if (i >= input->size()) {
        return emitOpError() << "shape value 0 at index " << i
                             << " copies a dim the input (rank "
                             << input->size() << ") does not have";
      } else {
        dims.push_back((*input)[i]);
      }
    } else if (t == -1) {
      if (inferIndex >= 0)
        return emitOpError("shape may contain at most one -1");
      inferIndex = i;
      dims.push_back(kDynamic);
    } else if (t < 0) {
      return emitOpError() << "invalid shape value " << t;
    } else {
      dims.push_back(t);
    }
  }
  if (getAllowzero() && inferIndex >= 0 && llvm::is_contained(*target, 0))
    return emitOpError("shape cannot contain both 0 and -1 with allowzero");
  int64_t total = input ? productOfDims(*input) : kDynamic;
  if (inferIndex >= 0 && !ShapedType::isDynamic(total)) {
    int64_t others = 1;
    for (auto [i, d] : llvm::enumerate(dims))
      if (static_cast<int>(i) != inferIndex)
        others = mulDims(others, d);
    if (!ShapedType::isDynamic(others)) {
      if (others == 0 || total % others != 0)
        return emitOpError() << "cannot reshape " << getData().getType()
                             << " to the requested shape";
      dims[inferIndex] = total / others;
    }
  }
  int64_t resultTotal = productOfDims(dims);
  if (!ShapedType::isDynamic(total) && !ShapedType::isDynamic(resultTotal) &&
      total != resultTotal)
    return emitOpError() << "cannot reshape " << getData().getType()
                         << " (" << total << " elements) to "
                         << resultTotal << " elements";
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

LogicalResult FlattenOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getInput());
  std::optional<DimList> dims = getDims(getInput());
  if (!dims) {
    inferred.push_back(
        makeTensorType(DimList{kDynamic, kDynamic}, elementType));
    return success();
  }
  int64_t rank = dims->size(), axis = getAxis();
  if (axis < -rank || axis > rank)
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> ref(*dims);
  inferred.push_back(makeTensorType(
      DimList{productOfDims(ref.take_front(axis)),
              productOfDims(ref.drop_front(axis))},
      elementType));
  return success();
}

LogicalResult TransposeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getData());
  std::optional<DimList> dims = getDims(getData());
  if (!dims) {
    std::optional<ArrayRef<int64_t>> perm = getPerm();
    inferred.push_back(makeTensorType(
        perm ? std::optional<ArrayRef<int64_t>>(DimList(perm->size(), kDynamic))
             : std::nullopt,
        elementType));
    return success();
  }
  int64_t rank = dims->size();
  SmallVector<int64_t> perm;
  if (std::optional<ArrayRef<int64_t>> attr = getPerm())
    perm.assign(attr->begin(), attr->end());
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  if (static_cast<int64_t>(perm.size()) != rank)
    return emitOpError() << "perm has " << perm.size()
                         << " values for an input of rank " << rank;
  llvm::SmallBitVector seen(rank);
  DimList result;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen.test(p))
      return emitOpError("perm must be a permutation of the input dims");
    seen.set(p);
    result.push_back((*dims)[p]);
  }
  inferred.push_back(makeTensorType(result, elementType));
  return success();
}

LogicalResult SqueezeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getData());
  std::optional<DimList> dims = getDims(getData());
  std::optional<SmallVector<int64_t>> axes;
  if (getAxes()) {
    if (failed(checkAxes(*this, getAxes())))
      return failure();
    axes = getConstantInts(getAxes());
  }
  if (!dims || (getAxes() && !axes)) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  int64_t rank = dims->size();
  llvm::SmallBitVector squeezed(rank);
  if (!getAxes()) {
    for (int64_t i = 0; i < rank; ++i) {
      if (ShapedType::isDynamic((*dims)[i])) {
        // Whether this dim is 1 is only known at run time.
        inferred.push_back(makeTensorType(std::nullopt, elementType));
        return success();
      }
      if ((*dims)[i] == 1)
        squeezed.set(i);
    }
  } else {
    for (int64_t axis : *axes) {
      FailureOr<int64_t> normalized = normalizeAxis(*this, axis, rank);
      if (failed(normalized))
        return failure();
      int64_t size = (*dims)[*normalized];
      if (!ShapedType::isDynamic(size) && size != 1)
        return emitOpError() << "cannot squeeze axis " << axis << " of size "
                             << size;
      squeezed.set(*normalized);
    }
  }
  DimList result;
  for (int64_t i = 0; i < rank; ++i)
    if (!squeezed.test(i))
      result.push_back((*dims)[i]);
  inferred.push_back(makeTensorType(result, elementType));
  return success();
}

LogicalResult UnsqueezeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getData());
  if (failed(checkAxes(*this, getAxes())))
    return failure();
  std::optional<DimList> dims = getDims(getData());
  std::optional<SmallVector<int64_t>> axes = getConstantInts(getAxes());
  std::optional<DimList> axesDims = getDims(getAxes());
  if (axesDims && axesDims->empty())
    axesDims = DimList{1};
  if (!dims) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  if (!axes) {
    if (axesDims && !ShapedType::isDynamic((*axesDims)[0]))
      inferred.push_back(makeTensorType(
          DimList(dims->size() + (*axesDims)[0], kDynamic), elementType));
    else
      inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  int64_t outRank = dims->size() + axes->size();
  llvm::SmallBitVector inserted(outRank);
  for (int64_t axis : *axes) {
    FailureOr<int64_t> normalized = normalizeAxis(*this, axis, outRank);
    if (failed(normalized))
      return failure();
    if (inserted.test(*normalized))
      return emitOpError() << "axes repeats axis " << axis;
    inserted.set(*normalized);
  }
  DimList result;
  auto it = dims->begin();
  for (int64_t i = 0; i < outRank; ++i)
    result.push_back(inserted.test(i) ? 1 : *it++);
  inferred.push_back(makeTensorType(result, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// Concat, Split, Slice
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  Type elementType = getElementType(getInputs().front());
  std::optional<DimList> result;
  int64_t axis = 0;
  bool anyUnranked = false;
  for (Value input : getInputs()) {
    if (getElementType(input) != elementType)
      return emitOpError("inputs must have one element type");
    std::optional<DimList> dims = getDims(input);
    if (!dims) {
      anyUnranked = true;
      continue;
    }
    if (!result) {
      FailureOr<int64_t> normalized =
          normalizeAxis(*this, getAxis(), dims->size());
      if (failed(normalized))
        return failure();
      axis = *normalized;
      result = *dims;
      continue;
    }
    if (dims->size() != result->size())
      return emitOpError("inputs must have one rank");
    for (size_t i = 0; i < dims->size(); ++i) {
      int64_t &r = (*result)[i];
      int64_t d = (*dims)[i];
      if (static_cast<int64_t>(i) == axis) {
        r = ShapedType::isDynamic(r) || ShapedType::isDynamic(d) ? kDynamic
                                                                 : r + d;
      } else if (ShapedType::isDynamic(r)) {
        r = d;
      } else if (!ShapedType::isDynamic(d) && d != r) {
        return emitOpError() << "inputs differ in dim " << i << ": " << r
                             << " vs " << d;
      }
    }
  }
  if (result && anyUnranked)
    (*result)[axis] = kDynamic;
  inferred.push_back(makeTensorType(asRef(result), elementType));
  return success();
}

LogicalResult SplitOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getInput());
  std::optional<DimList> dims = getDims(getInput());
  unsigned numOutputs = getNumResults();
  if (numOutputs == 0)
    return emitOpError("needs at least one output");
  if (std::optional<int64_t> n = getNumOutputs()) {
    if (getSplit())
      return emitOpError("num_outputs and split cannot both be given");
    if (*n != static_cast<int64_t>(numOutputs))
      return emitOpError() << "num_outputs is " << *n << " but the op has "
                           << numOutputs << " results";
  }
  if (!dims) {
    inferred.append(numOutputs, makeTensorType(std::nullopt, elementType));
    return success();
  }
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), dims->size());
  if (failed(axis))
    return failure();
  int64_t size = (*dims)[*axis];
  SmallVector<int64_t> sizes(numOutputs, kDynamic);
  if (getSplit()) {
    if (failed(check1D(*this, getSplit(), "split")))
      return failure();
    if (std::optional<SmallVector<int64_t>> split = getConstantInts(getSplit())) {
      if (split->size() != numOutputs)
        return emitOpError() << "split has " << split->size()
                             << " values for " << numOutputs << " outputs";
      int64_t sum = 0;
      for (int64_t s : *split) {
        if (s < 0)
          return emitOpError("split sizes must be non-negative");
        sum += s;
      }
      if (!ShapedType::isDynamic(size) && sum != size)
        return emitOpError() << "split sizes sum to " << sum
                             << ", but the axis has size " << size;
      sizes.assign(split->begin(), split->end());
    }
  } else if (!ShapedType::isDynamic(size)) {
    if (getNumOutputs()) {
      // Chunks of ceil(size / n); the last one takes the remainder.
      int64_t chunk = (size + numOutputs - 1) / numOutputs;
      for (unsigned i = 0; i < numOutputs; ++i)
        sizes[i] = std::clamp<int64_t>(size - chunk * i, 0, chunk);
    } else {
      if (size % numOutputs != 0)
        return emitOpError() << "axis size " << size
                             << " is not divisible into " << numOutputs
                             << " equal parts";
      sizes.assign(numOutputs, size / numOutputs);
    }
  }
  for (int64_t s : sizes) {
    DimList result(*dims);
    result[*axis] = s;
    inferred.push_back(makeTensorType(result, elementType));
  }
  return success();
}

LogicalResult SliceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getData());
  for (auto [value, name] : {std::make_pair(Value(getStarts()), "starts"),
                             std::make_pair(Value(getEnds()), "ends"),
                             std::make_pair(Value(getAxes()), "axes"),
                             std::make_pair(Value(getSteps()), "steps")})
    if (value && failed(check1D(*this, value, name)))
      return failure();
  std::optional<DimList> dims = getDims(getData());
  if (!dims) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  int64_t rank = dims->size();
  // Starts and ends may come from shape computations: unknown entries make
  // only their axis dynamic. (Constants are read exactly: INT64_MIN is a
  // valid end and must not look like an unknown value.)
  bool exactStarts = true, exactEnds = true;
  std::optional<SmallVector<int64_t>> starts = getConstantInts(getStarts());
  if (!starts) {
    starts = getPartialInts(getStarts());
    exactStarts = false;
  }
  std::optional<SmallVector<int64_t>> ends = getConstantInts(getEnds());
  if (!ends) {
    ends = getPartialInts(getEnds());
    exactEnds = false;
  }
  std::optional<SmallVector<int64_t>> axes;
  if (getAxes()) {
    axes = getConstantInts(getAxes());
  } else if (starts) {
    axes.emplace();
    for (size_t i = 0; i < starts->size(); ++i)
      axes->push_back(i);
  }
  std::optional<SmallVector<int64_t>> steps;
  if (getSteps())
    steps = getConstantInts(getSteps());
  else if (starts)
    steps = SmallVector<int64_t>(starts->size(), 1);
  DimList result(*dims);
  if (!axes) {
    // Which axes are sliced is unknown: every dim may change.
    inferred.push_back(makeTensorType(DimList(rank, kDynamic), elementType));
    return success();
  }
  SmallVector<int64_t> normalizedAxes;
  llvm::SmallBitVector seen(rank);
  for (int64_t axis : *axes) {
    FailureOr<int64_t> normalized = normalizeAxis(*this, axis, rank);
    if (failed(normalized))
      return failure();
    if (seen.test(*normalized))
      return emitOpError() << "axes repeats axis " << axis;
    seen.set(*normalized);
    normalizedAxes.push_back(*normalized);
  }
  if (!starts || !ends || !steps) {
    for (int64_t axis : normalizedAxes)
      result[axis] = kDynamic;
    inferred.push_back(makeTensorType(result, elementType));
    return success();
  }
  size_t n = normalizedAxes.size();
  if (starts->size() != n || ends->size() != n || steps->size() != n)
    return emitOpError("starts, ends, axes and steps must have one length");
  for (size_t i = 0; i < n; ++i) {
    int64_t axis = normalizedAxes[i], step = (*steps)[i];
    if (step == 0)
      return emitOpError("steps must be non-zero");
    int64_t size = (*dims)[axis];
    int64_t start = (*starts)[i], end = (*ends)[i];
    if (ShapedType::isDynamic(size) ||
        (!exactStarts && ShapedType::isDynamic(start)) ||
        (!exactEnds && ShapedType::isDynamic(end))) {
      result[axis] = kDynamic;
      continue;
    }
    if (start < 0)
      start += size;
    if (end < 0)
      end += size;
    int64_t length;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, size);
      end = std::clamp<int64_t>(end, 0, size);
      length = end > start ? (end - start + step - 1) / step : 0;
    } else {
      start = std::clamp<int64_t>(start, 0, size - 1);
      end = std::clamp<int64_t>(end, -1, size - 1);
      length = start > end ? (start - end - step - 1) / -step : 0;
    }
    result[axis] = length;
  }
  inferred.push_back(makeTensorType(result, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// Gather and scatter
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getData());
  std::optional<DimList> data = getDims(getData());
  std::optional<DimList> indices = getDims(getIndices());
  if (!data || !indices) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  if (data->empty())
    return emitOpError("data must have rank >= 1");
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), data->size());
  if (failed(axis))
    return failure();
  int64_t size = (*data)[*axis];
  if (std::optional<SmallVector<int64_t>> values =
          getConstantInts(getIndices());
      values && !ShapedType::isDynamic(size))
    for (int64_t index : *values)
      if (index < -size || index >= size)
        return emitOpError() << "index " << index
                             << " is out of bounds for axis size " << size;
  DimList result(data->begin(), data->begin() + *axis);
  result.append(indices->begin(), indices->end());
  result.append(data->begin() + *axis + 1, data->end());
  inferred.push_back(makeTensorType(result, elementType));
  return success();
}

LogicalResult
GatherElementsOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> data = getDims(getData());
  std::optional<DimList> indices = getDims(getIndices());
  if (data && indices) {
    if (data->size() != indices->size())
      return emitOpError("data and indices must have one rank");
    if (failed(normalizeAxis(*this, getAxis(), data->size())))
      return failure();
  }
  inferred.push_back(makeTensorType(indices, getElementType(getData())));
  return success();
}

LogicalResult GatherNDOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getData());
  std::optional<DimList> data = getDims(getData());
  std::optional<DimList> indices = getDims(getIndices());
  int64_t b = getBatchDims();
  if (!data || !indices || indices->empty() ||
      ShapedType::isDynamic(indices->back())) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  int64_t r = data->size(), q = indices->size(), last = indices->back();
  if (b < 0 || b >= std::min(r, q))
    return emitOpError() << "batch_dims " << b << " must be less than the "
                         << "ranks of data and indices";
  if (last < 1 || last > r - b)
    return emitOpError() << "the last dim of indices (" << last
                         << ") must be in [1, " << r - b << "]";
  DimList result(indices->begin(), indices->end() - 1);
  result.append(data->begin() + b + last, data->end());
  inferred.push_back(makeTensorType(result, elementType));
  return success();
}

LogicalResult
ScatterElementsOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> data = getDims(getData());
  std::optional<DimList> indices = getDims(getIndices());
  std::optional<DimList> updates = getDims(getUpdates());
  if (getElementType(getUpdates()) != getElementType(getData()))
    return emitOpError("updates must have the element type of data");
  Type f32 = Float32Type::get(getContext());
  if (indices && updates &&
      !areCompatibleTypes(makeTensorType(*indices, f32),
                          makeTensorType(*updates, f32)))
    return emitOpError("indices and updates must have one shape");
  if (data && indices) {
    if (data->size() != indices->size())
      return emitOpError("data and indices must have one rank");
    if (failed(normalizeAxis(*this, getAxis(), data->size())))
      return failure();
  }
  inferred.push_back(getData().getType());
  return success();
}

LogicalResult ScatterNDOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getElementType(getUpdates()) != getElementType(getData()))
    return emitOpError("updates must have the element type of data");
  std::optional<DimList> data = getDims(getData());
  std::optional<DimList> indices = getDims(getIndices());
  std::optional<DimList> updates = getDims(getUpdates());
  if (data && indices && updates && !indices->empty() &&
      !ShapedType::isDynamic(indices->back())) {
    int64_t k = indices->back();
    if (k > static_cast<int64_t>(data->size()))
      return emitOpError("the last dim of indices exceeds the rank of data");
    size_t expectedRank = indices->size() - 1 + data->size() - k;
    if (updates->size() != expectedRank)
      return emitOpError() << "updates must have rank " << expectedRank;
  }
  inferred.push_back(getData().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// Expand, Tile, Pad, CenterCropPad
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getInput());
  FailureOr<std::optional<SmallVector<int64_t>>> shape =
      getShapeOperand(*this, getShape(), "shape");
  if (failed(shape))
    return failure();
  std::optional<DimList> input = getDims(getInput());
  if (!*shape || !input) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  FailureOr<DimList> dims = broadcastDims(*input, DimList(**shape));
  if (failed(dims))
    return emitOpError() << "cannot expand " << getInput().getType()
                         << " to the requested shape";
  inferred.push_back(makeTensorType(*dims, elementType));
  return success();
}

LogicalResult TileOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getInput());
  FailureOr<std::optional<SmallVector<int64_t>>> repeats =
      getShapeOperand(*this, getRepeats(), "repeats");
  if (failed(repeats))
    return failure();
  std::optional<DimList> input = getDims(getInput());
  if (!input) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  if (!*repeats) {
    inferred.push_back(
        makeTensorType(DimList(input->size(), kDynamic), elementType));
    return success();
  }
  if ((*repeats)->size() != input->size())
    return emitOpError() << "repeats has " << (*repeats)->size()
                         << " values for an input of rank " << input->size();
  DimList dims;
  for (auto [d, r] : llvm::zip(*input, **repeats))
    dims.push_back(mulDims(d, r));
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

LogicalResult PadOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getData());
  if (getConstantValue() &&
      getElementType(getConstantValue()) != elementType)
    return emitOpError("constant_value must have the element type of data");
  if (failed(check1D(*this, getPads(), "pads")))
    return failure();
  std::optional<DimList> dims = getDims(getData());
  if (!dims) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  int64_t rank = dims->size();
  std::optional<SmallVector<int64_t>> axisValues;
  if (getAxes()) {
    axisValues = getConstantInts(getAxes());
    if (!axisValues) {
      inferred.push_back(makeTensorType(DimList(rank, kDynamic), elementType));
      return success();
    }
  }
  FailureOr<SmallVector<int64_t>> normalizedAxes = normalizeAxes(
      *this,
      axisValues ? std::optional<ArrayRef<int64_t>>(*axisValues) : std::nullopt,
      rank);
  if (failed(normalizedAxes))
    return failure();
  ArrayRef<int64_t> axes = *normalizedAxes;
  std::optional<SmallVector<int64_t>> pads = getPartialInts(getPads());
  DimList result(*dims);
  if (!pads) {
    for (int64_t axis : axes)
      result[axis] = kDynamic;
    inferred.push_back(makeTensorType(result, elementType));
    return success();
  }
  size_t n = axes.size();
  if (pads->size() != 2 * n)
    return emitOpError() << "pads has " << pads->size() << " values, expected "
                         << 2 * n;
  for (size_t i = 0; i < n; ++i) {
    int64_t begin = (*pads)[i], end = (*pads)[i + n];
    int64_t &d = result[axes[i]];
    if (ShapedType::isDynamic(d) || ShapedType::isDynamic(begin) ||
        ShapedType::isDynamic(end)) {
      d = kDynamic;
      continue;
    }
    d += begin + end;
    if (d < 0)
      return emitOpError("negative pads remove more than the whole dim");
  }
  inferred.push_back(makeTensorType(result, elementType));
  return success();
}

LogicalResult
CenterCropPadOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getInputData());
  FailureOr<std::optional<SmallVector<int64_t>>> shape =
      getShapeOperand(*this, getShape(), "shape");
  if (failed(shape))
    return failure();
  std::optional<DimList> dims = getDims(getInputData());
  if (!dims) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  FailureOr<SmallVector<int64_t>> axes =
      normalizeAxes(*this, getAxes(), dims->size());
  if (failed(axes))
    return failure();
  DimList result(*dims);
  if (*shape && (*shape)->size() != axes->size())
    return emitOpError() << "shape has " << (*shape)->size()
                         << " values for " << axes->size() << " axes";
  for (auto [i, axis] : llvm::enumerate(*axes))
    result[axis] = *shape ? (**shape)[i] : kDynamic;
  inferred.push_back(makeTensorType(result, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// Generators and data-dependent shapes
//===----------------------------------------------------------------------===//

LogicalResult EyeLikeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> dims = getDims(getInput());
  if (dims && dims->size() != 2)
    return emitOpError("input must be 2-D");
  Type elementType = getDtype().value_or(getElementType(getInput()));
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

LogicalResult RangeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getStart());
  for (Value v : {getStart(), getLimit(), getDelta()}) {
    if (getElementType(v) != elementType)
      return emitOpError("start, limit and delta must have one element type");
    std::optional<DimList> dims = getDims(v);
    if (dims && productOfDims(*dims) != 1)
      return emitOpError("start, limit and delta must be scalars");
  }
  // Integer ranges often come from shape computations: use what is known.
  auto scalar = [](Value v) -> std::optional<double> {
    if (std::optional<SmallVector<double>> values = getConstantFloats(v))
      return values->front();
    if (std::optional<SmallVector<int64_t>> values = getPartialInts(v))
      if (values->size() == 1 && !ShapedType::isDynamic(values->front()))
        return static_cast<double>(values->front());
    return std::nullopt;
  };
  int64_t length = kDynamic;
  std::optional<double> start = scalar(getStart()), limit = scalar(getLimit()),
                        delta = scalar(getDelta());
  if (delta && *delta == 0)
    return emitOpError("delta must be non-zero");
  if (start && limit && delta)
    length = std::max<int64_t>(
        static_cast<int64_t>(std::ceil((*limit - *start) / *delta)), 0);
  inferred.push_back(makeTensorType(DimList{length}, elementType));
  return success();
}

LogicalResult OneHotOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getValues());
  std::optional<DimList> values = getDims(getValues());
  if (values && (values->size() != 1 ||
                 (!ShapedType::isDynamic((*values)[0]) && (*values)[0] != 2)))
    return emitOpError("values must hold two elements [off, on]");
  std::optional<DimList> dims = getDims(getIndices());
  if (!dims) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  int64_t outRank = dims->size() + 1;
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), outRank);
  if (failed(axis))
    return failure();
  int64_t depth = kDynamic;
  if (std::optional<SmallVector<double>> d = getConstantFloats(getDepth())) {
    if (d->size() != 1 || (*d)[0] < 1)
      return emitOpError("depth must be a positive scalar");
    depth = static_cast<int64_t>((*d)[0]);
  }
  dims->insert(dims->begin() + *axis, depth);
  inferred.push_back(makeTensorType(*dims, elementType));
  return success();
}

LogicalResult CompressOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getInput());
  if (failed(check1D(*this, getCondition(), "condition")))
    return failure();
  std::optional<DimList> dims = getDims(getInput());
  if (std::optional<int64_t> axis = getAxis()) {
    if (!dims) {
      inferred.push_back(makeTensorType(std::nullopt, elementType));
      return success();
    }
    FailureOr<int64_t> normalized = normalizeAxis(*this, *axis, dims->size());
    if (failed(normalized))
      return failure();
    (*dims)[*normalized] = kDynamic;
    inferred.push_back(makeTensorType(*dims, elementType));
    return success();
  }
  inferred.push_back(makeTensorType(DimList{kDynamic}, elementType));
  return success();
}

LogicalResult NonZeroOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  int64_t rank = getRank(getX());
  inferred.push_back(makeTensorType(
      DimList{rank < 0 ? kDynamic : rank, kDynamic}, i64Type(getContext())));
  return success();
}

LogicalResult UniqueOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getX());
  Type i64 = i64Type(getContext());
  std::optional<DimList> dims = getDims(getX());
  int64_t inverseSize = kDynamic;
  if (std::optional<int64_t> axis = getAxis()) {
    if (!dims) {
      inferred.push_back(makeTensorType(std::nullopt, elementType));
    } else {
      FailureOr<int64_t> normalized = normalizeAxis(*this, *axis, dims->size());
      if (failed(normalized))
        return failure();
      inverseSize = (*dims)[*normalized];
      (*dims)[*normalized] = kDynamic;
      inferred.push_back(makeTensorType(*dims, elementType));
    }
  } else {
    if (dims)
      inverseSize = productOfDims(*dims);
    inferred.push_back(makeTensorType(DimList{kDynamic}, elementType));
  }
  inferred.push_back(makeTensorType(DimList{kDynamic}, i64));
  inferred.push_back(makeTensorType(DimList{inverseSize}, i64));
  inferred.push_back(makeTensorType(DimList{kDynamic}, i64));
  return success();
}
