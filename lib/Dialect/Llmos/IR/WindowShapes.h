//===- WindowShapes.h - Output shapes of windowed ops -----------*- C++ -*-===//
//
// Shared by the convolution and pooling families (float, integer and
// quantized): the output-size arithmetic of a sliding window with strides,
// dilations, explicit or automatic padding and ceil mode.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_LIB_DIALECT_LLMOS_IR_WINDOWSHAPES_H
#define LLMOS_LIB_DIALECT_LLMOS_IR_WINDOWSHAPES_H

#include "llmos/Dialect/Llmos/IR/ShapeInference.h"

namespace mlir::llmos {

/// Attributes of a window over the spatial dims.
struct WindowAttrs {
  std::optional<ArrayRef<int64_t>> kernel; // from W when absent
  std::optional<ArrayRef<int64_t>> strides;
  std::optional<ArrayRef<int64_t>> dilations;
  std::optional<ArrayRef<int64_t>> pads;
  StringRef autoPad = "NOTSET";
  bool ceilMode = false;
};

/// Output spatial sizes of a window sliding over `input` with `kernel`;
/// checks the attribute lengths and values and emits errors on `op`.
FailureOr<DimList> inferWindowOutput(Operation *op, ArrayRef<int64_t> input,
                                     ArrayRef<int64_t> kernel,
                                     const WindowAttrs &attrs);

/// Output type of a convolution X (N x C x D...) with weights W
/// (M x C/group x k...): N x M x out.... `elementType` is the result's.
LogicalResult inferConvolution(Operation *op, Value x, Value w, int64_t group,
                               const WindowAttrs &attrs, Type elementType,
                               SmallVectorImpl<Type> &inferred);

} // namespace mlir::llmos

#endif // LLMOS_LIB_DIALECT_LLMOS_IR_WINDOWSHAPES_H
