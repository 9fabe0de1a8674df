//===- Recurrent.cpp - Lowering of RNN, GRU and LSTM -----------------------===//
//
// This file lowers the recurrent ops. Each direction is an scf.for over the
// time steps that carries the hidden state (and the LSTM cell state) and
// the Y tensor being filled. A step gathers x_t, computes the gate
// pre-activations with two contractions (x_t W^T and h R^T, plus GRU's
// (r * h) R_h^T when linear_before_reset is 0), and one elementwise
// generic per state. With sequence_lens, each batch entry stops at its own
// length: its state stops changing, Y past it stays zero, and a reverse
// direction starts from its last valid step. Both layouts are handled when
// reading X and writing the outputs.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

enum class Cell { RNN, GRU, LSTM };

struct Activation {
  std::string name; // lower case
  double alpha = 0, beta = 0;
};

/// The activations of each direction, with their alpha/beta consumed in
/// order by the functions that take them; defaults per the ONNX spec.
FailureOr<SmallVector<Activation>>
parseActivations(Operation *op, std::optional<ArrayAttr> names,
                 std::optional<ArrayRef<float>> alphas,
                 std::optional<ArrayRef<float>> betas,
                 ArrayRef<StringRef> defaults, int64_t directions) {
  SmallVector<std::string> list;
  if (names && !names->empty()) {
    for (Attribute name : *names)
      list.push_back(cast<StringAttr>(name).getValue().lower());
  } else {
    for (int64_t d = 0; d < directions; ++d)
      for (StringRef name : defaults)
        list.push_back(name.lower());
  }
  size_t perDirection = defaults.size();
  if (list.size() == perDirection && directions == 2)
    list.append(SmallVector<std::string>(list)); // one list for both
  if (list.size() != perDirection * directions)
    return op->emitOpError() << "expects " << perDirection * directions
                             << " activations, got " << list.size();
  size_t nextAlpha = 0, nextBeta = 0;
  SmallVector<Activation> result;
  for (const std::string &name : list) {
    Activation act;
    act.name = name;
    bool usesAlpha = false, usesBeta = false;
    if (name == "leakyrelu") {
      act.alpha = 0.01;
      usesAlpha = true;
    } else if (name == "thresholdedrelu" || name == "elu") {
      act.alpha = 1.0;
      usesAlpha = true;
    } else if (name == "scaledtanh" || name == "affine") {
      act.alpha = 1.0;
      act.beta = name == "affine" ? 0.0 : 1.0;
      usesAlpha = usesBeta = true;
    } else if (name == "hardsigmoid") {
      act.alpha = 0.2;
      act.beta = 0.5;
      usesAlpha = usesBeta = true;
    } else if (name != "relu" && name != "tanh" && name != "sigmoid" &&
               name != "softsign" && name != "softplus") {
      return op->emitOpError() << "unknown activation '" << name << "'";
    }
    if (usesAlpha && alphas && nextAlpha < alphas->size())
      act.alpha = (*alphas)[nextAlpha++];
    if (usesBeta && betas && nextBeta < betas->size())
      act.beta = (*betas)[nextBeta++];
    result.push_back(act);
  }
  return result;
}

Value applyActivation(OpBuilder &b, Location loc, const Activation &act,
                      Value x) {
  Type t = x.getType();
  auto c = [&](double v) { return scalarConstant(b, loc, t, v); };
  auto lt0 = [&]() -> Value {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, c(0));
  };
  const std::string &n = act.name;
  if (n == "relu")
    return maxV(b, loc, x, c(0), false);
  if (n == "tanh")
    return math::TanhOp::create(b, loc, x);
  if (n == "sigmoid")
    return arith::DivFOp::create(
        b, loc, c(1),
        addV(b, loc, c(1),
             math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x))));
  if (n == "affine")
    return addV(b, loc, mulV(b, loc, c(act.alpha), x), c(act.beta));
  if (n == "leakyrelu")
    return arith::SelectOp::create(b, loc, lt0(), mulV(b, loc, c(act.alpha), x),
                                   x);
  if (n == "thresholdedrelu")
    return arith::SelectOp::create(
        b, loc,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                              c(act.alpha)),
        x, c(0));
  if (n == "scaledtanh")
    return mulV(b, loc, c(act.alpha),
                math::TanhOp::create(b, loc, mulV(b, loc, c(act.beta), x)));
  if (n == "hardsigmoid")
    return maxV(b, loc, c(0),
                minV(b, loc, c(1),
                     addV(b, loc, mulV(b, loc, c(act.alpha), x), c(act.beta)),
                     false),
                false);
  if (n == "elu")
    return arith::SelectOp::create(
        b, loc, lt0(),
        mulV(b, loc, c(act.alpha),
             subV(b, loc, math::ExpOp::create(b, loc, x), c(1))),
        x);
  if (n == "softsign")
    return arith::DivFOp::create(
        b, loc, x, addV(b, loc, c(1), math::AbsFOp::create(b, loc, x)));
  // softplus
  return math::LogOp::create(
      b, loc, addV(b, loc, c(1), math::ExpOp::create(b, loc, x)));
}

/// out[b, n] = sum_k x[b, k] * w[n, k].
Value contractTransposed(OpBuilder &b, Location loc, Value x, Value w) {
  MLIRContext *context = b.getContext();
  Type element = elementTypeOf(x);
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  auto type = RankedTensorType::get({xType.getDimSize(0), wType.getDimSize(0)},
                                    element);
  SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, x, 0),
                                  tensor::getMixedSize(b, loc, w, 0)};
  Value init = linalg::FillOp::create(b, loc, scalarConstant(b, loc, element, 0),
                                      createEmpty(b, loc, type, sizes))
                   .getResult(0);
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  SmallVector<AffineMap> maps{AffineMap::get(3, 0, {d(0), d(2)}, context),
                              AffineMap::get(3, 0, {d(1), d(2)}, context),
                              AffineMap::get(3, 0, {d(0), d(1)}, context)};
  SmallVector<utils::IteratorType> iterators{utils::IteratorType::parallel,
                                             utils::IteratorType::parallel,
                                             utils::IteratorType::reduction};
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{x, w}, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(
                   nb, l, addV(nb, l, args[2], mulV(nb, l, args[0], args[1])));
             })
      .getResult(0);
}

/// Everything one recurrent op needs, independent of the cell kind.
struct Recurrence {
  Cell cell;
  int64_t gates;
  Value x, w, r, bias, seqLens, initialH, initialC, peepholes;
  SmallVector<Activation> activations; // per direction, concatenated
  std::optional<double> clip;
  bool linearBeforeReset = false, inputForget = false;
  int64_t layout = 0;
  StringRef direction;
  /// The hidden_size attribute, when the model gives it.
  std::optional<int64_t> hiddenSize;
  RankedTensorType yType, yhType, ycType;
};

/// A copy of `source[d]` (dropping the leading dim): [d, rest...] -> [rest...].
Value selectDirection(OpBuilder &b, Location loc, Value source, int64_t d) {
  auto type = cast<RankedTensorType>(source.getType());
  auto resultType = RankedTensorType::get(type.getShape().drop_front(),
                                          type.getElementType());
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, source);
  sizes.erase(sizes.begin());
  Value dIndex = indexConstant(b, loc, d);
  return buildIndexedGeneric(
      b, loc, resultType, sizes, {}, {},
      [&](OpBuilder &nb, Location l, ValueRange at, ValueRange) -> Value {
        SmallVector<Value> position{dIndex};
        llvm::append_range(position, at);
        return tensor::ExtractOp::create(nb, l, source, position);
      });
}

/// Lowers a recurrent op; returns {Y, Y_h, Y_c (LSTM only)}.
FailureOr<SmallVector<Value>> lowerRecurrence(OpBuilder &b, Location loc,
                                              Operation *op,
                                              const Recurrence &rec) {
  auto xType = cast<RankedTensorType>(rec.x.getType());
  auto wType = cast<RankedTensorType>(rec.w.getType());
  Value recurrentWeights = rec.r;
  auto rType = cast<RankedTensorType>(recurrentWeights.getType());
  if (xType.getRank() != 3 || wType.getRank() != 3 || rType.getRank() != 3)
    return op->emitOpError("X, W and R must have rank 3");
  Type f = xType.getElementType();
  int64_t hidden = rType.getDimSize(2);
  if (ShapedType::isDynamic(hidden)) {
    // Weights of dynamic shape (run-time inputs): the hidden_size
    // attribute gives R's dims, which the cell loops need as constants.
    if (!rec.hiddenSize || *rec.hiddenSize <= 0)
      return op->emitOpError(
          "needs the hidden_size attribute when R's dims are dynamic");
    hidden = *rec.hiddenSize;
    rType = RankedTensorType::get({rType.getDimSize(0), rec.gates * hidden,
                                   hidden},
                                  rType.getElementType());
    recurrentWeights = tensor::CastOp::create(b, loc, rType, recurrentWeights);
  }
  int64_t directions = rec.direction == "bidirectional" ? 2 : 1;
  int64_t g = rec.gates;
  bool batchFirst = rec.layout != 0;
  Value seqSize = getDimSize(b, loc, rec.x, batchFirst ? 1 : 0);
  Value batchSize = getDimSize(b, loc, rec.x, batchFirst ? 0 : 1);
  Value zeroIdx = indexConstant(b, loc, 0), oneIdx = indexConstant(b, loc, 1);
  int64_t staticBatch = xType.getDimSize(batchFirst ? 0 : 1);
  auto stateType = RankedTensorType::get({staticBatch, hidden}, f);
  OpFoldResult batch = ShapedType::isDynamic(staticBatch)
                           ? OpFoldResult(batchSize)
                           : OpFoldResult(b.getIndexAttr(staticBatch));
  SmallVector<OpFoldResult> stateSizes{batch, b.getIndexAttr(hidden)};
  auto zerosOf = [&](RankedTensorType type, ArrayRef<OpFoldResult> sizes) {
    return linalg::FillOp::create(b, loc, scalarConstant(b, loc, f, 0),
                                  createEmpty(b, loc, type, sizes))
        .getResult(0);
  };
  auto dimsOf = [&](RankedTensorType type, ArrayRef<Value> dynamic) {
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      sizes.push_back(type.isDynamicDim(d) ? OpFoldResult(dynamic[d])
                                           : b.getIndexAttr(type.getDimSize(d)));
    return sizes;
  };
  Value dirsIdx = indexConstant(b, loc, directions);
  Value hiddenIdx = indexConstant(b, loc, hidden);
  SmallVector<Value> yDims =
      batchFirst ? SmallVector<Value>{batchSize, seqSize, dirsIdx, hiddenIdx}
                 : SmallVector<Value>{seqSize, dirsIdx, batchSize, hiddenIdx};
  SmallVector<Value> hDims =
      batchFirst ? SmallVector<Value>{batchSize, dirsIdx, hiddenIdx}
                 : SmallVector<Value>{dirsIdx, batchSize, hiddenIdx};
  Value y = zerosOf(rec.yType, dimsOf(rec.yType, yDims));
  Value yh = zerosOf(rec.yhType, dimsOf(rec.yhType, hDims));
  Value yc = rec.ycType ? zerosOf(rec.ycType, dimsOf(rec.ycType, hDims))
                        : Value();
  size_t actsPerDirection = rec.activations.size() / directions;

  for (int64_t d = 0; d < directions; ++d) {
    bool reverse = rec.direction == "reverse" || d == 1;
    ArrayRef<Activation> acts =
        ArrayRef(rec.activations).slice(d * actsPerDirection, actsPerDirection);
    Value wd = selectDirection(b, loc, rec.w, d);
    Value rd = selectDirection(b, loc, recurrentWeights, d);
    Value bd = rec.bias ? selectDirection(b, loc, rec.bias, d) : Value();
    Value pd = rec.peepholes ? selectDirection(b, loc, rec.peepholes, d)
                             : Value();
    Value h0 = rec.initialH ? castTo(b, loc,
                                     selectDirection(b, loc, rec.initialH, d),
                                     stateType)
                            : zerosOf(stateType, stateSizes);
    Value c0 = rec.cell == Cell::LSTM
                   ? (rec.initialC
                          ? castTo(b, loc,
                                   selectDirection(b, loc, rec.initialC, d),
                                   stateType)
                          : zerosOf(stateType, stateSizes))
                   : Value();
    // GRU with linear_before_reset = 0 multiplies (r * h) by R_h alone.
    Value rHidden;
    if (rec.cell == Cell::GRU && !rec.linearBeforeReset) {
      auto rhType = RankedTensorType::get({hidden, hidden}, f);
      rHidden = tensor::ExtractSliceOp::create(
          b, loc, rhType, rd,
          ArrayRef<OpFoldResult>{b.getIndexAttr(2 * hidden), b.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(hidden), b.getIndexAttr(hidden)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
    }

    SmallVector<Value> inits{h0, y};
    if (c0)
      inits.push_back(c0);
    auto loop = scf::ForOp::create(
        b, loc, zeroIdx, seqSize, oneIdx, inits,
        [&](OpBuilder &lb, Location l, Value t, ValueRange carried) {
          Value h = carried[0], yAcc = carried[1];
          Value c = c0 ? carried[2] : Value();
          // The length and time index of batch entry `bi`.
          auto lengthOf = [&](OpBuilder &nb, Value bi) -> Value {
            if (!rec.seqLens)
              return seqSize;
            Value len = toIndex(
                nb, l, tensor::ExtractOp::create(nb, l, rec.seqLens, bi));
            return indexClamp(nb, l, len, zeroIdx, seqSize);
          };
          auto timeOf = [&](OpBuilder &nb, Value bi) -> Value {
            if (!reverse)
              return t;
            Value time = indexSub(nb, l, indexSub(nb, l, lengthOf(nb, bi), oneIdx), t);
            return indexMax(nb, l, time, zeroIdx);
          };
          auto validOf = [&](OpBuilder &nb, Value bi) -> Value {
            return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, t,
                                         lengthOf(nb, bi));
          };
          // x_t [batch, input].
          auto xtType = RankedTensorType::get(
              {staticBatch, xType.getDimSize(2)}, f);
          Value xt = buildIndexedGeneric(
              lb, l, xtType,
              {batch, tensor::getMixedSize(lb, l, rec.x, 2)},
              {}, {},
              [&](OpBuilder &nb, Location ll, ValueRange at, ValueRange) -> Value {
                Value time = timeOf(nb, at[0]);
                SmallVector<Value> position =
                    batchFirst ? SmallVector<Value>{at[0], time, at[1]}
                               : SmallVector<Value>{time, at[0], at[1]};
                return tensor::ExtractOp::create(nb, ll, rec.x, position);
              });
          Value gx = contractTransposed(lb, l, xt, wd);
          Value gh = contractTransposed(lb, l, h, rd);
          // Per-gate reads: gate k, hidden unit j, batch entry bi.
          auto read = [&](OpBuilder &nb, Value tensor, Value bi, int64_t k,
                          Value j) -> Value {
            Value col = indexAdd(nb, l, indexConstant(nb, l, k * hidden), j);
            return tensor::ExtractOp::create(nb, l, tensor, ValueRange{bi, col});
          };
          auto biasAt = [&](OpBuilder &nb, int64_t offset, Value j) -> Value {
            if (!bd)
              return scalarConstant(nb, l, f, 0);
            Value col = indexAdd(nb, l, indexConstant(nb, l, offset * hidden), j);
            return tensor::ExtractOp::create(nb, l, bd, ValueRange{col});
          };
          auto clip = [&](OpBuilder &nb, Value v) -> Value {
            if (!rec.clip)
              return v;
            Value limit = scalarConstant(nb, l, f, *rec.clip);
            Value neg = scalarConstant(nb, l, f, -*rec.clip);
            return maxV(nb, l, minV(nb, l, v, limit, false), neg, false);
          };
          // Pre-activation of gate k (x and h parts and both biases).
          auto preact = [&](OpBuilder &nb, Value bi, Value j, int64_t k) {
            Value v = addV(nb, l, read(nb, gx, bi, k, j), read(nb, gh, bi, k, j));
            v = addV(nb, l, v, biasAt(nb, k, j));
            return addV(nb, l, v, biasAt(nb, g + k, j));
          };
          auto act = [&](OpBuilder &nb, size_t i, Value v) {
            return applyActivation(nb, l, acts[i], clip(nb, v));
          };
          auto identity = lb.getMultiDimIdentityMap(2);
          Value hNew, cNew;
          if (rec.cell == Cell::RNN) {
            hNew = buildIndexedGeneric(
                lb, l, stateType, stateSizes, {}, {},
                [&](OpBuilder &nb, Location, ValueRange at, ValueRange) {
                  return act(nb, 0, preact(nb, at[0], at[1], 0));
                });
          } else if (rec.cell == Cell::GRU) {
            // z = f(.. gate 0), r = f(.. gate 1), n = g(..), h' = (1-z) n + z h
            Value rh;
            if (rHidden) {
              Value rTimesH = buildIndexedGeneric(
                  lb, l, stateType, stateSizes, h, identity,
                  [&](OpBuilder &nb, Location, ValueRange at, ValueRange args) {
                    Value rGate = act(nb, 0, preact(nb, at[0], at[1], 1));
                    return mulV(nb, l, rGate, args[0]);
                  });
              rh = contractTransposed(lb, l, rTimesH, rHidden);
            }
            hNew = buildIndexedGeneric(
                lb, l, stateType, stateSizes, h, identity,
                [&](OpBuilder &nb, Location, ValueRange at, ValueRange args) {
                  Value bi = at[0], j = at[1];
                  Value z = act(nb, 0, preact(nb, bi, j, 0));
                  Value rGate = act(nb, 0, preact(nb, bi, j, 1));
                  Value xPart = addV(nb, l, read(nb, gx, bi, 2, j),
                                     biasAt(nb, 2, j));
                  Value hPart;
                  if (rh) {
                    hPart = addV(
                        nb, l,
                        tensor::ExtractOp::create(nb, l, rh, ValueRange{bi, j}),
                        biasAt(nb, g + 2, j));
                  } else {
                    hPart = mulV(nb, l, rGate,
                                 addV(nb, l, read(nb, gh, bi, 2, j),
                                      biasAt(nb, g + 2, j)));
                  }
                  Value n = act(nb, 1, addV(nb, l, xPart, hPart));
                  Value one = scalarConstant(nb, l, f, 1);
                  return addV(nb, l, mulV(nb, l, subV(nb, l, one, z), n),
                              mulV(nb, l, z, args[0]));
                });
          } else {
            // LSTM gates in W: i, o, f, c; peepholes: i, o, f.
            auto peep = [&](OpBuilder &nb, int64_t k, Value j, Value state) {
              if (!pd)
                return scalarConstant(nb, l, f, 0);
              Value col = indexAdd(nb, l, indexConstant(nb, l, k * hidden), j);
              Value p = tensor::ExtractOp::create(nb, l, pd, ValueRange{col});
              return mulV(nb, l, p, state);
            };
            cNew = buildIndexedGeneric(
                lb, l, stateType, stateSizes, c, identity,
                [&](OpBuilder &nb, Location, ValueRange at, ValueRange args) {
                  Value bi = at[0], j = at[1], cPrev = args[0];
                  Value i = act(nb, 0, addV(nb, l, preact(nb, bi, j, 0),
                                            peep(nb, 0, j, cPrev)));
                  Value fg =
                      rec.inputForget
                          ? subV(nb, l, scalarConstant(nb, l, f, 1), i)
                          : act(nb, 0, addV(nb, l, preact(nb, bi, j, 2),
                                            peep(nb, 2, j, cPrev)));
                  Value candidate = act(nb, 1, preact(nb, bi, j, 3));
                  return addV(nb, l, mulV(nb, l, fg, cPrev),
                              mulV(nb, l, i, candidate));
                });
            hNew = buildIndexedGeneric(
                lb, l, stateType, stateSizes, cNew, identity,
                [&](OpBuilder &nb, Location, ValueRange at, ValueRange args) {
                  Value bi = at[0], j = at[1];
                  Value o = act(nb, 0, addV(nb, l, preact(nb, bi, j, 1),
                                            peep(nb, 1, j, args[0])));
                  return mulV(nb, l, o, applyActivation(nb, l, acts[2], args[0]));
                });
          }
          // Entries past their length keep their state.
          auto keepValid = [&](Value next, Value prev) {
            if (!rec.seqLens)
              return next;
            return buildIndexedGeneric(
                lb, l, stateType, stateSizes, ValueRange{next, prev},
                {identity, identity},
                [&](OpBuilder &nb, Location, ValueRange at, ValueRange args) {
                  return arith::SelectOp::create(nb, l, validOf(nb, at[0]),
                                                 args[0], args[1])
                      .getResult();
                });
          };
          Value hNext = keepValid(hNew, h);
          Value cNext = c ? keepValid(cNew, c) : Value();

          // Y[time, d, :, :] = h' (per entry with sequence_lens).
          auto ySlice = [&](OpBuilder &nb, Value source, Value dest,
                            Value time, Value bi, OpFoldResult rows) {
            SmallVector<OpFoldResult> offsets, sizes;
            OpFoldResult one = nb.getIndexAttr(1);
            if (batchFirst) {
              offsets = {bi, time, nb.getIndexAttr(d), nb.getIndexAttr(0)};
              sizes = {rows, one, one, nb.getIndexAttr(hidden)};
            } else {
              offsets = {time, nb.getIndexAttr(d), bi, nb.getIndexAttr(0)};
              sizes = {one, one, rows, nb.getIndexAttr(hidden)};
            }
            SmallVector<OpFoldResult> strides(4, one);
            return tensor::InsertSliceOp::create(nb, l, source, dest, offsets,
                                                 sizes, strides)
                .getResult();
          };
          Value yNext;
          if (!rec.seqLens) {
            yNext = ySlice(lb, castTo(lb, l, hNew, stateType), yAcc,
                           timeOf(lb, zeroIdx), zeroIdx, batch);
          } else {
            auto rows = scf::ForOp::create(
                lb, l, zeroIdx, batchSize, oneIdx, ValueRange{yAcc},
                [&](OpBuilder &rb, Location rl, Value bi, ValueRange acc) {
                  auto ifOp = scf::IfOp::create(
                      rb, rl, validOf(rb, bi),
                      [&](OpBuilder &tb, Location tl) {
                        auto rowType = RankedTensorType::get({1, hidden}, f);
                        Value row = tensor::ExtractSliceOp::create(
                            tb, tl, rowType, hNew,
                            ArrayRef<OpFoldResult>{bi, tb.getIndexAttr(0)},
                            ArrayRef<OpFoldResult>{tb.getIndexAttr(1),
                                                   tb.getIndexAttr(hidden)},
                            ArrayRef<OpFoldResult>{tb.getIndexAttr(1),
                                                   tb.getIndexAttr(1)});
                        scf::YieldOp::create(
                            tb, tl,
                            ySlice(tb, row, acc[0], timeOf(tb, bi), bi,
                                   tb.getIndexAttr(1)));
                      },
                      [&](OpBuilder &eb, Location el) {
                        scf::YieldOp::create(eb, el, acc[0]);
                      });
                  scf::YieldOp::create(rb, rl, ifOp.getResult(0));
                });
            yNext = rows.getResult(0);
          }
          SmallVector<Value> yields{hNext, yNext};
          if (cNext)
            yields.push_back(cNext);
          scf::YieldOp::create(lb, l, yields);
        });
    y = loop.getResult(1);
    // Y_h[d] (and Y_c[d]) = the final state.
    auto insertState = [&](Value state, Value dest) {
      OpFoldResult one = b.getIndexAttr(1);
      SmallVector<OpFoldResult> offsets =
          batchFirst ? SmallVector<OpFoldResult>{b.getIndexAttr(0),
                                                 b.getIndexAttr(d),
                                                 b.getIndexAttr(0)}
                     : SmallVector<OpFoldResult>{b.getIndexAttr(d),
                                                 b.getIndexAttr(0),
                                                 b.getIndexAttr(0)};
      SmallVector<OpFoldResult> sizes =
          batchFirst ? SmallVector<OpFoldResult>{batch, one,
                                                 b.getIndexAttr(hidden)}
                     : SmallVector<OpFoldResult>{one, batch,
                                                 b.getIndexAttr(hidden)};
      SmallVector<OpFoldResult> strides(3, one);
      return tensor::InsertSliceOp::create(b, loc, state, dest, offsets, sizes,
                                           strides)
          .getResult();
    };
    yh = insertState(loop.getResult(0), yh);
    if (yc)
      yc = insertState(loop.getResult(2), yc);
  }
  SmallVector<Value> results{y, yh};
  if (yc)
    results.push_back(yc);
  return results;
}

template <typename OpTy>
Recurrence commonRecurrence(OpTy op, typename OpTy::Adaptor adaptor,
                            const TypeConverter &converter) {
  Recurrence rec;
  rec.x = adaptor.getX();
  rec.w = adaptor.getW();
  rec.r = adaptor.getR();
  rec.bias = adaptor.getB();
  rec.seqLens = adaptor.getSequenceLens();
  rec.initialH = adaptor.getInitialH();
  if (FloatAttr clip = op.getClipAttr())
    rec.clip = clip.getValueAsDouble();
  rec.layout = op.getLayout();
  rec.direction = op.getDirection();
  if (std::optional<int64_t> hidden = op.getHiddenSize())
    rec.hiddenSize = *hidden;
  rec.yType = convertedTensorType(converter, op.getY());
  rec.yhType = convertedTensorType(converter, op.getYH());
  return rec;
}

template <typename OpTy, Cell cell>
struct RecurrentLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Recurrence rec = commonRecurrence(op, adaptor, *this->getTypeConverter());
    rec.cell = cell;
    if (!isa<RankedTensorType>(rec.x.getType()) ||
        !isa<RankedTensorType>(rec.w.getType()) ||
        !isa<RankedTensorType>(rec.r.getType()) || !rec.yType || !rec.yhType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    int64_t directions = rec.direction == "bidirectional" ? 2 : 1;
    SmallVector<StringRef> defaults;
    if constexpr (cell == Cell::LSTM) {
      rec.gates = 4;
      rec.initialC = adaptor.getInitialC();
      rec.peepholes = adaptor.getP();
      rec.inputForget = op.getInputForget() != 0;
      rec.ycType = convertedTensorType(*this->getTypeConverter(), op.getYC());
      if (!rec.ycType)
        return rewriter.notifyMatchFailure(op, "needs ranked tensors");
      defaults = {"Sigmoid", "Tanh", "Tanh"};
    } else if constexpr (cell == Cell::GRU) {
      rec.gates = 3;
      rec.linearBeforeReset = op.getLinearBeforeReset() != 0;
      defaults = {"Sigmoid", "Tanh"};
    } else {
      rec.gates = 1;
      defaults = {"Tanh"};
    }
    FailureOr<SmallVector<Activation>> activations = parseActivations(
        op, op.getActivations(), op.getActivationAlpha(),
        op.getActivationBeta(), defaults, directions);
    if (failed(activations))
      return failure();
    rec.activations = std::move(*activations);
    FailureOr<SmallVector<Value>> results =
        lowerRecurrence(rewriter, op.getLoc(), op, rec);
    if (failed(results))
      return failure();
    rewriter.replaceOp(op, *results);
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateRecurrentPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<RecurrentLowering<RNNOp, Cell::RNN>,
               RecurrentLowering<GRUOp, Cell::GRU>,
               RecurrentLowering<LSTMOp, Cell::LSTM>>(converter,
                                                      patterns.getContext());
}
