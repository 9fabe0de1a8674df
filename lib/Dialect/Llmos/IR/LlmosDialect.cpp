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

void LlmosDialect::registerOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/ElementwiseOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/ReductionOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/NNOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/LinearAlgebraOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/QuantOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/TensorOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/RNNOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/RandomOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/SignalOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/SequenceOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/ControlFlowOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/TextOps.cpp.inc"
      >();
}

void LlmosDialect::initialize() {
  registerTypes();
  registerOps();
}

Operation *LlmosDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
