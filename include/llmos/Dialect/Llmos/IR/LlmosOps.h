//===- LlmosOps.h - llmos operations ----------------------------*- C++ -*-===//
//
// This file declares every llmos op. Ops are generated per family from
// <Family>Ops.td; the family sources implement their shape inference,
// verifiers and folders.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_LLMOSOPS_H
#define LLMOS_DIALECT_LLMOS_IR_LLMOSOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"
#include "llmos/Dialect/Llmos/IR/LlmosTypes.h"
#include "llmos/Dialect/Llmos/IR/ShapeInference.h"

namespace mlir::llmos {
class IfOp;
class LoopOp;
class ScanOp;
class SequenceMapOp;
class FusedElementwiseOp;

/// The number of `activation_params` an epilogue activation of the fused
/// ops takes ("leaky_relu": alpha; "clip": min, max; "hard_sigmoid": alpha,
/// beta; the others none).
int64_t activationParamCount(llvm::StringRef activation);
} // namespace mlir::llmos

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/ElementwiseOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/ReductionOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/NNOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/LinearAlgebraOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/QuantOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/TensorOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/RNNOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/RandomOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/SignalOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/SequenceOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/ControlFlowOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/TextOps.h.inc"
#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/FusedOps.h.inc"

#endif // LLMOS_DIALECT_LLMOS_IR_LLMOSOPS_H
