//===- LlmosTypes.cpp - llmos string, sequence and optional types ---------===//
//
// This file implements the llmos types and registers them with the dialect.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosTypes.h"
#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_TYPEDEF_CLASSES
#include "llmos/Dialect/Llmos/IR/LlmosTypes.cpp.inc"

void LlmosDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "llmos/Dialect/Llmos/IR/LlmosTypes.cpp.inc"
      >();
}
