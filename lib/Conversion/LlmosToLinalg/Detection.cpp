//===- Detection.cpp - Lowering of NonMaxSuppression ----------------------===//
//
// This file lowers NonMaxSuppression (opsets 10 and 11) to scf loops over
// batches and classes. Per class, boxes are taken in order of decreasing
// score (ties: the lower box index first) among those above the score
// threshold; a box is kept unless its IoU with a box already kept for the
// class exceeds the IoU threshold, until max_output_boxes_per_class are
// kept. Each step finds the best remaining box by a scan, so a class costs
// O(boxes^2) at worst and needs no sort. The kept triples (batch, class,
// box) go to a buffer sized for the worst case, sliced to the count kept.
// The IoU rule follows the ONNX reference (and ONNX Runtime): boxes with no
// area or no overlap never suppress.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

/// The corners (y1, x1, y2, x2), min before max, of box `i` of image `b`.
SmallVector<Value> corners(OpBuilder &b, Location loc, Value boxes, Value batch,
                           Value i, bool centerPoint) {
  SmallVector<Value> v;
  for (int64_t k = 0; k < 4; ++k)
    v.push_back(tensor::ExtractOp::create(
        b, loc, boxes, ValueRange{batch, i, indexConstant(b, loc, k)}));
  auto min = [&](Value x, Value y) { return arith::MinimumFOp::create(b, loc, x, y); };
  auto max = [&](Value x, Value y) { return arith::MaximumFOp::create(b, loc, x, y); };
  if (centerPoint) { // [x_center, y_center, width, height]
    Value half = scalarConstant(b, loc, v[0].getType(), 0.5);
    Value halfW = mulV(b, loc, v[2], half), halfH = mulV(b, loc, v[3], half);
    return {subV(b, loc, v[1], halfH), subV(b, loc, v[0], halfW),
            addV(b, loc, v[1], halfH), addV(b, loc, v[0], halfW)};
  }
  return {min(v[0], v[2]), min(v[1], v[3]), max(v[0], v[2]), max(v[1], v[3])};
}

/// Whether box `i` suppresses box `j` (or the reverse): IoU > threshold.
Value suppresses(OpBuilder &b, Location loc, Value boxes, Value batch, Value i,
                 Value j, Value threshold, bool centerPoint) {
  SmallVector<Value> p = corners(b, loc, boxes, batch, i, centerPoint);
  SmallVector<Value> q = corners(b, loc, boxes, batch, j, centerPoint);
  auto max = [&](Value x, Value y) { return arith::MaximumFOp::create(b, loc, x, y); };
  auto min = [&](Value x, Value y) { return arith::MinimumFOp::create(b, loc, x, y); };
  auto gt = [&](Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, y);
  };
  Value zero = scalarConstant(b, loc, threshold.getType(), 0);
  Value height = subV(b, loc, min(p[2], q[2]), max(p[0], q[0]));
  Value width = subV(b, loc, min(p[3], q[3]), max(p[1], q[1]));
  Value intersection = mulV(b, loc, height, width);
  Value areaP = mulV(b, loc, subV(b, loc, p[2], p[0]), subV(b, loc, p[3], p[1]));
  Value areaQ = mulV(b, loc, subV(b, loc, q[2], q[0]), subV(b, loc, q[3], q[1]));
  Value unionArea = subV(b, loc, addV(b, loc, areaP, areaQ), intersection);
  Value valid = arith::AndIOp::create(
      b, loc,
      arith::AndIOp::create(b, loc, gt(height, zero), gt(width, zero)),
      arith::AndIOp::create(
          b, loc, arith::AndIOp::create(b, loc, gt(areaP, zero), gt(areaQ, zero)),
          gt(unionArea, zero)));
  Value iou = arith::DivFOp::create(b, loc, intersection, unionArea);
  return arith::AndIOp::create(b, loc, valid, gt(iou, threshold));
}

// %sel = llmos.non_max_suppression %boxes, %scores ...
//   => scf.for batch { scf.for class { greedy selection } }, then
//      tensor.extract_slice of the [count, 3] rows kept
struct NonMaxSuppressionLowering
    : public OpConversionPattern<NonMaxSuppressionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(NonMaxSuppressionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getSelectedIndices());
    Value boxes = adaptor.getBoxes(), scores = adaptor.getScores();
    auto boxesType = dyn_cast<RankedTensorType>(boxes.getType());
    auto scoresType = dyn_cast<RankedTensorType>(scores.getType());
    if (!type || type.getRank() != 2 || !boxesType || !scoresType ||
        boxesType.getRank() != 3 || scoresType.getRank() != 3)
      return op.emitOpError("needs [batches, boxes, 4] boxes and [batches, "
                            "classes, boxes] scores");
    Location loc = op.getLoc();
    bool centerPoint = op.getCenterPointBox() != 0;
    Type f = boxesType.getElementType();
    Type i64 = rewriter.getI64Type();
    Value c0 = indexConstant(rewriter, loc, 0), c1 = indexConstant(rewriter, loc, 1);
    // ONNX requires equal batch and box counts in both inputs; dynamic dims
    // are not checked at run time, so the loops take the smaller of each
    // and never read past either tensor.
    Value batches = indexMin(rewriter, loc, getDimSize(rewriter, loc, boxes, 0),
                             getDimSize(rewriter, loc, scores, 0));
    Value numBoxes = indexMin(rewriter, loc,
                              getDimSize(rewriter, loc, boxes, 1),
                              getDimSize(rewriter, loc, scores, 2));
    Value classes = getDimSize(rewriter, loc, scores, 1);
    // Operands left out: no box kept, IoU threshold 0, no score threshold.
    Value maxPerClass = c0;
    if (Value max = adaptor.getMaxOutputBoxesPerClass())
      maxPerClass = indexClamp(rewriter, loc, toIndex(rewriter, loc,
                                                     extractScalar(rewriter, loc, max, 0)),
                               c0, numBoxes);
    Value iouThreshold = scalarConstant(rewriter, loc, f, 0);
    if (Value iou = adaptor.getIouThreshold())
      iouThreshold = extractScalar(rewriter, loc, iou, 0);
    Value scoreThreshold = adaptor.getScoreThreshold()
                               ? extractScalar(rewriter, loc,
                                               adaptor.getScoreThreshold(), 0)
                               : Value();

    Value capacity = indexMul(rewriter, loc, indexMul(rewriter, loc, batches, classes),
                              maxPerClass);
    int64_t dyn = ShapedType::kDynamic;
    auto rowsType = RankedTensorType::get({dyn, 3}, i64);
    Value rows = createEmpty(rewriter, loc, rowsType,
                             {capacity, rewriter.getIndexAttr(3)});
    auto maskType = RankedTensorType::get({dyn}, rewriter.getI1Type());

    auto perBatch = scf::ForOp::create(
        rewriter, loc, c0, batches, c1, ValueRange{rows, c0},
        [&](OpBuilder &b, Location l, Value batch, ValueRange batchArgs) {
          auto perClass = scf::ForOp::create(
              b, l, c0, classes, c1, batchArgs,
              [&](OpBuilder &b, Location l, Value cls, ValueRange classArgs) {
                Value classStart = classArgs[1];
                Value falseV = arith::ConstantIntOp::create(b, l, b.getI1Type(), 0);
                Value trueV = arith::ConstantIntOp::create(b, l, b.getI1Type(), 1);
                Value taken =
                    linalg::FillOp::create(b, l, falseV,
                                           createEmpty(b, l, maskType, {numBoxes}))
                        .getResult(0);
                Value doneAtStart = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::eq, maxPerClass, c0);
                // One box considered per step: (rows, count, kept, taken, done).
                auto steps = scf::ForOp::create(
                    b, l, c0, numBoxes, c1,
                    ValueRange{classArgs[0], classArgs[1], c0, taken, doneAtStart},
                    [&](OpBuilder &b, Location l, Value, ValueRange s) {
                      auto step = scf::IfOp::create(
                          b, l, s[4],
                          [&](OpBuilder &b, Location l) {
                            scf::YieldOp::create(b, l, s);
                          },
                          [&](OpBuilder &b, Location l) {
                            // The best remaining candidate.
                            Value lowest = lowestValue(b, l, f);
                            auto scan = scf::ForOp::create(
                                b, l, c0, numBoxes, c1,
                                ValueRange{c0, lowest, falseV},
                                [&](OpBuilder &b, Location l, Value i,
                                    ValueRange best) {
                                  Value score = tensor::ExtractOp::create(
                                      b, l, scores, ValueRange{batch, cls, i});
                                  Value used = tensor::ExtractOp::create(
                                      b, l, s[3], ValueRange{i});
                                  Value eligible = arith::XOrIOp::create(
                                      b, l, used, trueV);
                                  if (scoreThreshold)
                                    eligible = arith::AndIOp::create(
                                        b, l, eligible,
                                        arith::CmpFOp::create(
                                            b, l, arith::CmpFPredicate::OGT,
                                            score, scoreThreshold));
                                  Value better = arith::OrIOp::create(
                                      b, l, arith::XOrIOp::create(b, l, best[2], trueV),
                                      arith::CmpFOp::create(
                                          b, l, arith::CmpFPredicate::OGT, score,
                                          best[1]));
                                  Value pick = arith::AndIOp::create(b, l, eligible,
                                                                     better);
                                  scf::YieldOp::create(
                                      b, l,
                                      ValueRange{
                                          arith::SelectOp::create(b, l, pick, i, best[0]),
                                          arith::SelectOp::create(b, l, pick, score,
                                                                  best[1]),
                                          arith::OrIOp::create(b, l, best[2], pick)});
                                });
                            Value found = scan.getResult(2);
                            auto consider = scf::IfOp::create(
                                b, l, found,
                                [&](OpBuilder &b, Location l) {
                                  Value box = scan.getResult(0);
                                  Value nowTaken = tensor::InsertOp::create(
                                      b, l, trueV, s[3], ValueRange{box});
                                  // Suppressed by a box kept for this class?
                                  auto check = scf::ForOp::create(
                                      b, l, classStart, s[1], c1, ValueRange{falseV},
                                      [&](OpBuilder &b, Location l, Value r,
                                          ValueRange hit) {
                                        Value other = toIndex(
                                            b, l,
                                            tensor::ExtractOp::create(
                                                b, l, s[0],
                                                ValueRange{r, indexConstant(b, l, 2)}));
                                        Value sup = suppresses(b, l, boxes, batch, box,
                                                               other, iouThreshold,
                                                               centerPoint);
                                        Value any =
                                            arith::OrIOp::create(b, l, hit[0], sup);
                                        scf::YieldOp::create(b, l, any);
                                      });
                                  Value keep = arith::XOrIOp::create(
                                      b, l, check.getResult(0), trueV);
                                  auto append = scf::IfOp::create(
                                      b, l, keep,
                                      [&](OpBuilder &b, Location l) {
                                        Value out = s[0];
                                        Value triple[3] = {batch, cls, box};
                                        for (int64_t k = 0; k < 3; ++k)
                                          out = tensor::InsertOp::create(
                                              b, l,
                                              arith::IndexCastOp::create(b, l, i64,
                                                                         triple[k]),
                                              out,
                                              ValueRange{s[1], indexConstant(b, l, k)});
                                        scf::YieldOp::create(
                                            b, l,
                                            ValueRange{out, indexAdd(b, l, s[1], c1),
                                                       indexAdd(b, l, s[2], c1)});
                                      },
                                      [&](OpBuilder &b, Location l) {
                                        scf::YieldOp::create(
                                            b, l, ValueRange{s[0], s[1], s[2]});
                                      });
                                  Value kept = append.getResult(2);
                                  Value full = arith::CmpIOp::create(
                                      b, l, arith::CmpIPredicate::sge, kept,
                                      maxPerClass);
                                  scf::YieldOp::create(
                                      b, l,
                                      ValueRange{append.getResult(0),
                                                 append.getResult(1), kept, nowTaken,
                                                 full});
                                },
                                [&](OpBuilder &b, Location l) {
                                  scf::YieldOp::create(
                                      b, l, ValueRange{s[0], s[1], s[2], s[3], trueV});
                                });
                            scf::YieldOp::create(b, l, consider.getResults());
                          });
                      scf::YieldOp::create(b, l, step.getResults());
                    });
                scf::YieldOp::create(
                    b, l, ValueRange{steps.getResult(0), steps.getResult(1)});
              });
          scf::YieldOp::create(b, l, perClass.getResults());
        });
    Value count = perBatch.getResult(1);
    Value result = tensor::ExtractSliceOp::create(
        rewriter, loc, rowsType, perBatch.getResult(0),
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0), rewriter.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{count, rewriter.getIndexAttr(3)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1), rewriter.getIndexAttr(1)});
    rewriter.replaceOp(op, castTo(rewriter, loc, result, type));
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateDetectionPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<NonMaxSuppressionLowering>(converter, patterns.getContext());
}
