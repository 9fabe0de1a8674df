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

namespace mlir::llmos {
/// The ONNX TensorProto data type code of an element type (the runtime's
/// llmos_dtype; 8 for !llmos.string), or 0 for types ONNX has no code for.
int32_t getOnnxDataType(Type type);
} // namespace mlir::llmos

#endif // LLMOS_DIALECT_LLMOS_IR_LLMOSTYPES_H
