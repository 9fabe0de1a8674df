//===- NodeUpgrades.cpp - Older ONNX node forms -> newest op forms ---------===//
//
// This file implements the opset upgrades of the importer. The llmos ops
// model each operator's newest ONNX form; nodes of older opsets are
// rewritten here: attributes that later became inputs are turned into
// constant inputs (Reshape, Slice, Clip, Pad, Split, Squeeze, Unsqueeze,
// Reduce*, TopK, DFT), changed semantics are expressed with the newer ops
// (Softmax before 13, legacy broadcasting before 7, per-group
// GroupNormalization parameters), and removed operators map to their
// successors (Upsample -> Resize, Scatter -> ScatterElements).
//
//===----------------------------------------------------------------------===//

#include "ModelImporter.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringSwitch.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;

namespace {

bool isAttr(const onnx::AttributeProto *attr,
            onnx::AttributeProto::AttributeType type) {
  return attr && (attr->type() == type ||
                  attr->type() == onnx::AttributeProto::UNDEFINED);
}

LogicalResult badAttr(ModelImporter &im, NodeState &node, StringRef name,
                      StringRef expected) {
  return im.emitNodeError(node) << "attribute '" << name << "' must be "
                                << expected;
}

/// Builds `opName` through the importer (with inference) and returns its
/// results.
FailureOr<SmallVector<Value>> build(ModelImporter &im, NodeState &node,
                                    StringRef opName, ValueRange operands,
                                    ArrayRef<NamedAttribute> attrs = {},
                                    unsigned numResults = 1) {
  FailureOr<Operation *> op =
      im.createOp(node.loc, opName, operands, attrs, numResults);
  if (failed(op))
    return failure();
  return SmallVector<Value>((*op)->getResults());
}

/// Binary ops before opset 7: `broadcast=1` with `axis` aligns B with A at
/// `axis` instead of at the trailing dims. Unsqueezing B's trailing dims
/// gives numpy broadcasting the same meaning.
LogicalResult upgradeLegacyBroadcast(ModelImporter &im, NodeState &node) {
  const onnx::AttributeProto *broadcast = node.takeAttribute("broadcast");
  const onnx::AttributeProto *axisAttr = node.takeAttribute("axis");
  if (!broadcast || broadcast->i() == 0 || !axisAttr)
    return success();
  Value a = node.input(0), b = node.input(1);
  int64_t rankA = a ? getRank(a) : -1, rankB = b ? getRank(b) : -1;
  if (rankA < 0 || rankB < 0)
    return im.emitNodeError(node) << "legacy broadcasting with an axis needs "
                                     "inputs of known rank";
  int64_t axis = axisAttr->i() < 0 ? axisAttr->i() + rankA : axisAttr->i();
  int64_t trailing = rankA - axis - rankB;
  if (axis < 0 || trailing < 0)
    return im.emitNodeError(node) << "broadcast axis " << axisAttr->i()
                                  << " is out of range";
  if (trailing == 0)
    return success();
  SmallVector<int64_t> axes;
  for (int64_t i = 0; i < trailing; ++i)
    axes.push_back(rankB + i);
  FailureOr<SmallVector<Value>> unsqueezed =
      build(im, node, "llmos.unsqueeze",
            {b, im.createI64Constant(node.loc, axes)});
  if (failed(unsqueezed))
    return failure();
  node.setInput(1, unsqueezed->front());
  return success();
}

/// Softmax, LogSoftmax and Hardmax before opset 13 flatten the input to 2-D
/// at `axis` (default 1) and normalize each row.
LogicalResult upgradeCoercedSoftmax(ModelImporter &im, NodeState &node) {
  const onnx::AttributeProto *axisAttr = node.takeAttribute("axis");
  int64_t axis = axisAttr ? axisAttr->i() : 1;
  Value x = node.input(0);
  int64_t rank = x ? getRank(x) : -1;
  if (rank < 0)
    return im.emitNodeError(node)
           << "needs an input of known rank before opset 13";
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return im.emitNodeError(node) << "axis " << axisAttr->i()
                                  << " is out of range for rank " << rank;
  OpBuilder &b = im.getBuilder();
  std::string opName = "llmos." + llvm::StringSwitch<std::string>(node.opType)
                                      .Case("Softmax", "softmax")
                                      .Case("LogSoftmax", "log_softmax")
                                      .Default("hardmax");
  if (axis == rank - 1) {
    node.extraAttributes.set("axis", b.getI64IntegerAttr(-1));
    return success();
  }
  FailureOr<SmallVector<Value>> flat = build(
      im, node, "llmos.flatten", {x},
      {b.getNamedAttr("axis", b.getI64IntegerAttr(axis))});
  if (failed(flat))
    return failure();
  FailureOr<SmallVector<Value>> normalized =
      build(im, node, opName, {flat->front()},
            {b.getNamedAttr("axis", b.getI64IntegerAttr(1))});
  if (failed(normalized))
    return failure();
  FailureOr<SmallVector<Value>> shape = build(im, node, "llmos.shape", {x});
  if (failed(shape))
    return failure();
  FailureOr<SmallVector<Value>> reshaped = build(
      im, node, "llmos.reshape", {normalized->front(), shape->front()});
  if (failed(reshaped))
    return failure();
  if (!node.attributes.empty())
    return im.emitNodeError(node) << "unknown attribute '"
                                  << node.attributes.front()->name() << "'";
  node.replacement = *reshaped;
  return success();
}

/// Clip before opset 11 had `min` / `max` attributes.
LogicalResult upgradeClip(ModelImporter &im, NodeState &node) {
  Value x = node.input(0);
  Type elementType = x ? getElementType(x) : Type();
  for (auto [name, index] : {std::make_pair("min", 1u), std::make_pair("max", 2u)}) {
    const onnx::AttributeProto *attr = node.takeAttribute(name);
    if (!attr)
      continue;
    if (!isAttr(attr, onnx::AttributeProto::FLOAT))
      return badAttr(im, node, name, "FLOAT");
    FailureOr<Value> bound =
        im.createScalarConstant(node, elementType, attr->f());
    if (failed(bound))
      return failure();
    node.setInput(index, *bound);
  }
  return success();
}

/// Pad before opset 11 had `pads` (`paddings` in opset 1) and `value`.
LogicalResult upgradePad(ModelImporter &im, NodeState &node) {
  StringRef padsName = node.findAttribute("paddings") ? "paddings" : "pads";
  if (failed(im.moveIntsAttributeToInput(node, padsName, 1)))
    return failure();
  if (const onnx::AttributeProto *value = node.takeAttribute("value")) {
    if (!isAttr(value, onnx::AttributeProto::FLOAT))
      return badAttr(im, node, "value", "FLOAT");
    Value x = node.input(0);
    if (x && value->f() != 0.0f) {
      FailureOr<Value> padValue =
          im.createScalarConstant(node, getElementType(x), value->f());
      if (failed(padValue))
        return failure();
      node.setInput(2, *padValue);
    }
  }
  return success();
}

/// Resize and Upsample before opset 11 used asymmetric coordinates and
/// floor rounding for nearest.
void setLegacyResizeModes(ModelImporter &im, NodeState &node) {
  OpBuilder &b = im.getBuilder();
  node.extraAttributes.set("coordinate_transformation_mode",
                           b.getStringAttr("asymmetric"));
  node.extraAttributes.set("nearest_mode", b.getStringAttr("floor"));
}

/// Upsample (opsets 7-10) is Resize with scales.
LogicalResult upgradeUpsample(ModelImporter &im, NodeState &node) {
  OpBuilder &b = im.getBuilder();
  Value scales = node.input(1);
  if (const onnx::AttributeProto *attr = node.takeAttribute("scales")) {
    if (!isAttr(attr, onnx::AttributeProto::FLOATS))
      return badAttr(im, node, "scales", "FLOATS");
    SmallVector<float> values(attr->floats().begin(), attr->floats().end());
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                      b.getF32Type());
    scales = ConstantOp::create(
        b, node.loc, DenseElementsAttr::get(type, ArrayRef<float>(values)));
  }
  // Opset 1 had height_scale / width_scale.
  if (!scales)
    return im.emitNodeError(node) << "needs scales";
  if (const onnx::AttributeProto *mode = node.takeAttribute("mode")) {
    std::string value = mode->s();
    if (value == "bilinear")
      value = "linear";
    node.extraAttributes.set("mode", b.getStringAttr(value));
  }
  node.inputs = {node.input(0), Value(), scales};
  setLegacyResizeModes(im, node);
  node.opType = "Resize";
  node.version = 10;
  return success();
}

/// Resize's roi, scales and sizes may be empty tensors meaning "absent".
void dropEmptyResizeInputs(NodeState &node) {
  for (unsigned i = 1; i < 4; ++i) {
    Value v = node.input(i);
    if (!v)
      continue;
    std::optional<DimList> dims = getDims(v);
    if (dims && dims->size() == 1 && (*dims)[0] == 0)
      node.setInput(i, Value());
  }
}

/// GroupNormalization-18 scaled per group; 21 scales per channel.
LogicalResult upgradeGroupNorm(ModelImporter &im, NodeState &node) {
  const onnx::AttributeProto *groups = node.findAttribute("num_groups");
  Value x = node.input(0);
  std::optional<DimList> dims = x ? getDims(x) : std::nullopt;
  if (!groups || !dims || dims->size() < 2 ||
      ShapedType::isDynamic((*dims)[1]))
    return im.emitNodeError(node) << "GroupNormalization before opset 21 "
                                     "needs num_groups and a static channel "
                                     "count";
  int64_t g = groups->i(), c = (*dims)[1];
  if (g <= 0 || c % g != 0)
    return im.emitNodeError(node) << "channels " << c
                                  << " are not divisible by num_groups " << g;
  for (unsigned index : {1u, 2u}) {
    Value v = node.input(index);
    if (!v)
      continue;
    // [G] -> [G, 1] -> [G, C/G] -> [C]
    FailureOr<SmallVector<Value>> column = build(
        im, node, "llmos.unsqueeze", {v, im.createI64Constant(node.loc, {1})});
    if (failed(column))
      return failure();
    FailureOr<SmallVector<Value>> expanded =
        build(im, node, "llmos.expand",
              {column->front(), im.createI64Constant(node.loc, {g, c / g})});
    if (failed(expanded))
      return failure();
    FailureOr<SmallVector<Value>> flat =
        build(im, node, "llmos.reshape",
              {expanded->front(), im.createI64Constant(node.loc, {c})});
    if (failed(flat))
      return failure();
    node.setInput(index, flat->front());
  }
  return success();
}

/// Dropout before opset 12 had `ratio` as an attribute; before 10 its mask
/// had the input's element type.
LogicalResult upgradeDropout(ModelImporter &im, NodeState &node) {
  node.takeAttribute("is_test");
  if (const onnx::AttributeProto *ratio = node.takeAttribute("ratio")) {
    if (!isAttr(ratio, onnx::AttributeProto::FLOAT))
      return badAttr(im, node, "ratio", "FLOAT");
    Value x = node.input(0);
    if (x) {
      FailureOr<Value> ratioValue =
          im.createScalarConstant(node, getElementType(x), ratio->f());
      if (failed(ratioValue))
        return failure();
      node.setInput(1, *ratioValue);
    }
  }
  bool maskUsed = node.outputs.size() > 1 && !node.outputs[1].empty();
  if (node.opset >= 10 || !maskUsed)
    return success();
  FailureOr<SmallVector<Value>> dropout =
      build(im, node, "llmos.dropout", {node.input(0)},
            {im.getBuilder().getNamedAttr(
                "operandSegmentSizes",
                im.getBuilder().getDenseI32ArrayAttr({1, 0, 0}))},
            2);
  if (failed(dropout))
    return failure();
  FailureOr<SmallVector<Value>> mask = build(
      im, node, "llmos.cast", {(*dropout)[1]},
      {im.getBuilder().getNamedAttr(
          "to", TypeAttr::get(getElementType(node.input(0))))});
  if (failed(mask))
    return failure();
  node.replacement = SmallVector<Value>{(*dropout)[0], mask->front()};
  return success();
}

/// BatchNormalization: is_test (< 7) and spatial (< 9) are gone; before 14
/// the presence of the statistics outputs meant training mode.
LogicalResult upgradeBatchNorm(ModelImporter &im, NodeState &node) {
  node.takeAttribute("is_test");
  if (const onnx::AttributeProto *spatial = node.takeAttribute("spatial"))
    if (spatial->i() == 0)
      return im.emitNodeError(node)
             << "spatial=0 (per-activation statistics) is not supported";
  if (node.opset >= 14)
    return success();
  for (size_t i = 3; i < node.outputs.size(); ++i)
    if (!node.outputs[i].empty())
      return im.emitNodeError(node)
             << "the saved_mean / saved_var outputs of training-mode "
                "BatchNormalization before opset 14 are not supported";
  bool training = false;
  for (size_t i = 1; i < std::min<size_t>(node.outputs.size(), 3); ++i)
    training |= !node.outputs[i].empty();
  if (node.outputs.size() > 3)
    node.outputs.resize(3);
  if (training)
    node.extraAttributes.set("training_mode",
                             im.getBuilder().getI64IntegerAttr(1));
  return success();
}

LogicalResult upgradeScalarAttributeToInput(ModelImporter &im, NodeState &node,
                                            StringRef name, unsigned index,
                                            bool asVector) {
  const onnx::AttributeProto *attr = node.takeAttribute(name);
  if (!attr)
    return success();
  if (!isAttr(attr, onnx::AttributeProto::INT))
    return badAttr(im, node, name, "INT");
  if (asVector)
    node.setInput(index, im.createI64Constant(node.loc, {attr->i()}));
  else
    node.setInput(index, im.createI64Constant(node.loc, {attr->i()},
                                              ArrayRef<int64_t>{}));
  return success();
}

/// PRelu before opset 7 took a [C] slope to mean one slope per channel
/// (dim 1); numpy broadcasting needs it as [C, 1, ..., 1].
LogicalResult upgradeChannelSlope(ModelImporter &im, NodeState &node) {
  Value x = node.input(0), slope = node.input(1);
  std::optional<DimList> xDims = x ? getDims(x) : std::nullopt;
  std::optional<DimList> slopeDims = slope ? getDims(slope) : std::nullopt;
  if (!xDims || !slopeDims || slopeDims->size() != 1 || xDims->size() < 3 ||
      (*slopeDims)[0] == 1 || (*slopeDims)[0] != (*xDims)[1])
    return success();
  SmallVector<int64_t> axes;
  for (size_t i = 1; i + 1 < xDims->size(); ++i)
    axes.push_back(i);
  FailureOr<SmallVector<Value>> reshaped = build(
      im, node, "llmos.unsqueeze", {slope, im.createI64Constant(node.loc, axes)});
  if (failed(reshaped))
    return failure();
  node.setInput(1, reshaped->front());
  return success();
}

bool isReduceOp(StringRef op) {
  return op.starts_with("Reduce");
}

} // namespace

bool mlir::llmos::onnx_import::isAliasedOperator(StringRef domain,
                                                 StringRef opType) {
  return canonicalDomain(domain).empty() &&
         (opType == "Upsample" || opType == "Scatter");
}

LogicalResult mlir::llmos::onnx_import::upgradeNode(ModelImporter &im,
                                                    NodeState &node) {
  if (!node.domain.empty())
    return success();
  StringRef op = node.opType;
  int64_t opset = node.opset;
  // Removed from every operator in opset 6.
  if (opset < 6)
    node.takeAttribute("consumed_inputs");

  if (op == "Upsample")
    return upgradeUpsample(im, node);
  if (op == "Scatter") {
    node.opType = "ScatterElements";
    node.version = 11;
    return success();
  }
  if (opset < 7 &&
      llvm::is_contained({"Add", "Sub", "Mul", "Div", "Pow", "And", "Or",
                          "Xor", "Equal", "Greater", "Less"},
                         op))
    return upgradeLegacyBroadcast(im, node);
  if (op == "Gemm" && opset < 7) {
    node.takeAttribute("broadcast");
    return success();
  }
  if (op == "BatchNormalization")
    return upgradeBatchNorm(im, node);
  if (op == "PRelu" && opset < 7)
    return upgradeChannelSlope(im, node);
  if (op == "Dropout")
    return upgradeDropout(im, node);
  if ((op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") && opset < 13)
    return upgradeCoercedSoftmax(im, node);
  if (op == "Clip" && opset < 11)
    return upgradeClip(im, node);
  if (op == "Pad" && opset < 11)
    return upgradePad(im, node);
  if (op == "Split" && opset < 13)
    return im.moveIntsAttributeToInput(node, "split", 1);
  if ((op == "Squeeze" || op == "Unsqueeze") && opset < 13)
    return im.moveIntsAttributeToInput(node, "axes", 1);
  if (isReduceOp(op) && (op == "ReduceSum" ? opset < 13 : opset < 18))
    return im.moveIntsAttributeToInput(node, "axes", 1);
  if (op == "Slice" && opset < 10) {
    if (failed(im.moveIntsAttributeToInput(node, "starts", 1)) ||
        failed(im.moveIntsAttributeToInput(node, "ends", 2)) ||
        failed(im.moveIntsAttributeToInput(node, "axes", 3)))
      return failure();
    return success();
  }
  if (op == "Reshape" && opset < 5)
    return im.moveIntsAttributeToInput(node, "shape", 1);
  if (op == "TopK" && opset < 10)
    return upgradeScalarAttributeToInput(im, node, "k", 1, /*asVector=*/true);
  if (op == "Resize") {
    if (opset < 11) {
      node.inputs = {node.input(0), Value(), node.input(1)};
      setLegacyResizeModes(im, node);
    }
    dropEmptyResizeInputs(node);
    return success();
  }
  if (op == "Concat" && opset < 4 && !node.findAttribute("axis")) {
    node.extraAttributes.set("axis", im.getBuilder().getI64IntegerAttr(1));
    return success();
  }
  if (op == "DFT" && opset < 20) {
    if (!node.findAttribute("axis")) {
      node.setInput(2, im.createI64Constant(node.loc, {1}, ArrayRef<int64_t>{}));
      return success();
    }
    return upgradeScalarAttributeToInput(im, node, "axis", 2,
                                         /*asVector=*/false);
  }
  if (op == "GroupNormalization" && opset < 21)
    return upgradeGroupNorm(im, node);
  if ((op == "RNN" || op == "GRU" || op == "LSTM") && opset < 7)
    node.takeAttribute("output_sequence");
  if (op == "Scan" && opset < 9)
    return im.emitNodeError(node)
           << "Scan-8 (with a batch axis) is not supported; export with "
              "opset 9 or newer";
  if (op == "Tile" && opset < 6)
    return im.emitNodeError(node)
           << "Tile-1 (tiles/axis inputs) is not supported";
  return success();
}
