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

/// What the graph phase runs.
struct GraphOptions {
  /// 0: shape inference, folding, canonicalization and CSE only; 1: + no-op
  /// and dead-code pruning, constant folding, shape simplification; 2: +
  /// node merging (BatchNorm folding, recomposition, attention, epilogues,
  /// sibling matmuls); 3: folds larger constants.
  unsigned optLevel = 2;
  /// llmos-prune-channels with this fraction when > 0 (opt-in).
  double channelFraction = 0;
  /// llmos-prune-weights with this sparsity when > 0 (opt-in).
  double weightSparsity = 0;
  bool globalSparsity = false;

  bool pruning() const { return channelFraction > 0 || weightSparsity > 0; }
};

/// The `graph` phase on every function of the module.
void buildGraphPipeline(OpPassManager &pm,
                        const GraphOptions &options = GraphOptions());

/// Registers the named pipelines (`llmos-graph-pipeline`) with the global
/// pass registry, for llmos-opt.
void registerLlmosPipelines();

} // namespace mlir::llmos

#endif // LLMOS_TRANSFORMS_PASSES_H
