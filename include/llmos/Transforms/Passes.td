//===- Passes.td - llmos graph-level passes ----------------*- tablegen -*-===//

#ifndef LLMOS_TRANSFORMS_PASSES_TD
#define LLMOS_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ShapeInferencePass : Pass<"llmos-shape-inference", "func::FuncOp"> {
  let summary = "Refine llmos result types by shape inference and folding";
  let description = [{
    Refines the result type of every llmos op with what its
    `ShapeInferenceOpInterface` derives from its operands, folding constant
    operands on the way (an op whose shape operand becomes constant gets a
    static result type), until nothing changes. Loop and Scan body argument
    types are widened to a fixed point first. Finally the function's result
    types are refined to the types it returns.

    A type is only ever refined (made more static), never widened, so types
    that the ONNX model declared for its values are kept. A conflict between
    a declared type and an inferred one is an error.

    Example: after folding `llmos.shape` of a static tensor into a constant,
    a `llmos.reshape` whose shape came from it gets a static result type.
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
  let statistics = [
    Statistic<"numRefined", "num-refined", "Number of op results whose type was refined">,
  ];
}

def ResolveSequencesPass : Pass<"llmos-resolve-sequences", "func::FuncOp"> {
  let summary = "Replace sequences and optionals whose structure is known by their values";
  let description = [{
    Tracks each sequence value as the list of tensors it holds when that
    list is known at compile time: `sequence_empty`, `sequence_construct`,
    `sequence_insert` / `sequence_erase` at constant positions (or the back),
    and `split_to_sequence` with a static number of pieces (a `llmos.split`,
    squeezed when `keepdims` is 0). Then `sequence_at` at a constant
    position becomes that tensor, `sequence_length` a constant and
    `concat_from_sequence` a `llmos.concat` (of `llmos.unsqueeze`d tensors
    with `new_axis`). Sequence ops left without users are erased. Sequences
    whose structure depends on run-time values (positions from the data,
    loops) are left alone, and code generation reports them.

    Optionals are resolved alike: `optional` with an input holds it, without
    one it is empty; `optional_has_element` of such an optional (or of a
    plain tensor or sequence) becomes a constant, `optional_get_element` of
    a non-empty one (or of a plain value) that value.

    ```mlir
    %s = llmos.sequence_construct %a, %b : (...) -> !llmos.seq<tensor<2x3xf32>>
    %t = llmos.sequence_at %s, %c1 : (...) -> tensor<2x3xf32>   // => %b
    %n = llmos.sequence_length %s : (...) -> tensor<i64>       // => 2
    ```
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect",
                           "::mlir::tensor::TensorDialect"];
}

def SpecializeRanksPass : Pass<"llmos-specialize-ranks", "func::FuncOp"> {
  let summary = "Give If results of run-time rank their rank by moving their users into the branches";
  let description = [{
    An If whose branches yield tensors of different ranks (a conditional
    Squeeze, as streaming speech models write) has a result of unknown
    rank, which no lowering can take. This pass specializes the code after
    such an If for each branch: every op after it that depends on its
    results (directly, through other such ops, or from inside their
    regions) is cloned into both branches, where each copy sees the
    branch's ranked value, and the If then yields what the rest of the
    block (its terminator) uses. Ops after the If that do not depend on it
    are first moved above it. Shape inference afterwards gives the copies
    their ranks; the If's new results are ranked wherever the branches
    agree on a rank (the outputs of a model usually do).

    ```mlir
    %r = llmos.if %c : (tensor<i1>) -> tensor<*xf32> then {
      llmos.yield %squeezed : tensor<?x?xf32>
    } else {
      llmos.yield %x : tensor<?x1x?xf32>
    }
    %s = llmos.reduce_sum %r {keepdims = 0} : (tensor<*xf32>) -> tensor<*xf32>
    return %s
    // =>
    %s = llmos.if %c : (tensor<i1>) -> tensor<*xf32> then {
      %s0 = llmos.reduce_sum %squeezed {keepdims = 0} : ...
      llmos.yield %s0
    } else {
      %s1 = llmos.reduce_sum %x {keepdims = 0} : ...
      llmos.yield %s1
    }
    ```

    Each specialization doubles the code after the If: when the copies
    would pass `max-ops` ops in all, the If is left alone and code
    generation reports it.
  }];
  let options = [
    Option<"maxOps", "max-ops", "int64_t", "100000",
           "Most ops the pass may create in a function">
  ];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

//===----------------------------------------------------------------------===//
// Cleanup and pruning
//===----------------------------------------------------------------------===//

def PrunePass : Pass<"llmos-prune", "func::FuncOp"> {
  let summary = "Remove no-op ops, dead ops and unused constants";
  let description = [{
    Replaces every op that returns its input unchanged by that input:
    Identity; Dropout in inference (no `training_mode`, or false) whose mask
    is unused; a Cast to the type it already has; a Reshape whose shape
    keeps every dim (0 = copy, the same static size, or one -1 among
    otherwise kept dims); an Expand, Squeeze, Unsqueeze or Slice (starts 0,
    steps 1) whose static result type equals its input's; a Transpose with
    the identity permutation; a Pad with all-zero pads; a Tile by ones;
    `x * 1`, `1 * x`, `x / 1`, `x + 0`, `0 + x`, `x - 0` when the constant
    does not broadcast x to a bigger shape; a single-input Concat, Sum,
    Max, Min or Mean. Then erases ops without users and side effects,
    constants (initializers) among them, until none is left.

    ```mlir
    %0 = llmos.identity %x : (tensor<4xf32>) -> tensor<4xf32>
    %1 = llmos.mul %0, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
    return %1   // => return %x
    ```
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

def FoldConstantsPass : Pass<"llmos-fold-constants", "func::FuncOp"> {
  let summary = "Evaluate ops whose operands are all constants";
  let description = [{
    Computes at compile time the result of an op whose operands are all
    constants and replaces it by a constant: elementwise arithmetic
    (Add, Sub, Mul, Div, Pow, Min, Max, Sum, Neg, Abs, Sqrt, Reciprocal,
    Exp, Log, Erf, Tanh, Sigmoid, Relu, Floor, Ceil) with numpy broadcasting,
    Cast between numeric types, Transpose, Reshape, Flatten, Squeeze,
    Unsqueeze, Expand, Concat, DequantizeLinear, Where and
    Equal/Less/Greater.
    Weight preprocessing an exporter left in the graph (a Transpose or a
    dequantization of an initializer) becomes a new initializer. A result
    with more than `max-elements` elements is folded only when it is no
    bigger than its constant operands together, so that folding never
    blows up the model (an Expand of a scalar to a huge tensor stays).
  }];
  let options = [
    Option<"maxElements", "max-elements", "int64_t", "65536",
           "Largest result (elements) folded when it is bigger than its "
           "operands">,
  ];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

def SimplifyShapesPass : Pass<"llmos-simplify-shapes", "func::FuncOp"> {
  let summary = "Fold shape computations into constant shapes";
  let description = [{
    A Reshape whose shape is built at run time from the sizes of tensors
    (`Shape -> Gather -> Unsqueeze -> Concat`, as exporters write for
    symbolic batch and sequence sizes) gets a constant shape when each
    computed entry is provably the size the reshaped tensor already has at
    that position: such entries become 0 (copy the input's size), and the
    chain folds away. Sizes are traced through the ops that keep them
    (elementwise ops, MatMul, Transpose, Reshape copies, normalizations,
    Softmax, the fused ops).

    Any small int64 value whose elements all follow from static dims (a
    Gather of a static dim of a Shape, arithmetic on such sizes, their
    Concat) becomes a constant. A Reshape whose shape is then known but for
    one entry (a product of symbolic sizes such as batch * heads) infers
    that entry (-1), when the known entries are positive or copy a static
    positive dim.

    ```mlir
    %s = llmos.shape %x : (tensor<?x?x768xf32>) -> tensor<3xi64>
    %b = llmos.gather %s, %c0 ...   // batch
    %t = llmos.gather %s, %c1 ...   // sequence
    %shape = llmos.concat %b1, %t1, %c12, %c64 {axis = 0}
    %y = llmos.reshape %x, %shape   // => llmos.reshape %x, dense<[0, 0, 12, 64]>
    ```
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

//===----------------------------------------------------------------------===//
// Node merging
//===----------------------------------------------------------------------===//

def FoldBatchNormPass : Pass<"llmos-fold-batchnorm", "func::FuncOp"> {
  let summary = "Fold inference BatchNormalization into Conv, Gemm or MatMul";
  let description = [{
    A BatchNormalization in inference mode with constant scale, bias, mean
    and variance that is the only user of a Conv (constant weights and
    bias) is folded into it: `W' = W * s` per output channel and
    `B' = (B - mean) * s + bias` with `s = scale / sqrt(var + epsilon)`.
    The same for a 2-D Gemm (transA = 0) or MatMul with constant weights
    followed by a BatchNormalization over its columns.
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

def RecomposePass : Pass<"llmos-recompose", "func::FuncOp"> {
  let summary = "Recompose LayerNorm, GELU and Softmax from their expansions";
  let description = [{
    Exporters spell some ops as subgraphs (opset 13 has no
    LayerNormalization or Gelu). This pass finds them and builds the op:
    - LayerNormalization from `ReduceMean -> Sub -> Pow 2 (or x*x) ->
      ReduceMean -> Add eps -> Sqrt -> Div` (or a multiplication by the
      reciprocal square root), over the last axis, with the optional
      `Mul scale` and `Add bias` after it;
    - Gelu from `x * 0.5 * (1 + Erf(x / sqrt 2))` (any association of the
      product, division or multiplication by the constant), and the tanh
      approximation `0.5 * x * (1 + Tanh(sqrt(2/pi) * (x + 0.044715 x^3)))`;
    - Softmax from `Exp(x - ReduceMax x) / ReduceSum(...)` (or without the
      maximum) over one axis.
    Every intermediate value must have no user outside the subgraph.
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

def FuseAttentionPass : Pass<"llmos-fuse-attention", "func::FuncOp"> {
  let summary = "Merge MatMul-Scale-Mask-Softmax-MatMul into llmos.attention";
  let description = [{
    Finds `MatMul(Softmax(Mask(Scale(MatMul(Q, K^T)))), V)` with the
    softmax over the last axis, where the scale is a Div or Mul by a
    constant scalar (optional) and the mask an Add of a tensor or a
    `Where(c, fill, scores)` with a fill of -inf or at most -1e30, which
    absorbs any score (optional; it becomes the additive mask
    `Where(c, fill, 0)`), and replaces it by one `llmos.attention`. `K^T` is
    a Transpose whose permutation swaps the last two dims of K (the
    transpose that made K is composed with it).
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

def FuseEpiloguesPass : Pass<"llmos-fuse-epilogues", "func::FuncOp"> {
  let summary = "Merge bias, residual and activation into Conv and MatMul";
  let description = [{
    Turns Conv into `llmos.fused_conv` and MatMul / Gemm into
    `llmos.fused_matmul`, then absorbs what follows while each
    intermediate has one user: an Add of a constant bias (per channel for
    convolutions: shape [C, 1, ...] or [1, C, 1, ...]; broadcastable to the
    columns for matmuls), an Add of a tensor of the result's shape (a
    residual), and one activation: Relu, LeakyRelu, Clip with constant
    bounds, Sigmoid, HardSigmoid, HardSwish, SiLU (`x * Sigmoid(x)`), Gelu
    (exact or tanh) and Tanh. A Transpose of a constant 2-D weight is
    folded into the weight.
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

def MergeSiblingMatMulsPass : Pass<"llmos-merge-sibling-matmuls", "func::FuncOp"> {
  let summary = "Merge MatMuls that share their input into one (Q/K/V)";
  let description = [{
    `fused_matmul` ops that read the same A with constant 2-D weights of
    the same row count, the same activation and constant (or no) biases
    are merged into one `fused_matmul` on the weights concatenated by
    columns, followed by a `llmos.split` of its last axis: one large GEMM
    instead of several (the Q, K and V projections of attention).
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

//===----------------------------------------------------------------------===//
// Weight pruning (opt-in)
//===----------------------------------------------------------------------===//

def PruneWeightsPass : Pass<"llmos-prune-weights", "ModuleOp"> {
  let summary = "Unstructured magnitude pruning of weights";
  let description = [{
    Sets to zero the `sparsity` fraction of the weights of every
    convolution and matmul (Conv, ConvTranspose, Gemm, MatMul and the
    fused ops; constant weights of rank >= 2) with the smallest magnitudes:
    per tensor (each weight loses that fraction), or with `global` one
    threshold over all of them (layers lose different fractions). Biases
    and normalization parameters are kept. The model keeps its shapes; the
    zeros make it compress, not run faster (kernels are dense).
  }];
  let options = [
    Option<"sparsity", "sparsity", "double", "0.5",
           "Fraction of the weights set to zero, in [0, 1)">,
    Option<"global", "global", "bool", "false",
           "One magnitude threshold over all weights instead of per tensor">,
  ];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

def PruneChannelsPass : Pass<"llmos-prune-channels", "func::FuncOp"> {
  let summary = "Structured pruning: remove output channels and columns";
  let description = [{
    Removes the `fraction` of output channels of a convolution (or output
    columns of a matmul) with the smallest L2 norms of their weights, and
    the matching input channels (rows) of every consumer, so the model
    really gets smaller and faster. A producer qualifies when it is a
    Conv / fused_conv (group 1) or a MatMul / fused_matmul (2-D weights,
    no trans_b) with constant weights and bias and no residual, and its
    result reaches only such consumers with constant weights, through ops
    that keep channels apart (activations, pooling, Dropout, Identity).
    Channels that feed a residual addition, a concatenation or a reshape
    are kept (their positions matter elsewhere). Types along the path are
    rewritten.
  }];
  let options = [
    Option<"fraction", "fraction", "double", "0.25",
           "Fraction of each qualifying layer's channels removed, in [0, 1)">,
  ];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

def FuseElementwiseChainsPass : Pass<"llmos-fuse-elementwise-chains", "func::FuncOp"> {
  let summary = "Merge chains of elementwise ops into llmos.fused_elementwise";
  let description = [{
    Groups elementwise ops (arithmetic, comparisons, Where, Cast, Clip, the
    activations and unary math) whose intermediate results have exactly
    one user inside the group and the shape of the group's last op, and
    replaces each group of two or more by one `llmos.fused_elementwise`
    whose body holds the ops on 0-D tensors. Inputs from outside the group
    broadcast to the result. Code generation emits the op as one loop nest.

    ```mlir
    %0 = llmos.cast %m {to = f32} : (tensor<?x1x1x?xi64>) -> tensor<?x1x1x?xf32>
    %1 = llmos.sub %one, %0 : (tensor<f32>, tensor<?x1x1x?xf32>) -> tensor<?x1x1x?xf32>
    %2 = llmos.mul %1, %big : (tensor<?x1x1x?xf32>, tensor<f32>) -> tensor<?x1x1x?xf32>
    // => %2 = llmos.fused_elementwise %m, %one, %big { cast; sub; mul }
    ```
  }];
  let dependentDialects = ["::mlir::llmos::LlmosDialect"];
}

#endif // LLMOS_TRANSFORMS_PASSES_TD
