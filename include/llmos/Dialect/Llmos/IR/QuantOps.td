//===- QuantOps.td - llmos quantization ops -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_QUANTOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_QUANTOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_ConvIntegerOp : Llmos_Op<"conv_integer", "ConvInteger", [10], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    The integer convolution operator consumes an input tensor, its zero-point, a
    filter, and its zero-point, and computes the output. The production MUST
    never overflow. The accumulation may overflow if and only if in 32 bits.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ConvInteger.html
  }];
  let arguments = (ins Llmos_QuantTensor:$x,
                   Llmos_QuantTensor:$w,
                   Optional<Llmos_QuantTensor>:$x_zero_point,
                   Optional<Llmos_QuantTensor>:$w_zero_point,
                   DefaultValuedAttr<Llmos_AutoPadAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Llmos_I32Tensor:$y);
  let assemblyFormat = [{
    $x `,` $w (`x_zero_point` `(` $x_zero_point^ `)`)? (`w_zero_point` `(` $w_zero_point^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_DequantizeLinearOp : Llmos_Op<"dequantize_linear", "DequantizeLinear", [10, 13, 19, 21], [Pure]> {
  let description = [{
    The linear dequantization operator. It consumes a quantized tensor, a scale,
    and a zero point to compute the full precision tensor. The dequantization
    formula is y = (x - x_zero_point) * x_scale. 'x_scale' and 'x_zero_point'
    must have same shape, and can be either a scalar for per-tensor / per layer
    quantization, or a 1-D tensor for per-axis quantization. 'x_zero_point' and
    'x' must have same type

    ONNX reference: https://onnx.ai/onnx/operators/onnx__DequantizeLinear.html
  }];
  let arguments = (ins Llmos_QuantTensor:$x,
                   Llmos_FloatTensor:$x_scale,
                   Optional<Llmos_QuantTensor>:$x_zero_point,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$block_size);
  let results = (outs Llmos_FloatTensor:$y);
}

def Llmos_DynamicQuantizeLinearOp : Llmos_Op<"dynamic_quantize_linear", "DynamicQuantizeLinear", [11], [Pure]> {
  let description = [{
    A Function to fuse calculation for Scale, Zero Point and FP32->8Bit
    convertion of FP32 Input data. Outputs Scale, ZeroPoint and Quantized Input
    for a given FP32 Input. Scale is calculated as: ``` y_scale = (max(x) -
    min(x))/(qmax - qmin) * where qmax and qmin are max and min values for
    quantization range .i.e [0, 255] in case of uint8 * data range is adjusted
    to include 0. ``` Zero point is cal

    ONNX reference: https://onnx.ai/onnx/operators/onnx__DynamicQuantizeLinear.html
  }];
  let arguments = (ins Llmos_F32Tensor:$x);
  let results = (outs Llmos_UI8Tensor:$y,
                 Llmos_F32Tensor:$y_scale,
                 Llmos_UI8Tensor:$y_zero_point);
}

def Llmos_MatMulIntegerOp : Llmos_Op<"matmul_integer", "MatMulInteger", [10], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Matrix product that behaves like numpy.matmul: https://docs.scipy.org/doc/nu
    mpy-1.13.0/reference/generated/numpy.matmul.html. The production MUST never
    overflow. The accumulation may overflow if and only if in 32 bits.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__MatMulInteger.html
  }];
  let arguments = (ins Llmos_QuantTensor:$A,
                   Llmos_QuantTensor:$B,
                   Optional<Llmos_QuantTensor>:$a_zero_point,
                   Optional<Llmos_QuantTensor>:$b_zero_point);
  let results = (outs Llmos_I32Tensor:$Y);
  let assemblyFormat = [{
    $A `,` $B (`a_zero_point` `(` $a_zero_point^ `)`)? (`b_zero_point` `(` $b_zero_point^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_QLinearConvOp : Llmos_Op<"qlinear_conv", "QLinearConv", [10], [Pure]> {
  let description = [{
    The convolution operator consumes a quantized input tensor, its scale and
    zero point, a quantized filter, its scale and zero point, and output's scale
    and zero point, and computes the quantized output. Each scale and zero-point
    pair must have same shape. It means they must be either scalars (per tensor)
    or 1-D tensors (per output channel). Each input or output and its related
    zero point must have

    ONNX reference: https://onnx.ai/onnx/operators/onnx__QLinearConv.html
  }];
  let arguments = (ins Llmos_QuantTensor:$x,
                   Llmos_F32Tensor:$x_scale,
                   Llmos_QuantTensor:$x_zero_point,
                   Llmos_QuantTensor:$w,
                   Llmos_F32Tensor:$w_scale,
                   Llmos_QuantTensor:$w_zero_point,
                   Llmos_F32Tensor:$y_scale,
                   Llmos_QuantTensor:$y_zero_point,
                   Optional<Llmos_I32Tensor>:$B,
                   DefaultValuedAttr<Llmos_AutoPadAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Llmos_QuantTensor:$y);
}

def Llmos_QLinearMatMulOp : Llmos_Op<"qlinear_matmul", "QLinearMatMul", [10, 21], [Pure]> {
  let description = [{
    Matrix product that behaves like numpy.matmul: https://docs.scipy.org/doc/nu
    mpy-1.13.0/reference/generated/numpy.matmul.html. It consumes two quantized
    input tensors, their scales and zero points, scale and zero point of output,
    and computes the quantized output. The quantization formula is y =
    saturate((x / y_scale) + y_zero_point). For (x / y_scale), it is rounding to
    nearest ties to even. Refer

    ONNX reference: https://onnx.ai/onnx/operators/onnx__QLinearMatMul.html
  }];
  let arguments = (ins Llmos_QuantTensor:$a,
                   Llmos_FloatTensor:$a_scale,
                   Llmos_QuantTensor:$a_zero_point,
                   Llmos_QuantTensor:$b,
                   Llmos_FloatTensor:$b_scale,
                   Llmos_QuantTensor:$b_zero_point,
                   Llmos_FloatTensor:$y_scale,
                   Llmos_QuantTensor:$y_zero_point);
  let results = (outs Llmos_QuantTensor:$y);
}

def Llmos_QuantizeLinearOp : Llmos_Op<"quantize_linear", "QuantizeLinear", [10, 13, 19, 21], [Pure]> {
  let description = [{
    The linear quantization operator. It consumes a high precision tensor, a
    scale, and a zero point to compute the low precision / quantized tensor. The
    scale factor and zero point must have same shape, and can be either a scalar
    for per-tensor / per layer quantization, or a 1-D tensor for per-axis
    quantization. The quantization formula is y = saturate ((x / y_scale) +
    y_zero_point). For saturation,

    ONNX reference: https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html
  }];
  let arguments = (ins TensorOf<[F16, BF16, F32, I32]>:$x,
                   Llmos_FloatTensor:$y_scale,
                   Optional<Llmos_QuantTensor>:$y_zero_point,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$block_size,
                   OptionalAttr<TypeAttr>:$output_dtype,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$saturate);
  let results = (outs Llmos_QuantTensor:$y);
}

#endif // LLMOS_DIALECT_LLMOS_IR_QUANTOPS_TD
