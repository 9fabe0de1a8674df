//===- NNOps.td - llmos convolution, pooling, normalization and other neural-network ops -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_NNOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_NNOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_AveragePoolOp : Llmos_Op<"average_pool", "AveragePool", [1, 7, 10, 11, 19], [Pure]> {
  let description = [{
    AveragePool consumes an input tensor X and applies average pooling across
    the tensor according to kernel sizes, stride sizes, and pad lengths. average
    pooling consisting of computing the average on all values of a subset of the
    input tensor according to the kernel size and downsampling the data into the
    output tensor Y for further processing. The output spatial shape will be
    following: ``` o

    ONNX reference: https://onnx.ai/onnx/operators/onnx__AveragePool.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_AutoPadAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$ceil_mode,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$count_include_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_BatchNormalizationOp : Llmos_Op<"batch_normalization", "BatchNormalization", [1, 6, 7, 9, 14, 15], [Pure]> {
  let description = [{
    Carries out batch normalization as described in the paper
    https://arxiv.org/abs/1502.03167. Depending on the mode it is being run,
    There are five required inputs 'X', 'scale', 'B', 'input_mean' and
    'input_var'. Note that 'input_mean' and 'input_var' are expected to be the
    estimated statistics in inference mode (training_mode=False, default), and
    the running statistics in training mode (training_mo

    ONNX reference: https://onnx.ai/onnx/operators/onnx__BatchNormalization.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$scale,
                   Llmos_FloatTensor:$B,
                   Llmos_FloatTensor:$input_mean,
                   Llmos_FloatTensor:$input_var,
                   DefaultValuedAttr<Llmos_F32Attr, "1e-05">:$epsilon,
                   DefaultValuedAttr<Llmos_F32Attr, "0.9">:$momentum,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$training_mode);
  let results = (outs Llmos_FloatTensor:$Y,
                 Llmos_FloatTensor:$running_mean,
                 Llmos_FloatTensor:$running_var);
}

def Llmos_ConvOp : Llmos_Op<"conv", "Conv", [1, 11], [Pure]> {
  let description = [{
    The convolution operator consumes an input tensor and a filter, and computes
    the output.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Conv.html

    Example:

    ```mlir
    %y = llmos.conv %x, %w, %b {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
        : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
    ```
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$W,
                   Optional<Llmos_FloatTensor>:$B,
                   DefaultValuedAttr<Llmos_AutoPadAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_ConvTransposeOp : Llmos_Op<"conv_transpose", "ConvTranspose", [1, 11], [Pure]> {
  let description = [{
    The convolution transpose operator consumes an input tensor and a filter,
    and computes the output.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__ConvTranspose.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$W,
                   Optional<Llmos_FloatTensor>:$B,
                   DefaultValuedAttr<Llmos_AutoPadAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$output_padding,
                   OptionalAttr<DenseI64ArrayAttr>:$output_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_DepthToSpaceOp : Llmos_Op<"depth_to_space", "DepthToSpace", [1, 11, 13], [Pure]> {
  let description = [{
    DepthToSpace rearranges (permutes) data from depth into blocks of spatial
    data. This is the reverse transformation of SpaceToDepth. More specifically,
    this op outputs a copy of the input tensor where values from the depth
    dimension are moved in spatial blocks to the height and width dimensions. By
    default, `mode` = `DCR`. In the DCR mode, elements along the depth dimension
    from the input tensor ar

    ONNX reference: https://onnx.ai/onnx/operators/onnx__DepthToSpace.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Llmos_I64Attr:$blocksize,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["DCR", "CRD"]>, "\"DCR\"">:$mode);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_DropoutOp : Llmos_Op<"dropout", "Dropout", [1, 6, 7, 10, 12, 13], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Dropout takes an input floating-point tensor, an optional input ratio
    (floating-point scalar) and an optional input training_mode (boolean
    scalar). It produces two tensor outputs, output (floating-point tensor) and
    mask (optional `Tensor<bool>`). If `training_mode` is true then the output Y
    will be a random dropout; Note that this Dropout scales the masked input
    data by the following equation, so

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Dropout.html
  }];
  let arguments = (ins Llmos_FloatTensor:$data,
                   Optional<Llmos_FloatTensor>:$ratio,
                   Optional<Llmos_BoolTensor>:$training_mode,
                   OptionalAttr<Llmos_I64Attr>:$seed);
  let results = (outs Llmos_FloatTensor:$output,
                 Llmos_BoolTensor:$mask);
  let assemblyFormat = [{
    $data (`ratio` `(` $ratio^ `)`)? (`training_mode` `(` $training_mode^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_GlobalAveragePoolOp : Llmos_Op<"global_average_pool", "GlobalAveragePool", [1], [Pure]> {
  let description = [{
    GlobalAveragePool consumes an input tensor X and applies average pooling
    across the values in the same channel. This is equivalent to AveragePool
    with kernel size equal to the spatial dimension of input tensor.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__GlobalAveragePool.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_GlobalLpPoolOp : Llmos_Op<"global_lp_pool", "GlobalLpPool", [1, 2], [Pure]> {
  let description = [{
    GlobalLpPool consumes an input tensor X and applies lp pool pooling across
    the values in the same channel. This is equivalent to LpPool with kernel
    size equal to the spatial dimension of input tensor.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__GlobalLpPool.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_I64Attr, "2">:$p);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_GlobalMaxPoolOp : Llmos_Op<"global_max_pool", "GlobalMaxPool", [1], [Pure]> {
  let description = [{
    GlobalMaxPool consumes an input tensor X and applies max pooling across the
    values in the same channel. This is equivalent to MaxPool with kernel size
    equal to the spatial dimension of input tensor.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__GlobalMaxPool.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_GridSampleOp : Llmos_Op<"grid_sample", "GridSample", [16, 20], [Pure]> {
  let description = [{
    Given an `input` and a flow-field `grid`, computes the `output` using
    `input` values and pixel locations from `grid`. Currently, only spatial
    (4-D) inputs are supported. For `input` with shape (N, C, H, W) and `grid`
    with shape (N, H_out, W_out, 2), the `output` will have shape (N, C, H_out,
    W_out). For each output location `output[N, C, H_out, W_out]`, the size-2
    vector `grid[N, H_out, W_out]` sp

    ONNX reference: https://onnx.ai/onnx/operators/onnx__GridSample.html
  }];
  let arguments = (ins Llmos_AnyTensor:$X,
                   Llmos_FloatTensor:$grid,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$align_corners,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["bilinear", "nearest", "bicubic", "linear", "cubic"]>, "\"bilinear\"">:$mode,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["zeros", "border", "reflection"]>, "\"zeros\"">:$padding_mode);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_InstanceNormalizationOp : Llmos_SameTypeOp<"instance_normalization", "InstanceNormalization", [1, 6]> {
  let description = [{
    Carries out instance normalization as described in the paper
    https://arxiv.org/abs/1607.08022.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__InstanceNormalization.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input,
                   Llmos_FloatTensor:$scale,
                   Llmos_FloatTensor:$B,
                   DefaultValuedAttr<Llmos_F32Attr, "1e-05">:$epsilon);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_LRNOp : Llmos_SameTypeOp<"lrn", "LRN", [1, 13]> {
  let description = [{
    Local Response Normalization proposed in the [AlexNet
    paper](https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-
    convolutional-neural-networks.pdf). It normalizes over local input regions.
    The local region is defined across the channels. For an element X[n, c, d1,
    ..., dk] in a tensor of shape (N x C x D1 x D2, ..., Dk), its region is
    {X[n, i, d1, ..., dk] | max(0, c - floor((size

    ONNX reference: https://onnx.ai/onnx/operators/onnx__LRN.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_F32Attr, "0.0001">:$alpha,
                   DefaultValuedAttr<Llmos_F32Attr, "0.75">:$beta,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$bias,
                   Llmos_I64Attr:$size);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_LayerNormalizationOp : Llmos_Op<"layer_normalization", "LayerNormalization", [17], [Pure]> {
  let description = [{
    This is layer normalization defined in ONNX as function. The overall
    computation can be split into two stages. The first stage is
    standardization, which makes the normalized elements have zero mean and unit
    variances. The computation required by standardization can be described by
    the following equations. ``` Mean = ReduceMean<axes=normalized_axes>(X)

    ONNX reference: https://onnx.ai/onnx/operators/onnx__LayerNormalization.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$Scale,
                   Optional<Llmos_FloatTensor>:$B,
                   DefaultValuedAttr<Llmos_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<Llmos_F32Attr, "1e-05">:$epsilon,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$stash_type);
  let results = (outs Llmos_FloatTensor:$Y,
                 Llmos_FloatTensor:$Mean,
                 Llmos_FloatTensor:$InvStdDev);
}

def Llmos_LpNormalizationOp : Llmos_SameTypeOp<"lp_normalization", "LpNormalization", [1]> {
  let description = [{
    Given a matrix, apply Lp-normalization along the provided axis.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__LpNormalization.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input,
                   DefaultValuedAttr<Llmos_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<Llmos_I64Attr, "2">:$p);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_LpPoolOp : Llmos_Op<"lp_pool", "LpPool", [1, 2, 11, 18], [Pure]> {
  let description = [{
    LpPool consumes an input tensor X and applies Lp pooling across the tensor
    according to kernel sizes, stride sizes, and pad lengths. Lp pooling
    consisting of computing the Lp norm on all values of a subset of the input
    tensor according to the kernel size and downsampling the data into the
    output tensor Y for further processing.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__LpPool.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   DefaultValuedAttr<Llmos_AutoPadAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$ceil_mode,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   DefaultValuedAttr<Llmos_I64Attr, "2">:$p,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_MaxPoolOp : Llmos_Op<"max_pool", "MaxPool", [1, 8, 10, 11, 12], [Pure]> {
  let description = [{
    MaxPool consumes an input tensor X and applies max pooling across the tensor
    according to kernel sizes, stride sizes, and pad lengths. max pooling
    consisting of computing the max on all values of a subset of the input
    tensor according to the kernel size and downsampling the data into the
    output tensor Y for further processing. The output spatial shape will be
    following: ``` output_spatial_sh

    ONNX reference: https://onnx.ai/onnx/operators/onnx__MaxPool.html
  }];
  let arguments = (ins Llmos_NumericTensor:$X,
                   DefaultValuedAttr<Llmos_AutoPadAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$ceil_mode,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$storage_order,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Llmos_NumericTensor:$Y,
                 Llmos_I64Tensor:$Indices);
}

def Llmos_MaxRoiPoolOp : Llmos_Op<"max_roi_pool", "MaxRoiPool", [1], [Pure]> {
  let description = [{
    ROI max pool consumes an input tensor X and region of interests (RoIs) to
    apply max pooling across each RoI, to produce output 4-D tensor of shape
    (num_rois, channels, pooled_shape[0], pooled_shape[1]).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__MaxRoiPool.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$rois,
                   DenseI64ArrayAttr:$pooled_shape,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$spatial_scale);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_MaxUnpoolOp : Llmos_Op<"max_unpool", "MaxUnpool", [9, 11], [Pure]> {
  let description = [{
    MaxUnpool essentially computes the partial inverse of the MaxPool op. The
    input information to this op is typically the the output information from a
    MaxPool op. The first input tensor X is the tensor that needs to be
    unpooled, which is typically the pooled tensor (first output) from MaxPool.
    The second input tensor, I, contains the indices to the (locally maximal)
    elements corrsponding to the

    ONNX reference: https://onnx.ai/onnx/operators/onnx__MaxUnpool.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_I64Tensor:$I,
                   Optional<Llmos_I64Tensor>:$output_shape,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Llmos_FloatTensor:$output);
}

def Llmos_MeanVarianceNormalizationOp : Llmos_SameTypeOp<"mean_variance_normalization", "MeanVarianceNormalization", [9, 13]> {
  let description = [{
    A MeanVarianceNormalization Function: Perform mean variance normalization on
    the input tensor X using formula: <br/> ``` (X-EX)/sqrt(E(X-EX)^2) ```

    ONNX reference: https://onnx.ai/onnx/operators/onnx__MeanVarianceNormalization.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   OptionalAttr<DenseI64ArrayAttr>:$axes);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_NegativeLogLikelihoodLossOp : Llmos_Op<"negative_log_likelihood_loss", "NegativeLogLikelihoodLoss", [12, 13], [Pure]> {
  let description = [{
    A NegativeLogLikelihoodLoss operator computes (weighted) negative log
    likelihood loss. Its "input" tensor has the shape of (N, C, d1, d2, ..., dk)
    where k >= 0. The "input" tensor contains log-probabilities for input[n, :,
    d_1, d_2,..., d_k] being in a class of [0, C). The operator's "target" input
    tensor has the shape of (N, d1, d2, ..., dk). It encodes class labels (one
    of C classes) or it may c

    ONNX reference: https://onnx.ai/onnx/operators/onnx__NegativeLogLikelihoodLoss.html
  }];
  let arguments = (ins Llmos_FloatTensor:$input,
                   Llmos_IndexTensor:$target,
                   Optional<Llmos_FloatTensor>:$weight,
                   OptionalAttr<Llmos_I64Attr>:$ignore_index,
                   DefaultValuedAttr<Llmos_LossReductionAttr, "\"mean\"">:$reduction);
  let results = (outs Llmos_FloatTensor:$loss);
}

def Llmos_NonMaxSuppressionOp : Llmos_Op<"non_max_suppression", "NonMaxSuppression", [10, 11], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Filter out boxes that have high intersection-over-union (IOU) overlap with
    previously selected boxes. Bounding boxes with score less than
    score_threshold are removed. Bounding box format is indicated by attribute
    center_point_box. Note that this algorithm is agnostic to where the origin
    is in the coordinate system and more generally is invariant to orthogonal
    transformations and translations of th

    ONNX reference: https://onnx.ai/onnx/operators/onnx__NonMaxSuppression.html
  }];
  let arguments = (ins Llmos_F32Tensor:$boxes,
                   Llmos_F32Tensor:$scores,
                   Optional<Llmos_I64Tensor>:$max_output_boxes_per_class,
                   Optional<Llmos_F32Tensor>:$iou_threshold,
                   Optional<Llmos_F32Tensor>:$score_threshold,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$center_point_box);
  let results = (outs Llmos_I64Tensor:$selected_indices);
  let assemblyFormat = [{
    $boxes `,` $scores (`max_output_boxes_per_class` `(` $max_output_boxes_per_class^ `)`)? (`iou_threshold` `(` $iou_threshold^ `)`)? (`score_threshold` `(` $score_threshold^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_ResizeOp : Llmos_Op<"resize", "Resize", [10, 11, 13, 18, 19], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Resize the input tensor. In general, it calculates every value in the output
    tensor as a weighted average of neighborhood (a.k.a. sampling locations) in
    the input tensor. Each dimension value of the output tensor is:
    output_dimension = floor(input_dimension * (roi_end - roi_start) * scale) if
    input \"sizes\" is not specified.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Resize.html
  }];
  let arguments = (ins Llmos_AnyTensor:$X,
                   Optional<Llmos_FloatTensor>:$roi,
                   Optional<Llmos_F32Tensor>:$scales,
                   Optional<Llmos_I64Tensor>:$sizes,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$antialias,
                   OptionalAttr<DenseI64ArrayAttr>:$axes,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_crop_and_resize", "tf_half_pixel_for_nn"]>, "\"half_pixel\"">:$coordinate_transformation_mode,
                   DefaultValuedAttr<Llmos_F32Attr, "-0.75">:$cubic_coeff_a,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$exclude_outside,
                   DefaultValuedAttr<Llmos_F32Attr, "0.0">:$extrapolation_value,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["stretch", "not_larger", "not_smaller"]>, "\"stretch\"">:$keep_aspect_ratio_policy,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["nearest", "linear", "cubic"]>, "\"nearest\"">:$mode,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]>, "\"round_prefer_floor\"">:$nearest_mode);
  let results = (outs Llmos_AnyTensor:$Y);
  let assemblyFormat = [{
    $X (`roi` `(` $roi^ `)`)? (`scales` `(` $scales^ `)`)? (`sizes` `(` $sizes^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_RoiAlignOp : Llmos_Op<"roi_align", "RoiAlign", [10, 16], [Pure]> {
  let description = [{
    Region of Interest (RoI) align operation described in the [Mask R-CNN
    paper](https://arxiv.org/abs/1703.06870). RoiAlign consumes an input tensor
    X and region of interests (rois) to apply pooling across each RoI; it
    produces a 4-D tensor of shape (num_rois, C, output_height, output_width).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__RoiAlign.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$rois,
                   Llmos_I64Tensor:$batch_indices,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["half_pixel", "output_half_pixel"]>, "\"half_pixel\"">:$coordinate_transformation_mode,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["avg", "max"]>, "\"avg\"">:$mode,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$output_height,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$output_width,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$sampling_ratio,
                   DefaultValuedAttr<Llmos_F32Attr, "1.0">:$spatial_scale);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_SoftmaxCrossEntropyLossOp : Llmos_Op<"softmax_cross_entropy_loss", "SoftmaxCrossEntropyLoss", [12, 13], [Pure]> {
  let description = [{
    Loss function that measures the softmax cross entropy between 'scores' and
    'labels'. This operator first computes a loss tensor whose shape is
    identical to the labels input. If the input is 2-D with shape (N, C), the
    loss tensor may be a N-element vector L = (l_1, l_2, ..., l_N). If the input
    is N-D tensor with shape (N, C, D1, D2, ..., Dk), the loss tensor L may have
    (N, D1, D2, ..., Dk) as its s

    ONNX reference: https://onnx.ai/onnx/operators/onnx__SoftmaxCrossEntropyLoss.html
  }];
  let arguments = (ins Llmos_FloatTensor:$scores,
                   Llmos_IndexTensor:$labels,
                   Optional<Llmos_FloatTensor>:$weights,
                   OptionalAttr<Llmos_I64Attr>:$ignore_index,
                   DefaultValuedAttr<Llmos_LossReductionAttr, "\"mean\"">:$reduction);
  let results = (outs Llmos_FloatTensor:$output,
                 Llmos_FloatTensor:$log_prob);
}

def Llmos_SpaceToDepthOp : Llmos_Op<"space_to_depth", "SpaceToDepth", [1, 13], [Pure]> {
  let description = [{
    SpaceToDepth rearranges blocks of spatial data into depth. More
    specifically, this op outputs a copy of the input tensor where values from
    the height and width dimensions are moved to the depth dimension.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__SpaceToDepth.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Llmos_I64Attr:$blocksize);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_DeformConvOp : Llmos_Op<"deform_conv", "DeformConv", [19], [AttrSizedOperandSegments, Pure]> {
  let description = [{
    Performs deformable convolution as described in
    https://arxiv.org/abs/1703.06211 and https://arxiv.org/abs/1811.11168: a
    convolution whose sampling locations are shifted by `offset` (and scaled
    by the optional `mask`).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__DeformConv.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$W,
                   Llmos_FloatTensor:$offset,
                   Optional<Llmos_FloatTensor>:$B,
                   Optional<Llmos_FloatTensor>:$mask,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$offset_group,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Llmos_FloatTensor:$Y);
  let assemblyFormat = [{
    $X `,` $W `,` $offset (`B` `(` $B^ `)`)? (`mask` `(` $mask^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Llmos_GroupNormalizationOp : Llmos_Op<"group_normalization", "GroupNormalization", [18, 21], [Pure]> {
  let description = [{
    Group normalization (https://arxiv.org/abs/1803.08494): the channels of
    `X` (N x C x D1 ... Dn) are split into `num_groups` groups, each group is
    normalized to zero mean and unit variance, and the result is scaled and
    shifted per channel by `scale` and `bias` (both of shape C). Opset 18's
    per-group `scale` and `bias` are rewritten to per-channel ones by the
    importer.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__GroupNormalization.html
  }];
  let arguments = (ins Llmos_FloatTensor:$X,
                   Llmos_FloatTensor:$scale,
                   Llmos_FloatTensor:$bias,
                   DefaultValuedAttr<Llmos_F32Attr, "1e-05">:$epsilon,
                   Llmos_I64Attr:$num_groups,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$stash_type);
  let results = (outs Llmos_FloatTensor:$Y);
}

def Llmos_Col2ImOp : Llmos_Op<"col2im", "Col2Im", [18], [Pure]> {
  let description = [{
    Rearranges column blocks back into a multidimensional image (the inverse
    of an im2col transformation); overlapping values are summed.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Col2Im.html
  }];
  let arguments = (ins Llmos_AnyTensor:$input,
                   Llmos_I64Tensor:$image_shape,
                   Llmos_I64Tensor:$block_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Llmos_AnyTensor:$output);
}

def Llmos_AffineGridOp : Llmos_Op<"affine_grid", "AffineGrid", [20], [Pure]> {
  let description = [{
    Generates a 2D or 3D flow field (sampling grid) from a batch of affine
    matrices `theta` (N x 2 x 3 or N x 3 x 4) for an output of `size`
    (N, C, H, W) or (N, C, D, H, W).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__AffineGrid.html
  }];
  let arguments = (ins Llmos_FloatTensor:$theta,
                   Llmos_I64Tensor:$size,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$align_corners);
  let results = (outs Llmos_FloatTensor:$grid);
}

#endif // LLMOS_DIALECT_LLMOS_IR_NNOPS_TD
