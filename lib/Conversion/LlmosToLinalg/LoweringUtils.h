//===- LoweringUtils.h - Helpers of the llmos -> linalg lowering -*- C++ -*-===//
//
// Shared by the per-family lowering files: sizes of dynamic tensors,
// broadcasting indexing maps, elementwise linalg.generic construction, and
// scalar constants and conversions that respect ONNX signedness.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_LIB_CONVERSION_LLMOSTOLINALG_LOWERINGUTILS_H
#define LLMOS_LIB_CONVERSION_LLMOSTOLINALG_LOWERINGUTILS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::llmos::lowering {

/// Unsigned integer element types become signless; everything else stays.
/// Converts llmos types to builtin ones: unsigned integers to signless,
/// strings to 64-bit handles (see Strings.cpp).
class LlmosTypeConverter : public TypeConverter {
public:
  LlmosTypeConverter();
};

/// Registers the lowering patterns of each op family.
void populateElementwisePatterns(TypeConverter &converter,
                                 RewritePatternSet &patterns);
void populateReductionPatterns(TypeConverter &converter,
                               RewritePatternSet &patterns);
void populateLinearAlgebraPatterns(TypeConverter &converter,
                                   RewritePatternSet &patterns);
void populateConvolutionPatterns(TypeConverter &converter,
                                 RewritePatternSet &patterns);
void populateNormalizationPatterns(TypeConverter &converter,
                                   RewritePatternSet &patterns);
void populateTensorPatterns(TypeConverter &converter,
                            RewritePatternSet &patterns);
void populateIndexingPatterns(TypeConverter &converter,
                              RewritePatternSet &patterns);
void populateControlFlowPatterns(TypeConverter &converter,
                                 RewritePatternSet &patterns);
void populateLossPatterns(TypeConverter &converter,
                          RewritePatternSet &patterns);
void populateResizePatterns(TypeConverter &converter,
                            RewritePatternSet &patterns);
void populateQuantizationPatterns(TypeConverter &converter,
                                  RewritePatternSet &patterns);
void populateRecurrentPatterns(TypeConverter &converter,
                               RewritePatternSet &patterns);
void populateDetectionPatterns(TypeConverter &converter,
                               RewritePatternSet &patterns);
void populateRandomPatterns(TypeConverter &converter,
                            RewritePatternSet &patterns);
void populateTextPatterns(TypeConverter &converter,
                          RewritePatternSet &patterns);
void populateSamplingPatterns(TypeConverter &converter,
                              RewritePatternSet &patterns);
void populateSignalPatterns(TypeConverter &converter,
                            RewritePatternSet &patterns);
void populateStringPatterns(TypeConverter &converter,
                            RewritePatternSet &patterns);
void populateFusedPatterns(TypeConverter &converter,
                           RewritePatternSet &patterns);
void populateSequencePatterns(TypeConverter &converter,
                              RewritePatternSet &patterns);

//===----------------------------------------------------------------------===//
// Sizes
//===----------------------------------------------------------------------===//

Value indexConstant(OpBuilder &b, Location loc, int64_t value);
/// The size of `dim` of a ranked tensor value, as an index value.
Value getDimSize(OpBuilder &b, Location loc, Value tensor, int64_t dim);
/// Every size of a ranked tensor value (attributes where static).
SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value tensor);
/// tensor.empty of `type` with `sizes` (used where `type` is dynamic).
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<OpFoldResult> sizes);
/// tensor.empty of `type`, which must be static.
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type);

//===----------------------------------------------------------------------===//
// Broadcasting and elementwise computation
//===----------------------------------------------------------------------===//

/// The sizes of the numpy broadcast of `operands` to `resultType`: static
/// ones from the type, dynamic ones from an operand that has the dim.
SmallVector<OpFoldResult> broadcastSizes(OpBuilder &b, Location loc,
                                         RankedTensorType resultType,
                                         ValueRange operands);
/// The indexing map that reads an operand of `operandType` for each point of
/// `resultType` under numpy broadcasting (size-1 dims read index 0).
AffineMap broadcastMap(MLIRContext *context, RankedTensorType operandType,
                       RankedTensorType resultType);

using ScalarBody =
    function_ref<Value(OpBuilder &b, Location loc, ValueRange args)>;
/// A linalg.generic that computes `body` at every point of `resultType`
/// from the broadcast `operands`.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange operands, ScalarBody body);

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

using ReduceCombiner =
    function_ref<Value(OpBuilder &b, Location loc, Value element, Value acc)>;
/// Reduces `input` over `axes` (sorted, unique) with `combine` starting from
/// `init`, accumulating in `elementType`; the result drops the reduced dims.
Value reduceOver(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> axes, Type elementType, Value init,
                 ReduceCombiner combine);
/// The number of elements of `input` over `axes`, as a scalar of `type`.
Value countOf(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
              Type type);
/// Inserts the unit dims of the reduced `axes` (of the result's rank) into
/// `reduced`, to reach `resultType`.
Value keepDims(OpBuilder &b, Location loc, Value reduced,
               RankedTensorType resultType, ArrayRef<int64_t> axes);
/// The map reading a tensor with `axes` reduced away at every point of a
/// full-rank iteration space.
AffineMap droppedAxesMap(MLIRContext *context, int64_t rank,
                         ArrayRef<int64_t> axes);
/// A full-rank elementwise generic over `input` that also reads `reduced`
/// tensors (each with `axes` dropped); `body` gets (input, reduced...).
Value mapWithReduced(OpBuilder &b, Location loc, Value input,
                     ValueRange reduced, ArrayRef<int64_t> axes,
                     RankedTensorType resultType, ScalarBody body);

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// A numpy-style MatMul (1-D promotion, broadcast batch dims) of operands
/// whose element type is the accumulation type of `resultType`.
Value buildMatMul(OpBuilder &b, Location loc, Value a, Value bMatrix,
                  RankedTensorType resultType);
/// An N-D grouped convolution of `x` (N x C x spatial) with `weights`
/// (M x C/group x kernel), padded with zeros as the attributes say. Any dim
/// may be dynamic (pads of auto_pad are then computed at run time).
Value buildConvolution(OpBuilder &b, Location loc, Value x, Value weights,
                       int64_t group, std::optional<ArrayRef<int64_t>> strides,
                       std::optional<ArrayRef<int64_t>> dilations,
                       std::optional<ArrayRef<int64_t>> pads, StringRef autoPad,
                       RankedTensorType resultType);

/// `a` x `b` (2-D, element type of `dest`) written into `dest`, which is
/// zeroed first: a linalg.fill and a linalg.matmul.
Value buildMatmulInto(OpBuilder &b, Location loc, Value a, Value bMatrix,
                      Value dest);

/// The scalar computation of the elementwise llmos op `op` (any op the
/// elementwise lowering handles) on the scalars `args` (its operands'
/// elements, converted), giving an element of `resultElement`; failure for
/// other ops.
FailureOr<Value> buildElementwiseScalar(OpBuilder &b, Location loc,
                                        Operation *op, ValueRange args,
                                        Type resultElement);

/// The activation `kind` of a fused op's epilogue (see FusedOps.td:
/// "relu", "leaky_relu", "clip", "sigmoid", "hard_sigmoid", "hard_swish",
/// "silu", "gelu", "gelu_tanh", "tanh"; "none" returns `x`) on a float
/// scalar, with its `params`. The elementwise ops of the same names use it.
Value buildActivation(OpBuilder &b, Location loc, Value x, StringRef kind,
                      ArrayRef<float> params);

/// Softmax (or log-softmax) of `input` along `axis`, computed stably.
Value buildSoftmax(OpBuilder &b, Location loc, Value input, int64_t axis,
                   bool logarithm);

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

/// A constant of a float or integer type (bools from value != 0).
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);
/// The smallest / largest value of a type (-inf / +inf for floats).
Value lowestValue(OpBuilder &b, Location loc, Type type);
Value highestValue(OpBuilder &b, Location loc, Type type);
/// Converts a scalar between float, integer and bool types as ONNX Cast
/// does; `fromUnsigned` / `toUnsigned` give the signedness ONNX meant.
/// `saturate` and `roundMode` are Cast's attributes for conversions to the
/// float8 types and to float8 e8m0.
Value convertScalar(OpBuilder &b, Location loc, Value value, Type to,
                    bool fromUnsigned, bool toUnsigned, bool saturate = true,
                    StringRef roundMode = "up");

/// Whether `type` is a float type LLVM cannot compute with: the float8
/// formats, float4 e2m1 and float8 e8m0 (MiniFloat.cpp).
bool isMiniFloat(Type type);
/// The f32 value of a mini-float scalar.
Value miniFloatToF32(OpBuilder &b, Location loc, Value value);
/// An f64 scalar rounded to f32 "to odd" (toward zero, the last bit set
/// when inexact), so that rounding it again to a mini float gives the same
/// result as rounding the f64 directly.
Value f64ToF32RoundToOdd(OpBuilder &b, Location loc, Value x);
/// An f32 scalar converted to the mini-float type `to` as ONNX Cast does.
Value f32ToMiniFloat(OpBuilder &b, Location loc, Value x, Type to,
                     bool saturate, StringRef roundMode);

/// Arithmetic on float or integer scalars (bools: or / and for max / min).
Value addV(OpBuilder &b, Location loc, Value x, Value y);
Value subV(OpBuilder &b, Location loc, Value x, Value y);
Value mulV(OpBuilder &b, Location loc, Value x, Value y);
Value maxV(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned);
Value minV(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned);

/// The runtime function `name` (private declaration of `type`), declared
/// at the start of `anchor`'s module on first use.
func::FuncOp runtimeFunction(OpBuilder &b, Operation *anchor, StringRef name,
                             FunctionType type);
/// Buffers passed to the runtime (unranked memrefs: the rank, then a
/// pointer to the ranked descriptor).
/// `buffer` cast to an unranked memref.
Value unranked(OpBuilder &b, Location loc, Value buffer);
/// A ranked tensor's buffer (identity layout) as an unranked memref, read
/// only.
Value readBuffer(OpBuilder &b, Location loc, Value tensor);
/// A new buffer of `type` whose dynamic dims take their size from `sizes`.
Value allocLike(OpBuilder &b, Location loc, RankedTensorType type,
                ArrayRef<OpFoldResult> sizes);
/// The tensor of a buffer the runtime filled (restrict, writable).
Value asTensor(OpBuilder &b, Location loc, Value buffer);

/// Whether `type` is a tensor of !llmos.string.
bool isStringTensor(Type type);
/// Whether `op`'s lowering is right when it takes or makes strings: a
/// string-aware lowering, or one that only moves elements (true for ops
/// without strings).
bool lowersOnStrings(Operation *op);
/// A tensor of `type` (i64 elements) holding the handles of `strings` (row
/// major), records in a read-only global of the module around `anchor`.
Value stringConstant(OpBuilder &b, Location loc, Operation *anchor,
                     RankedTensorType type, ArrayRef<StringRef> strings);

/// Each string of `handles` (i64 handles) replaced by its position in
/// `table`, or -1 (a run-time lookup).
Value lookupStrings(OpBuilder &b, Location loc, Operation *anchor,
                    Value handles, ArrayRef<StringRef> table);

/// Index arithmetic.
Value indexAdd(OpBuilder &b, Location loc, Value x, Value y);
Value indexSub(OpBuilder &b, Location loc, Value x, Value y);
Value indexMul(OpBuilder &b, Location loc, Value x, Value y);
Value indexMin(OpBuilder &b, Location loc, Value x, Value y);
Value indexMax(OpBuilder &b, Location loc, Value x, Value y);
/// `x` clamped to [lo, hi].
Value indexClamp(OpBuilder &b, Location loc, Value x, Value lo, Value hi);
/// Index arithmetic on sizes that may be constants: the result is a
/// constant attribute when the operands are (so static shapes stay static),
/// otherwise an arith op on index values. Divisions round towards negative
/// infinity (Python's `//`); the divisor must be positive.
OpFoldResult sizeAdd(OpBuilder &b, Location loc, OpFoldResult x, OpFoldResult y);
OpFoldResult sizeSub(OpBuilder &b, Location loc, OpFoldResult x, OpFoldResult y);
OpFoldResult sizeMul(OpBuilder &b, Location loc, OpFoldResult x, OpFoldResult y);
OpFoldResult sizeMax(OpBuilder &b, Location loc, OpFoldResult x, OpFoldResult y);
OpFoldResult sizeFloorDiv(OpBuilder &b, Location loc, OpFoldResult x,
                          int64_t y);
OpFoldResult sizeCeilDiv(OpBuilder &b, Location loc, OpFoldResult x, int64_t y);
/// The static value of a size, or ShapedType::kDynamic.
int64_t staticSize(OpFoldResult size);
/// An index value as a float of type `f` (through i64, signed).
Value indexToFloat(OpBuilder &b, Location loc, Value index, Type f);
/// An integer (any width) or index scalar as an index value.
Value toIndex(OpBuilder &b, Location loc, Value value);
/// Element `i` of a 1-D integer tensor (or the element of a 0-D one when
/// `i` is negative) as an index value.
Value extractIndex(OpBuilder &b, Location loc, Value tensor, int64_t i);
/// Element `i` of a 1-D tensor (or the only element of a 0-D or 1-element
/// one when `i` is negative), of the tensor's element type.
Value extractScalar(OpBuilder &b, Location loc, Value tensor, int64_t i);
/// A normalized index into a dimension of `size`: negative values count
/// from the end, and the result is clamped into [0, size - 1] so that a bad
/// index never reads outside the tensor.
Value normalizeIndex(OpBuilder &b, Location loc, Value index, Value size);

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// `value` reshaped (row-major) to `resultType`, whose sizes are `sizes`.
Value reshapeTensor(OpBuilder &b, Location loc, Value value,
                    RankedTensorType resultType,
                    ArrayRef<OpFoldResult> sizes);
/// A tensor.cast of `value` to `type` when the types differ.
Value castTo(OpBuilder &b, Location loc, Value value, Type type);
/// The sizes of `type` with the dynamic ones taken from `dynamic`.
SmallVector<OpFoldResult> mixedSizes(OpBuilder &b, RankedTensorType type,
                                     ArrayRef<OpFoldResult> dynamic);

using IndexedBody = function_ref<Value(OpBuilder &b, Location loc,
                                       ValueRange indices, ValueRange args)>;
/// A linalg.generic over a result of `resultType` and `sizes` whose body
/// gets the index of the point (linalg.index) and the elements of the
/// `inputs` read through `maps`; the body typically reads other tensors with
/// tensor.extract at computed positions.
Value buildIndexedGeneric(OpBuilder &b, Location loc,
                          RankedTensorType resultType,
                          ArrayRef<OpFoldResult> sizes, ValueRange inputs,
                          ArrayRef<AffineMap> maps, IndexedBody body);

/// An scf.index_switch on `index` yielding a value of `resultType`: for
/// each of `cases`, the value `caseBody` builds; otherwise (a value no case
/// expects, from bad input) an empty tensor with zero-sized dynamic dims.
Value buildIndexSwitch(
    OpBuilder &b, Location loc, RankedTensorType resultType, Value index,
    ArrayRef<int64_t> cases,
    function_ref<Value(OpBuilder &, Location, int64_t)> caseBody);

/// True for unsigned integer element types (of the op before conversion).
bool isUnsignedElement(Type type);
/// The element type of a tensor value or type.
Type elementTypeOf(Value value);

/// Converted `types`, or failure when one is not a ranked tensor (unranked
/// values are not compiled).
FailureOr<SmallVector<Type>> convertedTypes(const TypeConverter &converter,
                                            TypeRange types);
/// Moves the single block of `body` (ending in llmos.yield) into a new
/// scf.execute_region at the rewriter's position, with the block's
/// arguments replaced by `arguments` (cast to their converted types); the
/// rewriter ends up after it. Control flow and SequenceMap lower with it.
FailureOr<scf::ExecuteRegionOp>
moveBodyIntoRegion(ConversionPatternRewriter &rewriter, Location loc,
                   const TypeConverter &converter, Region &body,
                   ArrayRef<Value> arguments);

/// The converted result type of an op result, when it is a ranked tensor.
RankedTensorType convertedTensorType(const TypeConverter &converter,
                                     Value result);

} // namespace mlir::llmos::lowering

#endif // LLMOS_LIB_CONVERSION_LLMOSTOLINALG_LOWERINGUTILS_H
