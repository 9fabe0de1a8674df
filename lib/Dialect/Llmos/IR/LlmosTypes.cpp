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

/// The ONNX TensorProto data type code of an element type (0 if none).
int32_t mlir::llmos::getOnnxDataType(Type type) {
  if (isa<StringType>(type))
    return 8; // handles of string records (llmos_abi.h)
  if (type.isF32())
    return 1;
  if (type.isF64())
    return 11;
  if (type.isF16())
    return 10;
  if (type.isBF16())
    return 16;
  if (isa<Float8E4M3FNType>(type))
    return 17;
  if (isa<Float8E4M3FNUZType>(type))
    return 18;
  if (isa<Float8E5M2Type>(type))
    return 19;
  if (isa<Float8E5M2FNUZType>(type))
    return 20;
  if (isa<Float4E2M1FNType>(type))
    return 23;
  if (isa<Float8E8M0FNUType>(type))
    return 24;
  if (auto integer = dyn_cast<IntegerType>(type)) {
    bool isUnsigned = integer.isUnsigned();
    switch (integer.getWidth()) {
    case 1:
      return 9;
    case 2:
      return isUnsigned ? 25 : 26;
    case 4:
      return isUnsigned ? 21 : 22;
    case 8:
      return isUnsigned ? 2 : 3;
    case 16:
      return isUnsigned ? 4 : 5;
    case 32:
      return isUnsigned ? 12 : 6;
    case 64:
      return isUnsigned ? 13 : 7;
    default:
      return 0;
    }
  }
  return 0;
}
