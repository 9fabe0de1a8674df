//===- LlmosInterfaces.td - llmos op interfaces ------------*- tablegen -*-===//

#ifndef LLMOS_DIALECT_LLMOS_IR_LLMOSINTERFACES_TD
#define LLMOS_DIALECT_LLMOS_IR_LLMOSINTERFACES_TD

include "mlir/IR/OpBase.td"

def Llmos_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let cppNamespace = "::mlir::llmos";
  let description = [{
    Derives an op's result types (element type, rank and every dimension that
    can be known) from its operand types, attributes, constant operands and
    regions. Inference never looks at the current result types, so it serves
    both the importer (which creates ops before their types are known) and the
    `llmos-shape-inference` pass (which refines types after folding). Invalid
    operands or attributes make inference emit an error on the op and fail.

    The verifier runs inference and requires every declared result type to be
    compatible with the inferred one: same element type, same rank where both
    are ranked, and equal sizes where both are static.
  }];
  let methods = [
    InterfaceMethod<[{
        Appends one inferred type per result to `inferred`. Emits an error on
        the op and fails when the op is invalid.
      }],
      "::llvm::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$inferred)>,
  ];
  let verify = [{
    return ::mlir::llmos::detail::verifyInferredResultTypes($_op);
  }];
  let verifyWithRegions = 1;
}

#endif // LLMOS_DIALECT_LLMOS_IR_LLMOSINTERFACES_TD
