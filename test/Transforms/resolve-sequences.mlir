// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-resolve-sequences))' --split-input-file %s | FileCheck %s

// Constructed, inserted into and erased from at constant positions: the
// element read is a known tensor, the length a constant; the sequence ops
// are gone.
// CHECK-LABEL: func.func @known_list
// CHECK-NOT: llmos.sequence
// CHECK: %[[N:.*]] = llmos.constant dense<2> : tensor<i64>
// CHECK: return %arg2, %[[N]]
func.func @known_list(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>, %c: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<i64>) {
  %p0 = llmos.constant dense<0> : tensor<i64>
  %m1 = llmos.constant dense<-1> : tensor<i64>
  %s = llmos.sequence_construct %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> !llmos.seq<tensor<2x3xf32>>
  %s1 = llmos.sequence_insert %s, %c, %p0 : (!llmos.seq<tensor<2x3xf32>>, tensor<2x3xf32>, tensor<i64>) -> !llmos.seq<tensor<2x3xf32>>
  %s2 = llmos.sequence_erase %s1 : (!llmos.seq<tensor<2x3xf32>>) -> !llmos.seq<tensor<2x3xf32>>
  %t = llmos.sequence_at %s2, %p0 : (!llmos.seq<tensor<2x3xf32>>, tensor<i64>) -> tensor<2x3xf32>
  %n = llmos.sequence_length %s2 : (!llmos.seq<tensor<2x3xf32>>) -> tensor<i64>
  return %t, %n : tensor<2x3xf32>, tensor<i64>
}

// -----

// split_to_sequence (pieces of one, keepdims = 0) then concat_from_sequence
// with new_axis: a split, squeezes, unsqueezes and a concat.
// CHECK-LABEL: func.func @split_then_stack
// CHECK: %[[P:.*]]:3 = llmos.split %arg0 {axis = 1 : i64}
// CHECK-COUNT-3: llmos.squeeze
// CHECK-COUNT-3: llmos.unsqueeze
// CHECK: llmos.concat
// CHECK-NOT: llmos.sequence
// CHECK-NOT: llmos.concat_from_sequence
func.func @split_then_stack(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %s = llmos.split_to_sequence %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x3xf32>) -> !llmos.seq<tensor<2xf32>>
  %y = llmos.concat_from_sequence %s {axis = 1 : i64, new_axis = 1 : i64} : (!llmos.seq<tensor<2xf32>>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Does not fire: a position known only at run time, and a sequence that
// is a function argument.
// CHECK-LABEL: func.func @unknown
// CHECK: llmos.sequence_construct
// CHECK: llmos.sequence_at
// CHECK: llmos.sequence_length %arg2
func.func @unknown(%a: tensor<2xf32>, %p: tensor<i64>, %s: !llmos.seq<tensor<2xf32>>) -> (tensor<2xf32>, tensor<i64>) {
  %q = llmos.sequence_construct %a, %a : (tensor<2xf32>, tensor<2xf32>) -> !llmos.seq<tensor<2xf32>>
  %t = llmos.sequence_at %q, %p : (!llmos.seq<tensor<2xf32>>, tensor<i64>) -> tensor<2xf32>
  %n = llmos.sequence_length %s : (!llmos.seq<tensor<2xf32>>) -> tensor<i64>
  return %t, %n : tensor<2xf32>, tensor<i64>
}

// -----

// Optionals built in the graph: has_element of one holding a value, or of
// a plain tensor, is true, of an empty one false; get_element of one
// holding a value is that value. An optional argument stays for run time.
// CHECK-LABEL: func.func @known_optionals
// CHECK-DAG: %[[T:.*]] = llmos.constant dense<true> : tensor<i1>
// CHECK-DAG: %[[F:.*]] = llmos.constant dense<false> : tensor<i1>
// CHECK-DAG: %[[ARG:.*]] = llmos.optional_has_element %arg1
// CHECK-NOT: llmos.optional %
// CHECK-NOT: llmos.optional {
// CHECK: return %[[T]], %arg0, %[[F]], %[[ARG]], %{{.*}} :
func.func @known_optionals(%a: tensor<2xf32>, %o: !llmos.opt<tensor<2xf32>>) -> (tensor<i1>, tensor<2xf32>, tensor<i1>, tensor<i1>, tensor<i1>) {
  %0 = llmos.optional %a : (tensor<2xf32>) -> !llmos.opt<tensor<2xf32>>
  %1 = llmos.optional_has_element %0 : (!llmos.opt<tensor<2xf32>>) -> tensor<i1>
  %2 = llmos.optional_get_element %0 : (!llmos.opt<tensor<2xf32>>) -> tensor<2xf32>
  %e = llmos.optional {type = tensor<2xf32>} : () -> !llmos.opt<tensor<2xf32>>
  %3 = llmos.optional_has_element %e : (!llmos.opt<tensor<2xf32>>) -> tensor<i1>
  %4 = llmos.optional_has_element %o : (!llmos.opt<tensor<2xf32>>) -> tensor<i1>
  %5 = llmos.optional_has_element %a : (tensor<2xf32>) -> tensor<i1>
  return %1, %2, %3, %4, %5 : tensor<i1>, tensor<2xf32>, tensor<i1>, tensor<i1>, tensor<i1>
}

// -----

// get_element of an empty optional is left alone (undefined in ONNX; code
// generation reports it).
// CHECK-LABEL: func.func @empty_get
// CHECK: llmos.optional {
// CHECK: llmos.optional_get_element
func.func @empty_get() -> tensor<2xf32> {
  %e = llmos.optional {type = tensor<2xf32>} : () -> !llmos.opt<tensor<2xf32>>
  %0 = llmos.optional_get_element %e : (!llmos.opt<tensor<2xf32>>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// An If on has_element of a known optional becomes its taken branch; the
// dead one (which reads the empty optional) is gone.
// CHECK-LABEL: func.func @if_on_empty_optional
// CHECK-NOT: llmos.if
// CHECK-NOT: llmos.optional
// CHECK: %[[Y:.*]] = llmos.mul %arg0, %arg0
// CHECK: return %[[Y]]
func.func @if_on_empty_optional(%x: tensor<2xf32>) -> tensor<2xf32> {
  %e = llmos.optional {type = tensor<2xf32>} : () -> !llmos.opt<tensor<2xf32>>
  %has = llmos.optional_has_element %e : (!llmos.opt<tensor<2xf32>>) -> tensor<i1>
  %y = llmos.if %has : (tensor<i1>) -> tensor<2xf32> then {
    %v = llmos.optional_get_element %e : (!llmos.opt<tensor<2xf32>>) -> tensor<2xf32>
    llmos.yield %v : tensor<2xf32>
  } else {
    %m = llmos.mul %x, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    llmos.yield %m : tensor<2xf32>
  }
  return %y : tensor<2xf32>
}
