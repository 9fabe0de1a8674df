//===- ShapeInference.h - Shape inference interface and helpers -*- C++ -*-===//
//
// This file declares the ShapeInferenceOpInterface that every llmos op
// implements, the family implementations that op definitions reuse, and the
// shape, type and constant helpers that the per-op inference code is built
// from.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_SHAPEINFERENCE_H
#define LLMOS_DIALECT_LLMOS_IR_SHAPEINFERENCE_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::llmos {

/// A tensor shape whose unknown sizes are ShapedType::kDynamic.
using DimList = llvm::SmallVector<int64_t, 6>;
inline constexpr int64_t kDynamic = ShapedType::kDynamic;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// The dims of a ranked tensor type; std::nullopt for unranked tensors and
/// non-tensor types.
std::optional<DimList> getDims(Type type);
inline std::optional<DimList> getDims(Value value) {
  return getDims(value.getType());
}
/// The rank of a ranked tensor value, -1 otherwise.
int64_t getRank(Value value);
/// The element type of a tensor value; null for non-tensors.
Type getElementType(Value value);
/// `tensor<dims x elementType>`, or `tensor<* x elementType>` without dims.
TensorType makeTensorType(std::optional<llvm::ArrayRef<int64_t>> dims,
                          Type elementType);

/// True when two value types can describe the same runtime value: equal
/// element types, and equal ranks and static sizes where both are known.
bool areCompatibleTypes(Type a, Type b);
/// The most specific type compatible with both (their meet), or null when
/// they are incompatible. Used to refine a result type with inference.
Type refineType(Type current, Type inferred);
/// The most specific type that both types refine (their join: sizes that
/// differ become dynamic, ranks that differ become unranked), or null when
/// the element types differ. Used where control flow merges values.
Type joinTypes(Type a, Type b);

//===----------------------------------------------------------------------===//
// Shape arithmetic (kDynamic-aware)
//===----------------------------------------------------------------------===//

/// Numpy multidirectional broadcasting of two shapes; failure when two static
/// sizes differ and neither is 1.
FailureOr<DimList> broadcastDims(llvm::ArrayRef<int64_t> a,
                                 llvm::ArrayRef<int64_t> b);
/// True when `from` can be unidirectionally broadcast to `to`.
bool isUnidirectionallyBroadcastable(llvm::ArrayRef<int64_t> from,
                                     llvm::ArrayRef<int64_t> to);
/// a * b, dynamic if either is.
int64_t mulDims(int64_t a, int64_t b);
/// The product of the dims, dynamic if any is.
int64_t productOfDims(llvm::ArrayRef<int64_t> dims);
/// Result dims of numpy-style matmul (1-D operands promoted, batch dims
/// broadcast); emits an error on `op` and fails on mismatched sizes.
FailureOr<DimList> inferMatMulDims(Operation *op, llvm::ArrayRef<int64_t> a,
                                   llvm::ArrayRef<int64_t> b);
/// The numpy broadcast of the shapes of all `operands`: std::nullopt when
/// one is unranked; emits an error on `op` and fails when they do not
/// broadcast.
FailureOr<std::optional<DimList>> broadcastOperandDims(Operation *op,
                                                       ValueRange operands);
/// Normalizes an axes attribute against `rank`, or returns every axis when it
/// is absent; emits an error and fails on an axis out of range or repeated.
FailureOr<llvm::SmallVector<int64_t>>
normalizeAxes(Operation *op, std::optional<llvm::ArrayRef<int64_t>> axes,
              int64_t rank);
/// True for a static ranked tensor type with at most `maxElements` elements
/// (checked without overflowing on absurd sizes).
bool isSmallStaticTensor(Type type, int64_t maxElements);
/// Normalizes a possibly negative axis into [0, rank); emits an error naming
/// `what` and fails when it is out of range.
FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank,
                                 llvm::StringRef what = "axis");

//===----------------------------------------------------------------------===//
// Constant operands
//===----------------------------------------------------------------------===//

/// The values of an integer constant operand (any integer or index element
/// type, dense or resource storage).
std::optional<llvm::SmallVector<int64_t>> getConstantInts(Value value);
/// The values of a floating-point or integer constant operand as doubles.
std::optional<llvm::SmallVector<double>> getConstantFloats(Value value);
/// Every element of a float or integer dense or dense_resource attribute
/// as a double, whatever its size (splats expanded); nullopt for other
/// element types or missing resource data.
std::optional<llvm::SmallVector<double>>
readElementsAsDoubles(ElementsAttr attr);
/// The values of a 0-D or 1-D integer tensor as far as they are known, with
/// kDynamic for the unknown ones: looks through Shape, Concat, Gather,
/// Slice, Squeeze/Unsqueeze, Cast and integer arithmetic, the way shape
/// computations in exported models are built. std::nullopt when even the
/// number of values is unknown.
std::optional<llvm::SmallVector<int64_t>> getPartialInts(Value value);

//===----------------------------------------------------------------------===//
// Family implementations referenced from the op definitions
//===----------------------------------------------------------------------===//

/// Every result gets the type of operand 0.
LogicalResult inferSameAsOperand(Operation *op,
                                 llvm::SmallVectorImpl<Type> &inferred);
/// Multidirectional broadcast of all operands, which must share an element
/// type; the result element type is that type, or i1 when `boolResult`.
LogicalResult inferBroadcast(Operation *op, bool boolResult,
                             llvm::SmallVectorImpl<Type> &inferred);
/// ReduceXxx(data, axes) with keepdims and noop_with_empty_axes.
LogicalResult inferReduce(Operation *op, Value axes, int64_t keepdims,
                          int64_t noopWithEmptyAxes,
                          llvm::SmallVectorImpl<Type> &inferred);

/// Re-infers the result types of every op nested in `region`, in order,
/// replacing them (not only refining them). Used after the types of a
/// region's block arguments changed.
LogicalResult reinferRegion(Region &region);

/// The body argument types that the operands of Loop, Scan or SequenceMap
/// imply (Loop: iteration number, condition, initial carried values; Scan:
/// initial state and one slice of each scan input; SequenceMap: sequence
/// elements); empty for ops whose bodies take no arguments.
FailureOr<llvm::SmallVector<Type>> getBodyArgumentTypes(Operation *op);

/// For ops whose body takes block arguments (Loop, Scan, SequenceMap): the
/// types the body's arguments must have given the op's operands and, for
/// loop-carried values, what the body yields. Widens the argument types to a
/// fixed point (a carried value whose shape changes between iterations gets
/// dynamic sizes) and re-infers the body after each change.
LogicalResult inferRegionArgumentTypes(Operation *op);

/// The body argument types of Scan, SequenceMap and Loop refined with what
/// the operands imply; std::nullopt when none would change. Loop-carried
/// and Scan state arguments keep their types: they must also cover later
/// iterations.
std::optional<llvm::SmallVector<Type>>
getRefinedRegionArgumentTypes(Operation *op);

namespace detail {
/// The interface verifier: inference must succeed and agree with the declared
/// result types.
LogicalResult verifyInferredResultTypes(Operation *op);
} // namespace detail

} // namespace mlir::llmos

#include "llmos/Dialect/Llmos/IR/LlmosInterfaces.h.inc"

#endif // LLMOS_DIALECT_LLMOS_IR_SHAPEINFERENCE_H
