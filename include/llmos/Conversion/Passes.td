//===- Passes.td - llmos conversion passes -----------------*- tablegen -*-===//

#ifndef LLMOS_CONVERSION_PASSES_TD
#define LLMOS_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertLlmosToLinalgPass : Pass<"llmos-convert-to-linalg", "ModuleOp"> {
  let summary = "Lower llmos ops to linalg, tensor, arith, math and scf";
  let description = [{
    The `tensor` phase: every llmos op becomes computations on builtin
    tensors: `linalg` named ops and `linalg.generic` for the dense math,
    `tensor` ops for data movement, `scf` for data-dependent control flow.
    Unsigned integer element types become signless ones (the signedness is
    kept in the choice of arith ops), so the function signature changes the
    same way.

    An op the conversion does not support yet is an error that names it;
    the pass fails rather than leave llmos ops behind.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // LLMOS_CONVERSION_PASSES_TD
