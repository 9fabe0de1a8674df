//===- LlmosOps.td - every llmos op ------------------------*- tablegen -*-===//
//
// Includes every op family; used by the import-table backend and the op docs.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_LLMOSOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_LLMOSOPS_TD

include "llmos/Dialect/Llmos/IR/ElementwiseOps.td"
include "llmos/Dialect/Llmos/IR/ReductionOps.td"
include "llmos/Dialect/Llmos/IR/NNOps.td"
include "llmos/Dialect/Llmos/IR/LinearAlgebraOps.td"
include "llmos/Dialect/Llmos/IR/QuantOps.td"
include "llmos/Dialect/Llmos/IR/TensorOps.td"
include "llmos/Dialect/Llmos/IR/RNNOps.td"
include "llmos/Dialect/Llmos/IR/RandomOps.td"
include "llmos/Dialect/Llmos/IR/SignalOps.td"
include "llmos/Dialect/Llmos/IR/SequenceOps.td"
include "llmos/Dialect/Llmos/IR/ControlFlowOps.td"
include "llmos/Dialect/Llmos/IR/TextOps.td"
include "llmos/Dialect/Llmos/IR/FusedOps.td"

#endif // LLMOS_DIALECT_LLMOS_IR_LLMOSOPS_TD
