//===- Sequences.cpp - Lowering of sequences and optionals ----------------===//
//
// Sequences and optionals lower to 64-bit handles of runtime values (the
// type converter maps them to tensor<i64>; llmos_abi.h): the sequence ops
// become calls of llmos_rt_seq_*, which make new immutable values, and
// reading a tensor from a sequence asks the runtime for its dynamic dims,
// allocates the buffer and has the runtime fill it. An optional tensor is a
// sequence of at most one tensor; an optional sequence wraps the sequence's
// handle. ConcatFromSequence, SplitToSequence and SequenceMap become
// scf.for loops over the elements. llmos-resolve-sequences removes the
// sequences whose structure is known at compile time before this runs.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

constexpr int32_t kSequenceKind = 2; // llmos_value_kind
constexpr int32_t kOptionalKind = 3;

Value i32Value(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, value, 32);
}

Value i64Value(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, value, 64);
}

/// The handle a converted sequence or optional (tensor<i64>) holds.
Value handleOf(OpBuilder &b, Location loc, Value converted) {
  return tensor::ExtractOp::create(b, loc, converted, ValueRange{});
}

/// A converted sequence or optional holding `handle`.
Value handleTensor(OpBuilder &b, Location loc, Value handle) {
  return tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({}, b.getI64Type()), handle);
}

/// A scalar position (an i32 or i64 tensor) as i64.
Value positionOf(OpBuilder &b, Location loc, Value position) {
  Value scalar = extractScalar(b, loc, position, -1);
  if (scalar.getType() != b.getI64Type())
    scalar = arith::ExtSIOp::create(b, loc, b.getI64Type(), scalar);
  return scalar;
}

/// The element type of the tensors a sequence or optional type holds.
Type innerElementType(Type type) {
  while (true) {
    if (auto sequence = dyn_cast<SequenceType>(type))
      type = sequence.getElementType();
    else if (auto optional = dyn_cast<OptionalType>(type))
      type = optional.getValueType();
    else
      return cast<TensorType>(type).getElementType();
  }
}

/// The runtime's suffix for buffers of a converted element type, or "".
std::string bufferSuffix(Type element) {
  if (element.isF32()) return "f32";
  if (element.isF64()) return "f64";
  if (element.isF16()) return "f16";
  if (element.isBF16()) return "bf16";
  if (auto integer = dyn_cast<IntegerType>(element)) {
    unsigned width = integer.getWidth();
    if (width == 1 || width == 8 || width == 16 || width == 32 || width == 64)
      return "i" + std::to_string(width);
  }
  return "";
}

Value call(OpBuilder &b, Location loc, Operation *anchor, StringRef name,
           ValueRange args, TypeRange results) {
  func::FuncOp callee = runtimeFunction(
      b, anchor, name, b.getFunctionType(TypeRange(args), results));
  auto op = func::CallOp::create(b, loc, callee, args);
  return results.empty() ? Value() : op.getResult(0);
}

/// The handle of a new `kind` holding `seq`'s tensors and `tensor` (a
/// converted ranked tensor whose original element type is `original`) at
/// `position` (an i64, or null for the back).
FailureOr<Value> insertTensor(OpBuilder &b, Location loc, Operation *anchor,
                              Value seq, Value tensor, Type original,
                              int32_t kind, Value position) {
  auto type = dyn_cast<RankedTensorType>(tensor.getType());
  std::string suffix = type ? bufferSuffix(type.getElementType()) : "";
  int32_t dtype = getOnnxDataType(original);
  if (suffix.empty() || !dtype)
    return anchor->emitOpError("puts a tensor of type ")
           << tensor.getType()
           << " into a sequence, which has no CPU lowering (ranked tensors "
              "of ONNX element types)";
  Value buffer = readBuffer(b, loc, tensor);
  SmallVector<Value> args{seq, i32Value(b, loc, kind), i32Value(b, loc, dtype),
                          position ? position : i64Value(b, loc, 0),
                          i32Value(b, loc, position ? 1 : 0), buffer};
  return call(b, loc, anchor, "llmos_rt_seq_insert_" + suffix, args,
              b.getI64Type());
}

/// The tensor at `position` (i64) of the sequence `seq`, of the converted
/// type `type` (its dynamic dims asked from the runtime).
FailureOr<Value> readTensor(OpBuilder &b, Location loc, Operation *anchor,
                            Value seq, Value position, Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  std::string suffix = ranked ? bufferSuffix(ranked.getElementType()) : "";
  if (suffix.empty())
    return anchor->emitOpError("reads a tensor of type ")
           << type << " from a sequence, which has no CPU lowering (the "
           << "rank must be known)";
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < ranked.getRank(); ++d) {
    if (!ranked.isDynamicDim(d)) {
      sizes.push_back(b.getIndexAttr(ranked.getDimSize(d)));
      continue;
    }
    Value size = call(b, loc, anchor, "llmos_rt_seq_dim",
                      {seq, position, i64Value(b, loc, d)}, b.getI64Type());
    sizes.push_back(
        arith::IndexCastOp::create(b, loc, b.getIndexType(), size).getResult());
  }
  Value buffer = allocLike(b, loc, ranked, sizes);
  call(b, loc, anchor, "llmos_rt_seq_read_" + suffix,
       {seq, position, unranked(b, loc, buffer)}, {});
  return asTensor(b, loc, buffer);
}

Value lengthOf(OpBuilder &b, Location loc, Operation *anchor, Value seq) {
  Value length =
      call(b, loc, anchor, "llmos_rt_seq_length", {seq}, b.getI64Type());
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), length);
}

// %s = llmos.sequence_empty  =>  the handle 0
struct SequenceEmptyLowering : public OpConversionPattern<SequenceEmptyOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SequenceEmptyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, handleTensor(rewriter, op.getLoc(), i64Value(rewriter, op.getLoc(), 0)));
    return success();
  }
};

// %s = llmos.sequence_construct %a, %b  =>  inserts into the handle 0
struct SequenceConstructLowering
    : public OpConversionPattern<SequenceConstructOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SequenceConstructOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value seq = i64Value(rewriter, loc, 0);
    Type original = innerElementType(op.getType());
    for (Value input : adaptor.getInputs()) {
      FailureOr<Value> next = insertTensor(rewriter, loc, op, seq, input,
                                           original, kSequenceKind, Value());
      if (failed(next))
        return failure();
      seq = *next;
    }
    rewriter.replaceOp(op, handleTensor(rewriter, loc, seq));
    return success();
  }
};

// %t = llmos.sequence_insert %s, %x[, %p]  =>  call @llmos_rt_seq_insert_<t>
struct SequenceInsertLowering : public OpConversionPattern<SequenceInsertOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SequenceInsertOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value position = adaptor.getPosition()
                         ? positionOf(rewriter, loc, adaptor.getPosition())
                         : Value();
    FailureOr<Value> seq = insertTensor(
        rewriter, loc, op, handleOf(rewriter, loc, adaptor.getInputSequence()),
        adaptor.getTensor(), innerElementType(op.getType()), kSequenceKind,
        position);
    if (failed(seq))
      return failure();
    rewriter.replaceOp(op, handleTensor(rewriter, loc, *seq));
    return success();
  }
};

// %x = llmos.sequence_at %s, %p  =>  dims, memref.alloc, call @llmos_rt_seq_read_<t>
struct SequenceAtLowering : public OpConversionPattern<SequenceAtOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SequenceAtOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    FailureOr<Value> tensor = readTensor(
        rewriter, loc, op, handleOf(rewriter, loc, adaptor.getInputSequence()),
        positionOf(rewriter, loc, adaptor.getPosition()),
        getTypeConverter()->convertType(op.getType()));
    if (failed(tensor))
      return failure();
    rewriter.replaceOp(op, *tensor);
    return success();
  }
};

// %n = llmos.sequence_length %s  =>  call @llmos_rt_seq_length
struct SequenceLengthLowering : public OpConversionPattern<SequenceLengthOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SequenceLengthOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value length =
        call(rewriter, loc, op, "llmos_rt_seq_length",
             {handleOf(rewriter, loc, adaptor.getInputSequence())},
             rewriter.getI64Type());
    rewriter.replaceOp(op, handleTensor(rewriter, loc, length));
    return success();
  }
};

// %t = llmos.sequence_erase %s[, %p]  =>  call @llmos_rt_seq_erase
struct SequenceEraseLowering : public OpConversionPattern<SequenceEraseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SequenceEraseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    bool hasPosition = (bool)adaptor.getPosition();
    Value position = hasPosition
                         ? positionOf(rewriter, loc, adaptor.getPosition())
                         : i64Value(rewriter, loc, 0);
    Value seq = call(rewriter, loc, op, "llmos_rt_seq_erase",
                     {handleOf(rewriter, loc, adaptor.getInputSequence()),
                      position, i32Value(rewriter, loc, hasPosition)},
                     rewriter.getI64Type());
    rewriter.replaceOp(op, handleTensor(rewriter, loc, seq));
    return success();
  }
};

// %o = llmos.optional %x  =>  a one-tensor optional, or the wrapped
// sequence; without %x, the handle 0
struct OptionalLowering : public OpConversionPattern<OptionalOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OptionalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type resultType = op.getResult().getType();
    if (!isa<OptionalType>(resultType))
      return op.emitOpError("must make an optional for code generation");
    Value zero = i64Value(rewriter, loc, 0);
    Value handle = zero;
    Type original = innerElementType(resultType);
    if (Value input = op.getInput()) {
      if (isa<SequenceType>(input.getType())) {
        handle = call(rewriter, loc, op, "llmos_rt_seq_wrap",
                      {handleOf(rewriter, loc, adaptor.getInput()),
                       i32Value(rewriter, loc, getOnnxDataType(original))},
                      rewriter.getI64Type());
      } else {
        FailureOr<Value> made =
            insertTensor(rewriter, loc, op, zero, adaptor.getInput(),
                         original, kOptionalKind, Value());
        if (failed(made))
          return failure();
        handle = *made;
      }
    }
    rewriter.replaceOp(op, handleTensor(rewriter, loc, handle));
    return success();
  }
};

// %b = llmos.optional_has_element %o  =>  length(%o) > 0 (true for a
// tensor or sequence that is not optional)
struct OptionalHasElementLowering
    : public OpConversionPattern<OptionalHasElementOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OptionalHasElementOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value has;
    if (isa<OptionalType>(op.getInput().getType())) {
      Value length = call(rewriter, loc, op, "llmos_rt_seq_length",
                          {handleOf(rewriter, loc, adaptor.getInput())},
                          rewriter.getI64Type());
      has = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sgt,
                                  length, i64Value(rewriter, loc, 0));
    } else {
      has = arith::ConstantOp::create(rewriter, loc, rewriter.getBoolAttr(true));
    }
    rewriter.replaceOp(op, tensor::FromElementsOp::create(
                               rewriter, loc,
                               RankedTensorType::get({}, rewriter.getI1Type()),
                               has));
    return success();
  }
};

// %x = llmos.optional_get_element %o  =>  the tensor at 0, or the wrapped
// sequence's handle (the input itself when it is not optional)
struct OptionalGetElementLowering
    : public OpConversionPattern<OptionalGetElementOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OptionalGetElementOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    if (!isa<OptionalType>(op.getInput().getType())) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    Value handle = handleOf(rewriter, loc, adaptor.getInput());
    Value zero = i64Value(rewriter, loc, 0);
    if (isa<SequenceType>(op.getResult().getType())) {
      Value element = call(rewriter, loc, op, "llmos_rt_seq_element",
                           {handle, zero}, rewriter.getI64Type());
      rewriter.replaceOp(op, handleTensor(rewriter, loc, element));
      return success();
    }
    FailureOr<Value> tensor =
        readTensor(rewriter, loc, op, handle, zero,
                   getTypeConverter()->convertType(op.getResult().getType()));
    if (failed(tensor))
      return failure();
    rewriter.replaceOp(op, *tensor);
    return success();
  }
};

// %y = llmos.concat_from_sequence %s {axis, new_axis}
//   => the sizes from the elements' dims; tensor.empty; scf.for over the
//      elements: read each, tensor.insert_slice at the running offset
struct ConcatFromSequenceLowering
    : public OpConversionPattern<ConcatFromSequenceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatFromSequenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type =
        convertedTensorType(*getTypeConverter(), op.getResult());
    if (!type)
      return op.emitOpError("with a result of unknown rank has no CPU "
                            "lowering");
    bool newAxis = op.getNewAxis() != 0;
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank || (newAxis && rank == 0))
      return op.emitOpError("axis ") << op.getAxis() << " is out of range";
    // The type of one element: the result's, with the axis dynamic (or
    // dropped for new_axis).
    SmallVector<int64_t> elementShape(type.getShape());
    if (newAxis)
      elementShape.erase(elementShape.begin() + axis);
    else
      elementShape[axis] = ShapedType::kDynamic;
    auto elementType =
        RankedTensorType::get(elementShape, type.getElementType());
    // The element dim behind result dim d.
    auto elementDim = [&](int64_t d) { return newAxis && d > axis ? d - 1 : d; };

    Value seq = handleOf(rewriter, loc, adaptor.getInputSequence());
    Value length = lengthOf(rewriter, loc, op, seq);
    Value zero = indexConstant(rewriter, loc, 0);
    Value one = indexConstant(rewriter, loc, 1);
    Value first = i64Value(rewriter, loc, 0);
    auto elementSize = [&](OpBuilder &b, Value position, int64_t d) -> Value {
      Value size = call(b, loc, op, "llmos_rt_seq_dim",
                        {seq, position, i64Value(b, loc, d)}, b.getI64Type());
      return arith::IndexCastOp::create(b, loc, b.getIndexType(), size);
    };
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis && newAxis) {
        sizes.push_back(length);
      } else if (d == axis) {
        // The sum of the elements' sizes along the axis.
        auto sum = scf::ForOp::create(
            rewriter, loc, zero, length, one, ValueRange{zero},
            [&](OpBuilder &b, Location loc, Value i, ValueRange acc) {
              Value position =
                  arith::IndexCastOp::create(b, loc, b.getI64Type(), i);
              scf::YieldOp::create(
                  b, loc,
                  indexAdd(b, loc, acc[0], elementSize(b, position, d)));
            });
        sizes.push_back(sum.getResult(0));
      } else if (!type.isDynamicDim(d)) {
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
      } else {
        sizes.push_back(elementSize(rewriter, first, elementDim(d)));
      }
    }
    Value empty = createEmpty(rewriter, loc, type, sizes);
    auto loop = scf::ForOp::create(
        rewriter, loc, zero, length, one, ValueRange{empty, zero});
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(loop.getBody());
      Value i = loop.getInductionVar();
      Value acc = loop.getRegionIterArg(0), offset = loop.getRegionIterArg(1);
      Value position =
          arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), i);
      FailureOr<Value> element =
          readTensor(rewriter, loc, op, seq, position, elementType);
      if (failed(element))
        return failure();
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> elementSizes =
          getSizes(rewriter, loc, *element);
      SmallVector<OpFoldResult> sliceSizes;
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      for (int64_t d = 0; d < rank; ++d)
        sliceSizes.push_back(newAxis && d == axis
                                 ? OpFoldResult(rewriter.getIndexAttr(1))
                                 : elementSizes[elementDim(d)]);
      Value next;
      if (newAxis) {
        offsets[axis] = i;
        next = one;
      } else {
        offsets[axis] = offset;
        next = getDimSize(rewriter, loc, *element, axis);
      }
      Value inserted = tensor::InsertSliceOp::create(
          rewriter, loc, *element, acc, offsets, sliceSizes, strides);
      scf::YieldOp::create(rewriter, loc,
                           ValueRange{inserted, indexAdd(rewriter, loc, offset,
                                                         next)});
    }
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

// %s = llmos.split_to_sequence %x[, %split] {axis, keepdims}
//   => scf.for over the pieces: tensor.extract_slice, sequence insert
struct SplitToSequenceLowering
    : public OpConversionPattern<SplitToSequenceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SplitToSequenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!inputType)
      return op.emitOpError("of a tensor of unknown rank has no CPU lowering");
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return op.emitOpError("axis ") << op.getAxis() << " is out of range";
    Value split = adaptor.getSplit();
    auto splitType =
        split ? dyn_cast<RankedTensorType>(split.getType()) : RankedTensorType();
    if (split && (!splitType || splitType.getRank() > 1))
      return op.emitOpError("needs a scalar or 1-D split");
    // Without split, pieces of 1 (squeezed unless keepdims); a scalar
    // split makes equal pieces and a shorter last one; a 1-D split lists
    // the sizes.
    bool squeeze = !split && op.getKeepdims() == 0;
    Value zero = indexConstant(rewriter, loc, 0);
    Value one = indexConstant(rewriter, loc, 1);
    Value total = getDimSize(rewriter, loc, input, axis);
    Value count, chunk;
    if (!split) {
      count = total;
      chunk = one;
    } else if (splitType.getRank() == 0) {
      chunk = indexMax(rewriter, loc, extractIndex(rewriter, loc, split, -1),
                       one);
      count = arith::CeilDivSIOp::create(rewriter, loc, total, chunk);
    } else {
      count = getDimSize(rewriter, loc, split, 0);
    }
    Type original = innerElementType(op.getType());
    SmallVector<int64_t> pieceShape(inputType.getShape());
    pieceShape[axis] = squeeze ? 1 : ShapedType::kDynamic;
    auto seqInit = i64Value(rewriter, loc, 0);
    auto loop = scf::ForOp::create(rewriter, loc, zero, count, one,
                                   ValueRange{seqInit, zero});
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(loop.getBody());
    Value i = loop.getInductionVar();
    Value seq = loop.getRegionIterArg(0), offset = loop.getRegionIterArg(1);
    Value size = chunk;
    if (split && splitType.getRank() == 1) {
      Value element = tensor::ExtractOp::create(rewriter, loc, split, i);
      size = indexMax(rewriter, loc, toIndex(rewriter, loc, element), zero);
    }
    // Never past the end, whatever the split says.
    size = indexMin(rewriter, loc, size,
                    indexMax(rewriter, loc,
                             indexSub(rewriter, loc, total, offset), zero));
    Value start = indexMin(rewriter, loc, offset, total);
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    offsets[axis] = start;
    sizes[axis] = squeeze ? OpFoldResult(rewriter.getIndexAttr(1))
                          : OpFoldResult(size);
    SmallVector<int64_t> sliceShape(pieceShape);
    if (squeeze)
      sliceShape.erase(sliceShape.begin() + axis);
    Value piece = tensor::ExtractSliceOp::create(
        rewriter, loc,
        RankedTensorType::get(sliceShape, inputType.getElementType()), input,
        offsets, sizes, strides);
    FailureOr<Value> next = insertTensor(rewriter, loc, op, seq, piece,
                                         original, kSequenceKind, Value());
    if (failed(next))
      return failure();
    scf::YieldOp::create(rewriter, loc,
                         ValueRange{*next, indexAdd(rewriter, loc, offset,
                                                    size)});
    rewriter.setInsertionPointAfter(loop);
    rewriter.replaceOp(op, handleTensor(rewriter, loc, loop.getResult(0)));
    return success();
  }
};

// %outs = llmos.sequence_map %s(%extra) {body}
//   => scf.for %i < length(%s) iter_args(%outs = 0...) {
//        %r = scf.execute_region { body on (%s[i], %extra or %extra[i]) }
//        %outs' = insert %r into %outs }
struct SequenceMapLowering : public OpConversionPattern<SequenceMapOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SequenceMapOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    const TypeConverter &converter = *getTypeConverter();
    SmallVector<Value> inputs{adaptor.getInputSequence()};
    llvm::append_range(inputs, adaptor.getAdditionalInputs());
    SmallVector<Value> originals{op.getInputSequence()};
    llvm::append_range(originals, op.getAdditionalInputs());
    Block &body = op.getBody().front();
    if (body.getNumArguments() != inputs.size())
      return op.emitOpError("body takes ") << body.getNumArguments()
                                           << " values for " << inputs.size()
                                           << " inputs";
    Value seq = handleOf(rewriter, loc, inputs[0]);
    Value length = lengthOf(rewriter, loc, op, seq);
    Value zero = indexConstant(rewriter, loc, 0);
    Value one = indexConstant(rewriter, loc, 1);
    SmallVector<Value> inits(op.getNumResults(), i64Value(rewriter, loc, 0));
    auto loop = scf::ForOp::create(rewriter, loc, zero, length, one, inits);
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(loop.getBody());
    Value position = arith::IndexCastOp::create(
        rewriter, loc, rewriter.getI64Type(), loop.getInductionVar());
    // Sequences give their i-th tensor, tensors themselves.
    SmallVector<Value> arguments;
    for (auto [input, original, argument] :
         llvm::zip(inputs, originals, body.getArguments())) {
      if (!isa<SequenceType>(original.getType())) {
        arguments.push_back(input);
        continue;
      }
      FailureOr<Value> element =
          readTensor(rewriter, loc, op, handleOf(rewriter, loc, input),
                     position, converter.convertType(argument.getType()));
      if (failed(element))
        return failure();
      arguments.push_back(*element);
    }
    FailureOr<scf::ExecuteRegionOp> region = moveBodyIntoRegion(
        rewriter, loc, converter, op.getBody(), arguments);
    if (failed(region))
      return op.emitOpError("with a body result of unknown rank has no CPU "
                            "lowering");
    SmallVector<Value> next;
    for (auto [r, result] : llvm::enumerate(region->getResults())) {
      FailureOr<Value> seqNext = insertTensor(
          rewriter, loc, op, loop.getRegionIterArg(r), result,
          innerElementType(op.getResult(r).getType()), kSequenceKind,
          Value());
      if (failed(seqNext))
        return failure();
      next.push_back(*seqNext);
    }
    scf::YieldOp::create(rewriter, loc, next);
    rewriter.setInsertionPointAfter(loop);
    SmallVector<Value> results;
    for (Value handle : loop.getResults())
      results.push_back(handleTensor(rewriter, loc, handle));
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateSequencePatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<SequenceEmptyLowering, SequenceConstructLowering,
               SequenceInsertLowering, SequenceAtLowering,
               SequenceLengthLowering, SequenceEraseLowering, OptionalLowering,
               OptionalHasElementLowering, OptionalGetElementLowering,
               ConcatFromSequenceLowering, SplitToSequenceLowering,
               SequenceMapLowering>(converter, patterns.getContext());
}
