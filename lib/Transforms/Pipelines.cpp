//===- Pipelines.cpp - llmos named pass pipelines -------------------------===//
//
// This file implements the pipelines of the graph phase per optimization
// level and registers them for llmos-opt.
//
//===----------------------------------------------------------------------===//

#include "llmos/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::llmos;

void mlir::llmos::buildGraphPipeline(OpPassManager &pm, unsigned optLevel) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  // What every level needs: types as static as the model allows, and
  // sequences of known structure resolved (code generation relies on both).
  func.addPass(createShapeInferencePass());
  func.addPass(createResolveSequencesPass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
  func.addPass(createShapeInferencePass());
  if (optLevel == 0)
    return;
  // -O1: cleanup and pruning.
  FoldConstantsPassOptions fold;
  fold.maxElements = optLevel >= 3 ? (int64_t(1) << 22) : (int64_t(1) << 16);
  func.addPass(createPrunePass());
  func.addPass(createFoldConstantsPass(fold));
  func.addPass(createSimplifyShapesPass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
  func.addPass(createPrunePass());
  func.addPass(createShapeInferencePass());
  if (optLevel == 1)
    return;
  // -O2 and up: node merging.
  func.addPass(createFoldBatchNormPass());
  func.addPass(createRecomposePass());
  func.addPass(createFuseAttentionPass());
  func.addPass(createSimplifyShapesPass());
  func.addPass(createFuseEpiloguesPass());
  func.addPass(createMergeSiblingMatMulsPass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
  func.addPass(createPrunePass());
  func.addPass(createShapeInferencePass());
}

namespace {
struct GraphPipelineOptions
    : public PassPipelineOptions<GraphPipelineOptions> {
  Option<unsigned> optLevel{*this, "opt-level",
                            llvm::cl::desc("Optimization level 0-3"),
                            llvm::cl::init(2)};
};
} // namespace

void mlir::llmos::registerLlmosPipelines() {
  PassPipelineRegistration<GraphPipelineOptions>(
      "llmos-graph-pipeline",
      "The graph phase: shape inference with folding, canonicalization, CSE; "
      "from opt-level=1 pruning and constant folding, from 2 node merging",
      [](OpPassManager &pm, const GraphPipelineOptions &options) {
        buildGraphPipeline(pm, options.optLevel);
      });
}
