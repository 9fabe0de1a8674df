//===- ReductionOps.td - llmos reductions, arg-reductions, softmax family, TopK and CumSum -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_REDUCTIONOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_REDUCTIONOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_ArgMaxOp : Llmos_Op<"arg_max", "ArgMax", [1, 11, 12, 13], [Pure]> {
  let description = [{
    Computes the indices of the max elements of the input tensor's element along
    the provided axis. The resulting tensor has the same rank as the input if
    keepdims equals 1. If keepdims equals 0, then the resulting tensor has the
    reduced dimension pruned. If select_last_index is True (default False), the
    index of the last occurrence of the max is selected if the max appears more
    than once in the input

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ArgMax.html
  }];
  let arguments = (ins Llmos_NumericTensor:$data,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$select_last_index);
  let results = (outs Llmos_I64Tensor:$reduced);
}

def Llmos_ArgMinOp : Llmos_Op<"arg_min", "ArgMin", [1, 11, 12, 13], [Pure]> {
  let description = [{
    Computes the indices of the min elements of the input tensor's element along
    the provided axis. The resulting tensor has the same rank as the input if
    keepdims equals 1. If keepdims equals 0, then the resulting tensor has the
    reduced dimension pruned. If select_last_index is True (default False), the
    index of the last occurrence of the min is selected if the min appears more
    than once in the input

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ArgMin.html
  }];
  let arguments = (ins Llmos_NumericTensor:$data,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$select_last_index);
  let results = (outs Llmos_I64Tensor:$reduced);
}

def Llmos_CumSumOp : Llmos_SameTypeOp<"cum_sum", "CumSum", [11, 14]> {
  let description = [{
    Performs cumulative sum of the input elements along the given axis. By
    default, it will do the sum inclusively meaning the first element is copied
    as is. Through an `exclusive` attribute, this behavior can change to exclude
    the first element. It can also perform summation in the opposite direction
    of the axis. For that, set `reverse` attribute to 1.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__CumSum.html
  }];
  let arguments = (ins Llmos_NumericTensor:$x,
                   Llmos_IndexTensor:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$exclusive,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$reverse);
  let results = (outs Llmos_NumericTensor:$y);
  let hasVerifier = 1;
}

def Llmos_CumProdOp : Llmos_SameTypeOp<"cum_prod", "CumProd", [26]> {
  let description = [{
    Performs the cumulative product of the input elements along the given
    axis: inclusive by default (the first element is copied as is);
    `exclusive` shifts the products by one, starting from 1; `reverse` runs
    from the end of the axis.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__CumProd.html

    Example:

    ```mlir
    %y = llmos.cum_prod %x, %axis {exclusive = 1 : i64} : (tensor<5xf32>, tensor<i64>) -> tensor<5xf32>
    ```
  }];
  let arguments = (ins Llmos_NumericTensor:$x,
                   Llmos_IndexTensor:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$exclusive,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$reverse);
  let results = (outs Llmos_NumericTensor:$y);
  let hasVerifier = 1;
}

def Llmos_HardmaxOp : Llmos_SameTypeOp<"hardmax", "Hardmax", [1, 11, 13]> {
  let description = [{
    The operator computes the hardmax values for the given input:

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Hardmax.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input,
                   DefaultValuedAttr<Llmos_I64Attr, "-1">:$axis);
  let results = (outs Llmos_FloatTensor:$output);
  let hasVerifier = 1;
}

def Llmos_LogSoftmaxOp : Llmos_SameTypeOp<"log_softmax", "LogSoftmax", [1, 11, 13]> {
  let description = [{
    The operator computes the log of softmax values for the given input:

    ONNX reference: https://onnx.ai/onnx/operators/onnx__LogSoftmax.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input,
                   DefaultValuedAttr<Llmos_I64Attr, "-1">:$axis);
  let results = (outs Llmos_FloatTensor:$output);
  let hasVerifier = 1;
}

def Llmos_ReduceL1Op : Llmos_ReduceOp<"reduce_l1", "ReduceL1", [1, 11, 13, 18], Llmos_NumericTensor> {
  let description = [{
    Computes the L1 norm of the input tensor's element along the provided axes.
    The resulting tensor has the same rank as the input if keepdims equals 1. If
    keepdims equals 0, then the resulting tensor has the reduced dimension
    pruned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReduceL1.html
  }];
}

def Llmos_ReduceL2Op : Llmos_ReduceOp<"reduce_l2", "ReduceL2", [1, 11, 13, 18], Llmos_NumericTensor> {
  let description = [{
    Computes the L2 norm of the input tensor's element along the provided axes.
    The resulting tensor has the same rank as the input if keepdims equals 1. If
    keepdims equals 0, then the resulting tensor has the reduced dimension
    pruned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReduceL2.html
  }];
}

def Llmos_ReduceLogSumOp : Llmos_ReduceOp<"reduce_log_sum", "ReduceLogSum", [1, 11, 13, 18], Llmos_NumericTensor> {
  let description = [{
    Computes the log sum of the input tensor's element along the provided axes.
    The resulting tensor has the same rank as the input if keepdims equals 1. If
    keepdims equals 0, then the resulting tensor has the reduced dimension
    pruned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReduceLogSum.html
  }];
}

def Llmos_ReduceLogSumExpOp : Llmos_ReduceOp<"reduce_log_sum_exp", "ReduceLogSumExp", [1, 11, 13, 18], Llmos_NumericTensor> {
  let description = [{
    Computes the log sum exponent of the input tensor's element along the
    provided axes. The resulting tensor has the same rank as the input if
    keepdims equals 1. If keepdims equals 0, then the resulting tensor has the
    reduced dimension pruned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReduceLogSumExp.html
  }];
}

def Llmos_ReduceMaxOp : Llmos_ReduceOp<"reduce_max", "ReduceMax", [1, 11, 12, 13, 18, 20], Llmos_NumericOrBoolTensor> {
  let description = [{
    Computes the max of the input tensor's element along the provided axes. The
    resulting tensor has the same rank as the input if keepdims equals 1. If
    keepdims equals 0, then the resulting tensor has the reduced dimension
    pruned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReduceMax.html
  }];
}

def Llmos_ReduceMeanOp : Llmos_ReduceOp<"reduce_mean", "ReduceMean", [1, 11, 13, 18], Llmos_NumericTensor> {
  let description = [{
    Computes the mean of the input tensor's element along the provided axes. The
    resulting tensor has the same rank as the input if keepdims equals 1. If
    keepdims equals 0, then the resulting tensor has the reduced dimension
    pruned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReduceMean.html

    Example:

    ```mlir
    %m = llmos.reduce_mean %x, %axes : (tensor<1x128x768xf32>, tensor<1xi64>) -> tensor<1x128x1xf32>
    ```
  }];
}

def Llmos_ReduceMinOp : Llmos_ReduceOp<"reduce_min", "ReduceMin", [1, 11, 12, 13, 18, 20], Llmos_NumericOrBoolTensor> {
  let description = [{
    Computes the min of the input tensor's element along the provided axes. The
    resulting tensor has the same rank as the input if keepdims equals 1. If
    keepdims equals 0, then the resulting tensor has the reduced dimension
    pruned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReduceMin.html
  }];
}

def Llmos_ReduceProdOp : Llmos_ReduceOp<"reduce_prod", "ReduceProd", [1, 11, 13, 18], Llmos_NumericTensor> {
  let description = [{
    Computes the product of the input tensor's element along the provided axes.
    The resulting tensor has the same rank as the input if keepdims equals 1. If
    keepdims equals 0, then the resulting tensor has the reduced dimension
    pruned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReduceProd.html
  }];
}

def Llmos_ReduceSumOp : Llmos_ReduceOp<"reduce_sum", "ReduceSum", [1, 11, 13], Llmos_NumericTensor> {
  let description = [{
    Computes the sum of the input tensor's element along the provided axes. The
    resulting tensor has the same rank as the input if keepdims equals 1. If
    keepdims equals 0, then the resulting tensor has the reduced dimension
    pruned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReduceSum.html
  }];
}

def Llmos_ReduceSumSquareOp : Llmos_ReduceOp<"reduce_sum_square", "ReduceSumSquare", [1, 11, 13, 18], Llmos_NumericTensor> {
  let description = [{
    Computes the sum square of the input tensor's element along the provided
    axes. The resulting tensor has the same rank as the input if keepdims equals
    1. If keepdims equals 0, then the resulting tensor has the reduced dimension
    pruned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReduceSumSquare.html
  }];
}

def Llmos_SoftmaxOp : Llmos_SameTypeOp<"softmax", "Softmax", [1, 11, 13]> {
  let description = [{
    The operator computes the normalized exponential values for the given input:

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Softmax.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input,
                   DefaultValuedAttr<Llmos_I64Attr, "-1">:$axis);
  let results = (outs Llmos_FloatTensor:$output);
  let hasVerifier = 1;
}

def Llmos_TopKOp : Llmos_Op<"top_k", "TopK", [1, 10, 11], [Pure]> {
  let description = [{
    Retrieve the top-K largest or smallest elements along a specified axis.
    Given an input tensor of shape [a_1, a_2, ..., a_n, r] and integer argument
    k, return two outputs: -Value tensor of shape [a_1, a_2, ..., a_{axis-1}, k,
    a_{axis+1}, ... a_n] which contains the values of the top k elements along
    the specified axis -Index tensor of shape [a_1, a_2, ..., a_{axis-1}, k,
    a_{axis+1}, ... a_n

    ONNX reference: https://onnx.ai/onnx/operators/onnx__TopK.html
  }];
  let arguments = (ins Llmos_NumericTensor:$X,
                   Llmos_I64Tensor:$K,
                   DefaultValuedAttr<Llmos_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$largest,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$sorted);
  let results = (outs Llmos_NumericTensor:$Values,
                 Llmos_I64Tensor:$Indices);
}

#endif // LLMOS_DIALECT_LLMOS_IR_REDUCTIONOPS_TD
