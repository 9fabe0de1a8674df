//===- Convolution.cpp - Lowering of convolutions and pooling -------------===//
//
// This file lowers Conv (N-D, grouped, dilated, strided, padded),
// ConvTranspose, MaxPool (with indices), MaxUnpool, AveragePool, LpPool and
// the global pools. Explicit and automatic padding and ceil mode become a tensor.pad of
// the input; each window op is one linalg.generic whose input indexing map
// is `o * stride + k * dilation` (the form of linalg's named convolutions).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

/// Padding and window geometry of one windowed op. Strides and dilations
/// are attributes; window sizes and pads may be known only at run time
/// (weights of dynamic shape, auto_pad or ceil mode on dynamic dims).
struct Window {
  SmallVector<OpFoldResult> kernel;
  SmallVector<int64_t> strides, dilations;
  SmallVector<OpFoldResult> padBegin, padEnd;
  /// The pad ends before ceil mode's extra high padding: what
  /// count_include_pad counts.
  SmallVector<OpFoldResult> baseEnd;

  /// The extent of window i: (k - 1) * dilation + 1.
  OpFoldResult extent(OpBuilder &b, Location loc, size_t i) const {
    OpFoldResult one = b.getIndexAttr(1);
    return sizeAdd(b, loc,
                   sizeMul(b, loc, sizeSub(b, loc, kernel[i], one),
                           b.getIndexAttr(dilations[i])),
                   one);
  }
  /// The window sizes when they are all static.
  std::optional<SmallVector<int64_t>> staticKernel() const {
    SmallVector<int64_t> sizes;
    for (OpFoldResult k : kernel) {
      std::optional<int64_t> v = getConstantIntValue(k);
      if (!v)
        return std::nullopt;
      sizes.push_back(*v);
    }
    return sizes;
  }
  bool hasPadding() const {
    auto zero = [](OpFoldResult p) { return isConstantIntValue(p, 0); };
    return !llvm::all_of(padBegin, zero) || !llvm::all_of(padEnd, zero);
  }
};

/// Works out pads (explicit, auto_pad, and the extra high padding that ceil
/// mode needs) for a window over the spatial dims of `x`, with the output
/// sizes of ONNX's shape inference (WindowShapes.cpp); computed at run time
/// for dynamic dims.
Window computeWindow(OpBuilder &b, Location loc, Value x,
                     ArrayRef<OpFoldResult> kernel,
                     std::optional<ArrayRef<int64_t>> strides,
                     std::optional<ArrayRef<int64_t>> dilations,
                     std::optional<ArrayRef<int64_t>> pads, StringRef autoPad,
                     bool ceilMode) {
  size_t n = kernel.size();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = strides ? SmallVector<int64_t>(*strides) : SmallVector<int64_t>(n, 1);
  w.dilations =
      dilations ? SmallVector<int64_t>(*dilations) : SmallVector<int64_t>(n, 1);
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  w.padBegin.assign(n, zero);
  w.padEnd.assign(n, zero);
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  for (size_t i = 0; i < n; ++i) {
    OpFoldResult in = tensor::getMixedSize(b, loc, x, i + 2);
    OpFoldResult window = w.extent(b, loc, i);
    int64_t stride = w.strides[i];
    if (same) {
      // out = ceil(in / s); total = max(0, (out - 1) * s + window - in).
      OpFoldResult out = sizeCeilDiv(b, loc, in, stride);
      OpFoldResult total = sizeMax(
          b, loc, zero,
          sizeSub(b, loc,
                  sizeAdd(b, loc,
                          sizeMul(b, loc, sizeSub(b, loc, out, one),
                                  b.getIndexAttr(stride)),
                          window),
                  in));
      OpFoldResult small = sizeFloorDiv(b, loc, total, 2);
      OpFoldResult large = sizeSub(b, loc, total, small);
      w.padBegin[i] = autoPad == "SAME_UPPER" ? small : large;
      w.padEnd[i] = autoPad == "SAME_UPPER" ? large : small;
    } else if (autoPad != "VALID" && pads) {
      w.padBegin[i] = b.getIndexAttr((*pads)[i]);
      w.padEnd[i] = b.getIndexAttr((*pads)[i + n]);
    }
  }
  w.baseEnd = w.padEnd;
  if (!ceilMode || same || autoPad == "VALID")
    return w;
  for (size_t i = 0; i < n; ++i) {
    // out = ceil((in + pb + pe - window) / s) + 1, less one when the last
    // window would start past the input and the leading padding; the high
    // padding then grows to (out - 1) * s + window - in - pb.
    OpFoldResult in = tensor::getMixedSize(b, loc, x, i + 2);
    OpFoldResult window = w.extent(b, loc, i);
    OpFoldResult stride = b.getIndexAttr(w.strides[i]);
    OpFoldResult inAndLead = sizeAdd(b, loc, in, w.padBegin[i]);
    OpFoldResult span = sizeSub(b, loc, sizeAdd(b, loc, inAndLead, w.padEnd[i]),
                                window);
    OpFoldResult out =
        sizeAdd(b, loc, sizeCeilDiv(b, loc, span, w.strides[i]), one);
    OpFoldResult lastStart = sizeMul(b, loc, sizeSub(b, loc, out, one), stride);
    std::optional<int64_t> start = getConstantIntValue(lastStart),
                           limit = getConstantIntValue(inAndLead);
    if (start && limit) {
      if (*start >= *limit)
        out = sizeSub(b, loc, out, one);
    } else {
      Value past = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::sge,
          getValueOrCreateConstantIndexOp(b, loc, lastStart),
          getValueOrCreateConstantIndexOp(b, loc, inAndLead));
      out = indexSub(b, loc, getValueOrCreateConstantIndexOp(b, loc, out),
                     arith::IndexCastOp::create(b, loc, b.getIndexType(), past));
    }
    OpFoldResult needed = sizeSub(
        b, loc,
        sizeAdd(b, loc, sizeMul(b, loc, sizeSub(b, loc, out, one), stride),
                window),
        inAndLead);
    w.padEnd[i] = sizeMax(b, loc, w.padEnd[i], needed);
  }
  return w;
}

/// Pads the spatial dims of `x` (N x C x spatial) with `value`.
Value padSpatial(OpBuilder &b, Location loc, Value x, const Window &w,
                 Value value) {
  if (!w.hasPadding())
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> low{b.getIndexAttr(0), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> high{b.getIndexAttr(0), b.getIndexAttr(0)};
  SmallVector<int64_t> shape{type.getDimSize(0), type.getDimSize(1)};
  for (size_t i = 0; i < w.padBegin.size(); ++i) {
    low.push_back(w.padBegin[i]);
    high.push_back(w.padEnd[i]);
    int64_t d = type.getDimSize(i + 2);
    int64_t lo = staticSize(w.padBegin[i]), hi = staticSize(w.padEnd[i]);
    shape.push_back(ShapedType::isDynamic(d) || ShapedType::isDynamic(lo) ||
                            ShapedType::isDynamic(hi)
                        ? ShapedType::kDynamic
                        : d + lo + hi);
  }
  auto padded = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, padded, x, low, high, value);
}

/// Output sizes of a window op: N and C(or M) from operands, spatial from
/// the result type or the window arithmetic on the padded input,
/// max(0, (in - window) // stride + 1).
SmallVector<OpFoldResult> windowOutputSizes(OpBuilder &b, Location loc,
                                            RankedTensorType resultType,
                                            Value padded, OpFoldResult channels,
                                            const Window &w) {
  SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, padded, 0),
                                  channels};
  for (size_t i = 0; i < w.kernel.size(); ++i) {
    int64_t out = resultType.getDimSize(i + 2);
    if (!ShapedType::isDynamic(out)) {
      sizes.push_back(b.getIndexAttr(out));
      continue;
    }
    OpFoldResult span = sizeSub(b, loc, tensor::getMixedSize(b, loc, padded, i + 2),
                                w.extent(b, loc, i));
    sizes.push_back(sizeMax(
        b, loc, b.getIndexAttr(0),
        sizeAdd(b, loc, sizeFloorDiv(b, loc, span, w.strides[i]),
                b.getIndexAttr(1))));
  }
  return sizes;
}

/// Adds a per-channel bias (dim 1) to `value`.
Value addChannelBias(OpBuilder &b, Location loc, Value value, Value bias) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps{
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0, {getAffineDimExpr(1, context)}, context),
      b.getMultiDimIdentityMap(rank)};
  auto generic = linalg::GenericOp::create(
      b, loc, type, ValueRange{value, bias},
      createEmpty(b, loc, type, getSizes(b, loc, value)), maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location l, ValueRange args) {
        Value sum =
            isa<FloatType>(args[0].getType())
                ? Value(arith::AddFOp::create(nested, l, args[0], args[1]))
                : Value(arith::AddIOp::create(nested, l, args[0], args[1]));
        linalg::YieldOp::create(nested, l, sum);
      });
  return generic.getResult(0);
}

/// `value` with dim `d` split into [parts, size / parts].
Value splitDim(OpBuilder &b, Location loc, Value value, int64_t d,
               int64_t parts) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> sizes;
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    OpFoldResult size = tensor::getMixedSize(b, loc, value, i);
    if (i != d) {
      groups.push_back({static_cast<int64_t>(shape.size())});
      shape.push_back(type.getDimSize(i));
      sizes.push_back(size);
      continue;
    }
    OpFoldResult part = sizeFloorDiv(b, loc, size, parts);
    groups.push_back({static_cast<int64_t>(shape.size()),
                      static_cast<int64_t>(shape.size()) + 1});
    shape.push_back(parts);
    shape.push_back(staticSize(part));
    sizes.push_back(b.getIndexAttr(parts));
    sizes.push_back(part);
  }
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value,
      groups, sizes);
}

/// out[n, m, o] = sum_{c, k} x[n, g*Cg + c, o*s + k*d] * w[m, c, k] with
/// m = g*Mg + f: grouped convolution over a padded input. Any dim may be
/// dynamic: with group 1 the group loop is a unit loop; with static Cg and
/// Mg the channel offsets are affine; otherwise X is viewed as
/// [N, G, Cg, ...] and W as [G, Mg, Cg, ...].
Value convolve(OpBuilder &b, Location loc, Value padded, Value weights,
               int64_t group, const Window &w, RankedTensorType resultType) {
  auto wType = cast<RankedTensorType>(weights.getType());
  int64_t s = w.kernel.size();
  int64_t outChannels = wType.getDimSize(0);
  int64_t cg = wType.getDimSize(1);
  int64_t mg = ShapedType::isDynamic(outChannels) ? ShapedType::kDynamic
                                                  : outChannels / group;
  bool affineGroups =
      group == 1 || (!ShapedType::isDynamic(cg) && !ShapedType::isDynamic(mg));
  MLIRContext *context = b.getContext();
  Type element = resultType.getElementType();
  OpFoldResult outChannelSize = tensor::getMixedSize(b, loc, weights, 0);
  SmallVector<OpFoldResult> sizes =
      windowOutputSizes(b, loc, resultType, padded, outChannelSize, w);
  // Loops: n, g, f, o..., c, k...
  int64_t numLoops = 3 + s + 1 + s;
  auto dim = [&](int64_t d) { return getAffineDimExpr(d, context); };
  int64_t cLoop = 3 + s;
  SmallVector<AffineExpr> xExprs, wExprs;
  Value xOperand = padded, wOperand = weights;
  if (affineGroups) {
    // With one group the g loop is a unit loop: offsets g * Cg vanish.
    int64_t cgStep = group == 1 ? 0 : cg, mgStep = group == 1 ? 0 : mg;
    xExprs = {dim(0), dim(1) * cgStep + dim(cLoop)};
    wExprs = {dim(1) * mgStep + dim(2), dim(cLoop)};
  } else {
    xOperand = splitDim(b, loc, padded, 1, group);
    wOperand = splitDim(b, loc, weights, 0, group);
    xExprs = {dim(0), dim(1), dim(cLoop)};
    wExprs = {dim(1), dim(2), dim(cLoop)};
  }
  SmallVector<AffineExpr> outExprs{dim(0), dim(1), dim(2)};
  for (int64_t i = 0; i < s; ++i) {
    xExprs.push_back(dim(3 + i) * w.strides[i] +
                     dim(cLoop + 1 + i) * w.dilations[i]);
    wExprs.push_back(dim(cLoop + 1 + i));
    outExprs.push_back(dim(3 + i));
  }
  // The grouped output [N, G, Mg, O...] is reshaped to [N, M, O...].
  SmallVector<int64_t> groupedShape{resultType.getDimSize(0), group, mg};
  SmallVector<OpFoldResult> groupedSizes{
      sizes[0], b.getIndexAttr(group),
      sizeFloorDiv(b, loc, outChannelSize, group)};
  SmallVector<int64_t> collapsedShape{resultType.getDimSize(0),
                                      ShapedType::isDynamic(mg)
                                          ? ShapedType::kDynamic
                                          : group * mg};
  for (int64_t i = 0; i < s; ++i) {
    groupedShape.push_back(resultType.getDimSize(i + 2));
    groupedSizes.push_back(sizes[i + 2]);
    collapsedShape.push_back(resultType.getDimSize(i + 2));
  }
  auto groupedType = RankedTensorType::get(groupedShape, element);
  Value init = linalg::FillOp::create(b, loc, scalarConstant(b, loc, element, 0),
                                      createEmpty(b, loc, groupedType,
                                                  groupedSizes))
                   .getResult(0);
  SmallVector<utils::IteratorType> iterators(3 + s,
                                             utils::IteratorType::parallel);
  iterators.append(1 + s, utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, groupedType, ValueRange{xOperand, wOperand}, init,
      {AffineMap::get(numLoops, 0, xExprs, context),
       AffineMap::get(numLoops, 0, wExprs, context),
       AffineMap::get(numLoops, 0, outExprs, context)},
      iterators, [&](OpBuilder &nested, Location l, ValueRange args) {
        Value product, sum;
        if (isa<FloatType>(element)) {
          product = arith::MulFOp::create(nested, l, args[0], args[1]);
          sum = arith::AddFOp::create(nested, l, args[2], product);
        } else {
          product = arith::MulIOp::create(nested, l, args[0], args[1]);
          sum = arith::AddIOp::create(nested, l, args[2], product);
        }
        linalg::YieldOp::create(nested, l, sum);
      });
  SmallVector<ReassociationIndices> collapse{{0}, {1, 2}};
  for (int64_t i = 0; i < s; ++i)
    collapse.push_back({3 + i});
  Value collapsed = tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get(collapsedShape, element),
      generic.getResult(0), collapse);
  return castTo(b, loc, collapsed, resultType);
}

/// The sizes of `type`, whose only dynamic dim can be dim `pos`: `size`.
SmallVector<OpFoldResult> sizesWith(OpBuilder &b, RankedTensorType type,
                                    int64_t pos, OpFoldResult size) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    sizes.push_back(d == pos ? size : b.getIndexAttr(type.getDimSize(d)));
  return sizes;
}

/// The im2col matrix of one padded image [C, spatial...]:
///   col[c, k..., o...] = image[c, o*s + k*d], as [C*K..., O...]
/// (for a 1x1, stride-1 convolution the image itself, collapsed); or, with
/// `batched`, of a padded batch [N, C, spatial...], its images side by side:
///   col[c, k..., n, o...] = batch[n, c, o*s + k*d], as [C*K..., N*O...]
Value buildColumns(OpBuilder &b, Location loc, Value source, const Window &w,
                   ArrayRef<int64_t> kernel, ArrayRef<int64_t> outSpatial,
                   bool batched = false) {
  auto type = cast<RankedTensorType>(source.getType());
  Type element = type.getElementType();
  MLIRContext *context = b.getContext();
  int64_t s = w.kernel.size(), channels = type.getDimSize(batched ? 1 : 0);
  int64_t batch = batched ? type.getDimSize(0) : 1;
  int64_t kernelSize = 1, outSize = 1;
  for (int64_t i = 0; i < s; ++i) {
    kernelSize *= kernel[i];
    outSize *= outSpatial[i];
  }
  int64_t pixels =
      ShapedType::isDynamic(batch) ? ShapedType::kDynamic : batch * outSize;
  auto colType = RankedTensorType::get({channels * kernelSize, pixels},
                                       element);
  ReassociationIndices rest;
  bool pointwise = !batched && kernelSize == 1 &&
                   llvm::all_of(w.strides, [](int64_t v) { return v == 1; }) &&
                   llvm::equal(outSpatial, type.getShape().drop_front());
  if (pointwise) {
    for (int64_t i = 0; i < s; ++i)
      rest.push_back(1 + i);
    return tensor::CollapseShapeOp::create(
        b, loc, colType, source, ArrayRef<ReassociationIndices>{{0}, rest});
  }
  // Loops: c, k..., [n,] o...
  int64_t firstOut = 1 + s + (batched ? 1 : 0);
  int64_t numLoops = firstOut + s;
  auto dim = [&](int64_t d) { return getAffineDimExpr(d, context); };
  SmallVector<AffineExpr> exprs;
  if (batched)
    exprs.push_back(dim(1 + s));
  exprs.push_back(dim(0));
  for (int64_t i = 0; i < s; ++i)
    exprs.push_back(dim(firstOut + i) * w.strides[i] +
                    dim(1 + i) * w.dilations[i]);
  SmallVector<int64_t> shape{channels};
  llvm::append_range(shape, kernel);
  if (batched)
    shape.push_back(batch);
  llvm::append_range(shape, outSpatial);
  auto expandedType = RankedTensorType::get(shape, element);
  Value init =
      batched ? createEmpty(b, loc, expandedType,
                            sizesWith(b, expandedType, 1 + s,
                                      tensor::getMixedSize(b, loc, source, 0)))
              : createEmpty(b, loc, expandedType);
  auto generic = linalg::GenericOp::create(
      b, loc, expandedType, source, init,
      {AffineMap::get(numLoops, 0, exprs, context),
       AffineMap::getMultiDimIdentityMap(numLoops, context)},
      SmallVector<utils::IteratorType>(numLoops, utils::IteratorType::parallel),
      [](OpBuilder &nb, Location l, ValueRange args) {
        linalg::YieldOp::create(nb, l, args[0]);
      });
  ReassociationIndices rows;
  for (int64_t i = 0; i <= s; ++i)
    rows.push_back(i);
  for (int64_t i = s + 1; i < numLoops; ++i)
    rest.push_back(i);
  return tensor::CollapseShapeOp::create(
      b, loc, colType, generic.getResult(0),
      ArrayRef<ReassociationIndices>{rows, rest});
}

/// Images of at most this many output pixels are convolved as one product
/// for the whole batch: their own products are too small to keep the
/// matmul kernel and the threads busy.
constexpr int64_t kFoldBatchMaxPixels = 256;

/// The batch of `convolveAsMatmul` as one product (small images, batch not
/// statically 1):
///   col[c, k..., n, o...] = padded[n, c, o*s + k*d], as [C*K..., N*O...]
///   out = W (M x C*K...) x col, as [M, N, O...], transposed to [N, M, O...]
Value convolveBatchAsMatmul(OpBuilder &b, Location loc, Value padded,
                            Value weightMatrix, const Window &w,
                            ArrayRef<int64_t> kernel,
                            RankedTensorType resultType) {
  MLIRContext *context = b.getContext();
  auto xType = cast<RankedTensorType>(padded.getType());
  Type element = resultType.getElementType();
  int64_t s = w.kernel.size();
  int64_t outChannels = resultType.getDimSize(1);
  SmallVector<int64_t> outSpatial(resultType.getShape().drop_front(2));
  int64_t batch = xType.getDimSize(0);
  OpFoldResult batchSize = tensor::getMixedSize(b, loc, padded, 0);

  Value col = buildColumns(b, loc, padded, w, kernel, outSpatial,
                           /*batched=*/true);
  auto colType = cast<RankedTensorType>(col.getType());
  auto productType =
      RankedTensorType::get({outChannels, colType.getDimSize(1)}, element);
  Value product = buildMatmulInto(
      b, loc, weightMatrix, col,
      createEmpty(b, loc, productType,
                  sizesWith(b, productType, 1,
                            tensor::getMixedSize(b, loc, col, 1))));
  SmallVector<int64_t> byChannel{outChannels, batch};
  llvm::append_range(byChannel, outSpatial);
  auto byChannelType = RankedTensorType::get(byChannel, element);
  ReassociationIndices pixelDims;
  for (int64_t i = 1; i < 2 + s; ++i)
    pixelDims.push_back(i);
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, byChannelType, product,
      SmallVector<ReassociationIndices>{{0}, pixelDims},
      sizesWith(b, byChannelType, 1, batchSize));

  // [M, N, O...] -> [N, M, O...]; O stays the contiguous innermost dims.
  int64_t rank = resultType.getRank();
  auto dim = [&](int64_t d) { return getAffineDimExpr(d, context); };
  SmallVector<AffineExpr> swapped{dim(1), dim(0)};
  for (int64_t i = 2; i < rank; ++i)
    swapped.push_back(dim(i));
  auto transposed = linalg::GenericOp::create(
      b, loc, resultType, expanded,
      createEmpty(b, loc, resultType, sizesWith(b, resultType, 0, batchSize)),
      {AffineMap::get(rank, 0, swapped, context),
       AffineMap::getMultiDimIdentityMap(rank, context)},
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [](OpBuilder &nb, Location l, ValueRange args) {
        linalg::YieldOp::create(nb, l, args[0]);
      });
  return transposed.getResult(0);
}

/// An ungrouped f32 convolution as matrix products, the form the CPU
/// microkernel runs: for each image n, out[n] (M x O...) = W (M x C*K...)
/// times its im2col matrix (C*K... x O...), written in place into the
/// result. Returns failure when the shapes do not allow it (dynamic
/// channels, or dynamic spatial sizes); the caller then builds the direct
/// convolution.
FailureOr<Value> convolveAsMatmul(OpBuilder &b, Location loc, Value padded,
                                  Value weights, const Window &w,
                                  RankedTensorType resultType) {
  auto xType = cast<RankedTensorType>(padded.getType());
  auto wType = cast<RankedTensorType>(weights.getType());
  Type element = resultType.getElementType();
  int64_t s = w.kernel.size();
  int64_t channels = xType.getDimSize(1), outChannels = wType.getDimSize(0);
  SmallVector<int64_t> inSpatial(xType.getShape().drop_front(2));
  SmallVector<int64_t> outSpatial(resultType.getShape().drop_front(2));
  std::optional<SmallVector<int64_t>> kernel = w.staticKernel();
  if (!element.isF32() || !xType.getElementType().isF32() || !kernel ||
      ShapedType::isDynamic(channels) || ShapedType::isDynamic(outChannels) ||
      wType.getDimSize(1) != channels ||
      llvm::any_of(inSpatial, ShapedType::isDynamic) ||
      llvm::any_of(outSpatial, ShapedType::isDynamic))
    return failure();
  int64_t kernelSize = 1, outSize = 1;
  for (int64_t i = 0; i < s; ++i) {
    kernelSize *= (*kernel)[i];
    outSize *= outSpatial[i];
  }
  ReassociationIndices weightCols;
  for (int64_t i = 1; i < wType.getRank(); ++i)
    weightCols.push_back(i);
  Value weightMatrix = tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get({outChannels, channels * kernelSize},
                                    element),
      weights, ArrayRef<ReassociationIndices>{{0}, weightCols});
  if (outSize <= kFoldBatchMaxPixels && xType.getDimSize(0) != 1)
    return convolveBatchAsMatmul(b, loc, padded, weightMatrix, w, *kernel,
                                 resultType);

  SmallVector<OpFoldResult> resultSizes = mixedSizes(
      b, resultType, {tensor::getMixedSize(b, loc, padded, 0)});
  Value init = createEmpty(b, loc, resultType, resultSizes);
  Value zeroIdx = indexConstant(b, loc, 0), oneIdx = indexConstant(b, loc, 1);
  Value batch = getDimSize(b, loc, padded, 0);
  int64_t rank = xType.getRank();
  auto loop = scf::ForOp::create(
      b, loc, zeroIdx, batch, oneIdx, ValueRange{init},
      [&](OpBuilder &lb, Location l, Value n, ValueRange acc) {
        OpFoldResult one = lb.getIndexAttr(1), zero = lb.getIndexAttr(0);
        // The padded image n: [C, spatial...].
        SmallVector<OpFoldResult> offsets(rank, zero), sizes, strides(rank, one);
        offsets[0] = n;
        sizes.push_back(one);
        sizes.push_back(lb.getIndexAttr(channels));
        for (int64_t v : inSpatial)
          sizes.push_back(lb.getIndexAttr(v));
        SmallVector<int64_t> imageShape{channels};
        llvm::append_range(imageShape, inSpatial);
        Value image = tensor::ExtractSliceOp::create(
            lb, l, RankedTensorType::get(imageShape, element), padded, offsets,
            sizes, strides);
        Value col = buildColumns(lb, l, image, w, *kernel, outSpatial);
        // out[n] as an [M, O] matrix, zeroed, then W x col into it.
        SmallVector<OpFoldResult> outSizes{one, lb.getIndexAttr(outChannels)};
        for (int64_t v : outSpatial)
          outSizes.push_back(lb.getIndexAttr(v));
        SmallVector<int64_t> sliceShape{outChannels};
        llvm::append_range(sliceShape, outSpatial);
        auto sliceType = RankedTensorType::get(sliceShape, element);
        Value dest = tensor::ExtractSliceOp::create(lb, l, sliceType, acc[0],
                                                    offsets, outSizes, strides);
        ReassociationIndices spatial;
        for (int64_t i = 0; i < s; ++i)
          spatial.push_back(1 + i);
        SmallVector<ReassociationIndices> groups{{0}, spatial};
        auto matrixType = RankedTensorType::get({outChannels, outSize}, element);
        Value destMatrix =
            tensor::CollapseShapeOp::create(lb, l, matrixType, dest, groups);
        Value product =
            buildMatmulInto(lb, l, weightMatrix, col, destMatrix);
        Value back =
            tensor::ExpandShapeOp::create(lb, l, sliceType, product, groups);
        Value updated = tensor::InsertSliceOp::create(
            lb, l, back, acc[0], offsets, outSizes, strides);
        scf::YieldOp::create(lb, l, updated);
      });
  return loop.getResult(0);
}

} // namespace

Value mlir::llmos::lowering::buildConvolution(
    OpBuilder &b, Location loc, Value x, Value weights, int64_t group,
    std::optional<ArrayRef<int64_t>> strides,
    std::optional<ArrayRef<int64_t>> dilations,
    std::optional<ArrayRef<int64_t>> pads, StringRef autoPad,
    RankedTensorType resultType) {
  auto xType = cast<RankedTensorType>(x.getType());
  int64_t s = xType.getRank() - 2;
  SmallVector<OpFoldResult> kernel;
  for (int64_t i = 0; i < s; ++i)
    kernel.push_back(tensor::getMixedSize(b, loc, weights, i + 2));
  Window w = computeWindow(b, loc, x, kernel, strides, dilations, pads,
                           autoPad, /*ceilMode=*/false);
  Value zero = scalarConstant(b, loc, xType.getElementType(), 0);
  Value padded = padSpatial(b, loc, x, w, zero);
  if (group == 1) {
    FailureOr<Value> product =
        convolveAsMatmul(b, loc, padded, weights, w, resultType);
    if (succeeded(product))
      return *product;
  }
  return convolve(b, loc, padded, weights, group, w, resultType);
}

namespace {

// %y = llmos.conv %x, %w, %b {pads, strides, dilations, group}
//   => tensor.pad + grouped convolution generic + bias
struct ConvLowering : public OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = dyn_cast<RankedTensorType>(adaptor.getX().getType());
    auto wType = dyn_cast<RankedTensorType>(adaptor.getW().getType());
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op.getY());
    if (!xType || !wType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Value y = buildConvolution(rewriter, loc, adaptor.getX(), adaptor.getW(),
                               op.getGroup(), op.getStrides(),
                               op.getDilations(), op.getPads(),
                               op.getAutoPad(), resultType);
    if (adaptor.getB())
      y = addChannelBias(rewriter, loc, y, adaptor.getB());
    rewriter.replaceOp(op, y);
    return success();
  }
};

// %y = llmos.conv_transpose %x, %w {strides, pads, output_padding}
//   => x dilated by the strides, padded by (k-1)*d - pads, convolved with
//      the spatially flipped kernel whose in/out channels are swapped. Any
//      dim may be dynamic: sizes and pads are then computed at run time.
struct ConvTransposeLowering : public OpConversionPattern<ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX(), weights = adaptor.getW();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto wType = dyn_cast<RankedTensorType>(weights.getType());
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op.getY());
    if (!xType || !wType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    OpBuilder &b = rewriter;
    int64_t s = xType.getRank() - 2, group = op.getGroup();
    OpFoldResult zeroSize = b.getIndexAttr(0), oneSize = b.getIndexAttr(1);
    auto sizeOf = [&](Value v, int64_t d) {
      return tensor::getMixedSize(b, loc, v, d);
    };
    SmallVector<OpFoldResult> kernel;
    for (int64_t i = 0; i < s; ++i)
      kernel.push_back(sizeOf(weights, i + 2));
    SmallVector<int64_t> strides =
        op.getStrides() ? SmallVector<int64_t>(*op.getStrides())
                        : SmallVector<int64_t>(s, 1);
    SmallVector<int64_t> dilations =
        op.getDilations() ? SmallVector<int64_t>(*op.getDilations())
                          : SmallVector<int64_t>(s, 1);
    SmallVector<int64_t> outPadding =
        op.getOutputPadding() ? SmallVector<int64_t>(*op.getOutputPadding())
                              : SmallVector<int64_t>(s, 0);
    bool same = op.getAutoPad() == "SAME_UPPER" ||
                op.getAutoPad() == "SAME_LOWER";
    bool explicitPads =
        op.getPads() && !op.getOutputShape() && op.getAutoPad() == "NOTSET";
    // Pads from the attribute, or derived from the result size (output_shape
    // and auto_pad): total = stride*(in-1) + outpad + window - out, split
    // with Python's floor division as ONNX's reference does (a negative
    // total, an output_shape past the full result, pads with zeros).
    SmallVector<OpFoldResult> padBegin(s, zeroSize), padEnd(s, zeroSize);
    for (int64_t i = 0; i < s; ++i) {
      if (explicitPads) {
        padBegin[i] = b.getIndexAttr((*op.getPads())[i]);
        padEnd[i] = b.getIndexAttr((*op.getPads())[i + s]);
        continue;
      }
      OpFoldResult in = sizeOf(x, i + 2);
      OpFoldResult window = sizeAdd(
          b, loc,
          sizeMul(b, loc, sizeSub(b, loc, kernel[i], oneSize),
                  b.getIndexAttr(dilations[i])),
          oneSize);
      // The full output before pads: stride*(in-1) + outpad + window.
      OpFoldResult span = sizeAdd(
          b, loc,
          sizeMul(b, loc, sizeSub(b, loc, in, oneSize),
                  b.getIndexAttr(strides[i])),
          sizeAdd(b, loc, b.getIndexAttr(outPadding[i]), window));
      OpFoldResult out;
      if (!resultType.isDynamicDim(i + 2))
        out = b.getIndexAttr(resultType.getDimSize(i + 2));
      else if (same)
        out = sizeMul(b, loc, in, b.getIndexAttr(strides[i]));
      else
        out = span;
      // SAME_UPPER puts the larger half at the end, NOTSET (output_shape)
      // and SAME_LOWER at the start: half = total // 2.
      OpFoldResult total = sizeSub(b, loc, span, out);
      OpFoldResult half = sizeFloorDiv(b, loc, total, 2);
      OpFoldResult rest = sizeSub(b, loc, total, half);
      bool upper = op.getAutoPad() == "SAME_UPPER";
      padBegin[i] = upper ? half : rest;
      padEnd[i] = upper ? rest : half;
    }
    Type element = xType.getElementType();
    // 1. Dilate: x spread over a zero tensor with the strides.
    SmallVector<int64_t> dilatedShape{xType.getDimSize(0), xType.getDimSize(1)};
    SmallVector<OpFoldResult> dilatedSizes{sizeOf(x, 0), sizeOf(x, 1)};
    for (int64_t i = 0; i < s; ++i) {
      OpFoldResult size = sizeAdd(
          b, loc,
          sizeMul(b, loc, sizeSub(b, loc, sizeOf(x, i + 2), oneSize),
                  b.getIndexAttr(strides[i])),
          oneSize);
      dilatedSizes.push_back(size);
      dilatedShape.push_back(staticSize(size));
    }
    auto dilatedType = RankedTensorType::get(dilatedShape, element);
    Value zero = scalarConstant(b, loc, element, 0);
    Value dilated =
        linalg::FillOp::create(b, loc, zero,
                               createEmpty(b, loc, dilatedType, dilatedSizes))
            .getResult(0);
    SmallVector<OpFoldResult> offsets(s + 2, zeroSize);
    SmallVector<OpFoldResult> sliceStrides{oneSize, oneSize};
    for (int64_t i = 0; i < s; ++i)
      sliceStrides.push_back(b.getIndexAttr(strides[i]));
    dilated = tensor::InsertSliceOp::create(b, loc, x, dilated, offsets,
                                            getSizes(b, loc, x), sliceStrides);
    // 2. Pad by (k-1)*d - pad on each side (negative: crop).
    Window w;
    w.kernel = kernel;
    w.strides.assign(s, 1);
    w.dilations = dilations;
    SmallVector<OpFoldResult> cropBegin, cropEnd;
    bool crops = false;
    for (int64_t i = 0; i < s; ++i) {
      OpFoldResult reach = sizeMul(b, loc, sizeSub(b, loc, kernel[i], oneSize),
                                   b.getIndexAttr(dilations[i]));
      OpFoldResult lowPad = sizeSub(b, loc, reach, padBegin[i]);
      OpFoldResult highPad = sizeAdd(b, loc, sizeSub(b, loc, reach, padEnd[i]),
                                     b.getIndexAttr(outPadding[i]));
      w.padBegin.push_back(sizeMax(b, loc, lowPad, zeroSize));
      w.padEnd.push_back(sizeMax(b, loc, highPad, zeroSize));
      cropBegin.push_back(sizeMax(b, loc, sizeSub(b, loc, zeroSize, lowPad),
                                  zeroSize));
      cropEnd.push_back(sizeMax(b, loc, sizeSub(b, loc, zeroSize, highPad),
                                zeroSize));
      crops |= !isConstantIntValue(cropBegin.back(), 0) ||
               !isConstantIntValue(cropEnd.back(), 0);
    }
    w.baseEnd = w.padEnd;
    Value padded = padSpatial(b, loc, dilated, w, zero);
    if (crops) {
      SmallVector<OpFoldResult> cropOffsets{zeroSize, zeroSize};
      SmallVector<OpFoldResult> cropSizes{sizeOf(padded, 0), sizeOf(padded, 1)};
      auto paddedType = cast<RankedTensorType>(padded.getType());
      SmallVector<int64_t> cropShape{paddedType.getDimSize(0),
                                     paddedType.getDimSize(1)};
      for (int64_t i = 0; i < s; ++i) {
        OpFoldResult size =
            sizeSub(b, loc, sizeSub(b, loc, sizeOf(padded, i + 2), cropBegin[i]),
                    cropEnd[i]);
        // A crop past the whole input leaves nothing (not a negative size).
        size = sizeMax(b, loc, size, zeroSize);
        cropOffsets.push_back(cropBegin[i]);
        cropSizes.push_back(size);
        cropShape.push_back(staticSize(size));
      }
      padded = tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get(cropShape, element), padded,
          cropOffsets, cropSizes, SmallVector<OpFoldResult>(s + 2, oneSize));
    }
    // 3. Flipped kernel: w'[g*Mg + f, c, k] = w[g*Cg + c, f, K-1-k],
    //    produced as [G, Mg, Cg, K...] (loops g, f, c, k...) and collapsed.
    OpFoldResult mg = sizeOf(weights, 1);
    OpFoldResult cg = sizeFloorDiv(b, loc, sizeOf(x, 1), group);
    SmallVector<OpFoldResult> groupedSizes{b.getIndexAttr(group), mg, cg};
    groupedSizes.append(kernel.begin(), kernel.end());
    SmallVector<int64_t> groupedShape;
    for (OpFoldResult size : groupedSizes)
      groupedShape.push_back(staticSize(size));
    auto groupedType = RankedTensorType::get(groupedShape, element);
    MLIRContext *context = rewriter.getContext();
    auto flip = linalg::GenericOp::create(
        b, loc, groupedType, ValueRange{},
        createEmpty(b, loc, groupedType, groupedSizes),
        {AffineMap::getMultiDimIdentityMap(3 + s, context)},
        SmallVector<utils::IteratorType>(3 + s, utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange) {
          SmallVector<Value> indices;
          Value g = linalg::IndexOp::create(nb, l, 0);
          Value f = linalg::IndexOp::create(nb, l, 1);
          Value c = linalg::IndexOp::create(nb, l, 2);
          Value cgValue = getValueOrCreateConstantIndexOp(nb, l, cg);
          indices.push_back(indexAdd(nb, l, indexMul(nb, l, g, cgValue), c));
          indices.push_back(f);
          for (int64_t i = 0; i < s; ++i) {
            Value last = indexSub(
                nb, l, getValueOrCreateConstantIndexOp(nb, l, kernel[i]),
                indexConstant(nb, l, 1));
            indices.push_back(
                indexSub(nb, l, last, linalg::IndexOp::create(nb, l, 3 + i)));
          }
          linalg::YieldOp::create(
              nb, l,
              tensor::ExtractOp::create(nb, l, weights, indices).getResult());
        });
    SmallVector<ReassociationIndices> collapse{{0, 1}};
    for (int64_t d = 2; d < 3 + s; ++d)
      collapse.push_back({d});
    SmallVector<int64_t> flippedShape{
        ShapedType::isDynamic(groupedShape[1]) ? ShapedType::kDynamic
                                               : group * groupedShape[1]};
    flippedShape.append(groupedShape.begin() + 2, groupedShape.end());
    Value flipped = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get(flippedShape, element),
        flip.getResult(0), collapse);
    w.padBegin.assign(s, zeroSize);
    w.padEnd.assign(s, zeroSize);
    w.baseEnd = w.padEnd;
    Value y = convolve(b, loc, padded, flipped, group, w, resultType);
    if (adaptor.getB())
      y = addChannelBias(b, loc, y, adaptor.getB());
    rewriter.replaceOp(op, y);
    return success();
  }
};

enum class PoolKind { Max, Average, Lp };

/// A pooling generic over the padded input: loops n, c, o..., k..., with a
/// window operand giving the k loop sizes. Computes the pooled value, and
/// for averages the count of the window positions that count.
template <typename OpTy, PoolKind kind>
struct PoolLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    RankedTensorType resultType =
        convertedTensorType(*this->getTypeConverter(), op->getResult(0));
    if (!xType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    SmallVector<OpFoldResult> kernel;
    for (int64_t k : op.getKernelShape())
      kernel.push_back(rewriter.getIndexAttr(k));
    Window w =
        computeWindow(rewriter, loc, x, kernel, op.getStrides(),
                      op.getDilations(), op.getPads(), op.getAutoPad(),
                      op.getCeilMode() != 0);
    Type element = xType.getElementType();
    // Unsigned integers (a QOperator model's uint8 activations) compare
    // unsigned and start from 0: signed compares made 200 lose to 100.
    bool isUnsigned = isUnsignedElement(op.getX().getType());
    Value padValue = kind == PoolKind::Max && !isUnsigned
                         ? lowestValue(rewriter, loc, element)
                         : scalarConstant(rewriter, loc, element, 0);
    Value padded = padSpatial(rewriter, loc, x, w, padValue);
    int64_t s = w.kernel.size();
    MLIRContext *context = rewriter.getContext();
    auto dim = [&](int64_t d) { return getAffineDimExpr(d, context); };
    int64_t numLoops = 2 + 2 * s;
    SmallVector<AffineExpr> xExprs{dim(0), dim(1)}, windowExprs,
        outExprs{dim(0), dim(1)};
    for (int64_t i = 0; i < s; ++i) {
      xExprs.push_back(dim(2 + i) * w.strides[i] +
                       dim(2 + s + i) * w.dilations[i]);
      windowExprs.push_back(dim(2 + s + i));
      outExprs.push_back(dim(2 + i));
    }
    Value window = tensor::EmptyOp::create(rewriter, loc, w.kernel, element);
    SmallVector<OpFoldResult> sizes = windowOutputSizes(
        rewriter, loc, resultType, padded,
        tensor::getMixedSize(rewriter, loc, x, 1), w);
    AffineMap outMap = AffineMap::get(numLoops, 0, outExprs, context);
    SmallVector<utils::IteratorType> iterators(2 + s,
                                               utils::IteratorType::parallel);
    iterators.append(s, utils::IteratorType::reduction);

    // Outputs: the value, and the index (MaxPool) or count (AveragePool).
    bool wantIndices = false;
    if constexpr (kind == PoolKind::Max)
      wantIndices = !op.getIndices().use_empty();
    bool countPositions = false;
    if constexpr (kind == PoolKind::Average)
      countPositions = true;
    Value init = linalg::FillOp::create(
                     rewriter, loc, padValue,
                     createEmpty(rewriter, loc, resultType, sizes))
                     .getResult(0);
    SmallVector<Value> inits{init};
    SmallVector<Type> types{resultType};
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, xExprs, context),
                                AffineMap::get(numLoops, 0, windowExprs,
                                               context),
                                outMap};
    auto i64 = rewriter.getI64Type();
    RankedTensorType extraType = resultType.clone(i64);
    if (wantIndices || countPositions) {
      Value extraInit =
          linalg::FillOp::create(
              rewriter, loc,
              scalarConstant(rewriter, loc, i64, wantIndices ? -1 : 0),
              createEmpty(rewriter, loc, extraType, sizes))
              .getResult(0);
      inits.push_back(extraInit);
      types.push_back(extraType);
      maps.push_back(outMap);
    }
    int64_t storageOrder = 0;
    if constexpr (kind == PoolKind::Max)
      storageOrder = op.getStorageOrder();
    bool includePad = false;
    if constexpr (kind == PoolKind::Average)
      includePad = op.getCountIncludePad() != 0;
    float p = 2;
    if constexpr (kind == PoolKind::Lp)
      p = static_cast<float>(op.getP());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, types, ValueRange{padded, window}, inits, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = args[0], acc = args[2];
          // The position in the unpadded input, per spatial dim.
          SmallVector<Value> positions;
          for (int64_t i = 0; i < s; ++i) {
            Value o = linalg::IndexOp::create(b, l, 2 + i);
            Value k = linalg::IndexOp::create(b, l, 2 + s + i);
            Value pos = arith::AddIOp::create(
                b, l, arith::MulIOp::create(b, l, o, indexConstant(b, l, w.strides[i])),
                arith::MulIOp::create(b, l, k, indexConstant(b, l, w.dilations[i])));
            positions.push_back(arith::SubIOp::create(
                b, l, pos,
                getValueOrCreateConstantIndexOp(b, l, w.padBegin[i])));
          }
          SmallVector<Value> results;
          if constexpr (kind == PoolKind::Max) {
            Value better = isa<FloatType>(element)
                               ? Value(arith::CmpFOp::create(
                                     b, l, arith::CmpFPredicate::OGT, v, acc))
                               : Value(arith::CmpIOp::create(
                                     b, l,
                                     isUnsigned ? arith::CmpIPredicate::ugt
                                                : arith::CmpIPredicate::sgt,
                                     v, acc));
            results.push_back(arith::SelectOp::create(b, l, better, v, acc));
            if (wantIndices) {
              // Flattened index into the unpadded input (row-major, or
              // column-major over the spatial dims with storage_order 1).
              Value n = linalg::IndexOp::create(b, l, 0);
              Value c = linalg::IndexOp::create(b, l, 1);
              Value index = arith::AddIOp::create(
                  b, l,
                  arith::MulIOp::create(b, l, n, getDimSize(b, l, x, 1)), c);
              if (storageOrder == 0) {
                for (int64_t i = 0; i < s; ++i)
                  index = arith::AddIOp::create(
                      b, l,
                      arith::MulIOp::create(b, l, index,
                                            getDimSize(b, l, x, 2 + i)),
                      positions[i]);
              } else {
                Value spatial = positions[s - 1];
                for (int64_t i = s - 2; i >= 0; --i)
                  spatial = arith::AddIOp::create(
                      b, l,
                      arith::MulIOp::create(b, l, spatial,
                                            getDimSize(b, l, x, 2 + i)),
                      positions[i]);
                Value area = indexConstant(b, l, 1);
                for (int64_t i = 0; i < s; ++i)
                  area = arith::MulIOp::create(b, l, area,
                                               getDimSize(b, l, x, 2 + i));
                index = arith::AddIOp::create(
                    b, l, arith::MulIOp::create(b, l, index, area), spatial);
              }
              Value asI64 = arith::IndexCastOp::create(b, l, i64, index);
              results.push_back(
                  arith::SelectOp::create(b, l, better, asI64, args[3]));
            }
          } else if constexpr (kind == PoolKind::Average) {
            results.push_back(isa<FloatType>(element)
                                  ? Value(arith::AddFOp::create(b, l, acc, v))
                                  : Value(arith::AddIOp::create(b, l, acc, v)));
            // Does this window position count towards the average?
            Value counts = scalarConstant(b, l, b.getI1Type(), 1);
            // With count_include_pad, the explicit or automatic pads count
            // (not ceil mode's extra high padding).
            for (int64_t i = 0; i < s; ++i) {
              Value lowLimit = indexConstant(b, l, 0);
              Value high = getDimSize(b, l, x, 2 + i);
              if (includePad) {
                lowLimit = indexSub(
                    b, l, lowLimit,
                    getValueOrCreateConstantIndexOp(b, l, w.padBegin[i]));
                high = indexAdd(
                    b, l, high,
                    getValueOrCreateConstantIndexOp(b, l, w.baseEnd[i]));
              }
              Value ok = arith::AndIOp::create(
                  b, l,
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge,
                                        positions[i], lowLimit),
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                        positions[i], high));
              counts = arith::AndIOp::create(b, l, counts, ok);
            }
            Value one = arith::ExtUIOp::create(b, l, i64, counts);
            results.push_back(arith::AddIOp::create(b, l, args[3], one));
          } else {
            Value magnitude = math::AbsFOp::create(b, l, v);
            Value powered = math::PowFOp::create(
                b, l, magnitude, scalarConstant(b, l, element, p));
            results.push_back(arith::AddFOp::create(b, l, acc, powered));
          }
          linalg::YieldOp::create(b, l, results);
        });
    Value y = generic.getResult(0);
    if constexpr (kind == PoolKind::Average) {
      y = buildElementwise(
          rewriter, loc, resultType, ValueRange{y, generic.getResult(1)},
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value count = convertScalar(b, l, args[1], element, false, false);
            if (isa<FloatType>(element))
              return arith::DivFOp::create(b, l, args[0], count);
            return arith::DivSIOp::create(b, l, args[0], count);
          });
    }
    if constexpr (kind == PoolKind::Lp) {
      y = buildElementwise(
          rewriter, loc, resultType, y,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            return math::PowFOp::create(b, l, args[0],
                                        scalarConstant(b, l, element, 1.0 / p));
          });
    }
    SmallVector<Value> replacements{y};
    if constexpr (kind == PoolKind::Max) {
      if (wantIndices) {
        replacements.push_back(generic.getResult(1));
      } else {
        // An unused indices result: an empty tensor of the right type.
        RankedTensorType indicesType =
            convertedTensorType(*this->getTypeConverter(), op.getIndices());
        replacements.push_back(
            createEmpty(rewriter, loc, indicesType, sizes));
      }
    }
    rewriter.replaceOp(op, replacements);
    return success();
  }
};

} // namespace

namespace {

// %y = llmos.max_unpool %x, %indices [, %output_shape]
//   => zeros of the output shape; an scf.for over the flattened input
//      stores x[e] at the position that indices[e] names in the unpooled
//      shape ((in - 1) * stride - pads + kernel per spatial dim). A larger
//      output_shape pads that result at the end, as the reference does;
//      positions outside the output are skipped.
struct MaxUnpoolLowering : public OpConversionPattern<MaxUnpoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxUnpoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getOutput());
    Value input = adaptor.getX(), indices = adaptor.getI();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    auto indicesType = dyn_cast<RankedTensorType>(indices.getType());
    int64_t rank = inputType ? inputType.getRank() : 0;
    int64_t spatial = rank - 2;
    ArrayRef<int64_t> kernel = op.getKernelShape();
    if (!type || !inputType || !indicesType || rank < 3 ||
        indicesType.getRank() != rank || type.getRank() != rank ||
        (int64_t)kernel.size() != spatial)
      return op.emitOpError("needs ranked (N, C, D...) X and I of the same "
                            "rank and one kernel size per spatial dim");
    Location loc = op.getLoc();
    auto c = [&](int64_t v) { return indexConstant(rewriter, loc, v); };
    // The unpooled shape the indices refer to, and the output's.
    SmallVector<Value> unpooled;
    for (int64_t d = 0; d < rank; ++d) {
      Value in = getDimSize(rewriter, loc, input, d);
      if (d < 2) {
        unpooled.push_back(in);
        continue;
      }
      int64_t k = d - 2;
      int64_t stride = op.getStrides() ? (*op.getStrides())[k] : 1;
      int64_t pads = op.getPads()
                         ? (*op.getPads())[k] + (*op.getPads())[k + spatial]
                         : 0;
      Value size = indexAdd(rewriter, loc,
                            indexMul(rewriter, loc,
                                     indexSub(rewriter, loc, in, c(1)),
                                     c(stride)),
                            c(kernel[k] - pads));
      unpooled.push_back(indexMax(rewriter, loc, size, c(0)));
    }
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < rank; ++d) {
      if (!type.isDynamicDim(d))
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
      else if (adaptor.getOutputShape())
        sizes.push_back(indexMax(
            rewriter, loc,
            extractIndex(rewriter, loc, adaptor.getOutputShape(), d), c(0)));
      else
        sizes.push_back(unpooled[d]);
    }
    SmallVector<Value> outSizes;
    for (OpFoldResult size : sizes)
      outSizes.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, size));
    Value count = c(1);
    for (int64_t d = 0; d < rank; ++d)
      count = indexMul(rewriter, loc, count, getDimSize(rewriter, loc, input, d));
    int64_t dyn = ShapedType::kDynamic;
    Type element = type.getElementType();
    Value output = linalg::FillOp::create(
                       rewriter, loc, scalarConstant(rewriter, loc, element, 0),
                       createEmpty(rewriter, loc, type, sizes))
                       .getResult(0);
    Value flatIn = reshapeTensor(
        rewriter, loc, input,
        RankedTensorType::get({dyn}, inputType.getElementType()), {count});
    Value flatIndices = reshapeTensor(
        rewriter, loc, indices,
        RankedTensorType::get({dyn}, indicesType.getElementType()), {count});
    auto loop = scf::ForOp::create(
        rewriter, loc, c(0), count, c(1), ValueRange{output},
        [&](OpBuilder &b, Location l, Value e, ValueRange args) {
          Value zero = indexConstant(b, l, 0);
          Value flat = toIndex(
              b, l, tensor::ExtractOp::create(b, l, flatIndices, ValueRange{e}));
          // Unravel in the unpooled shape; keep positions inside both it
          // and the output.
          Value total = indexConstant(b, l, 1);
          for (Value size : unpooled)
            total = indexMul(b, l, total, size);
          Value inside = arith::AndIOp::create(
              b, l,
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, flat, zero),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, flat, total));
          SmallVector<Value> position(rank);
          Value rest = indexMax(b, l, flat, zero);
          for (int64_t d = rank - 1; d >= 0; --d) {
            Value size = indexMax(b, l, unpooled[d], indexConstant(b, l, 1));
            position[d] = arith::RemSIOp::create(b, l, rest, size);
            rest = arith::DivSIOp::create(b, l, rest, size);
            inside = arith::AndIOp::create(
                b, l, inside,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                      position[d], outSizes[d]));
          }
          auto store = scf::IfOp::create(
              b, l, inside,
              [&](OpBuilder &tb, Location tl) {
                Value v = convertScalar(
                    tb, tl,
                    tensor::ExtractOp::create(tb, tl, flatIn, ValueRange{e}),
                    element, false, false);
                scf::YieldOp::create(
                    tb, tl,
                    tensor::InsertOp::create(tb, tl, v, args[0], position)
                        .getResult());
              },
              [&](OpBuilder &eb, Location el) {
                scf::YieldOp::create(eb, el, args[0]);
              });
          scf::YieldOp::create(b, l, store.getResults());
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, loop.getResult(0), type));
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateConvolutionPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ConvLowering, ConvTransposeLowering, MaxUnpoolLowering,
               PoolLowering<MaxPoolOp, PoolKind::Max>,
               PoolLowering<AveragePoolOp, PoolKind::Average>,
               PoolLowering<LpPoolOp, PoolKind::Lp>>(converter, context);
}
