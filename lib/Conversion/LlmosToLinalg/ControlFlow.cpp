//===- ControlFlow.cpp - Lowering of llmos If, Loop and Scan --------------===//
//
// This file lowers ONNX control flow to scf: If becomes scf.if, Loop becomes
// scf.while and Scan becomes scf.for. A Loop or Scan body is moved into an
// scf.execute_region inside the loop, so that its llmos.yield becomes an
// scf.yield like the branches of an If; the loop lowering then does the
// bookkeeping (condition, carried values, scan outputs) around it. The ops
// inside the moved regions are converted by the same conversion afterwards.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

// %r = llmos.if %c : (tensor<i1>) -> tensor<2xf32> then {...} else {...}
//   => %r = scf.if (tensor.extract %c) -> tensor<2xf32> {...} else {...}
struct IfLowering : public OpConversionPattern<IfOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<SmallVector<Type>> types =
        convertedTypes(*getTypeConverter(), op.getResultTypes());
    if (failed(types))
      return op.emitOpError("with non-tensor results has no CPU lowering");
    Location loc = op.getLoc();
    Value cond = extractScalar(rewriter, loc, adaptor.getCond(), -1);
    auto ifOp = scf::IfOp::create(rewriter, loc, *types, cond,
                                  /*addThenBlock=*/false,
                                  /*addElseBlock=*/false);
    rewriter.inlineRegionBefore(op.getThenBranch(), ifOp.getThenRegion(),
                                ifOp.getThenRegion().end());
    rewriter.inlineRegionBefore(op.getElseBranch(), ifOp.getElseRegion(),
                                ifOp.getElseRegion().end());
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

// llmos.yield %v : tensor<2xf32>  (in an scf.if or scf.execute_region)
//   => scf.yield (tensor.cast %v to the parent's result type)
struct YieldLowering : public OpConversionPattern<YieldOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *parent = op->getParentOp();
    if (!isa<scf::IfOp, scf::ExecuteRegionOp>(parent))
      return rewriter.notifyMatchFailure(op, "parent not lowered yet");
    SmallVector<Value> values;
    for (auto [value, type] :
         llvm::zip(adaptor.getValues(), parent->getResultTypes()))
      values.push_back(castTo(rewriter, op.getLoc(), value, type));
    rewriter.replaceOpWithNewOp<scf::YieldOp>(op, values);
    return success();
  }
};

/// A 0-D tensor holding `scalar`.
Value scalarTensor(OpBuilder &b, Location loc, Value scalar) {
  return tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({}, scalar.getType()), scalar);
}

/// The type of a one-element-thick slice of `type` with `axis` dropped.
RankedTensorType withoutAxis(RankedTensorType type,
                             ArrayRef<OpFoldResult> sizes, int64_t axis) {
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (d == axis)
      continue;
    std::optional<int64_t> size = getConstantIntValue(sizes[d]);
    shape.push_back(size ? *size : ShapedType::kDynamic);
  }
  return RankedTensorType::get(shape, type.getElementType());
}

/// `slice` (the value of one iteration) inserted into `into` at `position`
/// along `axis`; the slice lacks that axis.
Value insertAlong(OpBuilder &b, Location loc, Value slice, Value into,
                  int64_t axis, Value position) {
  auto intoType = cast<RankedTensorType>(into.getType());
  int64_t rank = intoType.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  offsets[axis] = position;
  SmallVector<OpFoldResult> sizes;
  SmallVector<OpFoldResult> sliceSizes = getSizes(b, loc, slice);
  for (int64_t d = 0, s = 0; d < rank; ++d)
    sizes.push_back(d == axis ? OpFoldResult(b.getIndexAttr(1))
                              : sliceSizes[s++]);
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  auto sliceType = withoutAxis(intoType, sizes, axis);
  return tensor::InsertSliceOp::create(b, loc, castTo(b, loc, slice, sliceType),
                                       into, offsets, sizes, strides);
}

/// The slice of `from` at `position` along `axis`, without that axis.
Value extractAlong(OpBuilder &b, Location loc, Value from, int64_t axis,
                   Value position) {
  auto fromType = cast<RankedTensorType>(from.getType());
  int64_t rank = fromType.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  offsets[axis] = position;
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, from);
  sizes[axis] = b.getIndexAttr(1);
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  auto sliceType = withoutAxis(fromType, sizes, axis);
  return tensor::ExtractSliceOp::create(b, loc, sliceType, from, offsets,
                                        sizes, strides);
}

/// The buffer that stacks a scan output along `axis`: `length` slots and the
/// element's static dims; a dynamic element dim is 0 until `room` sizes the
/// buffer from the first iteration's value.
Value emptyWithLength(OpBuilder &b, Location loc, RankedTensorType type,
                      int64_t axis, Value length) {
  // The placeholder size is min(length, 0), not the constant 0: a constant
  // would make canonicalization give the buffer a static 0 dim, which the
  // loop would then carry as its type through iterations that change it.
  Value placeholder;
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (d == axis) {
      sizes.push_back(length);
    } else if (type.isDynamicDim(d)) {
      if (!placeholder)
        placeholder = indexMin(b, loc, length, indexConstant(b, loc, 0));
      sizes.push_back(placeholder);
    } else {
      sizes.push_back(b.getIndexAttr(type.getDimSize(d)));
    }
  }
  return createEmpty(b, loc, type, sizes);
}

/// `stack` (a scan output's buffer, slots along `axis`) made ready for the
/// slice of iteration `iteration`: on the first iteration a buffer whose
/// element dims are dynamic is allocated with the dims of `slice` (ONNX
/// gives every iteration's value one shape) and `slots` slots; when
/// `grow`, a full buffer is replaced by one with twice the slots holding
/// the first `iteration` slices (a Loop without a trip count).
Value room(OpBuilder &b, Location loc, Value stack, Value slice, int64_t axis,
           Value iteration, Value slots, bool grow) {
  auto type = cast<RankedTensorType>(stack.getType());
  int64_t rank = type.getRank();
  bool dynamicElement = false;
  for (int64_t d = 0; d < rank; ++d)
    dynamicElement |= d != axis && type.isDynamicDim(d);
  if (!dynamicElement && !grow)
    return stack;
  Value zero = indexConstant(b, loc, 0);
  Value capacity = getDimSize(b, loc, stack, axis);
  Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                      iteration, zero);
  Value full = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                     iteration, capacity);
  Value replace = dynamicElement && grow
                      ? Value(arith::OrIOp::create(b, loc, first, full))
                  : dynamicElement ? first
                                   : full;
  auto ifOp = scf::IfOp::create(
      b, loc, replace,
      [&](OpBuilder &tb, Location tl) {
        // The first buffer has `slots` slots; a grown one twice as many.
        Value twice = indexMul(tb, tl, capacity, indexConstant(tb, tl, 2));
        Value count = arith::SelectOp::create(
            tb, tl, first, indexMax(tb, tl, slots, indexConstant(tb, tl, 1)),
            indexMax(tb, tl, twice, indexAdd(tb, tl, iteration,
                                             indexConstant(tb, tl, 1))));
        SmallVector<OpFoldResult> sizes;
        SmallVector<OpFoldResult> sliceSizes = getSizes(tb, tl, slice);
        for (int64_t d = 0, e = 0; d < rank; ++d)
          sizes.push_back(d == axis ? OpFoldResult(count) : sliceSizes[e++]);
        Value fresh = createEmpty(tb, tl, type, sizes);
        if (grow) {
          // Keep the slices so far: [0, iteration) along the axis.
          SmallVector<OpFoldResult> offsets(rank, tb.getIndexAttr(0));
          SmallVector<OpFoldResult> kept = getSizes(tb, tl, stack);
          kept[axis] = iteration;
          SmallVector<OpFoldResult> strides(rank, tb.getIndexAttr(1));
          Value old = tensor::ExtractSliceOp::create(tb, tl, stack, offsets,
                                                     kept, strides);
          fresh = tensor::InsertSliceOp::create(tb, tl, old, fresh, offsets,
                                                kept, strides);
        }
        scf::YieldOp::create(tb, tl, fresh);
      },
      [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, stack); });
  return ifOp.getResult(0);
}

// %v, %scan = llmos.loop max_trip_count(%M) cond(%c) carried(%v0) {...}
//   => scf.while (%i, %c, %v, %acc) { condition: i < M and c }
//      do { %out = scf.execute_region { body }
//           %acc' = tensor.insert_slice %out#scan into %acc[%i] }
//      + tensor.extract_slice of each accumulator to the trip count
struct LoopLowering : public OpConversionPattern<LoopOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LoopOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    const TypeConverter &converter = *getTypeConverter();
    FailureOr<SmallVector<Type>> resultTypes =
        convertedTypes(converter, op.getResultTypes());
    if (failed(resultTypes))
      return op.emitOpError("with non-tensor values has no CPU lowering");
    int64_t carried = adaptor.getVInitial().size();
    int64_t scanned = op.getNumResults() - carried;
    Value zero = indexConstant(rewriter, loc, 0);
    Value one = indexConstant(rewriter, loc, 1);
    // The trip count; without M, the largest index (until cond is false).
    Value tripCount =
        adaptor.getM()
            ? indexMax(rewriter, loc,
                       extractIndex(rewriter, loc, adaptor.getM(), -1), zero)
            : indexConstant(rewriter, loc, std::numeric_limits<int64_t>::max());
    // Without M, scan outputs stack into buffers that grow as needed
    // (16 slots first).
    bool grow = !adaptor.getM();
    Value slots = grow ? indexConstant(rewriter, loc, 16) : tripCount;
    Value cond =
        adaptor.getCond()
            ? extractScalar(rewriter, loc, adaptor.getCond(), -1)
            : arith::ConstantOp::create(rewriter, loc,
                                        rewriter.getBoolAttr(true));
    SmallVector<Value> inits{zero, cond};
    for (auto [value, type] :
         llvm::zip(adaptor.getVInitial(), ArrayRef(*resultTypes).take_front(carried)))
      inits.push_back(castTo(rewriter, loc, value, type));
    for (Type type : ArrayRef(*resultTypes).drop_front(carried)) {
      // The result type's first dim is the trip count, static or not; the
      // buffer's is its slot count.
      auto stackType = cast<RankedTensorType>(type);
      SmallVector<int64_t> shape(stackType.getShape());
      shape[0] = ShapedType::kDynamic;
      inits.push_back(emptyWithLength(rewriter, loc, stackType.clone(shape), 0,
                                      grow ? zero : slots));
    }
    SmallVector<Type> loopTypes;
    for (Value init : inits)
      loopTypes.push_back(init.getType());
    auto whileOp = scf::WhileOp::create(rewriter, loc, loopTypes, inits);
    {
      Block *before = rewriter.createBlock(
          &whileOp.getBefore(), {}, loopTypes,
          SmallVector<Location>(loopTypes.size(), loc));
      Value i = before->getArgument(0);
      Value inRange = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::slt, i, tripCount);
      Value go = arith::AndIOp::create(rewriter, loc, inRange,
                                       before->getArgument(1));
      scf::ConditionOp::create(rewriter, loc, go, before->getArguments());
    }
    Block *after = rewriter.createBlock(
        &whileOp.getAfter(), {}, loopTypes,
        SmallVector<Location>(loopTypes.size(), loc));
    Value i = after->getArgument(0);
    SmallVector<Value> arguments{
        scalarTensor(rewriter, loc,
                     arith::IndexCastOp::create(rewriter, loc,
                                                rewriter.getI64Type(), i)),
        scalarTensor(rewriter, loc, after->getArgument(1))};
    for (int64_t v = 0; v < carried; ++v)
      arguments.push_back(after->getArgument(2 + v));
    FailureOr<scf::ExecuteRegionOp> body = moveBodyIntoRegion(
        rewriter, loc, converter, op.getBody(), arguments);
    if (failed(body))
      return op.emitOpError("with non-tensor values has no CPU lowering");
    ValueRange outputs = body->getResults();
    SmallVector<Value> next{indexAdd(rewriter, loc, i, one),
                            extractScalar(rewriter, loc, outputs[0], -1)};
    for (int64_t v = 0; v < carried; ++v)
      next.push_back(castTo(rewriter, loc, outputs[1 + v], loopTypes[2 + v]));
    for (int64_t s = 0; s < scanned; ++s) {
      Value slice = outputs[1 + carried + s];
      Value stack = room(rewriter, loc, after->getArgument(2 + carried + s),
                         slice, 0, i, slots, grow);
      next.push_back(insertAlong(rewriter, loc, slice, stack, 0, i));
    }
    scf::YieldOp::create(rewriter, loc, next);

    rewriter.setInsertionPointAfter(whileOp);
    SmallVector<Value> results;
    for (int64_t v = 0; v < carried; ++v)
      results.push_back(whileOp.getResult(2 + v));
    Value trips = whileOp.getResult(0);
    for (int64_t s = 0; s < scanned; ++s) {
      Value all = whileOp.getResult(2 + carried + s);
      auto type = cast<RankedTensorType>(all.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(),
                                        rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, all);
      sizes[0] = trips;
      SmallVector<OpFoldResult> strides(type.getRank(),
                                        rewriter.getIndexAttr(1));
      Value used = tensor::ExtractSliceOp::create(rewriter, loc, all, offsets,
                                                  sizes, strides);
      results.push_back(castTo(rewriter, loc, used, (*resultTypes)[carried + s]));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

// %s, %y = llmos.scan(%s0, %x) {num_scan_inputs = 1} {...}
//   => scf.for %t iter_args(%s, %acc) {
//        %out = scf.execute_region { body on (%s, %x[t]) }
//        %acc' = tensor.insert_slice %out#1 into %acc[t] }
struct ScanLowering : public OpConversionPattern<ScanOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    const TypeConverter &converter = *getTypeConverter();
    FailureOr<SmallVector<Type>> resultTypes =
        convertedTypes(converter, op.getResultTypes());
    if (failed(resultTypes))
      return op.emitOpError("with unranked values has no CPU lowering");
    ValueRange operands = adaptor.getInitialStateAndScanInputs();
    int64_t inputs = op.getNumScanInputs();
    int64_t states = operands.size() - inputs;
    int64_t outputs = op.getNumResults() - states;
    if (inputs <= 0 || states < 0)
      return op.emitOpError("needs at least one scan input");
    auto attrOr = [](std::optional<ArrayRef<int64_t>> values, int64_t i,
                     int64_t fallback) {
      return values && i < (int64_t)values->size() ? (*values)[i] : fallback;
    };
    auto normalize = [](int64_t axis, int64_t rank) {
      return axis < 0 ? axis + rank : axis;
    };
    ValueRange scanInputs = operands.drop_front(states);
    int64_t axis0 = normalize(attrOr(op.getScanInputAxes(), 0, 0),
                              getRank(scanInputs[0]));
    Value length = getDimSize(rewriter, loc, scanInputs[0], axis0);
    Value zero = indexConstant(rewriter, loc, 0);
    Value one = indexConstant(rewriter, loc, 1);
    Value lastIndex = indexSub(rewriter, loc, length, one);

    SmallVector<Value> inits;
    for (auto [value, type] :
         llvm::zip(operands.take_front(states),
                   ArrayRef(*resultTypes).take_front(states)))
      inits.push_back(castTo(rewriter, loc, value, type));
    SmallVector<int64_t> outputAxes;
    for (int64_t o = 0; o < outputs; ++o) {
      auto type = cast<RankedTensorType>((*resultTypes)[states + o]);
      int64_t axis = normalize(attrOr(op.getScanOutputAxes(), o, 0),
                               type.getRank());
      outputAxes.push_back(axis);
      inits.push_back(emptyWithLength(rewriter, loc, type, axis, length));
    }
    auto forOp = scf::ForOp::create(rewriter, loc, zero, length, one, inits);
    rewriter.setInsertionPointToStart(forOp.getBody());
    Value t = forOp.getInductionVar();
    Value reversedT = indexSub(rewriter, loc, lastIndex, t);
    SmallVector<Value> arguments;
    for (int64_t s = 0; s < states; ++s)
      arguments.push_back(forOp.getRegionIterArg(s));
    for (int64_t in = 0; in < inputs; ++in) {
      Value input = scanInputs[in];
      int64_t axis =
          normalize(attrOr(op.getScanInputAxes(), in, 0), getRank(input));
      Value position =
          attrOr(op.getScanInputDirections(), in, 0) ? reversedT : t;
      arguments.push_back(extractAlong(rewriter, loc, input, axis, position));
    }
    FailureOr<scf::ExecuteRegionOp> body = moveBodyIntoRegion(
        rewriter, loc, converter, op.getBody(), arguments);
    if (failed(body))
      return op.emitOpError("with unranked values has no CPU lowering");
    ValueRange produced = body->getResults();
    SmallVector<Value> next;
    for (int64_t s = 0; s < states; ++s)
      next.push_back(castTo(rewriter, loc, produced[s],
                            forOp.getRegionIterArg(s).getType()));
    for (int64_t o = 0; o < outputs; ++o) {
      Value position =
          attrOr(op.getScanOutputDirections(), o, 0) ? reversedT : t;
      Value stack = room(rewriter, loc, forOp.getRegionIterArg(states + o),
                         produced[states + o], outputAxes[o], t, length,
                         /*grow=*/false);
      next.push_back(insertAlong(rewriter, loc, produced[states + o], stack,
                                 outputAxes[o], position));
    }
    scf::YieldOp::create(rewriter, loc, next);
    rewriter.setInsertionPointAfter(forOp);
    SmallVector<Value> results;
    for (auto [value, type] : llvm::zip(forOp.getResults(), *resultTypes))
      results.push_back(castTo(rewriter, loc, value, type));
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

FailureOr<SmallVector<Type>>
mlir::llmos::lowering::convertedTypes(const TypeConverter &converter,
                                      TypeRange types) {
  SmallVector<Type> result;
  for (Type type : types) {
    auto converted = dyn_cast_or_null<RankedTensorType>(
        converter.convertType(type));
    if (!converted)
      return failure();
    result.push_back(converted);
  }
  return result;
}

FailureOr<scf::ExecuteRegionOp> mlir::llmos::lowering::moveBodyIntoRegion(
    ConversionPatternRewriter &rewriter, Location loc,
    const TypeConverter &converter, Region &body, ArrayRef<Value> arguments) {
  Block &block = body.front();
  auto yield = cast<YieldOp>(block.getTerminator());
  FailureOr<SmallVector<Type>> resultTypes =
      convertedTypes(converter, yield.getValues().getTypes());
  if (failed(resultTypes))
    return failure();
  SmallVector<Value> replacements;
  for (auto [argument, value] : llvm::zip(block.getArguments(), arguments)) {
    Type type = converter.convertType(argument.getType());
    if (!type)
      return failure();
    replacements.push_back(castTo(rewriter, loc, value, type));
  }
  auto region = scf::ExecuteRegionOp::create(rewriter, loc, *resultTypes);
  Block *target = rewriter.createBlock(&region.getRegion());
  rewriter.mergeBlocks(&block, target, replacements);
  rewriter.setInsertionPointAfter(region);
  return region;
}

void mlir::llmos::lowering::populateControlFlowPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<IfLowering, YieldLowering, LoopLowering, ScanLowering>(
      converter, patterns.getContext());
}
