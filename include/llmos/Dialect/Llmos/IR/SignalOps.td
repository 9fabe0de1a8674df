//===- SignalOps.td - llmos signal processing ops (DFT, STFT, windows) -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_SIGNALOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_SIGNALOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_BlackmanWindowOp : Llmos_Op<"blackman_window", "BlackmanWindow", [17], [Pure]> {
  let description = [{
    Generates a Blackman window as described in the paper
    https://ieeexplore.ieee.org/document/1455106.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__BlackmanWindow.html
  }];
  let arguments = (ins Llmos_IndexTensor:$size,
                   OptionalAttr<TypeAttr>:$output_datatype,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$periodic);
  let results = (outs Llmos_NumericTensor:$output);
}

def Llmos_DFTOp : Llmos_Op<"dft", "DFT", [17, 20], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Computes the discrete Fourier transform of input.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__DFT.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input,
                   Optional<Llmos_IndexTensor>:$dft_length,
                   Optional<Llmos_I64Tensor>:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$inverse,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$onesided);
  let results = (outs Llmos_FloatTensor:$output);
  let assemblyFormat = [{
    $input (`dft_length` `(` $dft_length^ `)`)? (`axis` `(` $axis^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_HammingWindowOp : Llmos_Op<"hamming_window", "HammingWindow", [17], [Pure]> {
  let description = [{
    Generates a Hamming window as described in the paper
    https://ieeexplore.ieee.org/document/1455106.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__HammingWindow.html
  }];
  let arguments = (ins Llmos_IndexTensor:$size,
                   OptionalAttr<TypeAttr>:$output_datatype,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$periodic);
  let results = (outs Llmos_NumericTensor:$output);
}

def Llmos_HannWindowOp : Llmos_Op<"hann_window", "HannWindow", [17], [Pure]> {
  let description = [{
    Generates a Hann window as described in the paper
    https://ieeexplore.ieee.org/document/1455106.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__HannWindow.html
  }];
  let arguments = (ins Llmos_IndexTensor:$size,
                   OptionalAttr<TypeAttr>:$output_datatype,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$periodic);
  let results = (outs Llmos_NumericTensor:$output);
}

def Llmos_MelWeightMatrixOp : Llmos_Op<"mel_weight_matrix", "MelWeightMatrix", [17], [Pure]> {
  let description = [{
    Generate a MelWeightMatrix that can be used to re-weight a Tensor containing
    a linearly sampled frequency spectra (from DFT or STFT) into num_mel_bins
    frequency information based on the [lower_edge_hertz, upper_edge_hertz]
    range on the mel scale. This function defines the mel scale in terms of a
    frequency in hertz according to the following formula:

    ONNX reference: https://onnx.ai/onnx/operators/onnx__MelWeightMatrix.html
  }];
  let arguments = (ins Llmos_IndexTensor:$num_mel_bins,
                   Llmos_IndexTensor:$dft_length,
                   Llmos_IndexTensor:$sample_rate,
                   Llmos_FloatTensor:$lower_edge_hertz,
                   Llmos_FloatTensor:$upper_edge_hertz,
                   OptionalAttr<TypeAttr>:$output_datatype);
  let results = (outs Llmos_NumericTensor:$output);
}

def Llmos_STFTOp : Llmos_Op<"stft", "STFT", [17], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Computes the Short-time Fourier Transform of the signal.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__STFT.html
  }];
  let arguments = (ins Llmos_FloatTensor:$signal,
                   Llmos_IndexTensor:$frame_step,
                   Optional<Llmos_FloatTensor>:$window,
                   Optional<Llmos_IndexTensor>:$frame_length,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$onesided);
  let results = (outs Llmos_FloatTensor:$output);
  let assemblyFormat = [{
    $signal `,` $frame_step (`window` `(` $window^ `)`)? (`frame_length` `(` $frame_length^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

#endif // LLMOS_DIALECT_LLMOS_IR_SIGNALOPS_TD
