//===- FusedOps.td - llmos ops made by node merging --------*- tablegen -*-===//
//
// Ops that no ONNX operator maps to: the graph phase's node-merging passes
// build them from subgraphs (a convolution with its bias and activation, a
// matmul with its epilogue, scaled dot-product attention), so that one op
// carries what code generation can emit as one kernel.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_FUSEDOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_FUSEDOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

// An op of the graph phase's own (not imported; no ONNX operator).
class Llmos_GraphOp<string mnemonic, list<Trait> traits = []>
    : Op<Llmos_Dialect, mnemonic,
         !listconcat(traits, [Pure,
             DeclareOpInterfaceMethods<Llmos_ShapeInferenceOpInterface>])>;

// The activation an epilogue applies last. Parameters (`activation_params`):
// leaky_relu [alpha], clip [min, max], hard_sigmoid [alpha, beta]; the
// others take none.
def Llmos_ActivationAttr : Llmos_EnumStrAttr<["none", "relu", "leaky_relu",
    "clip", "sigmoid", "hard_sigmoid", "hard_swish", "silu", "gelu",
    "gelu_tanh", "tanh"]>;

def Llmos_FusedConvOp : Llmos_GraphOp<"fused_conv", [AttrSizedOperandSegments]> {
  let summary = "Convolution with bias, residual addition and activation";
  let description = [{
    `Y = activation(Conv(X, W) + B + residual)`: an ONNX Conv (same
    attributes and operands) whose per-channel bias, an elementwise addition
    of a tensor of the result's shape (the residual of a skip connection)
    and an activation are applied as one epilogue. `llmos-fuse-epilogues`
    builds it.

    ```mlir
    %y = llmos.fused_conv %x, %w bias(%b) residual(%skip)
        {activation = "relu", pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>,
           tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$W,
                   Optional<Llmos_FloatTensor>:$B,
                   Optional<Llmos_FloatTensor>:$residual,
                   DefaultValuedAttr<Llmos_AutoPadAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides,
                   DefaultValuedAttr<Llmos_ActivationAttr, "\"none\"">:$activation,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_params);
  let results = (outs Llmos_FloatTensor:$Y);
  let assemblyFormat = [{
    $X `,` $W (`bias` `(` $B^ `)`)? (`residual` `(` $residual^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Llmos_FusedMatMulOp : Llmos_GraphOp<"fused_matmul", [AttrSizedOperandSegments]> {
  let summary = "MatMul with scale, bias, residual addition and activation";
  let description = [{
    `Y = activation(alpha * MatMul(A, B') + bias + residual)` where `B'` is
    `B`, or `B` with its last two dims swapped when `trans_b` is 1. The
    matmul follows ONNX MatMul (numpy batch broadcasting); `bias` and
    `residual` broadcast to the product's shape and do not change it.
    `llmos-fuse-epilogues` builds it from MatMul, Gemm, Add and the
    activations; `llmos-merge-sibling-matmuls` from siblings sharing `A`.

    ```mlir
    %y = llmos.fused_matmul %x, %w bias(%b) {activation = "gelu"}
        : (tensor<?x128x768xf32>, tensor<768x3072xf32>, tensor<3072xf32>)
        -> tensor<?x128x3072xf32>
    ```
  }];
  let arguments = (ins Llmos_FloatTensor:$A,
                   Llmos_FloatTensor:$B,
                   Optional<Llmos_FloatTensor>:$bias,
                   Optional<Llmos_FloatTensor>:$residual,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$trans_b,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<Llmos_ActivationAttr, "\"none\"">:$activation,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_params);
  let results = (outs Llmos_FloatTensor:$Y);
  let assemblyFormat = [{
    $A `,` $B (`bias` `(` $bias^ `)`)? (`residual` `(` $residual^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Llmos_AttentionOp : Llmos_GraphOp<"attention"> {
  let summary = "Scaled dot-product attention";
  let description = [{
    `Y = Softmax(scale * Q K^T + mask) V` over the last axis, with
    Q `[batch..., Sq, D]`, K `[batch..., Sk, D]`, V `[batch..., Sk, Dv]`
    (one batch shape for all three) and an additive `mask` that broadcasts
    to `[batch..., Sq, Sk]`; Y is `[batch..., Sq, Dv]`.
    `llmos-fuse-attention` builds it from MatMul-Scale-Mask-Softmax-MatMul
    subgraphs (a boolean mask applied with Where becomes additive).

    ```mlir
    %y = llmos.attention %q, %k, %v mask(%m) {scale = 0.125 : f32}
        : (tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>,
           tensor<?x1x1x?xf32>) -> tensor<?x12x?x64xf32>
    ```
  }];
  let arguments = (ins Llmos_FloatTensor:$Q,
                   Llmos_FloatTensor:$K,
                   Llmos_FloatTensor:$V,
                   Optional<Llmos_FloatTensor>:$mask,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$scale);
  let results = (outs Llmos_FloatTensor:$Y);
  let assemblyFormat = [{
    $Q `,` $K `,` $V (`mask` `(` $mask^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Llmos_FusedElementwiseOp : Llmos_GraphOp<"fused_elementwise",
    [IsolatedFromAbove]> {
  let summary = "A chain of elementwise ops as one op";
  let description = [{
    Applies its body to every element of the result: the body's arguments
    are 0-D tensors holding one element of each input (inputs broadcast to
    the result under numpy rules), its ops are llmos elementwise ops on 0-D
    tensors, and `llmos.yield` returns the result's element.
    `llmos-fuse-elementwise-chains` builds it from chains of elementwise
    ops; code generation emits it as one loop nest.

    ```mlir
    %y = llmos.fused_elementwise %x, %m : (tensor<?x64xf32>, tensor<64xf32>) -> tensor<?x64xf32> {
    ^bb0(%a: tensor<f32>, %b: tensor<f32>):
      %0 = llmos.mul %a, %b : (tensor<f32>, tensor<f32>) -> tensor<f32>
      %1 = llmos.tanh %0 : (tensor<f32>) -> tensor<f32>
      llmos.yield %1 : tensor<f32>
    }
    ```
  }];
  let arguments = (ins Variadic<Llmos_AnyTensor>:$inputs);
  let results = (outs Llmos_AnyTensor:$output);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, results) $body
  }];
  let hasRegionVerifier = 1;
}

#endif // LLMOS_DIALECT_LLMOS_IR_FUSEDOPS_TD
