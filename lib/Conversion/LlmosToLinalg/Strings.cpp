//===- Strings.cpp - Lowering of string tensors and string ops -----------===//
//
// String tensors lower to tensors of 64-bit handles (the type converter maps
// !llmos.string to i64): a handle is the address of an immutable record
// { int64 size; bytes; NUL } or 0 for "" (llmos_abi.h). Ops that only move
// elements (reshapes, gathers, concats, Where, Identity) need nothing else.
// Ops that look inside strings call the runtime on contiguous buffers:
// Cast from and to numbers, StringNormalizer, StringConcat, StringSplit and
// Equal (TfIdfVectorizer's string pools use lookupStrings). String
// constants become records in a read-only global; their handles are its
// address plus each record's offset.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"
#include "llmos/Runtime/llmos_regex.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

Value i32Constant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, value, 32);
}

/// The runtime's name for a numeric element type (before conversion:
/// unsigned integers keep their own), or "" for types strings do not cast
/// from or to.
std::string numberSuffix(Type original) {
  if (original.isF32()) return "f32";
  if (original.isF64()) return "f64";
  if (auto integer = dyn_cast<IntegerType>(original)) {
    unsigned width = integer.getWidth();
    if (width == 1)
      return "bool";
    if (width == 8 || width == 16 || width == 32 || width == 64)
      return (integer.isUnsigned() ? "u" : "i") + std::to_string(width);
  }
  return "";
}

// %y = llmos.cast %x {to = !llmos.string}   (or from strings)
//   => memref.alloc; call @llmos_rt_string_from_f32(x, y)  (or _to_<type>)
template <typename CastLike>
struct StringCastLowering : public OpConversionPattern<CastLike> {
  StringCastLowering(const TypeConverter &converter, MLIRContext *context)
      : OpConversionPattern<CastLike>(converter, context, /*benefit=*/10) {}

  LogicalResult
  matchAndRewrite(CastLike op, typename CastLike::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type from = op.getInput().getType(), to = op.getType();
    bool toString = isStringTensor(to), fromString = isStringTensor(from);
    if (toString == fromString) {
      if (!toString)
        return rewriter.notifyMatchFailure(op, "no strings");
      rewriter.replaceOp(op, adaptor.getInput()); // string to string
      return success();
    }
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertedTensorType(*this->getTypeConverter(), op.getResult());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not ranked");
    Type numeric = cast<TensorType>(toString ? from : to).getElementType();
    std::string suffix = numberSuffix(numeric);
    if (suffix.empty())
      return op.emitOpError("casts strings from or to ")
             << numeric << ", which has no CPU lowering (numbers: f32, f64, "
             << "integers, bool)";
    Value input = adaptor.getInput();
    if (!isa<RankedTensorType>(input.getType()))
      return rewriter.notifyMatchFailure(op, "input is not ranked");
    Value output = allocLike(rewriter, loc, resultType,
                             getSizes(rewriter, loc, input));
    Value in = readBuffer(rewriter, loc, input);
    Value out = unranked(rewriter, loc, output);
    std::string name = (toString ? "llmos_rt_string_from_"
                                 : "llmos_rt_string_to_") + suffix;
    func::FuncOp callee = runtimeFunction(
        rewriter, op, name,
        rewriter.getFunctionType({in.getType(), out.getType()}, {}));
    func::CallOp::create(rewriter, loc, callee, ValueRange{in, out});
    rewriter.replaceOp(op, asTensor(rewriter, loc, output));
    return success();
  }
};

// %y = llmos.string_normalizer %x {case_change_action, stopwords, ...}
//   => memref.alloc (as many as %x); %n = call @llmos_rt_string_normalize;
//      the first max(%n, 1) handles, as [n] or [1, n]
struct StringNormalizerLowering
    : public OpConversionPattern<StringNormalizerOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(StringNormalizerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getX();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op.getResult());
    if (!inputType || !resultType || inputType.getRank() < 1 ||
        inputType.getRank() > 2 ||
        resultType.getRank() != inputType.getRank())
      return op.emitOpError("takes [C] or [1, C] strings");
    // The input as a flat list.
    Value flat = input;
    if (inputType.getRank() == 2)
      flat = tensor::CollapseShapeOp::create(
          rewriter, loc, flat, SmallVector<ReassociationIndices>{{0, 1}});
    Value count = getDimSize(rewriter, loc, flat, 0);
    Value capacity = arith::MaxUIOp::create(rewriter, loc, count,
                                            indexConstant(rewriter, loc, 1));
    auto bufferType = MemRefType::get({ShapedType::kDynamic},
                                      rewriter.getI64Type());
    Value output = memref::AllocOp::create(rewriter, loc, bufferType,
                                           ValueRange{capacity});
    SmallVector<StringRef> stopwords;
    if (std::optional<ArrayAttr> words = op.getStopwords())
      for (Attribute word : *words)
        stopwords.push_back(cast<StringAttr>(word).getValue());
    Value stop = stringConstant(
        rewriter, loc, op,
        RankedTensorType::get({(int64_t)stopwords.size()},
                              rewriter.getI64Type()),
        stopwords);
    StringRef action = op.getCaseChangeAction();
    int32_t caseAction = action == "LOWER" ? 1 : action == "UPPER" ? 2 : 0;
    Type handles = UnrankedMemRefType::get(rewriter.getI64Type(), 0);
    func::FuncOp callee = runtimeFunction(
        rewriter, op, "llmos_rt_string_normalize",
        rewriter.getFunctionType({handles, handles, handles,
                                  rewriter.getI32Type(), rewriter.getI32Type()},
                                 {rewriter.getI64Type()}));
    Value kept =
        func::CallOp::create(
            rewriter, loc, callee,
            ValueRange{readBuffer(rewriter, loc, flat),
                       unranked(rewriter, loc, output),
                       readBuffer(rewriter, loc, stop),
                       i32Constant(rewriter, loc, caseAction),
                       i32Constant(rewriter, loc, op.getIsCaseSensitive())})
            .getResult(0);
    Value size = arith::MaxUIOp::create(
        rewriter, loc,
        arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                   kept),
        indexConstant(rewriter, loc, 1));
    Value all = asTensor(rewriter, loc, output);
    Value result = tensor::ExtractSliceOp::create(
        rewriter, loc, all, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{size},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
    if (resultType.getRank() == 2)
      result = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({1, ShapedType::kDynamic},
                                rewriter.getI64Type()),
          result, SmallVector<ReassociationIndices>{{0, 1}});
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

/// Calls `name(lhs, rhs, out)` of the runtime on the broadcast operands.
FailureOr<Value> binaryStringCall(ConversionPatternRewriter &rewriter,
                                  Operation *op, StringRef name, Value lhs,
                                  Value rhs, RankedTensorType resultType) {
  if (!isa<RankedTensorType>(lhs.getType()) ||
      !isa<RankedTensorType>(rhs.getType()))
    return rewriter.notifyMatchFailure(op, "operands are not ranked");
  Location loc = op->getLoc();
  auto handles = resultType.clone(rewriter.getI64Type());
  auto spread = [&](Value operand) -> Value {
    if (operand.getType() == handles)
      return operand;
    return buildElementwise(rewriter, loc, handles, ValueRange{operand},
                            [](OpBuilder &, Location, ValueRange args) {
                              return args[0];
                            });
  };
  Value a = spread(lhs), b = spread(rhs);
  Value output =
      allocLike(rewriter, loc, resultType, getSizes(rewriter, loc, a));
  Type unrankedHandles = UnrankedMemRefType::get(rewriter.getI64Type(), 0);
  Type unrankedOut = UnrankedMemRefType::get(resultType.getElementType(), 0);
  func::FuncOp callee = runtimeFunction(
      rewriter, op, name,
      rewriter.getFunctionType({unrankedHandles, unrankedHandles, unrankedOut},
                               {}));
  func::CallOp::create(rewriter, loc, callee,
                       ValueRange{readBuffer(rewriter, loc, a),
                                  readBuffer(rewriter, loc, b),
                                  unranked(rewriter, loc, output)});
  return asTensor(rewriter, loc, output);
}

// %z = llmos.string_concat %x, %y => broadcast; call @llmos_rt_string_concat
struct StringConcatLowering : public OpConversionPattern<StringConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(StringConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op.getResult());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not ranked");
    FailureOr<Value> result =
        binaryStringCall(rewriter, op, "llmos_rt_string_concat",
                         adaptor.getX(), adaptor.getY(), resultType);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

// %z = llmos.equal %x, %y on strings => call @llmos_rt_string_equal
struct StringEqualLowering : public OpConversionPattern<EqualOp> {
  StringEqualLowering(const TypeConverter &converter, MLIRContext *context)
      : OpConversionPattern<EqualOp>(converter, context, /*benefit=*/10) {}

  LogicalResult
  matchAndRewrite(EqualOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isStringTensor(op.getA().getType()))
      return rewriter.notifyMatchFailure(op, "no strings");
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op.getResult());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not ranked");
    FailureOr<Value> result =
        binaryStringCall(rewriter, op, "llmos_rt_string_equal",
                         adaptor.getA(), adaptor.getB(), resultType);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

// %y = llmos.regex_full_match %x {pattern}
//   => the pattern checked now; memref.alloc (as %x, i1);
//      call @llmos_rt_regex_full_match(x, pattern handle, y)
struct RegexFullMatchLowering : public OpConversionPattern<RegexFullMatchOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RegexFullMatchOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getX();
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op.getY());
    if (!isa<RankedTensorType>(input.getType()) || !resultType)
      return op.emitOpError("needs an input of known rank");
    StringRef pattern = op.getPattern() ? *op.getPattern() : StringRef();
    ::llmos::regex::Program program = ::llmos::regex::compile(
        std::string_view(pattern.data(), pattern.size()));
    if (!program.error.empty())
      return op.emitOpError("has an invalid pattern '")
             << pattern << "': " << program.error;
    Value patternHandle = tensor::ExtractOp::create(
        rewriter, loc,
        stringConstant(rewriter, loc, op,
                       RankedTensorType::get({1}, rewriter.getI64Type()),
                       {pattern}),
        ValueRange{indexConstant(rewriter, loc, 0)});
    Value output = allocLike(rewriter, loc, resultType,
                             getSizes(rewriter, loc, input));
    Value in = readBuffer(rewriter, loc, input);
    Value out = unranked(rewriter, loc, output);
    func::FuncOp callee = runtimeFunction(
        rewriter, op, "llmos_rt_regex_full_match",
        rewriter.getFunctionType(
            {in.getType(), rewriter.getI64Type(), out.getType()}, {}));
    func::CallOp::create(rewriter, loc, callee,
                         ValueRange{in, patternHandle, out});
    rewriter.replaceOp(op, asTensor(rewriter, loc, output));
    return success();
  }
};

// %y, %z = llmos.string_split %x {delimiter, maxsplit}
//   => %n = call @llmos_rt_string_split_count(x, delimiter, maxsplit);
//      Y: memref.alloc [x's dims..., n], Z: [x's dims...];
//      call @llmos_rt_string_split(x, delimiter, maxsplit, Y, Z)
struct StringSplitLowering : public OpConversionPattern<StringSplitOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(StringSplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getX();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!inputType)
      return op.emitOpError("needs an input of known rank");
    RankedTensorType piecesType =
        convertedTensorType(*getTypeConverter(), op.getY());
    RankedTensorType countsType =
        convertedTensorType(*getTypeConverter(), op.getZ());
    if (!piecesType || !countsType ||
        piecesType.getRank() != inputType.getRank() + 1)
      return op.emitOpError("needs ranked results of rank ")
             << inputType.getRank() + 1 << " and " << inputType.getRank();
    Type i64 = rewriter.getI64Type();
    StringRef delimiterText = op.getDelimiter().value_or("");
    Value delimiter = tensor::ExtractOp::create(
        rewriter, loc,
        stringConstant(rewriter, loc, op, RankedTensorType::get({1}, i64),
                       {delimiterText}),
        ValueRange{indexConstant(rewriter, loc, 0)});
    Value maxsplit = arith::ConstantIntOp::create(
        rewriter, loc, op.getMaxsplit().value_or(-1), 64);
    Type handles = UnrankedMemRefType::get(i64, 0);
    func::FuncOp countFn = runtimeFunction(
        rewriter, op, "llmos_rt_string_split_count",
        rewriter.getFunctionType({handles, i64, i64}, {i64}));
    Value in = readBuffer(rewriter, loc, input);
    Value most = func::CallOp::create(rewriter, loc, countFn,
                                      ValueRange{in, delimiter, maxsplit})
                     .getResult(0);
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> pieceSizes = sizes;
    pieceSizes.push_back(getAsOpFoldResult(arith::IndexCastOp::create(
        rewriter, loc, rewriter.getIndexType(), most)));
    SmallVector<int64_t> pieceShape(inputType.getShape());
    pieceShape.push_back(ShapedType::kDynamic);
    Value pieces = allocLike(rewriter, loc, RankedTensorType::get(pieceShape, i64),
                             pieceSizes);
    Value counts = allocLike(rewriter, loc, inputType, sizes);
    func::FuncOp splitFn = runtimeFunction(
        rewriter, op, "llmos_rt_string_split",
        rewriter.getFunctionType({handles, i64, i64, handles, handles}, {}));
    func::CallOp::create(rewriter, loc, splitFn,
                         ValueRange{in, delimiter, maxsplit,
                                    unranked(rewriter, loc, pieces),
                                    unranked(rewriter, loc, counts)});
    rewriter.replaceOp(
        op, {castTo(rewriter, loc, asTensor(rewriter, loc, pieces), piecesType),
             castTo(rewriter, loc, asTensor(rewriter, loc, counts),
                    countsType)});
    return success();
  }
};

} // namespace

Value mlir::llmos::lowering::stringConstant(OpBuilder &b, Location loc,
                                            Operation *anchor,
                                            RankedTensorType type,
                                            ArrayRef<StringRef> strings) {
  // Records back to back, each 8-byte aligned: size, bytes, NUL.
  SmallVector<int8_t> blob;
  SmallVector<int64_t> offsets;
  for (StringRef text : strings) {
    offsets.push_back(blob.size());
    uint64_t size = text.size();
    for (int i = 0; i < 8; ++i)
      blob.push_back((int8_t)(size >> (8 * i)));
    blob.append(text.begin(), text.end());
    blob.push_back(0);
    while (blob.size() % 8)
      blob.push_back(0);
  }
  if (blob.empty())
    blob.assign(8, 0);
  auto module = anchor->getParentOfType<ModuleOp>();
  auto blobType = MemRefType::get({(int64_t)blob.size()}, b.getI8Type());
  auto tensorType = RankedTensorType::get({(int64_t)blob.size()}, b.getI8Type());
  std::string name;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    SymbolTable symbols(module);
    unsigned counter = 0;
    do
      name = "__llmos_strings_" + std::to_string(counter++);
    while (symbols.lookup(name));
    memref::GlobalOp::create(
        b, loc, name, b.getStringAttr("private"), blobType,
        DenseElementsAttr::get(tensorType, ArrayRef<int8_t>(blob)),
        /*constant=*/true, b.getI64IntegerAttr(8));
  }
  Value global = memref::GetGlobalOp::create(b, loc, blobType, name);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, global);
  Value base64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), base);
  auto offsetType = type.clone(b.getI64Type());
  Value offsetTensor = arith::ConstantOp::create(
      b, loc, offsetType,
      DenseElementsAttr::get(offsetType, ArrayRef<int64_t>(offsets)));
  return buildElementwise(b, loc, offsetType, ValueRange{offsetTensor},
                          [&](OpBuilder &nb, Location l, ValueRange args) {
                            return arith::AddIOp::create(nb, l, args[0],
                                                         base64)
                                .getResult();
                          });
}

func::FuncOp mlir::llmos::lowering::runtimeFunction(OpBuilder &b,
                                                    Operation *anchor,
                                                    StringRef name,
                                                    FunctionType type) {
  auto module = anchor->getParentOfType<ModuleOp>();
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  auto function = func::FuncOp::create(b, anchor->getLoc(), name, type);
  function.setPrivate();
  return function;
}

bool mlir::llmos::lowering::isStringTensor(Type type) {
  auto tensor = dyn_cast<TensorType>(type);
  return tensor && isa<StringType>(tensor.getElementType());
}

bool mlir::llmos::lowering::lowersOnStrings(Operation *op) {
  if (!llvm::any_of(op->getOperandTypes(), isStringTensor) &&
      !llvm::any_of(op->getResultTypes(), isStringTensor))
    return true;
  // String-aware lowerings, and ops that only move elements (a string is a
  // handle there). Any other would compare or compute with addresses.
  static const llvm::StringSet<> onStrings = {
      // String-aware.
      "llmos.cast", "llmos.cast_like", "llmos.equal", "llmos.constant",
      "llmos.string_normalizer", "llmos.string_concat", "llmos.string_split",
      "llmos.tf_idf_vectorizer", "llmos.regex_full_match",
      // Element movement and control flow.
      "llmos.compress", "llmos.concat", "llmos.depth_to_space",
      "llmos.expand", "llmos.flatten", "llmos.gather",
      "llmos.gather_elements", "llmos.gather_nd", "llmos.identity",
      "llmos.if", "llmos.loop", "llmos.reshape", "llmos.reverse_sequence",
      "llmos.scan", "llmos.scatter_elements", "llmos.scatter_nd",
      "llmos.shape", "llmos.size", "llmos.slice", "llmos.space_to_depth",
      "llmos.split", "llmos.squeeze", "llmos.tile", "llmos.transpose",
      "llmos.unsqueeze", "llmos.where", "llmos.yield",
      // Sequences: the runtime copies string tensors deeply.
      "llmos.concat_from_sequence", "llmos.optional",
      "llmos.optional_get_element", "llmos.sequence_at",
      "llmos.sequence_construct", "llmos.sequence_insert",
      "llmos.sequence_map", "llmos.split_to_sequence"};
  return onStrings.contains(op->getName().getStringRef());
}

Value mlir::llmos::lowering::lookupStrings(OpBuilder &b, Location loc,
                                           Operation *anchor, Value handles,
                                           ArrayRef<StringRef> table) {
  auto type = cast<RankedTensorType>(handles.getType());
  Value entries = stringConstant(
      b, loc, anchor,
      RankedTensorType::get({(int64_t)table.size()}, b.getI64Type()), table);
  Value output = allocLike(b, loc, type, getSizes(b, loc, handles));
  Type unrankedHandles = UnrankedMemRefType::get(b.getI64Type(), 0);
  func::FuncOp callee = runtimeFunction(
      b, anchor, "llmos_rt_string_lookup",
      b.getFunctionType({unrankedHandles, unrankedHandles, unrankedHandles},
                        {}));
  func::CallOp::create(b, loc, callee,
                       ValueRange{readBuffer(b, loc, handles),
                                  readBuffer(b, loc, entries),
                                  unranked(b, loc, output)});
  return asTensor(b, loc, output);
}

void mlir::llmos::lowering::populateStringPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<StringCastLowering<CastOp>, StringCastLowering<CastLikeOp>,
               StringNormalizerLowering, StringConcatLowering,
               StringEqualLowering, StringSplitLowering,
               RegexFullMatchLowering>(converter, patterns.getContext());
}
