//===- LinearAlgebraOps.td - llmos Gemm, MatMul, Einsum, Det -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_LINEARALGEBRAOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_LINEARALGEBRAOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_DetOp : Llmos_Op<"det", "Det", [11], [Pure]> {
  let description = [{
    Det calculates determinant of a square matrix or batches of square matrices.
    Det takes one input tensor of shape `[*, M, M]`, where `*` is zero or more
    batch dimensions, and the inner-most 2 dimensions form square matrices. The
    output is a tensor of shape `[*]`, containing the determinants of all input
    submatrices. e.g., When the input is 2-D, the output is a scalar(shape is
    empty: `[]`).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Det.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_EinsumOp : Llmos_Op<"einsum", "Einsum", [12], [Pure]> {
  let description = [{
    An einsum of the form ```term1, term2 -> output-term``` produces an output
    tensor using the following equation

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Einsum.html
  }];
  let arguments = (ins Variadic<Llmos_NumericTensor>:$Inputs,
                   StrAttr:$equation);
  let results = (outs Llmos_NumericTensor:$Output);
}

def Llmos_GemmOp : Llmos_Op<"gemm", "Gemm", [1, 6, 7, 9, 11, 13], [Pure]> {
  let description = [{
    General Matrix multiplication:
    https://en.wikipedia.org/wiki/Basic_Linear_Algebra_Subprograms#Level_3

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Gemm.html
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B,
                   Optional<Llmos_NumericTensor>:$C,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$beta,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$transA,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$transB);
  let results = (outs Llmos_NumericTensor:$Y);
}

def Llmos_MatMulOp : Llmos_Op<"matmul", "MatMul", [1, 9, 13], [Pure]> {
  let description = [{
    Matrix product that behaves like numpy.matmul: https://docs.scipy.org/doc/nu
    mpy-1.13.0/reference/generated/numpy.matmul.html

    ONNX reference: https://onnx.ai/onnx/operators/onnx__MatMul.html
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B);
  let results = (outs Llmos_NumericTensor:$Y);
}

#endif // LLMOS_DIALECT_LLMOS_IR_LINEARALGEBRAOPS_TD
