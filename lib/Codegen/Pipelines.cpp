//===- Pipelines.cpp - The tensor and codegen phase pipelines -------------===//
//
// This file builds the pass pipelines of the tensor phase (llmos -> linalg
// on tensors, elementwise fusion) and the codegen phase (bufferization,
// deallocation, loops, LLVM dialect, the runtime entry point), and
// registers them for llmos-opt.
//
//===----------------------------------------------------------------------===//

#include "llmos/Codegen/Passes.h"
#include "llmos/Conversion/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToFuncs/MathToFuncs.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::llmos;

void mlir::llmos::buildTensorPipeline(OpPassManager &pm,
                                      const CodegenOptions &options) {
  RecordSignaturePassOptions signature;
  signature.modelName = options.modelName;
  pm.addPass(createRecordSignaturePass(signature));
  pm.addPass(createConvertLlmosToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.optLevel > 0) {
    pm.addNestedPass<func::FuncOp>(createFuseElementwisePass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
}

void mlir::llmos::buildCodegenPipeline(OpPassManager &pm,
                                       const CodegenOptions &options) {
  // Bufferization: one-shot over the whole module, plain row-major
  // memrefs at function boundaries (what the runtime passes).
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  bufferize.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCanonicalizerPass());
  bufferization::BufferDeallocationPipelineOptions deallocation;
  bufferization::buildBufferDeallocationPipeline(pm, deallocation);

  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addNestedPass<func::FuncOp>(createLowerCopiesPass());
  // Temporaries share arenas by liveness (at -O1 and up).
  if (options.memoryPlan && options.optLevel > 0) {
    PlanMemoryPassOptions plan;
    plan.report = options.reportMemoryPlan;
    pm.addNestedPass<func::FuncOp>(createPlanMemoryPass(plan));
  }
  if (options.microkernels && options.optLevel > 0)
    pm.addPass(createOutlineMicrokernelsPass());
  // The other matmuls: register-tiled vector code.
  if (options.optLevel > 0) {
    VectorizeContractionsPassOptions vectorize;
    vectorize.vectorBits = options.vectorBits;
    pm.addNestedPass<func::FuncOp>(createVectorizeContractionsPass(vectorize));
  }
  // Elementwise ops, reductions and windows: vector chunks.
  if (options.vectorizeLoops && options.optLevel > 0) {
    VectorizeLoopsPassOptions vectorize;
    vectorize.vectorBits = options.vectorBits;
    pm.addNestedPass<func::FuncOp>(createVectorizeLoopsPass(vectorize));
  }

  // Loops: parallel ones on the runtime's thread pool (at -O1 and up).
  if (options.parallel && options.optLevel > 0) {
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
    pm.addPass(createOutlineParallelLoopsPass());
  } else {
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  }
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // bf16 conversions become integer code (no compiler-rt helper needed).
  arith::ArithExpandOpsPassOptions expandOptions;
  expandOptions.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expandOptions));
  pm.addPass(createCanonicalizerPass());

  // The LLVM dialect.
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  // Math first: libm calls on vectors come unrolled into vector inserts
  // and extracts, which the vector lowering then takes.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createLowerParallelDispatchPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());

  EmitModelInfoPassOptions info;
  info.symbol = options.symbol;
  info.exportGet = options.exportGet;
  pm.addPass(createEmitModelInfoPass(info));
  pm.addPass(createCanonicalizerPass());
}

void mlir::llmos::registerCodegenPipelines() {
  PassPipelineRegistration<>(
      "llmos-tensor-pipeline",
      "The tensor phase: record the signature, lower llmos to linalg, fuse "
      "elementwise ops",
      [](OpPassManager &pm) { buildTensorPipeline(pm, CodegenOptions()); });
  PassPipelineRegistration<>(
      "llmos-codegen-pipeline",
      "The codegen phase: bufferize, loops, LLVM dialect, runtime entry",
      [](OpPassManager &pm) { buildCodegenPipeline(pm, CodegenOptions()); });
}
