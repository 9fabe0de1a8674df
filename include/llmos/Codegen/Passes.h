//===- Passes.h - llmos code generation passes ------------------*- C++ -*-===//
//
// This file declares the code generation passes and pipelines: the tensor
// phase (llmos -> linalg on tensors, fusion) and the codegen phase (loops,
// bufferization, parallel loops, LLVM dialect, runtime entry point).
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_CODEGEN_PASSES_H
#define LLMOS_CODEGEN_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <string>

namespace mlir::llmos {

#define GEN_PASS_DECL
#include "llmos/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "llmos/Codegen/Passes.h.inc"

/// What the codegen pipeline produces and how hard it optimizes.
struct CodegenOptions {
  /// 0..3, as -O0..-O3.
  unsigned optLevel = 2;
  /// The model name the runtime reports.
  std::string modelName = "model";
  /// Prefix of the exported symbols (<symbol>_info, <symbol>_entry).
  std::string symbol = "llmos_model";
  /// Also export llmos_model_info_get (shared libraries, executables).
  bool exportGet = false;
  /// Run parallel loops on the runtime's thread pool.
  bool parallel = true;
  /// Call the runtime's microkernels for the contractions they cover (at
  /// -O1 and up); otherwise every op runs as generated loops.
  bool microkernels = true;
  /// Vector code for elementwise ops, reductions and windows
  /// (llmos-vectorize-loops, at -O1 and up).
  bool vectorizeLoops = true;
  /// Place temporaries in arenas by liveness (llmos-plan-memory, at -O1
  /// and up).
  bool memoryPlan = true;
  /// Report each function's memory plan as a remark.
  bool reportMemoryPlan = false;
  /// The target's vector register width in bits (generated vector code).
  int64_t vectorBits = 256;
};

/// The tensor phase: llmos -> linalg/tensor/arith/math/scf, fusion.
void buildTensorPipeline(OpPassManager &pm, const CodegenOptions &options);
/// The codegen phase: from the tensor phase's output to the LLVM dialect
/// with the runtime entry point.
void buildCodegenPipeline(OpPassManager &pm, const CodegenOptions &options);
/// Registers llmos-tensor-pipeline and llmos-codegen-pipeline.
void registerCodegenPipelines();

} // namespace mlir::llmos

#endif // LLMOS_CODEGEN_PASSES_H
