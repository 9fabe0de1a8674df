//===- LlmosDialect.h - The llmos dialect -----------------------*- C++ -*-===//
//
// This file declares the llmos dialect: ONNX operators as MLIR operations.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_LLMOSDIALECT_H
#define LLMOS_DIALECT_LLMOS_IR_LLMOSDIALECT_H

#include "mlir/IR/Dialect.h"

#include "llmos/Dialect/Llmos/IR/LlmosDialect.h.inc"

#endif // LLMOS_DIALECT_LLMOS_IR_LLMOSDIALECT_H
