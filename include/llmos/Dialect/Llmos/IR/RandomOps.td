//===- RandomOps.td - llmos random number generation ops -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_RANDOMOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_RANDOMOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_BernoulliOp : Llmos_Op<"bernoulli", "Bernoulli", [15]> {
  let description = [{
    Draws binary random numbers (0 or 1) from a Bernoulli distribution. The
    input tensor should be a tensor containing probabilities p (a value in the
    range [0,1]) to be used for drawing the binary random number, where an
    output of 1 is produced with probability p and an output of 0 is produced
    with probability (1-p).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Bernoulli.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input,
                   OptionalAttr<TypeAttr>:$dtype,
                   OptionalAttr<Llmos_F32Attr>:$seed);
  let results = (outs Llmos_NumericOrBoolTensor:$output);
}

def Llmos_MultinomialOp : Llmos_Op<"multinomial", "Multinomial", [7]> {
  let description = [{
    Generate a tensor of samples from a multinomial distribution according to
    the probabilities of each of the possible outcomes.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Multinomial.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input,
                   OptionalAttr<TypeAttr>:$dtype,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$sample_size,
                   OptionalAttr<Llmos_F32Attr>:$seed);
  let results = (outs Llmos_IndexTensor:$output);
}

def Llmos_RandomNormalOp : Llmos_Op<"random_normal", "RandomNormal", [1]> {
  let description = [{
    Generate a tensor with random values drawn from a normal distribution. The
    shape of the tensor is specified by the `shape` argument and the parameter
    of the normal distribution specified by `mean` and `scale`.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__RandomNormal.html
  }];
  let arguments = (ins OptionalAttr<TypeAttr>:$dtype,
                   DefaultValuedAttr<Llmos_F32Attr, "0.0">:$mean,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$scale,
                   OptionalAttr<Llmos_F32Attr>:$seed,
                   DenseI64ArrayAttr:$shape);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_RandomNormalLikeOp : Llmos_Op<"random_normal_like", "RandomNormalLike", [1]> {
  let description = [{
    Generate a tensor with random values drawn from a normal distribution. The
    shape of the output tensor is copied from the shape of the input tensor, and
    the parameters of the normal distribution are specified by `mean` and
    `scale`.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__RandomNormalLike.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   OptionalAttr<TypeAttr>:$dtype,
                   DefaultValuedAttr<Llmos_F32Attr, "0.0">:$mean,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$scale,
                   OptionalAttr<Llmos_F32Attr>:$seed);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_RandomUniformOp : Llmos_Op<"random_uniform", "RandomUniform", [1]> {
  let description = [{
    Generate a tensor with random values drawn from a uniform distribution. The
    shape of the tensor is specified by the `shape` argument and the range by
    `low` and `high`.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__RandomUniform.html
  }];
  let arguments = (ins OptionalAttr<TypeAttr>:$dtype,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$high,
                   DefaultValuedAttr<Llmos_F32Attr, "0.0">:$low,
                   OptionalAttr<Llmos_F32Attr>:$seed,
                   DenseI64ArrayAttr:$shape);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_RandomUniformLikeOp : Llmos_Op<"random_uniform_like", "RandomUniformLike", [1]> {
  let description = [{
    Generate a tensor with random values drawn from a uniform distribution. The
    shape of the output tensor is copied from the shape of the input tensor, and
    the parameters of the uniform distribution are specified by `low` and
    `high`.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__RandomUniformLike.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   OptionalAttr<TypeAttr>:$dtype,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$high,
                   DefaultValuedAttr<Llmos_F32Attr, "0.0">:$low,
                   OptionalAttr<Llmos_F32Attr>:$seed);
  let results = (outs Llmos_FloatTensor:$output);
}

#endif // LLMOS_DIALECT_LLMOS_IR_RANDOMOPS_TD
