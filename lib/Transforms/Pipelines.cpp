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

namespace {
/// The opt-in weight pruning, then types and cleanup after it.
void addPruning(OpPassManager &pm, const GraphOptions &options) {
  if (!options.pruning())
    return;
  if (options.channelFraction > 0) {
    PruneChannelsPassOptions channels;
    channels.fraction = options.channelFraction;
    pm.addNestedPass<func::FuncOp>(createPruneChannelsPass(channels));
  }
  if (options.weightSparsity > 0) {
    PruneWeightsPassOptions weights;
    weights.sparsity = options.weightSparsity;
    weights.global = options.globalSparsity;
    pm.addPass(createPruneWeightsPass(weights));
  }
  pm.addNestedPass<func::FuncOp>(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createShapeInferencePass());
}
} // namespace

void mlir::llmos::buildGraphPipeline(OpPassManager &pm,
                                     const GraphOptions &options) {
  unsigned optLevel = options.optLevel;
  OpPassManager &func = pm.nest<func::FuncOp>();
  // What every level needs: types as static as the model allows, and
  // sequences of known structure resolved (code generation relies on both).
  func.addPass(createShapeInferencePass());
  func.addPass(createResolveSequencesPass());
  func.addPass(createSpecializeRanksPass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
  func.addPass(createShapeInferencePass());
  if (optLevel == 0)
    return addPruning(pm, options);
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
    return addPruning(pm, options);
  // -O2 and up: node merging.
  func.addPass(createFoldBatchNormPass());
  func.addPass(createRecomposePass());
  func.addPass(createFuseAttentionPass());
  func.addPass(createSimplifyShapesPass());
  func.addPass(createFuseEpiloguesPass());
  func.addPass(createMergeSiblingMatMulsPass());
  func.addPass(createFuseElementwiseChainsPass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
  func.addPass(createPrunePass());
  func.addPass(createShapeInferencePass());
  addPruning(pm, options);
}

namespace {
struct GraphPipelineOptions
    : public PassPipelineOptions<GraphPipelineOptions> {
  Option<unsigned> optLevel{*this, "opt-level",
                            llvm::cl::desc("Optimization level 0-3"),
                            llvm::cl::init(2)};
  Option<double> channelFraction{
      *this, "prune-channels",
      llvm::cl::desc("Structured pruning: fraction of channels removed"),
      llvm::cl::init(0.0)};
  Option<double> weightSparsity{
      *this, "prune-weights",
      llvm::cl::desc("Magnitude pruning: fraction of weights set to zero"),
      llvm::cl::init(0.0)};
  Option<bool> globalSparsity{
      *this, "prune-global",
      llvm::cl::desc("One magnitude threshold over all weights"),
      llvm::cl::init(false)};
};
} // namespace

void mlir::llmos::registerLlmosPipelines() {
  PassPipelineRegistration<GraphPipelineOptions>(
      "llmos-graph-pipeline",
      "The graph phase: shape inference with folding, canonicalization, CSE; "
      "from opt-level=1 pruning and constant folding, from 2 node merging",
      [](OpPassManager &pm, const GraphPipelineOptions &options) {
        GraphOptions graph;
        graph.optLevel = options.optLevel;
        graph.channelFraction = options.channelFraction;
        graph.weightSparsity = options.weightSparsity;
        graph.globalSparsity = options.globalSparsity;
        buildGraphPipeline(pm, graph);
      });
}
