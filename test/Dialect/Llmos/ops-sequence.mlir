// RUN: llmos-opt %s --split-input-file | FileCheck %s
// RUN: llmos-opt %s --split-input-file | llmos-opt --split-input-file | FileCheck %s

// Tests that sequence types join their elements' shapes.
// CHECK-LABEL: func.func @sequences
func.func @sequences(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %p: tensor<i64>) -> (!llmos.seq<tensor<?x3xf32>>, tensor<i64>, tensor<?x3xf32>) {
  // CHECK: llmos.sequence_construct %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<4x3xf32>) -> !llmos.seq<tensor<?x3xf32>>
  %0 = llmos.sequence_construct %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> !llmos.seq<tensor<?x3xf32>>
  %1 = llmos.sequence_length %0 : (!llmos.seq<tensor<?x3xf32>>) -> tensor<i64>
  // CHECK: llmos.sequence_at
  %2 = llmos.sequence_at %0, %p : (!llmos.seq<tensor<?x3xf32>>, tensor<i64>) -> tensor<?x3xf32>
  return %0, %1, %2 : !llmos.seq<tensor<?x3xf32>>, tensor<i64>, tensor<?x3xf32>
}

// -----

// Tests empty sequences, insertion and concatenation.
// CHECK-LABEL: func.func @build
func.func @build(%a: tensor<2x3xf32>) -> tensor<?x3xf32> {
  // CHECK: llmos.sequence_empty {dtype = f32} : () -> !llmos.seq<tensor<*xf32>>
  %0 = llmos.sequence_empty {dtype = f32} : () -> !llmos.seq<tensor<*xf32>>
  %1 = llmos.sequence_insert %0, %a : (!llmos.seq<tensor<*xf32>>, tensor<2x3xf32>) -> !llmos.seq<tensor<*xf32>>
  %2 = llmos.concat_from_sequence %1 {axis = 0 : i64} : (!llmos.seq<tensor<*xf32>>) -> tensor<*xf32>
  %3 = llmos.split_to_sequence %a {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x3xf32>) -> !llmos.seq<tensor<2xf32>>
  %4 = llmos.concat_from_sequence %3 {axis = 0 : i64, new_axis = 1 : i64} : (!llmos.seq<tensor<2xf32>>) -> tensor<?x2xf32>
  %5 = llmos.constant dense<[-1, 3]> : tensor<2xi64>
  %6 = llmos.reshape %4, %5 : (tensor<?x2xf32>, tensor<2xi64>) -> tensor<?x3xf32>
  return %6 : tensor<?x3xf32>
}

// -----

// Tests optionals and SequenceMap.
// CHECK-LABEL: func.func @optionals
func.func @optionals(%a: tensor<2xf32>, %s: !llmos.seq<tensor<?xf32>>) -> (tensor<i1>, tensor<2xf32>, !llmos.seq<tensor<?xf32>>) {
  // CHECK: llmos.optional %{{.*}} : (tensor<2xf32>) -> !llmos.opt<tensor<2xf32>>
  %0 = llmos.optional %a : (tensor<2xf32>) -> !llmos.opt<tensor<2xf32>>
  %1 = llmos.optional_has_element %0 : (!llmos.opt<tensor<2xf32>>) -> tensor<i1>
  %2 = llmos.optional_get_element %0 : (!llmos.opt<tensor<2xf32>>) -> tensor<2xf32>
  // CHECK: llmos.sequence_map
  %3 = llmos.sequence_map %s : (!llmos.seq<tensor<?xf32>>) -> !llmos.seq<tensor<?xf32>> {
  ^bb0(%x: tensor<?xf32>):
    %y = llmos.neg %x : (tensor<?xf32>) -> tensor<?xf32>
    llmos.yield %y : tensor<?xf32>
  }
  return %1, %2, %3 : tensor<i1>, tensor<2xf32>, !llmos.seq<tensor<?xf32>>
}
