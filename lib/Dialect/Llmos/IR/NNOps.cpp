//===- NNOps.cpp - llmos convolution, pooling, normalization ops ----------===//
//
// This file implements shape inference for the neural-network op family.
//
//===----------------------------------------------------------------------===//

#include "WindowShapes.h"
#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"

#include <cmath>

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/NNOps.cpp.inc"

void LlmosDialect::registerNNOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/NNOps.cpp.inc"
      >();
}

namespace {
Type i64Type(MLIRContext *context) { return IntegerType::get(context, 64); }

/// Pooling: X is N x C x spatial; the output keeps N and C.
LogicalResult inferPool(Operation *op, Value x, ArrayRef<int64_t> kernel,
                        const WindowAttrs &attrs, SmallVectorImpl<Type> &types,
                        unsigned numResults) {
  Type elementType = getElementType(x);
  std::optional<DimList> dims = getDims(x);
  if (!dims) {
    types.push_back(makeTensorType(std::nullopt, elementType));
    if (numResults > 1)
      types.push_back(makeTensorType(std::nullopt, i64Type(op->getContext())));
    return success();
  }
  if (dims->size() < 3)
    return op->emitOpError() << "input must have rank >= 3, got "
                             << dims->size();
  FailureOr<DimList> out = inferWindowOutput(
      op, ArrayRef<int64_t>(*dims).drop_front(2), kernel, attrs);
  if (failed(out))
    return failure();
  DimList result{(*dims)[0], (*dims)[1]};
  result.append(out->begin(), out->end());
  types.push_back(makeTensorType(result, elementType));
  if (numResults > 1)
    types.push_back(makeTensorType(result, i64Type(op->getContext())));
  return success();
}

LogicalResult inferGlobalPool(Operation *op, Value x,
                              SmallVectorImpl<Type> &types) {
  std::optional<DimList> dims = getDims(x);
  if (dims) {
    if (dims->size() < 3)
      return op->emitOpError() << "input must have rank >= 3, got "
                               << dims->size();
    std::fill(dims->begin() + 2, dims->end(), 1);
  }
  types.push_back(makeTensorType(dims, getElementType(x)));
  return success();
}

/// Checks that `value` is 1-D with `size` elements when both are known.
LogicalResult checkVector(Operation *op, Value value, int64_t size,
                          StringRef name) {
  std::optional<DimList> dims = getDims(value);
  if (!dims)
    return success();
  if (dims->size() != 1)
    return op->emitOpError() << name << " must be 1-D, got rank "
                             << dims->size();
  if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic((*dims)[0]) &&
      (*dims)[0] != size)
    return op->emitOpError() << name << " has " << (*dims)[0]
                             << " elements, expected " << size;
  return success();
}

int64_t channelsOf(Value x) {
  std::optional<DimList> dims = getDims(x);
  return dims && dims->size() >= 2 ? (*dims)[1] : kDynamic;
}
} // namespace

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getElementType(getW()) != getElementType(getX()))
    return emitOpError("X and W must have one element type");
  if (getB()) {
    std::optional<DimList> w = getDims(getW());
    if (failed(checkVector(*this, getB(), w ? (*w)[0] : kDynamic, "B")))
      return failure();
  }
  WindowAttrs attrs{getKernelShape(), getStrides(), getDilations(), getPads(),
                    getAutoPad()};
  return inferConvolution(*this, getX(), getW(), getGroup(), attrs,
                          getElementType(getX()), inferred);
}

LogicalResult DeformConvOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  WindowAttrs attrs{getKernelShape(), getStrides(), getDilations(), getPads()};
  return inferConvolution(*this, getX(), getW(), getGroup(), attrs,
                          getElementType(getX()), inferred);
}

LogicalResult
ConvTransposeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getX());
  std::optional<DimList> x = getDims(getX()), w = getDims(getW());
  if (getGroup() <= 0)
    return emitOpError("group must be positive");
  if (!x) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  if (x->size() < 3)
    return emitOpError("input X must have rank >= 3");
  if (w && w->size() != x->size())
    return emitOpError("W must have the rank of X");
  size_t n = x->size() - 2;
  int64_t group = getGroup();
  int64_t outChannels = w ? mulDims((*w)[1], group) : kDynamic;
  if (w && !ShapedType::isDynamic((*x)[1]) && !ShapedType::isDynamic((*w)[0]) &&
      (*x)[1] != (*w)[0])
    return emitOpError() << "input channels " << (*x)[1]
                         << " differ from W's first dim " << (*w)[0];
  DimList kernel(n, kDynamic);
  if (std::optional<ArrayRef<int64_t>> ks = getKernelShape())
    kernel.assign(ks->begin(), ks->end());
  else if (w)
    kernel.assign(w->begin() + 2, w->end());
  std::optional<ArrayRef<int64_t>> strides = getStrides(),
                                   dilations = getDilations(), pads = getPads(),
                                   outputPadding = getOutputPadding(),
                                   outputShape = getOutputShape();
  for (auto [list, name, expected] :
       {std::make_tuple(strides, "strides", n),
        std::make_tuple(dilations, "dilations", n),
        std::make_tuple(pads, "pads", 2 * n),
        std::make_tuple(outputPadding, "output_padding", n),
        std::make_tuple(std::optional<ArrayRef<int64_t>>(kernel),
                        "kernel_shape", n)})
    if (list && list->size() != expected)
      return emitOpError() << name << " has " << list->size()
                           << " values, expected " << expected;
  DimList dims{(*x)[0], outChannels};
  if (outputShape) {
    if (outputShape->size() != n && outputShape->size() != n + 2)
      return emitOpError("output_shape must list the spatial dims");
    dims.append(outputShape->end() - n, outputShape->end());
  } else {
    for (size_t i = 0; i < n; ++i) {
      int64_t in = (*x)[i + 2], k = kernel[i];
      int64_t s = strides ? (*strides)[i] : 1;
      int64_t d = dilations ? (*dilations)[i] : 1;
      int64_t op = outputPadding ? (*outputPadding)[i] : 0;
      int64_t pb = pads ? (*pads)[i] : 0, pe = pads ? (*pads)[i + n] : 0;
      if (ShapedType::isDynamic(in) || ShapedType::isDynamic(k)) {
        dims.push_back(kDynamic);
        continue;
      }
      int64_t out;
      if (getAutoPad() == "SAME_UPPER" || getAutoPad() == "SAME_LOWER")
        out = in * s;
      else
        out = s * (in - 1) + op + ((k - 1) * d + 1) - pb - pe;
      if (out <= 0)
        return emitOpError() << "spatial output size " << out
                             << " is not positive";
      dims.push_back(out);
    }
  }
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

LogicalResult MaxPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getStorageOrder() != 0 && getStorageOrder() != 1)
    return emitOpError("storage_order must be 0 or 1");
  WindowAttrs attrs{getKernelShape(), getStrides(), getDilations(), getPads(),
                    getAutoPad(), getCeilMode() != 0};
  return inferPool(*this, getX(), getKernelShape(), attrs, inferred, 2);
}

LogicalResult AveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  WindowAttrs attrs{getKernelShape(), getStrides(), getDilations(), getPads(),
                    getAutoPad(), getCeilMode() != 0};
  return inferPool(*this, getX(), getKernelShape(), attrs, inferred, 1);
}

LogicalResult LpPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  WindowAttrs attrs{getKernelShape(), getStrides(), getDilations(), getPads(),
                    getAutoPad(), getCeilMode() != 0};
  return inferPool(*this, getX(), getKernelShape(), attrs, inferred, 1);
}

LogicalResult
GlobalAveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferGlobalPool(*this, getX(), inferred);
}

LogicalResult
GlobalMaxPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferGlobalPool(*this, getX(), inferred);
}

LogicalResult GlobalLpPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferGlobalPool(*this, getX(), inferred);
}

LogicalResult MaxRoiPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  ArrayRef<int64_t> pooled = getPooledShape();
  if (pooled.size() != 2)
    return emitOpError("pooled_shape must have 2 values");
  std::optional<DimList> rois = getDims(getRois());
  if (rois && (rois->size() != 2 ||
               (!ShapedType::isDynamic((*rois)[1]) && (*rois)[1] != 5)))
    return emitOpError("rois must have shape [num_rois, 5]");
  DimList dims{rois ? (*rois)[0] : kDynamic, channelsOf(getX()), pooled[0],
               pooled[1]};
  inferred.push_back(makeTensorType(dims, getElementType(getX())));
  return success();
}

LogicalResult RoiAlignOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> x = getDims(getX()), rois = getDims(getRois());
  if (x && x->size() != 4)
    return emitOpError("X must be 4-D");
  if (rois && (rois->size() != 2 ||
               (!ShapedType::isDynamic((*rois)[1]) && (*rois)[1] != 4)))
    return emitOpError("rois must have shape [num_rois, 4]");
  if (failed(checkVector(*this, getBatchIndices(),
                         rois ? (*rois)[0] : kDynamic, "batch_indices")))
    return failure();
  DimList dims{rois ? (*rois)[0] : kDynamic, channelsOf(getX()),
               getOutputHeight(), getOutputWidth()};
  inferred.push_back(makeTensorType(dims, getElementType(getX())));
  return success();
}

LogicalResult MaxUnpoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getX());
  std::optional<DimList> x = getDims(getX());
  if (getOutputShape()) {
    if (std::optional<SmallVector<int64_t>> shape =
            getPartialInts(getOutputShape())) {
      inferred.push_back(makeTensorType(DimList(*shape), elementType));
      return success();
    }
    inferred.push_back(makeTensorType(
        x ? std::optional<ArrayRef<int64_t>>(DimList(x->size(), kDynamic))
          : std::nullopt,
        elementType));
    return success();
  }
  if (!x) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  size_t n = x->size() - 2;
  ArrayRef<int64_t> kernel = getKernelShape();
  std::optional<ArrayRef<int64_t>> strides = getStrides(), pads = getPads();
  if (kernel.size() != n || (strides && strides->size() != n) ||
      (pads && pads->size() != 2 * n))
    return emitOpError("kernel_shape, strides and pads must match the "
                       "spatial rank");
  DimList dims{(*x)[0], (*x)[1]};
  for (size_t i = 0; i < n; ++i) {
    int64_t in = (*x)[i + 2];
    int64_t s = strides ? (*strides)[i] : 1;
    int64_t p = pads ? (*pads)[i] + (*pads)[i + n] : 0;
    dims.push_back(ShapedType::isDynamic(in) ? kDynamic
                                             : (in - 1) * s + kernel[i] - p);
  }
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

LogicalResult
BatchNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> x = getDims(getX());
  if (x && x->size() < 2)
    return emitOpError("X must have rank >= 2");
  int64_t c = channelsOf(getX());
  for (auto [value, name] :
       {std::make_pair(Value(getScale()), "scale"),
        std::make_pair(Value(getB()), "B"),
        std::make_pair(Value(getInputMean()), "input_mean"),
        std::make_pair(Value(getInputVar()), "input_var")})
    if (failed(checkVector(*this, value, c, name)))
      return failure();
  inferred.push_back(getX().getType());
  inferred.push_back(getInputMean().getType());
  inferred.push_back(getInputVar().getType());
  return success();
}

LogicalResult
LayerNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> x = getDims(getX());
  Type statsType = getStashType() == 1 ? Float32Type::get(getContext())
                                       : getElementType(getX());
  inferred.push_back(getX().getType());
  if (!x) {
    inferred.append(2, makeTensorType(std::nullopt, statsType));
    return success();
  }
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), x->size());
  if (failed(axis))
    return failure();
  std::optional<DimList> scale = getDims(getScale());
  ArrayRef<int64_t> normalized = ArrayRef<int64_t>(*x).drop_front(*axis);
  if (scale && !isUnidirectionallyBroadcastable(*scale, normalized))
    return emitOpError() << "Scale of type " << getScale().getType()
                         << " does not broadcast to the normalized dims";
  DimList stats(*x);
  std::fill(stats.begin() + *axis, stats.end(), 1);
  inferred.append(2, makeTensorType(stats, statsType));
  return success();
}

LogicalResult
GroupNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  int64_t c = channelsOf(getX());
  int64_t groups = getNumGroups();
  if (groups <= 0)
    return emitOpError("num_groups must be positive");
  if (!ShapedType::isDynamic(c) && c % groups != 0)
    return emitOpError() << "channels " << c
                         << " are not divisible by num_groups " << groups;
  if (failed(checkVector(*this, getScale(), c, "scale")) ||
      failed(checkVector(*this, getBias(), c, "bias")))
    return failure();
  inferred.push_back(getX().getType());
  return success();
}

LogicalResult DropoutOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(getData().getType());
  inferred.push_back(
      makeTensorType(getDims(getData()), IntegerType::get(getContext(), 1)));
  return success();
}

//===----------------------------------------------------------------------===//
// Sampling and image ops
//===----------------------------------------------------------------------===//

LogicalResult Col2ImOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getInput());
  std::optional<DimList> input = getDims(getInput());
  std::optional<SmallVector<int64_t>> image = getPartialInts(getImageShape());
  std::optional<SmallVector<int64_t>> block = getConstantInts(getBlockShape());
  if (input && input->size() != 3)
    return emitOpError("input must be 3-D [N, C * prod(block_shape), L]");
  if (!image) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  int64_t channels = kDynamic;
  if (input && block) {
    int64_t blockSize = productOfDims(*block);
    int64_t cb = (*input)[1];
    if (blockSize <= 0)
      return emitOpError("block_shape must be positive");
    if (!ShapedType::isDynamic(cb)) {
      if (cb % blockSize != 0)
        return emitOpError() << "input dim 1 (" << cb
                             << ") is not divisible by the block size "
                             << blockSize;
      channels = cb / blockSize;
    }
  }
  DimList dims{input ? (*input)[0] : kDynamic, channels};
  dims.append(image->begin(), image->end());
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

LogicalResult GridSampleOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> x = getDims(getX()), grid = getDims(getGrid());
  Type elementType = getElementType(getX());
  if (!x || !grid) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  if (x->size() < 3 || grid->size() != x->size())
    return emitOpError("grid must have the rank of X (N x D1 ... x Dr x r)");
  int64_t r = x->size() - 2;
  if (!ShapedType::isDynamic(grid->back()) && grid->back() != r)
    return emitOpError() << "the last dim of grid must be " << r;
  DimList dims{(*x)[0], (*x)[1]};
  dims.append(grid->begin() + 1, grid->end() - 1);
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

LogicalResult AffineGridOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getTheta());
  std::optional<SmallVector<int64_t>> size = getPartialInts(getSize());
  if (!size) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  if (size->size() != 4 && size->size() != 5)
    return emitOpError("size must have 4 (2-D) or 5 (3-D) values");
  DimList dims{(*size)[0]};
  dims.append(size->begin() + 2, size->end());
  dims.push_back(size->size() - 2);
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

LogicalResult
NonMaxSuppressionOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> boxes = getDims(getBoxes());
  if (boxes && (boxes->size() != 3 ||
                (!ShapedType::isDynamic((*boxes)[2]) && (*boxes)[2] != 4)))
    return emitOpError("boxes must have shape [batch, spatial, 4]");
  std::optional<DimList> scores = getDims(getScores());
  if (scores && scores->size() != 3)
    return emitOpError("scores must have shape [batch, classes, spatial]");
  inferred.push_back(
      makeTensorType(DimList{kDynamic, 3}, i64Type(getContext())));
  return success();
}

LogicalResult ResizeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getX());
  std::optional<DimList> x = getDims(getX());
  if (getScales() && getSizes() && getRank(getScales()) == 1 &&
      getDims(getScales()) && (*getDims(getScales()))[0] != 0)
    if (std::optional<DimList> sizesDims = getDims(getSizes());
        sizesDims && (*sizesDims)[0] != 0)
      return emitOpError("only one of scales and sizes may be given");
  if (!x) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  FailureOr<SmallVector<int64_t>> normalizedAxes =
      normalizeAxes(*this, getAxes(), x->size());
  if (failed(normalizedAxes))
    return failure();
  ArrayRef<int64_t> axes = *normalizedAxes;
  DimList dims(*x);
  auto unknown = [&] {
    for (int64_t axis : axes)
      dims[axis] = kDynamic;
  };
  // An empty scales tensor (opset 11-12 placeholder) means "use sizes".
  bool haveScales = getScales() && !(getDims(getScales()) &&
                                     getDims(getScales())->size() == 1 &&
                                     (*getDims(getScales()))[0] == 0);
  if (getSizes() && !haveScales) {
    std::optional<SmallVector<int64_t>> sizes = getPartialInts(getSizes());
    if (!sizes) {
      unknown();
    } else if (sizes->size() != axes.size()) {
      return emitOpError() << "sizes has " << sizes->size()
                           << " values, expected " << axes.size();
    } else if (getKeepAspectRatioPolicy() == "stretch") {
      for (auto [axis, size] : llvm::zip(axes, *sizes))
        dims[axis] = size;
    } else {
      // One scale for all axes, the largest (not_smaller) or smallest
      // (not_larger) of the per-axis ones.
      bool notLarger = getKeepAspectRatioPolicy() == "not_larger";
      std::optional<float> scale;
      bool known = true;
      for (auto [axis, size] : llvm::zip(axes, *sizes)) {
        if (ShapedType::isDynamic(size) || ShapedType::isDynamic((*x)[axis])) {
          known = false;
          break;
        }
        float s = static_cast<float>(size) / static_cast<float>((*x)[axis]);
        scale = !scale ? s : (notLarger ? std::min(*scale, s)
                                        : std::max(*scale, s));
      }
      for (int64_t axis : axes)
        dims[axis] = known && scale
                         ? static_cast<int64_t>(std::round(
                               *scale * static_cast<float>((*x)[axis])))
                         : kDynamic;
    }
  } else if (haveScales) {
    std::optional<SmallVector<double>> scales = getConstantFloats(getScales());
    if (!scales) {
      unknown();
    } else if (scales->size() != axes.size()) {
      return emitOpError() << "scales has " << scales->size()
                           << " values, expected " << axes.size();
    } else {
      for (auto [axis, scale] : llvm::zip(axes, *scales)) {
        if (scale <= 0)
          return emitOpError("scales must be positive");
        int64_t in = (*x)[axis];
        dims[axis] =
            ShapedType::isDynamic(in)
                ? kDynamic
                : static_cast<int64_t>(std::floor(
                      static_cast<float>(in) * static_cast<float>(scale)));
      }
    }
  } else {
    return emitOpError("needs scales or sizes");
  }
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

LogicalResult DepthToSpaceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> x = getDims(getInput());
  int64_t b = getBlocksize();
  if (b <= 0)
    return emitOpError("blocksize must be positive");
  if (x) {
    if (x->size() != 4)
      return emitOpError("input must be 4-D");
    int64_t c = (*x)[1];
    if (!ShapedType::isDynamic(c) && c % (b * b) != 0)
      return emitOpError() << "channels " << c
                           << " are not divisible by blocksize^2";
    *x = {(*x)[0], ShapedType::isDynamic(c) ? kDynamic : c / (b * b),
          mulDims((*x)[2], b), mulDims((*x)[3], b)};
  }
  inferred.push_back(makeTensorType(x, getElementType(getInput())));
  return success();
}

LogicalResult SpaceToDepthOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> x = getDims(getInput());
  int64_t b = getBlocksize();
  if (b <= 0)
    return emitOpError("blocksize must be positive");
  if (x) {
    if (x->size() != 4)
      return emitOpError("input must be 4-D");
    for (int i : {2, 3})
      if (!ShapedType::isDynamic((*x)[i]) && (*x)[i] % b != 0)
        return emitOpError("spatial dims must be divisible by blocksize");
    auto div = [&](int64_t d) {
      return ShapedType::isDynamic(d) ? kDynamic : d / b;
    };
    *x = {(*x)[0], mulDims((*x)[1], b * b), div((*x)[2]), div((*x)[3])};
  }
  inferred.push_back(makeTensorType(x, getElementType(getInput())));
  return success();
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

namespace {
/// Losses produce a scalar unless reduction is "none", when they keep the
/// target's shape.
Type lossType(Value target, StringRef reduction, Type elementType) {
  if (reduction != "none")
    return RankedTensorType::get({}, elementType);
  return makeTensorType(getDims(target), elementType);
}

LogicalResult checkLossShapes(Operation *op, Value input, Value target) {
  std::optional<DimList> in = getDims(input), tgt = getDims(target);
  if (!in || !tgt)
    return success();
  if (in->size() < 2 || tgt->size() + 1 != in->size())
    return op->emitOpError("target must have the input's shape without the "
                           "class dimension");
  return success();
}
} // namespace

LogicalResult
SoftmaxCrossEntropyLossOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkLossShapes(*this, getScores(), getLabels())))
    return failure();
  Type elementType = getElementType(getScores());
  inferred.push_back(lossType(getLabels(), getReduction(), elementType));
  inferred.push_back(getScores().getType());
  return success();
}

LogicalResult NegativeLogLikelihoodLossOp::inferResultTypes(
    SmallVectorImpl<Type> &inferred) {
  if (failed(checkLossShapes(*this, getInput(), getTarget())))
    return failure();
  inferred.push_back(
      lossType(getTarget(), getReduction(), getElementType(getInput())));
  return success();
}
