//===- TensorOps.td - llmos constants, shape and data-movement ops -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_TENSOROPS_TD
#define LLMOS_DIALECT_LLMOS_IR_TENSOROPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_CompressOp : Llmos_Op<"compress", "Compress", [9, 11], [Pure]> {
  let description = [{
    Selects slices from an input tensor along a given axis where condition
    evaluates to True for each axis index. In case axis is not provided, input
    is flattened before elements are selected. Compress behaves like
    numpy.compress:
    https://docs.scipy.org/doc/numpy/reference/generated/numpy.compress.html

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Compress.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Llmos_BoolTensor:$condition,
                   OptionalAttr<Llmos_I64Attr>:$axis);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_ConcatOp : Llmos_Op<"concat", "Concat", [1, 4, 11, 13], [Pure]> {
  let description = [{
    Concatenate a list of tensors into a single tensor. All input tensors must
    have the same shape, except for the dimension size of the axis to
    concatenate on.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Concat.html
  }];
  let arguments = (ins Variadic<Llmos_AnyTensor>:$inputs,
                   Llmos_I64Attr:$axis);
  let results = (outs Llmos_AnyTensor:$concat_result);
  let hasFolder = 1;
}

def Llmos_ConstantOp : Llmos_Op<"constant", "Constant", [1, 9, 11, 12, 13, 19, 21], [ConstantLike, Pure]> {
  let summary = "ONNX Constant and initializers";
  let description = [{
    A constant tensor. The importer turns ONNX `Constant` nodes (every
    `value_*` attribute form) and graph initializers into this op; large
    initializers are `dense_resource` attributes that refer to the weights
    without copying them.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Constant.html

    Example:

    ```mlir
    %c = llmos.constant dense<[1, 3, 224, 224]> : tensor<4xi64>
    %w = llmos.constant dense_resource<conv1.weight> : tensor<64x3x7x7xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Llmos_AnyTensor:$output);
  let assemblyFormat = ?;
  let hasCustomAssemblyFormat = 1;
  let hasFolder = 1;
  let builders = [
    OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
      build($_builder, $_state, value.getType(), value);
    }]>
  ];
}

def Llmos_ConstantOfShapeOp : Llmos_Op<"constant_of_shape", "ConstantOfShape", [9, 20, 21], [Pure]> {
  let description = [{
    Generate a tensor with given value and shape.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ConstantOfShape.html
  }];
  let arguments = (ins Llmos_I64Tensor:$input,
                   OptionalAttr<ElementsAttr>:$value);
  let results = (outs Llmos_NumericOrBoolTensor:$output);
  let hasFolder = 1;
}

def Llmos_ExpandOp : Llmos_Op<"expand", "Expand", [8, 13], [Pure]> {
  let description = [{
    Broadcast the input tensor following the given shape and the broadcast rule.
    The broadcast rule is similar to numpy.array(input) * numpy.ones(shape):
    Dimensions are right alignment; Two corresponding dimensions must have the
    same value, or one of them is equal to 1. Also, this operator is similar to
    numpy.broadcast_to(input, shape), but the major difference is
    numpy.broadcast_to() does not allow s

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Expand.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Llmos_I64Tensor:$shape);
  let results = (outs Llmos_AnyTensor:$output);
  let hasFolder = 1;
}

def Llmos_EyeLikeOp : Llmos_Op<"eye_like", "EyeLike", [9], [Pure]> {
  let description = [{
    Generate a 2D tensor (matrix) with ones on the diagonal and zeros everywhere
    else. Only 2D tensors are supported, i.e. input T1 must be of rank 2. The
    shape of the output tensor is the same as the input tensor. The data type
    can be specified by the 'dtype' argument. If 'dtype' is not specified, then
    the type of input tensor is used. By default, the main diagonal is populated
    with ones, but attribu

    ONNX reference: https://onnx.ai/onnx/operators/onnx__EyeLike.html
  }];
  let arguments = (ins Llmos_NumericOrBoolTensor:$input,
                   OptionalAttr<TypeAttr>:$dtype,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$k);
  let results = (outs Llmos_NumericOrBoolTensor:$output);
}

def Llmos_FlattenOp : Llmos_Op<"flatten", "Flatten", [1, 9, 11, 13, 21], [Pure]> {
  let description = [{
    Flattens the input tensor into a 2D matrix. If input tensor has shape (d_0,
    d_1, ... d_n) then the output will have shape (d_0 X d_1 ... d_(axis-1),
    d_axis X d_(axis+1) ... X dn).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Flatten.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$axis);
  let results = (outs Llmos_AnyTensor:$output);
  let hasFolder = 1;
}

def Llmos_GatherOp : Llmos_Op<"gather", "Gather", [1, 11, 13], [Pure]> {
  let description = [{
    Given `data` tensor of rank r >= 1, and `indices` tensor of rank q, gather
    entries of the axis dimension of `data` (by default outer-most one as
    axis=0) indexed by `indices`, and concatenates them in an output tensor of
    rank q + (r - 1).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Gather.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   Llmos_IndexTensor:$indices,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$axis);
  let results = (outs Llmos_AnyTensor:$output);
  let hasFolder = 1;
}

def Llmos_GatherElementsOp : Llmos_Op<"gather_elements", "GatherElements", [11, 13], [Pure]> {
  let description = [{
    GatherElements takes two inputs `data` and `indices` of the same rank r >= 1
    and an optional attribute `axis` that identifies an axis of `data` (by
    default, the outer-most axis, that is axis 0). It is an indexing operation
    that produces its output by indexing into the input data tensor at index
    positions determined by elements of the `indices` tensor. Its output shape
    is the same as the shape of `

    ONNX reference: https://onnx.ai/onnx/operators/onnx__GatherElements.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   Llmos_IndexTensor:$indices,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$axis);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_GatherNDOp : Llmos_Op<"gather_nd", "GatherND", [11, 12, 13], [Pure]> {
  let description = [{
    Given `data` tensor of rank `r` >= 1, `indices` tensor of rank `q` >= 1, and
    `batch_dims` integer `b`, this operator gathers slices of `data` into an
    output tensor of rank `q + r - indices_shape[-1] - 1 - b`.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__GatherND.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   Llmos_I64Tensor:$indices,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$batch_dims);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_NonZeroOp : Llmos_Op<"non_zero", "NonZero", [9, 13], [Pure]> {
  let description = [{
    Returns the indices of the elements that are non-zero (in row-major order -
    by dimension). NonZero behaves similar to numpy.nonzero:
    https://docs.scipy.org/doc/numpy/reference/generated/numpy.nonzero.html, but
    for scalar input, NonZero produces output shape (0, N) instead of (1, N),
    which is different from Numpy's behavior.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__NonZero.html
  }];
  let arguments = (ins Llmos_AnyTensor:$X);
  let results = (outs Llmos_I64Tensor:$Y);
}

def Llmos_OneHotOp : Llmos_Op<"one_hot", "OneHot", [9, 11], [Pure]> {
  let description = [{
    Produces a one-hot tensor based on inputs. The locations represented by the
    index values in the 'indices' input tensor will have 'on_value' and the
    other locations will have 'off_value' in the output tensor, where 'on_value'
    and 'off_value' are specified as part of required input argument 'values',
    which is a two-element tensor of format [off_value, on_value]. The rank of
    the outpu

    ONNX reference: https://onnx.ai/onnx/operators/onnx__OneHot.html
  }];
  let arguments = (ins Llmos_NumericTensor:$indices,
                   Llmos_NumericTensor:$depth,
                   Llmos_AnyTensor:$values,
                   DefaultValuedAttr<Llmos_I64Attr, "-1">:$axis);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_PadOp : Llmos_Op<"pad", "Pad", [1, 2, 11, 13, 18, 19, 21], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Given a tensor containing the data to be padded (`data`), a tensor
    containing the number of start and end pad values for axis (`pads`),
    (optionally) a `mode`, and (optionally) `constant_value`, a padded tensor
    (`output`) is generated.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Pad.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   Llmos_I64Tensor:$pads,
                   Optional<Llmos_AnyTensor>:$constant_value,
                   Optional<Llmos_IndexTensor>:$axes,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["constant", "reflect", "edge", "wrap"]>, "\"constant\"">:$mode);
  let results = (outs Llmos_AnyTensor:$output);
  let assemblyFormat = [{
    $data `,` $pads (`constant_value` `(` $constant_value^ `)`)? (`axes` `(` $axes^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_RangeOp : Llmos_Op<"range", "Range", [11], [Pure]> {
  let description = [{
    Generate a tensor containing a sequence of numbers that begin at `start` and
    extends by increments of `delta` up to `limit` (exclusive).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Range.html
  }];
  let arguments = (ins Llmos_SignedNumericTensor:$start,
                   Llmos_SignedNumericTensor:$limit,
                   Llmos_SignedNumericTensor:$delta);
  let results = (outs Llmos_SignedNumericTensor:$output);
  let hasFolder = 1;
}

def Llmos_ReshapeOp : Llmos_Op<"reshape", "Reshape", [1, 5, 13, 14, 19, 21], [Pure]> {
  let description = [{
    Reshape the input tensor similar to numpy.reshape. First input is the data
    tensor, second input is a shape tensor which specifies the output shape. It
    outputs the reshaped tensor. At most one dimension of the new shape can be
    -1. In this case, the value is inferred from the size of the tensor and the
    remaining dimensions. A dimension could also be 0, in which case the actual
    dimension value is unc

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Reshape.html

    Example:

    ```mlir
    %r = llmos.reshape %x, %shape : (tensor<1x128x768xf32>, tensor<4xi64>) -> tensor<1x128x12x64xf32>
    ```
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   Llmos_I64Tensor:$shape,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$allowzero);
  let results = (outs Llmos_AnyTensor:$reshaped);
  let hasFolder = 1;
}

def Llmos_ReverseSequenceOp : Llmos_SameTypeOp<"reverse_sequence", "ReverseSequence", [10]> {
  let description = [{
    Reverse batch of sequences having different lengths specified by
    `sequence_lens`.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ReverseSequence.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Llmos_I64Tensor:$sequence_lens,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$batch_axis,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$time_axis);
  let results = (outs Llmos_AnyTensor:$Y);
}

def Llmos_ScatterElementsOp : Llmos_Op<"scatter_elements", "ScatterElements", [11, 13, 16, 18], [Pure]> {
  let description = [{
    ScatterElements takes three inputs `data`, `updates`, and `indices` of the
    same rank r >= 1 and an optional attribute axis that identifies an axis of
    `data` (by default, the outer-most axis, that is axis 0). The output of the
    operation is produced by creating a copy of the input `data`, and then
    updating its value to values specified by `updates` at specific index
    positions specified by `indices`.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ScatterElements.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   Llmos_IndexTensor:$indices,
                   Llmos_AnyTensor:$updates,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$axis,
                   DefaultValuedAttr<Llmos_ReductionAttr, "\"none\"">:$reduction);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_ScatterNDOp : Llmos_Op<"scatter_nd", "ScatterND", [11, 13, 16, 18], [Pure]> {
  let description = [{
    ScatterND takes three inputs `data` tensor of rank r >= 1, `indices` tensor
    of rank q >= 1, and `updates` tensor of rank q + r - indices.shape[-1] - 1.
    The output of the operation is produced by creating a copy of the input
    `data`, and then updating its value to values specified by `updates` at
    specific index positions specified by `indices`. Its output shape is the
    same as the shape of `data`. No

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ScatterND.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   Llmos_I64Tensor:$indices,
                   Llmos_AnyTensor:$updates,
                   DefaultValuedAttr<Llmos_ReductionAttr, "\"none\"">:$reduction);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_ShapeOp : Llmos_Op<"shape", "Shape", [1, 13, 15, 19, 21], [Pure]> {
  let description = [{
    Takes a tensor as input and outputs an 1D int64 tensor containing the shape
    of the input tensor. Optional attributes start and end can be used to
    compute a slice of the input tensor's shape. If start axis is omitted, the
    slice starts from axis 0. The end axis, if specified, is exclusive (and the
    returned value will not include the size of that axis). If the end axis is
    omitted, the axes upto the l

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Shape.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   OptionalAttr<Llmos_I64Attr>:$end,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$start);
  let results = (outs Llmos_I64Tensor:$shape);
  let hasFolder = 1;
}

def Llmos_SizeOp : Llmos_Op<"size", "Size", [1, 13, 19, 21], [Pure]> {
  let description = [{
    Takes a tensor as input and outputs a int64 scalar that equals to the total
    number of elements of the input tensor.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Size.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data);
  let results = (outs Llmos_I64Tensor:$size);
  let hasFolder = 1;
}

def Llmos_SliceOp : Llmos_Op<"slice", "Slice", [1, 10, 11, 13], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Produces a slice of the input tensor along multiple axes. Similar to numpy: 
    https://numpy.org/doc/stable/user/basics.indexing.html?highlight=slice#slici
    ng-and-striding

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Slice.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   Llmos_IndexTensor:$starts,
                   Llmos_IndexTensor:$ends,
                   Optional<Llmos_IndexTensor>:$axes,
                   Optional<Llmos_IndexTensor>:$steps);
  let results = (outs Llmos_AnyTensor:$output);
  let assemblyFormat = [{
    $data `,` $starts `,` $ends (`axes` `(` $axes^ `)`)? (`steps` `(` $steps^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Llmos_SplitOp : Llmos_Op<"split", "Split", [1, 2, 11, 13, 18], [Pure]> {
  let description = [{
    Split a tensor into a list of tensors, along the specified 'axis'. Lengths
    of the parts can be specified using input 'split'. Otherwise, the tensor is
    split to equal sized parts.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Split.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Optional<Llmos_I64Tensor>:$split,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$axis,
                   OptionalAttr<Llmos_I64Attr>:$num_outputs);
  let results = (outs Variadic<Llmos_AnyTensor>:$outputs);
}

def Llmos_SqueezeOp : Llmos_Op<"squeeze", "Squeeze", [1, 11, 13, 21], [Pure]> {
  let description = [{
    Remove single-dimensional entries from the shape of a tensor. Takes an input
    `axes` with a list of axes to squeeze. If `axes` is not provided, all the
    single dimensions will be removed from the shape. If an axis is selected
    with shape entry not equal to one, an error is raised.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Squeeze.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   Optional<Llmos_I64Tensor>:$axes);
  let results = (outs Llmos_AnyTensor:$squeezed);
  let hasFolder = 1;
}

def Llmos_TileOp : Llmos_Op<"tile", "Tile", [1, 6, 13], [Pure]> {
  let description = [{
    Constructs a tensor by tiling a given tensor. This is the same as function
    `tile` in Numpy, but no broadcast. For example A = [[1, 2], [3, 4]], B = [1,
    2], tile(A, B) = [[1, 2, 1, 2], [3, 4, 3, 4]]

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Tile.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Llmos_I64Tensor:$repeats);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_TransposeOp : Llmos_Op<"transpose", "Transpose", [1, 13, 21], [Pure]> {
  let description = [{
    Transpose the input tensor similar to numpy.transpose. For example, when
    perm=(1, 0, 2), given an input tensor of shape (1, 2, 3), the output shape
    will be (2, 1, 3).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Transpose.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs Llmos_AnyTensor:$transposed);
}

def Llmos_TriluOp : Llmos_SameTypeOp<"trilu", "Trilu", [14]> {
  let description = [{
    Given a 2-D matrix or batches of 2-D matrices, returns the upper or lower
    triangular part of the tensor(s). The attribute "upper" determines whether
    the upper or lower part is retained. If set to true, the upper triangular
    matrix is retained. Lower triangular matrix is retained otherwise. Default
    value for the "upper" attribute is true. Trilu takes one input tensor of
    shape [*, N, M], where * is z

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Trilu.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Optional<Llmos_I64Tensor>:$k,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$upper);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_UniqueOp : Llmos_Op<"unique", "Unique", [11], [Pure]> {
  let description = [{
    Find the unique elements of a tensor. When an optional attribute 'axis' is
    provided, unique subtensors sliced along the 'axis' are returned. Otherwise
    the input tensor is flattened and unique values of the flattened tensor are
    returned.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Unique.html
  }];
  let arguments = (ins Llmos_AnyTensor:$X,
                   OptionalAttr<Llmos_I64Attr>:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$sorted);
  let results = (outs Llmos_AnyTensor:$Y,
                 Llmos_I64Tensor:$indices,
                 Llmos_I64Tensor:$inverse_indices,
                 Llmos_I64Tensor:$counts);
}

def Llmos_UnsqueezeOp : Llmos_Op<"unsqueeze", "Unsqueeze", [1, 11, 13, 21], [Pure]> {
  let description = [{
    Insert single-dimensional entries to the shape of an input tensor (`data`).
    Takes one required input `axes` - which contains a list of dimension indices
    and this operator will insert a dimension of value `1` into the
    corresponding index of the output tensor (`expanded`).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Unsqueeze.html
  }];
  let arguments = (ins Llmos_AnyTensor:$data,
                   Llmos_I64Tensor:$axes);
  let results = (outs Llmos_AnyTensor:$expanded);
  let hasFolder = 1;
}

def Llmos_CenterCropPadOp : Llmos_Op<"center_crop_pad", "CenterCropPad", [18], [Pure]> {
  let description = [{
    Center crops or pads the input to the given dimensions (`shape`, along
    `axes` when given): a dimension larger than requested is cropped around
    its center, a smaller one is padded with zeros evenly on both sides.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__CenterCropPad.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input_data,
                   Llmos_IndexTensor:$shape,
                   OptionalAttr<DenseI64ArrayAttr>:$axes);
  let results = (outs Llmos_AnyTensor:$output_data);
}

#endif // LLMOS_DIALECT_LLMOS_IR_TENSOROPS_TD
