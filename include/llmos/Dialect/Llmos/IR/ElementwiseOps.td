//===- ElementwiseOps.td - llmos elementwise, activation and comparison ops -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_ELEMENTWISEOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_ELEMENTWISEOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_AbsOp : Llmos_SameTypeOp<"abs", "Abs", [1, 6, 13]> {
  let description = [{
    Absolute takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the absolute is, y = abs(x), is applied to the tensor
    elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Abs.html
  }];
  let arguments = (ins Llmos_NumericTensor:$X);
  let results = (outs Llmos_NumericTensor:$Y);
}

def Llmos_AcosOp : Llmos_SameTypeOp<"acos", "Acos", [7]> {
  let description = [{
    Calculates the arccosine (inverse of cosine) of the given input tensor,
    element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Acos.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_AcoshOp : Llmos_SameTypeOp<"acosh", "Acosh", [9]> {
  let description = [{
    Calculates the hyperbolic arccosine of the given input tensor element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Acosh.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_AddOp : Llmos_BroadcastOp<"add", "Add", [1, 6, 7, 13, 14], /*boolResult=*/0> {
  let description = [{
    Performs element-wise binary addition (with Numpy-style broadcasting
    support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Add.html

    Example:

    ```mlir
    %c = llmos.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B);
  let results = (outs Llmos_NumericTensor:$C);
  let hasFolder = 1;
}

def Llmos_AndOp : Llmos_BroadcastOp<"and", "And", [1, 7], /*boolResult=*/0> {
  let description = [{
    Returns the tensor resulted from performing the `and` logical operation
    elementwise on the input tensors `A` and `B` (with Numpy-style broadcasting
    support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__And.html
  }];
  let arguments = (ins Llmos_BoolTensor:$A,
                   Llmos_BoolTensor:$B);
  let results = (outs Llmos_BoolTensor:$C);
}

def Llmos_AsinOp : Llmos_SameTypeOp<"asin", "Asin", [7]> {
  let description = [{
    Calculates the arcsine (inverse of sine) of the given input tensor, element-
    wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Asin.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_AsinhOp : Llmos_SameTypeOp<"asinh", "Asinh", [9]> {
  let description = [{
    Calculates the hyperbolic arcsine of the given input tensor element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Asinh.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_AtanOp : Llmos_SameTypeOp<"atan", "Atan", [7]> {
  let description = [{
    Calculates the arctangent (inverse of tangent) of the given input tensor,
    element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Atan.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_AtanhOp : Llmos_SameTypeOp<"atanh", "Atanh", [9]> {
  let description = [{
    Calculates the hyperbolic arctangent of the given input tensor element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Atanh.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_BitShiftOp : Llmos_BroadcastOp<"bit_shift", "BitShift", [11, 28], /*boolResult=*/0> {
  let description = [{
    Bitwise shift operator performs element-wise operation. For each input
    element, if the attribute "direction" is "RIGHT", this operator moves its
    binary representation toward the right side so that the input value is
    effectively decreased. If the attribute "direction" is "LEFT", bits of
    binary representation moves toward the left side, which results the increase
    of its actual value. The input X

    ONNX reference: https://onnx.ai/onnx/operators/onnx__BitShift.html
  }];
  // Signed integers since opset 28 (an arithmetic right shift).
  let arguments = (ins Llmos_IntTensor:$X,
                   Llmos_IntTensor:$Y,
                   Llmos_EnumStrAttr<["LEFT", "RIGHT"]>:$direction);
  let results = (outs Llmos_IntTensor:$Z);
}

def Llmos_BitCastOp : Llmos_Op<"bit_cast", "BitCast", [26], [Pure]> {
  let description = [{
    Reinterprets the bits of each element as the element type `to`, with no
    conversion of values: the widths must match (bool counts as 8 bits).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__BitCast.html

    Example:

    ```mlir
    %y = llmos.bit_cast %x {to = i32} : (tensor<4xf32>) -> tensor<4xi32>
    ```
  }];
  let arguments = (ins Llmos_NumericOrBoolTensor:$input, TypeAttr:$to);
  let results = (outs Llmos_NumericOrBoolTensor:$output);
  let hasVerifier = 1;
}

def Llmos_CastOp : Llmos_Op<"cast", "Cast", [1, 6, 9, 13, 19, 21, 23, 24, 25], [Pure]> {
  let description = [{
    The operator casts the elements of a given input tensor to a data type
    specified by the 'to' argument and returns an output tensor of the same size
    in the converted type. The 'to' argument must be one of the data types
    specified in the 'DataType' enum field in the TensorProto message.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Cast.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   TypeAttr:$to,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$saturate,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["up", "down", "nearest"]>, "\"up\"">:$round_mode);
  let results = (outs Llmos_AnyTensor:$output);
  let hasFolder = 1;
}

def Llmos_CastLikeOp : Llmos_Op<"cast_like", "CastLike", [15, 19, 21, 23, 24, 25], [Pure]> {
  let description = [{
    The operator casts the elements of a given input tensor (the first input) to
    the same data type as the elements of the second input tensor. See
    documentation of the Cast operator for further details.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__CastLike.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Llmos_AnyTensor:$target_type,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$saturate,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["up", "down", "nearest"]>, "\"up\"">:$round_mode);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_CeilOp : Llmos_SameTypeOp<"ceil", "Ceil", [1, 6, 13]> {
  let description = [{
    Ceil takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the ceil is, y = ceil(x), is applied to the tensor
    elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Ceil.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_CeluOp : Llmos_SameTypeOp<"celu", "Celu", [12, 28]> {
  let description = [{
    Continuously Differentiable Exponential Linear Units: Perform the linear
    unit element-wise on the input tensor X using formula:

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Celu.html
  }];
  // Celu-12 was float32 only; Celu-28 takes every float type.
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$alpha);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_ClipOp : Llmos_Op<"clip", "Clip", [1, 6, 11, 12, 13], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Clip operator limits the given input within an interval. The interval is
    specified by the inputs 'min' and 'max'. They default to
    numeric_limits::lowest() and numeric_limits::max(), respectively.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Clip.html
  }];
  let arguments = (ins Llmos_NumericTensor:$input,
                   Optional<Llmos_NumericTensor>:$min,
                   Optional<Llmos_NumericTensor>:$max);
  let results = (outs Llmos_NumericTensor:$output);
  let assemblyFormat = [{
    $input (`min` `(` $min^ `)`)? (`max` `(` $max^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_CosOp : Llmos_SameTypeOp<"cos", "Cos", [7]> {
  let description = [{
    Calculates the cosine of the given input tensor, element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Cos.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_CoshOp : Llmos_SameTypeOp<"cosh", "Cosh", [9]> {
  let description = [{
    Calculates the hyperbolic cosine of the given input tensor element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Cosh.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_DivOp : Llmos_BroadcastOp<"div", "Div", [1, 6, 7, 13, 14], /*boolResult=*/0> {
  let description = [{
    Performs element-wise binary division (with Numpy-style broadcasting
    support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Div.html
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B);
  let results = (outs Llmos_NumericTensor:$C);
  let hasFolder = 1;
}

def Llmos_EluOp : Llmos_SameTypeOp<"elu", "Elu", [1, 6]> {
  let description = [{
    Elu takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the function `f(x) = alpha * (exp(x) - 1.) for x < 0`,
    `f(x) = x for x >= 0`., is applied to the tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Elu.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$alpha);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_EqualOp : Llmos_BroadcastOp<"equal", "Equal", [1, 7, 11, 13, 19], /*boolResult=*/1> {
  let description = [{
    Returns the tensor resulted from performing the `equal` logical operation
    elementwise on the input tensors `A` and `B` (with Numpy-style broadcasting
    support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Equal.html
  }];
  let arguments = (ins Llmos_AnyTensor:$A,
                   Llmos_AnyTensor:$B);
  let results = (outs Llmos_BoolTensor:$C);
  let hasFolder = 1;
}

def Llmos_ErfOp : Llmos_SameTypeOp<"erf", "Erf", [9, 13]> {
  let description = [{
    Computes the error function of the given input tensor element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Erf.html
  }];
  let arguments = (ins Llmos_NumericTensor:$input);
  let results = (outs Llmos_NumericTensor:$output);
}

def Llmos_ExpOp : Llmos_SameTypeOp<"exp", "Exp", [1, 6, 13]> {
  let description = [{
    Calculates the exponential of the given input tensor, element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Exp.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_FloorOp : Llmos_SameTypeOp<"floor", "Floor", [1, 6, 13]> {
  let description = [{
    Floor takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the floor is, y = floor(x), is applied to the tensor
    elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Floor.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_GreaterOp : Llmos_BroadcastOp<"greater", "Greater", [1, 7, 9, 13], /*boolResult=*/1> {
  let description = [{
    Returns the tensor resulted from performing the `greater` logical operation
    elementwise on the input tensors `A` and `B` (with Numpy-style broadcasting
    support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Greater.html
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B);
  let results = (outs Llmos_BoolTensor:$C);
}

def Llmos_GreaterOrEqualOp : Llmos_BroadcastOp<"greater_or_equal", "GreaterOrEqual", [12, 16], /*boolResult=*/1> {
  let description = [{
    Returns the tensor resulted from performing the `greater_equal` logical
    operation elementwise on the input tensors `A` and `B` (with Numpy-style
    broadcasting support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__GreaterOrEqual.html
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B);
  let results = (outs Llmos_BoolTensor:$C);
}

def Llmos_HardSigmoidOp : Llmos_SameTypeOp<"hard_sigmoid", "HardSigmoid", [1, 6]> {
  let description = [{
    HardSigmoid takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the HardSigmoid function, y = max(0, min(1, alpha * x +
    beta)), is applied to the tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__HardSigmoid.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_F32Attr, "0.2">:$alpha,
                   DefaultValuedAttr<Llmos_F32Attr, "0.5">:$beta);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_HardSwishOp : Llmos_SameTypeOp<"hard_swish", "HardSwish", [14]> {
  let description = [{
    HardSwish takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the HardSwish function, y = x * max(0, min(1, alpha * x +
    beta)) = x * HardSigmoid<alpha, beta>(x), where alpha = 1/6 and beta = 0.5,
    is applied to the tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__HardSwish.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_IdentityOp : Llmos_SameTypeOp<"identity", "Identity", [1, 13, 14, 16, 19, 21]> {
  let description = [{
    Identity operator

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Identity.html
  }];
  let arguments = (ins Llmos_AnyValue:$input);
  let results = (outs Llmos_AnyValue:$output);
  let hasFolder = 1;
}

def Llmos_IsInfOp : Llmos_Op<"is_inf", "IsInf", [10, 20], [Pure]> {
  let description = [{
    Map infinity to true and other values to false.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__IsInf.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$detect_negative,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$detect_positive);
  let results = (outs Llmos_BoolTensor:$Y);
}

def Llmos_IsNaNOp : Llmos_Op<"is_nan", "IsNaN", [9, 13, 20], [Pure]> {
  let description = [{
    Returns which elements of the input are NaN.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__IsNaN.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_BoolTensor:$Y);
}

def Llmos_LeakyReluOp : Llmos_SameTypeOp<"leaky_relu", "LeakyRelu", [1, 6, 16]> {
  let description = [{
    LeakyRelu takes input data (Tensor<T>) and an argument alpha, and produces
    one output data (Tensor<T>) where the function `f(x) = alpha * x for x < 0`,
    `f(x) = x for x >= 0`, is applied to the data tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__LeakyRelu.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_F32Attr, "0.01">:$alpha);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_LessOp : Llmos_BroadcastOp<"less", "Less", [1, 7, 9, 13], /*boolResult=*/1> {
  let description = [{
    Returns the tensor resulted from performing the `less` logical operation
    elementwise on the input tensors `A` and `B` (with Numpy-style broadcasting
    support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Less.html
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B);
  let results = (outs Llmos_BoolTensor:$C);
}

def Llmos_LessOrEqualOp : Llmos_BroadcastOp<"less_or_equal", "LessOrEqual", [12, 16], /*boolResult=*/1> {
  let description = [{
    Returns the tensor resulted from performing the `less_equal` logical
    operation elementwise on the input tensors `A` and `B` (with Numpy-style
    broadcasting support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__LessOrEqual.html
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B);
  let results = (outs Llmos_BoolTensor:$C);
}

def Llmos_LogOp : Llmos_SameTypeOp<"log", "Log", [1, 6, 13]> {
  let description = [{
    Calculates the natural log of the given input tensor, element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Log.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_MaxOp : Llmos_BroadcastOp<"max", "Max", [1, 6, 8, 12, 13], /*boolResult=*/0> {
  let description = [{
    Element-wise max of each of the input tensors (with Numpy-style broadcasting
    support). All inputs and outputs must have the same data type. This operator
    supports **multidirectional (i.e., Numpy-style) broadcasting**; for more
    details please check [the doc](Broadcasting.md).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Max.html
  }];
  let arguments = (ins Variadic<Llmos_NumericTensor>:$data_0);
  let results = (outs Llmos_NumericTensor:$max);
}

def Llmos_MeanOp : Llmos_BroadcastOp<"mean", "Mean", [1, 6, 8, 13], /*boolResult=*/0> {
  let description = [{
    Element-wise mean of each of the input tensors (with Numpy-style
    broadcasting support). All inputs and outputs must have the same data type.
    This operator supports **multidirectional (i.e., Numpy-style)
    broadcasting**; for more details please check [the doc](Broadcasting.md).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Mean.html
  }];
  let arguments = (ins Variadic<Llmos_FloatTensor>:$data_0);
  let results = (outs Llmos_FloatTensor:$mean);
}

def Llmos_MinOp : Llmos_BroadcastOp<"min", "Min", [1, 6, 8, 12, 13], /*boolResult=*/0> {
  let description = [{
    Element-wise min of each of the input tensors (with Numpy-style broadcasting
    support). All inputs and outputs must have the same data type. This operator
    supports **multidirectional (i.e., Numpy-style) broadcasting**; for more
    details please check [the doc](Broadcasting.md).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Min.html
  }];
  let arguments = (ins Variadic<Llmos_NumericTensor>:$data_0);
  let results = (outs Llmos_NumericTensor:$min);
}

def Llmos_ModOp : Llmos_BroadcastOp<"mod", "Mod", [10, 13], /*boolResult=*/0> {
  let description = [{
    Performs element-wise binary modulus (with Numpy-style broadcasting
    support). The sign of the remainder is the same as that of the Divisor.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Mod.html
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$fmod);
  let results = (outs Llmos_NumericTensor:$C);
}

def Llmos_MulOp : Llmos_BroadcastOp<"mul", "Mul", [1, 6, 7, 13, 14], /*boolResult=*/0> {
  let description = [{
    Performs element-wise binary multiplication (with Numpy-style broadcasting
    support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Mul.html
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B);
  let results = (outs Llmos_NumericTensor:$C);
  let hasFolder = 1;
}

def Llmos_NegOp : Llmos_SameTypeOp<"neg", "Neg", [1, 6, 13]> {
  let description = [{
    Neg takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where each element flipped sign, y = -x, is applied to the
    tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Neg.html
  }];
  let arguments = (ins Llmos_SignedNumericTensor:$X);
  let results = (outs Llmos_SignedNumericTensor:$Y);
  let hasFolder = 1;
}

def Llmos_NotOp : Llmos_SameTypeOp<"not", "Not", [1]> {
  let description = [{
    Returns the negation of the input tensor element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Not.html
  }];
  let arguments = (ins Llmos_BoolTensor:$X);
  let results = (outs Llmos_BoolTensor:$Y);
}

def Llmos_OrOp : Llmos_BroadcastOp<"or", "Or", [1, 7], /*boolResult=*/0> {
  let description = [{
    Returns the tensor resulted from performing the `or` logical operation
    elementwise on the input tensors `A` and `B` (with Numpy-style broadcasting
    support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Or.html
  }];
  let arguments = (ins Llmos_BoolTensor:$A,
                   Llmos_BoolTensor:$B);
  let results = (outs Llmos_BoolTensor:$C);
}

def Llmos_PReluOp : Llmos_Op<"prelu", "PRelu", [1, 6, 7, 9, 16], [Pure]> {
  let description = [{
    PRelu takes input data (Tensor<T>) and slope tensor as input, and produces
    one output data (Tensor<T>) where the function `f(x) = slope * x for x < 0`,
    `f(x) = x for x >= 0`., is applied to the data tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__PRelu.html
  }];
  let arguments = (ins Llmos_NumericTensor:$X,
                   Llmos_NumericTensor:$slope);
  let results = (outs Llmos_NumericTensor:$Y);
}

def Llmos_PowOp : Llmos_Op<"pow", "Pow", [1, 7, 12, 13, 15], [Pure]> {
  let description = [{
    Pow takes input data (Tensor<T>) and exponent Tensor, and produces one
    output data (Tensor<T>) where the function `f(x) = x^exponent`, is applied
    to the data tensor elementwise. This operator supports **multidirectional
    (i.e., Numpy-style) broadcasting**; for more details please check [the
    doc](Broadcasting.md).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Pow.html
  }];
  let arguments = (ins Llmos_SignedNumericTensor:$X,
                   Llmos_NumericTensor:$Y);
  let results = (outs Llmos_SignedNumericTensor:$Z);
}

def Llmos_ReciprocalOp : Llmos_SameTypeOp<"reciprocal", "Reciprocal", [1, 6, 13]> {
  let description = [{
    Reciprocal takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the reciprocal is, y = 1/x, is applied to the tensor
    elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Reciprocal.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_ReluOp : Llmos_SameTypeOp<"relu", "Relu", [1, 6, 13, 14]> {
  let description = [{
    Relu takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the rectified linear function, y = max(0, x), is applied
    to the tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Relu.html

    Example:

    ```mlir
    %y = llmos.relu %x : (tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins Llmos_SignedNumericTensor:$X);
  let results = (outs Llmos_SignedNumericTensor:$Y);
}

def Llmos_RoundOp : Llmos_SameTypeOp<"round", "Round", [11]> {
  let description = [{
    Round takes one input Tensor and rounds the values, element-wise, meaning it
    finds the nearest integer for each value. In case of halfs, the rule is to
    round them to the nearest even integer. The output tensor has the same shape
    and type as the input.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Round.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_SeluOp : Llmos_SameTypeOp<"selu", "Selu", [1, 6]> {
  let description = [{
    Selu takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the scaled exponential linear unit function, `y = gamma *
    (alpha * e^x - alpha) for x <= 0`, `y = gamma * x for x > 0`, is applied to
    the tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Selu.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_F32Attr, "1.6732632">:$alpha,
                   DefaultValuedAttr<Llmos_F32Attr, "1.050701">:$gamma);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_ShrinkOp : Llmos_SameTypeOp<"shrink", "Shrink", [9]> {
  let description = [{
    Shrink takes one input data (Tensor<numeric>) and produces one Tensor
    output, having same datatype and shape with input. It has two attributes,
    lambd and bias. The formula of this operator is: If x < -lambd, y = x +
    bias; If x > lambd, y = x - bias; Otherwise, y = 0.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Shrink.html
  }];
  let arguments = (ins Llmos_NumericTensor:$input,
                   DefaultValuedAttr<Llmos_F32Attr, "0.0">:$bias,
                   DefaultValuedAttr<Llmos_F32Attr, "0.5">:$lambd);
  let results = (outs Llmos_NumericTensor:$output);
}

def Llmos_SigmoidOp : Llmos_SameTypeOp<"sigmoid", "Sigmoid", [1, 6, 13]> {
  let description = [{
    Sigmoid takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the sigmoid function, y = 1 / (1 + exp(-x)), is applied to
    the tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Sigmoid.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_SignOp : Llmos_SameTypeOp<"sign", "Sign", [9, 13]> {
  let description = [{
    Calculate the sign of the given input tensor element-wise. If input > 0,
    output 1. if input < 0, output -1. if input == 0, output 0.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Sign.html
  }];
  let arguments = (ins Llmos_NumericTensor:$input);
  let results = (outs Llmos_NumericTensor:$output);
}

def Llmos_SinOp : Llmos_SameTypeOp<"sin", "Sin", [7]> {
  let description = [{
    Calculates the sine of the given input tensor, element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Sin.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_SinhOp : Llmos_SameTypeOp<"sinh", "Sinh", [9]> {
  let description = [{
    Calculates the hyperbolic sine of the given input tensor element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Sinh.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_SoftplusOp : Llmos_SameTypeOp<"softplus", "Softplus", [1]> {
  let description = [{
    Softplus takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the softplus function, y = ln(exp(x) + 1), is applied to
    the tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Softplus.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_SoftsignOp : Llmos_SameTypeOp<"softsign", "Softsign", [1]> {
  let description = [{
    Calculates the softsign (x/(1+|x|)) of the given input tensor element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Softsign.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_SqrtOp : Llmos_SameTypeOp<"sqrt", "Sqrt", [1, 6, 13]> {
  let description = [{
    Square root takes one input data (Tensor<T>) and produces one output data
    (Tensor<T>) where the square root is, y = x^0.5, is applied to the tensor
    elementwise. If x is negative, then it will return NaN.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Sqrt.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_SubOp : Llmos_BroadcastOp<"sub", "Sub", [1, 6, 7, 13, 14], /*boolResult=*/0> {
  let description = [{
    Performs element-wise binary subtraction (with Numpy-style broadcasting
    support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Sub.html
  }];
  let arguments = (ins Llmos_NumericTensor:$A,
                   Llmos_NumericTensor:$B);
  let results = (outs Llmos_NumericTensor:$C);
  let hasFolder = 1;
}

def Llmos_SumOp : Llmos_BroadcastOp<"sum", "Sum", [1, 6, 8, 13], /*boolResult=*/0> {
  let description = [{
    Element-wise sum of each of the input tensors (with Numpy-style broadcasting
    support). All inputs and outputs must have the same data type. This operator
    supports **multidirectional (i.e., Numpy-style) broadcasting**; for more
    details please check [the doc](Broadcasting.md).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Sum.html
  }];
  let arguments = (ins Variadic<Llmos_FloatTensor>:$data_0);
  let results = (outs Llmos_FloatTensor:$sum);
}

def Llmos_TanOp : Llmos_SameTypeOp<"tan", "Tan", [7]> {
  let description = [{
    Calculates the tangent of the given input tensor, element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Tan.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_TanhOp : Llmos_SameTypeOp<"tanh", "Tanh", [1, 6, 13]> {
  let description = [{
    Calculates the hyperbolic tangent of the given input tensor element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Tanh.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_ThresholdedReluOp : Llmos_SameTypeOp<"thresholded_relu", "ThresholdedRelu", [10]> {
  let description = [{
    ThresholdedRelu takes one input data (Tensor<T>) and produces one output
    data (Tensor<T>) where the rectified linear function, y = x for x > alpha, y
    = 0 otherwise, is applied to the tensor elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ThresholdedRelu.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$alpha);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_WhereOp : Llmos_Op<"where", "Where", [9, 16], [Pure]> {
  let description = [{
    Return elements, either from X or Y, depending on condition. Where behaves
    like [numpy.where](https://docs.scipy.org/doc/numpy/reference/generated/nump
    y.where.html) with three parameters.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Where.html
  }];
  let arguments = (ins Llmos_BoolTensor:$condition,
                   Llmos_AnyTensor:$X,
                   Llmos_AnyTensor:$Y);
  let results = (outs Llmos_AnyTensor:$output);
  let hasFolder = 1;
}

def Llmos_XorOp : Llmos_BroadcastOp<"xor", "Xor", [1, 7], /*boolResult=*/0> {
  let description = [{
    Returns the tensor resulted from performing the `xor` logical operation
    elementwise on the input tensors `A` and `B` (with Numpy-style broadcasting
    support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Xor.html
  }];
  let arguments = (ins Llmos_BoolTensor:$A,
                   Llmos_BoolTensor:$B);
  let results = (outs Llmos_BoolTensor:$C);
}

def Llmos_BitwiseAndOp : Llmos_BroadcastOp<"bitwise_and", "BitwiseAnd", [18], /*boolResult=*/0> {
  let description = [{
    Returns the tensor resulting from performing the bitwise `and` operation
    elementwise on the input tensors `A` and `B` (with Numpy-style
    broadcasting support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__BitwiseAnd.html
  }];
  let arguments = (ins Llmos_IntTensor:$A, Llmos_IntTensor:$B);
  let results = (outs Llmos_IntTensor:$C);
}

def Llmos_BitwiseOrOp : Llmos_BroadcastOp<"bitwise_or", "BitwiseOr", [18], /*boolResult=*/0> {
  let description = [{
    Returns the tensor resulting from performing the bitwise `or` operation
    elementwise on the input tensors `A` and `B` (with Numpy-style
    broadcasting support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__BitwiseOr.html
  }];
  let arguments = (ins Llmos_IntTensor:$A, Llmos_IntTensor:$B);
  let results = (outs Llmos_IntTensor:$C);
}

def Llmos_BitwiseXorOp : Llmos_BroadcastOp<"bitwise_xor", "BitwiseXor", [18], /*boolResult=*/0> {
  let description = [{
    Returns the tensor resulting from performing the bitwise `xor` operation
    elementwise on the input tensors `A` and `B` (with Numpy-style
    broadcasting support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__BitwiseXor.html
  }];
  let arguments = (ins Llmos_IntTensor:$A, Llmos_IntTensor:$B);
  let results = (outs Llmos_IntTensor:$C);
}

def Llmos_BitwiseNotOp : Llmos_SameTypeOp<"bitwise_not", "BitwiseNot", [18]> {
  let description = [{
    Returns the bitwise not of the input tensor element-wise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__BitwiseNot.html
  }];
  let arguments = (ins Llmos_IntTensor:$X);
  let results = (outs Llmos_IntTensor:$Y);
}

def Llmos_MishOp : Llmos_SameTypeOp<"mish", "Mish", [18]> {
  let description = [{
    Mish: A Self Regularized Non-Monotonic Neural Activation Function,
    `mish(x) = x * tanh(softplus(x)) = x * tanh(ln(1 + e^{x}))`, applied
    elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Mish.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_GeluOp : Llmos_SameTypeOp<"gelu", "Gelu", [20]> {
  let description = [{
    Gaussian error linear unit, `y = 0.5 * x * (1 + erf(x / sqrt(2)))`, or
    with `approximate = "tanh"`,
    `y = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`, applied
    elementwise.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Gelu.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["none", "tanh"]>, "\"none\"">:$approximate);
  let results = (outs Llmos_FloatTensor:$Y);
}

#endif // LLMOS_DIALECT_LLMOS_IR_ELEMENTWISEOPS_TD
