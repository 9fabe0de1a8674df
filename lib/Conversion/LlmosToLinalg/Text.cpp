//===- Text.cpp - Lowering of TfIdfVectorizer ------------------------------===//
//
// This file lowers TfIdfVectorizer on integer tokens, and on strings
// through a run-time lookup of each token in the pool's distinct strings
// (Strings.cpp: tokens become their numbers, -1 when absent). The n-gram pool
// becomes constant tables (tokens padded to the longest n-gram, lengths,
// output indexes); scf loops over rows, skip distances, start positions and
// pool entries count each pool n-gram that occurs, then the mode weights the
// counts. Counting follows the ONNX reference: n-grams of n tokens spaced
// by a skip distance d (1 .. max_skip_count + 1) are counted for n between
// min_gram_length and max_gram_length, unigrams only at d = 1. Cost:
// rows x (max_skip_count + 1) x tokens x pool entries token comparisons.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "llmos/Dialect/Llmos/IR/LlmosTypes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

/// One n-gram of the pool.
struct PoolEntry {
  SmallVector<int64_t> tokens;
  int64_t output;
};

/// The pool's n-grams, in pool order, with their output indexes; failure
/// when the attributes disagree.
FailureOr<SmallVector<PoolEntry>> readPool(TfIdfVectorizerOp op,
                                           ArrayRef<int64_t> pool) {
  ArrayRef<int64_t> counts = op.getNgramCounts();
  ArrayRef<int64_t> indexes = op.getNgramIndexes();
  SmallVector<PoolEntry> entries;
  for (size_t k = 0; k < counts.size(); ++k) {
    int64_t n = k + 1;
    int64_t begin = counts[k];
    int64_t end = k + 1 < counts.size() ? counts[k + 1] : (int64_t)pool.size();
    if (begin < 0 || end < begin || end > (int64_t)pool.size() ||
        (end - begin) % n != 0)
      return failure();
    for (int64_t at = begin; at < end; at += n)
      entries.push_back({SmallVector<int64_t>(pool.slice(at, n)), 0});
  }
  if (entries.size() != indexes.size())
    return failure();
  for (auto [entry, index] : llvm::zip(entries, indexes))
    entry.output = index;
  return entries;
}

// %y = llmos.tf_idf_vectorizer %x {pool_int64s, ...}
//   => constant pool tables; scf.for rows { scf.for skips { scf.for starts
//      { scf.for pool entries { compare tokens, count } } } }; weighting
struct TfIdfVectorizerLowering : public OpConversionPattern<TfIdfVectorizerOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TfIdfVectorizerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getY());
    Value input = adaptor.getX();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType || inputType.getRank() < 1 ||
        inputType.getRank() > 2 || type.getRank() != inputType.getRank() ||
        !isa<IntegerType>(inputType.getElementType()))
      return op.emitOpError("needs tokens of shape [C] or [N, C]");
    bool stringTokens =
        isa<StringType>(cast<TensorType>(op.getX().getType()).getElementType());
    // A string pool: each distinct pool string gets a number, and the
    // tokens are looked up in that list at run time (-1: not in the pool).
    SmallVector<int64_t> poolValues;
    if (std::optional<ArrayAttr> strings = op.getPoolStrings()) {
      if (!stringTokens)
        return op.emitOpError("has a string pool but integer tokens");
      SmallVector<StringRef> distinct;
      for (Attribute attr : *strings) {
        StringRef text = cast<StringAttr>(attr).getValue();
        auto *at = llvm::find(distinct, text);
        poolValues.push_back(at - distinct.begin());
        if (at == distinct.end())
          distinct.push_back(text);
      }
      input = lookupStrings(rewriter, op.getLoc(), op, input, distinct);
    } else if (std::optional<ArrayRef<int64_t>> ints = op.getPoolInt64s()) {
      if (stringTokens)
        return op.emitOpError("has an integer pool but string tokens");
      poolValues.assign(ints->begin(), ints->end());
    } else {
      return op.emitOpError("needs pool_int64s or pool_strings");
    }
    FailureOr<SmallVector<PoolEntry>> pool = readPool(op, poolValues);
    if (failed(pool))
      return op.emitOpError("ngram_counts, ngram_indexes and the pool "
                            "disagree");
    Location loc = op.getLoc();
    int64_t entries = pool->size(), longest = 1;
    for (const PoolEntry &entry : *pool)
      longest = std::max<int64_t>(longest, entry.tokens.size());
    int64_t minGram = op.getMinGramLength(), maxGram = op.getMaxGramLength();
    int64_t maxSkip = std::max<int64_t>(0, op.getMaxSkipCount());

    // Constant tables: tokens [entries, longest], lengths, output indexes.
    Type i64 = rewriter.getI64Type();
    SmallVector<int64_t> tokens, lengths, outputs;
    for (const PoolEntry &entry : *pool) {
      for (int64_t t = 0; t < longest; ++t)
        tokens.push_back(t < (int64_t)entry.tokens.size() ? entry.tokens[t] : 0);
      lengths.push_back(entry.tokens.size());
      outputs.push_back(entry.output);
    }
    auto table = [&](ArrayRef<int64_t> values, ArrayRef<int64_t> shape) {
      auto tableType = RankedTensorType::get(shape, i64);
      return arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(tableType, values));
    };
    Value tokenTable = table(tokens, {entries, longest});
    Value lengthTable = table(lengths, {entries});
    Value outputTable = table(outputs, {entries});

    bool batched = inputType.getRank() == 2;
    Value rows = batched ? getDimSize(rewriter, loc, input, 0)
                         : indexConstant(rewriter, loc, 1);
    Value columns = getDimSize(rewriter, loc, input, inputType.getRank() - 1);
    // The output size: the type's, else one past the largest index.
    int64_t width = type.getDimSize(type.getRank() - 1);
    if (ShapedType::isDynamic(width)) {
      width = 0;
      for (int64_t o : outputs)
        width = std::max(width, o + 1);
    }
    for (int64_t o : outputs)
      if (o < 0 || o >= width)
        return op.emitOpError("ngram index ") << o << " is outside the output";
    Value outSize = indexConstant(rewriter, loc, width);
    int64_t dyn = ShapedType::kDynamic;
    auto countsType = RankedTensorType::get({dyn, dyn}, rewriter.getF32Type());
    Value zero = scalarConstant(rewriter, loc, rewriter.getF32Type(), 0);
    Value counts = linalg::FillOp::create(
                       rewriter, loc, zero,
                       createEmpty(rewriter, loc, countsType, {rows, outSize}))
                       .getResult(0);
    Value c0 = indexConstant(rewriter, loc, 0), c1 = indexConstant(rewriter, loc, 1);
    auto token = [&](OpBuilder &b, Location l, Value row, Value column) -> Value {
      Value v = batched ? tensor::ExtractOp::create(b, l, input,
                                                    ValueRange{row, column})
                        : tensor::ExtractOp::create(b, l, input,
                                                    ValueRange{column});
      return convertScalar(b, l, v, i64, false, false);
    };

    auto perRow = scf::ForOp::create(
        rewriter, loc, c0, rows, c1, ValueRange{counts},
        [&](OpBuilder &b, Location l, Value row, ValueRange rowAcc) {
          auto perSkip = scf::ForOp::create(
              b, l, c1, indexConstant(b, l, maxSkip + 2), c1, rowAcc,
              [&](OpBuilder &b, Location l, Value distance, ValueRange skipAcc) {
                // Unigrams count only once, at distance 1.
                Value smallest = indexConstant(b, l, minGram);
                if (minGram <= 1)
                  smallest = arith::SelectOp::create(
                      b, l,
                      arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                            distance, c1),
                      indexConstant(b, l, 1), indexConstant(b, l, 2));
                auto perStart = scf::ForOp::create(
                    b, l, c0, columns, c1, skipAcc,
                    [&](OpBuilder &b, Location l, Value start, ValueRange acc) {
                      auto perEntry = scf::ForOp::create(
                          b, l, c0, indexConstant(b, l, entries), c1, acc,
                          [&](OpBuilder &b, Location l, Value g,
                              ValueRange entryAcc) {
                            Value n = toIndex(b, l,
                                              tensor::ExtractOp::create(
                                                  b, l, lengthTable, ValueRange{g}));
                            Value lastToken = indexAdd(
                                b, l, start,
                                indexMul(b, l, distance, indexSub(b, l, n, c1)));
                            Value eligible = arith::AndIOp::create(
                                b, l,
                                arith::AndIOp::create(
                                    b, l,
                                    arith::CmpIOp::create(
                                        b, l, arith::CmpIPredicate::sge, n, smallest),
                                    arith::CmpIOp::create(
                                        b, l, arith::CmpIPredicate::sle, n,
                                        indexConstant(b, l, maxGram))),
                                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                                      lastToken, columns));
                            auto count = scf::IfOp::create(
                                b, l, eligible,
                                [&](OpBuilder &b, Location l) {
                                  Value yes = arith::ConstantIntOp::create(
                                      b, l, b.getI1Type(), 1);
                                  auto compare = scf::ForOp::create(
                                      b, l, c0, n, c1, ValueRange{yes},
                                      [&](OpBuilder &b, Location l, Value k,
                                          ValueRange same) {
                                        Value column = indexAdd(
                                            b, l, start, indexMul(b, l, distance, k));
                                        Value expected = tensor::ExtractOp::create(
                                            b, l, tokenTable, ValueRange{g, k});
                                        Value equal = arith::CmpIOp::create(
                                            b, l, arith::CmpIPredicate::eq,
                                            token(b, l, row, column), expected);
                                        Value all =
                                            arith::AndIOp::create(b, l, same[0], equal);
                                        scf::YieldOp::create(b, l, all);
                                      });
                                  Value slot = toIndex(
                                      b, l, tensor::ExtractOp::create(
                                                b, l, outputTable, ValueRange{g}));
                                  Value old = tensor::ExtractOp::create(
                                      b, l, entryAcc[0], ValueRange{row, slot});
                                  Value one = scalarConstant(b, l, old.getType(), 1);
                                  Value bumped = arith::SelectOp::create(
                                      b, l, compare.getResult(0),
                                      addV(b, l, old, one), old);
                                  Value updated = tensor::InsertOp::create(
                                      b, l, bumped, entryAcc[0], ValueRange{row, slot});
                                  scf::YieldOp::create(b, l, updated);
                                },
                                [&](OpBuilder &b, Location l) {
                                  scf::YieldOp::create(b, l, entryAcc);
                                });
                            scf::YieldOp::create(b, l, count.getResults());
                          });
                      scf::YieldOp::create(b, l, perEntry.getResults());
                    });
                scf::YieldOp::create(b, l, perStart.getResults());
              });
          scf::YieldOp::create(b, l, perSkip.getResults());
        });
    Value result = perRow.getResult(0);

    // Weighting: TF keeps the counts; IDF gives present n-grams their
    // weight (or 1); TFIDF multiplies counts by the weights (indexed by
    // output position, as the reference does).
    StringRef mode = op.getMode();
    std::optional<ArrayRef<float>> weights = op.getWeights();
    if (mode != "TF") {
      Value weightTable;
      if (weights && !weights->empty()) {
        auto weightType = RankedTensorType::get(
            {(int64_t)weights->size()}, rewriter.getF32Type());
        weightTable = arith::ConstantOp::create(
            rewriter, loc, DenseElementsAttr::get(weightType, *weights));
      }
      int64_t numWeights = weights ? weights->size() : 0;
      result = buildIndexedGeneric(
          rewriter, loc, countsType, {rows, outSize}, ValueRange{result},
          {rewriter.getMultiDimIdentityMap(2)},
          [&](OpBuilder &b, Location l, ValueRange at, ValueRange args) -> Value {
            Value f0 = scalarConstant(b, l, b.getF32Type(), 0);
            Value weight = scalarConstant(b, l, b.getF32Type(), 1);
            if (weightTable) {
              Value w = indexMin(b, l, at[1], indexConstant(b, l, numWeights - 1));
              weight = tensor::ExtractOp::create(b, l, weightTable, ValueRange{w});
            }
            if (mode == "IDF") {
              Value present = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT,
                                                    args[0], f0);
              return arith::SelectOp::create(b, l, present, weight, f0);
            }
            return mulV(b, l, args[0], weight);
          });
    }
    SmallVector<OpFoldResult> outSizes;
    if (batched)
      outSizes.push_back(rows);
    outSizes.push_back(outSize);
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, result, type, outSizes));
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateTextPatterns(TypeConverter &converter,
                                                 RewritePatternSet &patterns) {
  patterns.add<TfIdfVectorizerLowering>(converter, patterns.getContext());
}
