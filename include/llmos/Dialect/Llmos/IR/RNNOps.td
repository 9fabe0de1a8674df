//===- RNNOps.td - llmos recurrent layers (RNN, GRU, LSTM) -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_RNNOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_RNNOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_GRUOp : Llmos_Op<"gru", "GRU", [1, 3, 7, 14], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Computes an one-layer GRU. This operator is usually supported via some
    custom implementation such as CuDNN.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__GRU.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$W,
                   Llmos_FloatTensor:$R,
                   Optional<Llmos_FloatTensor>:$B,
                   Optional<Llmos_I32Tensor>:$sequence_lens,
                   Optional<Llmos_FloatTensor>:$initial_h,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_alpha,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_beta,
                   OptionalAttr<StrArrayAttr>:$activations,
                   OptionalAttr<Llmos_F32Attr>:$clip,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["forward", "reverse", "bidirectional"]>, "\"forward\"">:$direction,
                   OptionalAttr<Llmos_I64Attr>:$hidden_size,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$layout,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$linear_before_reset);
  let results = (outs Llmos_FloatTensor:$Y,
                 Llmos_FloatTensor:$Y_h);
  let assemblyFormat = [{
    $X `,` $W `,` $R (`B` `(` $B^ `)`)? (`sequence_lens` `(` $sequence_lens^ `)`)? (`initial_h` `(` $initial_h^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_LSTMOp : Llmos_Op<"lstm", "LSTM", [1, 7, 14], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Computes an one-layer LSTM. This operator is usually supported via some
    custom implementation such as CuDNN.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__LSTM.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$W,
                   Llmos_FloatTensor:$R,
                   Optional<Llmos_FloatTensor>:$B,
                   Optional<Llmos_I32Tensor>:$sequence_lens,
                   Optional<Llmos_FloatTensor>:$initial_h,
                   Optional<Llmos_FloatTensor>:$initial_c,
                   Optional<Llmos_FloatTensor>:$P,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_alpha,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_beta,
                   OptionalAttr<StrArrayAttr>:$activations,
                   OptionalAttr<Llmos_F32Attr>:$clip,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["forward", "reverse", "bidirectional"]>, "\"forward\"">:$direction,
                   OptionalAttr<Llmos_I64Attr>:$hidden_size,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$input_forget,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$layout);
  let results = (outs Llmos_FloatTensor:$Y,
                 Llmos_FloatTensor:$Y_h,
                 Llmos_FloatTensor:$Y_c);
  let assemblyFormat = [{
    $X `,` $W `,` $R (`B` `(` $B^ `)`)? (`sequence_lens` `(` $sequence_lens^ `)`)? (`initial_h` `(` $initial_h^ `)`)? (`initial_c` `(` $initial_c^ `)`)? (`P` `(` $P^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_RNNOp : Llmos_Op<"rnn", "RNN", [1, 7, 14], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Computes an one-layer simple RNN. This operator is usually supported via
    some custom implementation such as CuDNN.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__RNN.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$W,
                   Llmos_FloatTensor:$R,
                   Optional<Llmos_FloatTensor>:$B,
                   Optional<Llmos_I32Tensor>:$sequence_lens,
                   Optional<Llmos_FloatTensor>:$initial_h,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_alpha,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_beta,
                   OptionalAttr<StrArrayAttr>:$activations,
                   OptionalAttr<Llmos_F32Attr>:$clip,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["forward", "reverse", "bidirectional"]>, "\"forward\"">:$direction,
                   OptionalAttr<Llmos_I64Attr>:$hidden_size,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$layout);
  let results = (outs Llmos_FloatTensor:$Y,
                 Llmos_FloatTensor:$Y_h);
  let assemblyFormat = [{
    $X `,` $W `,` $R (`B` `(` $B^ `)`)? (`sequence_lens` `(` $sequence_lens^ `)`)? (`initial_h` `(` $initial_h^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

#endif // LLMOS_DIALECT_LLMOS_IR_RNNOPS_TD
