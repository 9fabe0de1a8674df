//===- Passes.h - llmos graph-level passes ----------------------*- C++ -*-===//
//
// This file declares the llmos passes and the named pipelines built from
// them.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_TRANSFORMS_PASSES_H
#define LLMOS_TRANSFORMS_PASSES_H

#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::llmos {

#define GEN_PASS_DECL
#include "llmos/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "llmos/Transforms/Passes.h.inc"

/// The `graph` phase on every function of the module: shape inference with
/// folding, canonicalization and CSE; from `optLevel` 1 pruning, constant
/// folding and shape simplification; from 2 node merging (BatchNorm
/// folding, recomposition, attention, epilogues, sibling matmuls).
void buildGraphPipeline(OpPassManager &pm, unsigned optLevel = 2);

/// Registers the named pipelines (`llmos-graph-pipeline`) with the global
/// pass registry, for llmos-opt.
void registerLlmosPipelines();

} // namespace mlir::llmos

#endif // LLMOS_TRANSFORMS_PASSES_H
