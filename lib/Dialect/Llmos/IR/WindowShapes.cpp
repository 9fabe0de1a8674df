//===- WindowShapes.cpp - Output shapes of windowed ops -------------------===//
//
// This file implements the sliding-window output-size rules of ONNX Conv,
// ConvTranspose's forward counterpart, and the pooling ops.
//
//===----------------------------------------------------------------------===//

#include "WindowShapes.h"

#include "mlir/IR/Operation.h"

using namespace mlir;
using namespace mlir::llmos;

namespace {
int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

LogicalResult checkLength(Operation *op, std::optional<ArrayRef<int64_t>> list,
                          size_t expected, StringRef name) {
  if (list && list->size() != expected)
    return op->emitOpError() << name << " has " << list->size()
                             << " values, expected " << expected;
  return success();
}
} // namespace

FailureOr<DimList> mlir::llmos::inferWindowOutput(Operation *op,
                                                  ArrayRef<int64_t> input,
                                                  ArrayRef<int64_t> kernel,
                                                  const WindowAttrs &attrs) {
  size_t n = input.size();
  if (failed(checkLength(op, kernel, n, "kernel_shape")) ||
      failed(checkLength(op, attrs.strides, n, "strides")) ||
      failed(checkLength(op, attrs.dilations, n, "dilations")) ||
      failed(checkLength(op, attrs.pads, 2 * n, "pads")))
    return failure();
  StringRef autoPad = attrs.autoPad;
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER") {
    op->emitOpError() << "unknown auto_pad '" << autoPad << "'";
    return failure();
  }
  DimList output;
  for (size_t i = 0; i < n; ++i) {
    int64_t k = kernel[i];
    int64_t s = attrs.strides ? (*attrs.strides)[i] : 1;
    int64_t d = attrs.dilations ? (*attrs.dilations)[i] : 1;
    int64_t pb = attrs.pads ? (*attrs.pads)[i] : 0;
    int64_t pe = attrs.pads ? (*attrs.pads)[i + n] : 0;
    if (!ShapedType::isDynamic(k) && k <= 0) {
      op->emitOpError() << "kernel size " << k << " must be positive";
      return failure();
    }
    if (s <= 0 || d <= 0) {
      op->emitOpError("strides and dilations must be positive");
      return failure();
    }
    constexpr int64_t kLimit = int64_t(1) << 31;
    if (k > kLimit || s > kLimit || d > kLimit || pb > kLimit || pe > kLimit) {
      op->emitOpError("window sizes, strides, dilations and pads must be "
                      "below 2^31");
      return failure();
    }
    if (pb < 0 || pe < 0) {
      op->emitOpError("pads must be non-negative");
      return failure();
    }
    int64_t in = input[i];
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(k)) {
      output.push_back(kDynamic);
      continue;
    }
    int64_t window = (k - 1) * d + 1;
    int64_t out;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      out = ceilDiv(in, s);
    } else if (autoPad == "VALID") {
      out = in < window ? 0 : ceilDiv(in - window + 1, s);
    } else {
      int64_t span = in + pb + pe - window;
      if (span < 0) {
        op->emitOpError() << "window of size " << window
                          << " does not fit input size " << in
                          << " with pads " << pb << ", " << pe;
        return failure();
      }
      out = (attrs.ceilMode ? ceilDiv(span, s) : span / s) + 1;
      // A window must start inside the input or the leading padding.
      if (attrs.ceilMode && (out - 1) * s >= in + pb)
        --out;
    }
    if (out <= 0) {
      op->emitOpError() << "spatial output size " << out
                        << " is not positive";
      return failure();
    }
    output.push_back(out);
  }
  return output;
}

LogicalResult mlir::llmos::inferConvolution(Operation *op, Value x, Value w,
                                            int64_t group,
                                            const WindowAttrs &attrs,
                                            Type elementType,
                                            SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> xDims = getDims(x), wDims = getDims(w);
  if (group <= 0)
    return op->emitOpError() << "group " << group << " must be positive";
  if (xDims && xDims->size() < 3)
    return op->emitOpError() << "input X must have rank >= 3, got "
                             << xDims->size();
  if (xDims && wDims && xDims->size() != wDims->size())
    return op->emitOpError() << "W must have the rank of X (" << xDims->size()
                             << "), got " << wDims->size();
  if (!xDims) {
    inferred.push_back(makeTensorType(
        wDims ? std::optional<ArrayRef<int64_t>>(DimList(wDims->size(), kDynamic))
              : std::nullopt,
        elementType));
    return success();
  }
  size_t spatial = xDims->size() - 2;
  DimList kernel(spatial, kDynamic);
  if (attrs.kernel) {
    if (attrs.kernel->size() != spatial)
      return op->emitOpError() << "kernel_shape has " << attrs.kernel->size()
                               << " values, expected " << spatial;
    kernel.assign(attrs.kernel->begin(), attrs.kernel->end());
  }
  int64_t outChannels = kDynamic;
  if (wDims) {
    int64_t c = (*xDims)[1], wc = (*wDims)[1], m = (*wDims)[0];
    if (!ShapedType::isDynamic(c) && !ShapedType::isDynamic(wc) &&
        c != wc * group)
      return op->emitOpError()
             << "input channels " << c << " differ from W's " << wc
             << " channels times group " << group;
    if (!ShapedType::isDynamic(m) && m % group != 0)
      return op->emitOpError() << "output channels " << m
                               << " are not divisible by group " << group;
    outChannels = m;
    for (size_t i = 0; i < spatial; ++i) {
      int64_t wk = (*wDims)[i + 2];
      if (attrs.kernel && !ShapedType::isDynamic(wk) && wk != kernel[i])
        return op->emitOpError()
               << "kernel_shape does not match the spatial dims of W";
      if (!attrs.kernel)
        kernel[i] = wk;
    }
  }
  FailureOr<DimList> out = inferWindowOutput(
      op, ArrayRef<int64_t>(*xDims).drop_front(2), kernel, attrs);
  if (failed(out))
    return failure();
  DimList dims{(*xDims)[0], outChannels};
  dims.append(out->begin(), out->end());
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}
