//===- GraphUtils.h - Helpers of the graph passes ---------------*- C++ -*-===//
//
// Matching helpers shared by the pruning and node-merging passes: constant
// scalars, single-use checks, and constant tensors read into host arrays
// (dense or dense_resource) and written back as constants.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_LIB_TRANSFORMS_GRAPHUTILS_H
#define LLMOS_LIB_TRANSFORMS_GRAPHUTILS_H

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <optional>
#include <vector>

namespace mlir::llmos::graph {

/// The value of a constant whose elements are all equal (a splat, or any
/// constant of one element), as a double.
std::optional<double> getSplatValue(Value value);

/// True when `value` is a constant whose every element equals `expected`.
bool isSplatOf(Value value, double expected);

/// True when `value` has exactly one use.
inline bool hasOneUse(Value value) { return value.hasOneUse(); }

/// The operand of a commutative binary `op` that is not `known`, or null
/// when neither operand is `known`.
Value otherOperand(Operation *op, Value known);

/// A constant tensor on the host: its static type and its elements as
/// doubles (exact for f16/bf16/f32 and for integers up to 2^53); integer
/// tensors also carry their exact elements in `ints` (64-bit integers such
/// as Slice's INT64_MAX ends have no exact double), which createConstant
/// writes when present.
struct HostTensor {
  RankedTensorType type;
  std::vector<double> values;
  std::vector<int64_t> ints;

  int64_t size() const { return static_cast<int64_t>(values.size()); }
};

/// The elements of a float or integer `llmos.constant` with a static shape
/// of at most `maxElements` elements.
std::optional<HostTensor> readConstant(Value value,
                                       int64_t maxElements = INT64_MAX);

/// An `llmos.constant` holding `tensor` (element type and shape of
/// `tensor.type`).
Value createConstant(OpBuilder &b, Location loc, const HostTensor &tensor);

/// The row-major strides of `shape`.
SmallVector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape);

/// `input` with its dims permuted: result dim d is input dim perm[d].
HostTensor transposeTensor(const HostTensor &input, ArrayRef<int64_t> perm);

/// `inputs` (one element type, equal dims but `axis`) joined along `axis`.
HostTensor concatTensors(ArrayRef<HostTensor> inputs, int64_t axis);

/// Ops that compute each result element from the elements at the same
/// (numpy-broadcast) position of their operands: arithmetic, comparisons,
/// logic, Where, Cast, Clip, the activations and unary math; one ranked
/// result, ranked operands, all of numbers or bools (not strings).
bool isElementwise(Operation *op);

/// A 1-D i64 constant.
Value createI64Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> values);

/// A scalar (0-D) constant of `type`.
Value createScalarConstant(OpBuilder &b, Location loc, Type type,
                           double value);

/// Erases the ops under `root` that have no users and no side effects,
/// until none is left; returns how many ops other than constants and how
/// many constants it erased.
std::pair<int64_t, int64_t> eraseDeadOps(Operation *root);

/// True when `value` is the result of a constant of static shape.
bool isConstant(Value value);

} // namespace mlir::llmos::graph

#endif // LLMOS_LIB_TRANSFORMS_GRAPHUTILS_H
