//===- LlmosDialect.cpp - The llmos dialect -------------------------------===//
//
// This file implements the llmos dialect: registration of its types and ops
// and the materialization of folded constants.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"
#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

using namespace mlir;
using namespace mlir::llmos;

#include "llmos/Dialect/Llmos/IR/LlmosDialect.cpp.inc"

void LlmosDialect::initialize() {
  registerTypes();
  registerElementwiseOps();
  registerReductionOps();
  registerNNOps();
  registerLinearAlgebraOps();
  registerQuantOps();
  registerTensorOps();
  registerRNNOps();
  registerRandomOps();
  registerSignalOps();
  registerSequenceOps();
  registerControlFlowOps();
  registerTextOps();
  registerFusedOps();
}

Operation *LlmosDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
