//===- SequenceOps.td - llmos sequence and optional ops -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_SEQUENCEOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_SEQUENCEOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_ConcatFromSequenceOp : Llmos_Op<"concat_from_sequence", "ConcatFromSequence", [11], [Pure]> {
  let description = [{
    Concatenate a sequence of tensors into a single tensor. All input tensors
    must have the same shape, except for the dimension size of the axis to
    concatenate on. By default 'new_axis' is 0, the behavior is similar to
    numpy.concatenate. When 'new_axis' is 1, the behavior is similar to
    numpy.stack.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ConcatFromSequence.html
  }];
  let arguments = (ins Llmos_SeqType:$input_sequence,
                   Llmos_I64Attr:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$new_axis);
  let results = (outs Llmos_AnyTensor:$concat_result);
}

def Llmos_OptionalOp : Llmos_Op<"optional", "Optional", [15], [Pure]> {
  let description = [{
    Constructs an optional-type value containing either an empty optional of a
    certain type specified by the attribute, or a non-empty value containing the
    input element.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Optional.html
  }];
  let arguments = (ins Optional<Llmos_TensorOrSeq>:$input,
                   OptionalAttr<TypeAttr>:$type);
  let results = (outs Llmos_AnyValue:$output);
}

def Llmos_OptionalGetElementOp : Llmos_Op<"optional_get_element", "OptionalGetElement", [15, 18], [Pure]> {
  let description = [{
    Outputs the element in the optional-type input. It is an error if the input
    value does not have an element and the behavior is undefined in this case.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__OptionalGetElement.html
  }];
  let arguments = (ins Llmos_AnyValue:$input);
  let results = (outs Llmos_TensorOrSeq:$output);
}

def Llmos_OptionalHasElementOp : Llmos_Op<"optional_has_element", "OptionalHasElement", [15, 18], [Pure]> {
  let description = [{
    Returns true if the optional-type input contains an element. If it is an
    empty optional-type, this op returns false.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__OptionalHasElement.html
  }];
  let arguments = (ins Llmos_AnyValue:$input);
  let results = (outs Llmos_BoolTensor:$output);
}

def Llmos_SequenceAtOp : Llmos_Op<"sequence_at", "SequenceAt", [11], [Pure]> {
  let description = [{
    Outputs a tensor copy from the tensor at 'position' in 'input_sequence'.
    Accepted range for 'position' is in `[-n, n - 1]`, where `n` is the number
    of tensors in 'input_sequence'. Negative value means counting positions from
    the back.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__SequenceAt.html
  }];
  let arguments = (ins Llmos_SeqType:$input_sequence,
                   Llmos_IndexTensor:$position);
  let results = (outs Llmos_AnyTensor:$tensor);
}

def Llmos_SequenceConstructOp : Llmos_Op<"sequence_construct", "SequenceConstruct", [11], [Pure]> {
  let description = [{
    Construct a tensor sequence containing 'inputs' tensors. All tensors in
    'inputs' must have the same data type.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__SequenceConstruct.html
  }];
  let arguments = (ins Variadic<Llmos_AnyTensor>:$inputs);
  let results = (outs Llmos_SeqType:$output_sequence);
}

def Llmos_SequenceEmptyOp : Llmos_Op<"sequence_empty", "SequenceEmpty", [11], [Pure]> {
  let description = [{
    Construct an empty tensor sequence, with given data type.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__SequenceEmpty.html
  }];
  let arguments = (ins OptionalAttr<TypeAttr>:$dtype);
  let results = (outs Llmos_SeqType:$output);
}

def Llmos_SequenceEraseOp : Llmos_Op<"sequence_erase", "SequenceErase", [11], [Pure]> {
  let description = [{
    Outputs a tensor sequence that removes the tensor at 'position' from
    'input_sequence'. Accepted range for 'position' is in `[-n, n - 1]`, where
    `n` is the number of tensors in 'input_sequence'. Negative value means
    counting positions from the back. 'position' is optional, by default it
    erases the last tensor from 'input_sequence'.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__SequenceErase.html
  }];
  let arguments = (ins Llmos_SeqType:$input_sequence,
                   Optional<Llmos_IndexTensor>:$position);
  let results = (outs Llmos_SeqType:$output_sequence);
}

def Llmos_SequenceInsertOp : Llmos_Op<"sequence_insert", "SequenceInsert", [11], [Pure]> {
  let description = [{
    Outputs a tensor sequence that inserts 'tensor' into 'input_sequence' at
    'position'. 'tensor' must have the same data type as 'input_sequence'.
    Accepted range for 'position' is in `[-n, n]`, where `n` is the number of
    tensors in 'input_sequence'. Negative value means counting positions from
    the back. 'position' is optional, by default it inserts 'tensor' to the back
    of 'input_sequence'.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__SequenceInsert.html
  }];
  let arguments = (ins Llmos_SeqType:$input_sequence,
                   Llmos_AnyTensor:$tensor,
                   Optional<Llmos_IndexTensor>:$position);
  let results = (outs Llmos_SeqType:$output_sequence);
}

def Llmos_SequenceLengthOp : Llmos_Op<"sequence_length", "SequenceLength", [11], [Pure]> {
  let description = [{
    Produces a scalar(tensor of empty shape) containing the number of tensors in
    'input_sequence'.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__SequenceLength.html
  }];
  let arguments = (ins Llmos_SeqType:$input_sequence);
  let results = (outs Llmos_I64Tensor:$length);
}

def Llmos_SequenceMapOp : Llmos_Op<"sequence_map", "SequenceMap", [17], [RecursiveMemoryEffects]> {
  let description = [{
    Applies a sub-graph to each sample in the input sequence(s).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__SequenceMap.html
  }];
  let arguments = (ins Llmos_SeqType:$input_sequence,
                   Variadic<Llmos_TensorOrSeq>:$additional_inputs);
  let results = (outs Variadic<Llmos_SeqType>:$out_sequence);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $input_sequence (`(` $additional_inputs^ `)`)? attr-dict `:`
    functional-type(operands, results) $body
  }];
}

def Llmos_SplitToSequenceOp : Llmos_Op<"split_to_sequence", "SplitToSequence", [11], [Pure]> {
  let description = [{
    Split a tensor into a sequence of tensors, along the specified 'axis'.
    Lengths of the parts can be specified using argument 'split'. 'split' must
    contain only positive numbers. 'split' is either a scalar (tensor of empty
    shape), or a 1-D tensor. If 'split' is a scalar, then 'input' will be split
    into equally sized chunks(if possible). Last chunk will be smaller if the
    'input' size along the given

    ONNX reference: https://onnx.ai/onnx/operators/onnx__SplitToSequence.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Optional<Llmos_IndexTensor>:$split,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$keepdims);
  let results = (outs Llmos_SeqType:$output_sequence);
}

#endif // LLMOS_DIALECT_LLMOS_IR_SEQUENCEOPS_TD
