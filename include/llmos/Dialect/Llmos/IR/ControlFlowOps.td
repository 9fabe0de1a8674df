//===- ControlFlowOps.td - llmos control flow (If, Loop, Scan) and the region terminator -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_CONTROLFLOWOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_CONTROLFLOWOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Llmos_IfOp : Llmos_Op<"if", "If", [1, 11, 13, 16, 19, 21],
                          [RecursiveMemoryEffects, NoRegionArguments]> {
  let description = [{
    Runs `then_branch` when the single-element boolean `cond` is true, and
    `else_branch` otherwise; the results are the values the executed branch
    yields. Both branches must yield the same number of values with the same
    element types; where their shapes differ, the result type is their join.
    Branches may use values defined above the op.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__If.html

    Example:

    ```mlir
    %r = llmos.if %c : (tensor<i1>) -> tensor<2xf32> then {
      llmos.yield %a : tensor<2xf32>
    } else {
      llmos.yield %b : tensor<2xf32>
    }
    ```
  }];
  let arguments = (ins Llmos_BoolTensor:$cond);
  let results = (outs Variadic<Llmos_AnyValue>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch, SizedRegion<1>:$else_branch);
  let assemblyFormat = [{
    $cond attr-dict `:` functional-type(operands, results)
    `then` $then_branch `else` $else_branch
  }];
}

def Llmos_LoopOp : Llmos_Op<"loop", "Loop", [1, 11, 13, 16, 19, 21],
                            [AttrSizedOperandSegments, RecursiveMemoryEffects]> {
  let description = [{
    A loop with an optional trip count `M` and an optional initial condition
    `cond`, carrying the values `v_initial` from one iteration to the next.
    The body's block arguments are the iteration number (`tensor<i64>`), the
    condition (`tensor<i1>`) and the carried values; it yields the next
    condition, the next carried values and then one value per scan output.
    The results are the final carried values followed by the scan outputs,
    each the per-iteration values stacked along a new leading dimension.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Loop.html

    Example:

    ```mlir
    %sum, %all = llmos.loop max_trip_count(%n) carried(%zero)
        : (tensor<i64>, tensor<f32>) -> (tensor<f32>, tensor<?xf32>) {
    ^bb0(%i: tensor<i64>, %c: tensor<i1>, %acc: tensor<f32>):
      %next = llmos.add %acc, %one : (tensor<f32>, tensor<f32>) -> tensor<f32>
      llmos.yield %c, %next, %next : tensor<i1>, tensor<f32>, tensor<f32>
    }
    ```
  }];
  let arguments = (ins Optional<Llmos_I64Tensor>:$M,
                   Optional<Llmos_BoolTensor>:$cond,
                   Variadic<Llmos_AnyValue>:$v_initial);
  let results = (outs Variadic<Llmos_AnyValue>:$v_final_and_scan_outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`max_trip_count` `(` $M^ `)`)? (`cond` `(` $cond^ `)`)?
    (`carried` `(` $v_initial^ `)`)?
    attr-dict `:` functional-type(operands, results) $body
  }];
}

def Llmos_ScanOp : Llmos_Op<"scan", "Scan", [8, 9, 11, 16, 19, 21],
                            [RecursiveMemoryEffects]> {
  let description = [{
    Iterates over the last `num_scan_inputs` operands along their scan axes,
    carrying the leading operands (the state) from one iteration to the next.
    The body's block arguments are the state values followed by one slice of
    each scan input; it yields the next state followed by the per-iteration
    scan output values. The results are the final state followed by the scan
    outputs stacked along their scan output axes.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__Scan.html
  }];
  let arguments = (ins Variadic<Llmos_AnyTensor>:$initial_state_and_scan_inputs,
                   Llmos_I64Attr:$num_scan_inputs,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_input_axes,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_input_directions,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_output_axes,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_output_directions);
  let results = (outs Variadic<Llmos_AnyTensor>:$final_state_and_scan_outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `(` $initial_state_and_scan_inputs `)` attr-dict `:`
    functional-type(operands, results) $body
  }];
}

def Llmos_YieldOp : Op<Llmos_Dialect, "yield",
    [Pure, ReturnLike, Terminator,
     ParentOneOf<["IfOp", "LoopOp", "ScanOp", "SequenceMapOp",
                  "FusedElementwiseOp"]>]> {
  let summary = "Terminates the body of If, Loop, Scan, SequenceMap and fused_elementwise";
  let description = [{
    Returns the values of an ONNX subgraph's outputs to the enclosing op.

    ```mlir
    llmos.yield %cond, %next : tensor<i1>, tensor<f32>
    ```
  }];
  let arguments = (ins Variadic<Llmos_AnyValue>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // LLMOS_DIALECT_LLMOS_IR_CONTROLFLOWOPS_TD
