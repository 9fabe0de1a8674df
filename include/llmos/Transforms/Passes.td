//===- Passes.td - llmos graph-level passes ----------------*- tablegen -*-===//

#ifndef LLMOS_TRANSFORMS_PASSES_TD
#define LLMOS_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ShapeInferencePass : Pass<"llmos-shape-inference", "func::FuncOp"> {
  let summary = "Refine llmos result types by shape inference and folding";
  let description = [{
    Refines the result type of every llmos op with what its
    `ShapeInferenceOpInterface` derives from its operands, folding constant
    operands on the way (an op whose shape operand becomes constant gets a
    static result type), until nothing changes. Loop and Scan body argument
    types are widened to a fixed point first. Finally the function's result
    types are refined to the types it returns.

    A type is only ever refined (made more static), never widened, so types
    that the ONNX model declared for its values are kept. A conflict between
    a declared type and an inferred one is an error.

    Example: after folding `llmos.shape` of a static tensor into a constant,
    a `llmos.reshape` whose shape came from it gets a static result type.
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
  let statistics = [
    Statistic<"numRefined", "num-refined", "Number of op results whose type was refined">,
  ];
}

#endif // LLMOS_TRANSFORMS_PASSES_TD
