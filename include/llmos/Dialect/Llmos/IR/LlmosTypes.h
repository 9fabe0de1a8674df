//===- LlmosTypes.h - llmos string, sequence and optional types -*- C++ -*-===//
//
// This file declares the types the llmos dialect adds to the builtin ones.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_LLMOSTYPES_H
#define LLMOS_DIALECT_LLMOS_IR_LLMOSTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "llmos/Dialect/Llmos/IR/LlmosTypes.h.inc"

#endif // LLMOS_DIALECT_LLMOS_IR_LLMOSTYPES_H
