// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-specialize-ranks))' --split-input-file %s | FileCheck %s
// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-specialize-ranks{max-ops=2}))' --split-input-file %s | FileCheck %s --check-prefix=SMALL

// Tests that the users of an If result of unknown rank move into both
// branches (each copy reads its branch's ranked value), that an op which
// does not depend on the If moves above it, and that the If yields what the
// return reads (shape inference then gives the copies their ranks).
// CHECK-LABEL: func.func @conditional_squeeze
// CHECK: %[[E:.*]] = llmos.exp %arg1
// CHECK: %[[R:.*]] = llmos.if %arg2 : (tensor<i1>) -> tensor<?xi64> then {
// CHECK:   %[[SQ:.*]] = llmos.squeeze %arg0
// CHECK:   %[[A:.*]] = llmos.relu %[[SQ]] : (tensor<?x?xf32>) -> tensor<*xf32>
// CHECK:   %[[S:.*]] = llmos.shape %[[A]]
// CHECK:   llmos.yield %[[S]]
// CHECK: } else {
// CHECK:   %[[B:.*]] = llmos.relu %arg0 : (tensor<?x1x?xf32>) -> tensor<*xf32>
// CHECK:   %[[T:.*]] = llmos.shape %[[B]]
// CHECK:   llmos.yield %[[T]]
// CHECK: }
// CHECK: return %[[R]], %[[E]]
// SMALL-LABEL: func.func @conditional_squeeze
// SMALL: llmos.if %arg2 : (tensor<i1>) -> tensor<*xf32>
// SMALL: llmos.relu
func.func @conditional_squeeze(%x: tensor<?x1x?xf32>, %y: tensor<4xf32>, %c: tensor<i1>) -> (tensor<?xi64>, tensor<4xf32>) {
  %axes = llmos.constant dense<1> : tensor<1xi64>
  %r = llmos.if %c : (tensor<i1>) -> tensor<*xf32> then {
    %s = llmos.squeeze %x, %axes : (tensor<?x1x?xf32>, tensor<1xi64>) -> tensor<?x?xf32>
    llmos.yield %s : tensor<?x?xf32>
  } else {
    llmos.yield %x : tensor<?x1x?xf32>
  }
  %a = llmos.relu %r : (tensor<*xf32>) -> tensor<*xf32>
  %e = llmos.exp %y : (tensor<4xf32>) -> tensor<4xf32>
  %shape = llmos.shape %a : (tensor<*xf32>) -> tensor<?xi64>
  return %shape, %e : tensor<?xi64>, tensor<4xf32>
}

// -----

// Tests that an If whose results are ranked, or whose unranked result
// nothing after it reads but the return, is left alone.
// CHECK-LABEL: func.func @nothing_to_specialize
// CHECK: %[[R:.*]] = llmos.if %arg1 : (tensor<i1>) -> tensor<?x?xf32>
// CHECK: %[[U:.*]] = llmos.if %arg1 : (tensor<i1>) -> tensor<*xf32>
// CHECK: %[[N:.*]] = llmos.neg %[[R]]
// CHECK: return %[[N]], %[[U]]
func.func @nothing_to_specialize(%x: tensor<?x?xf32>, %c: tensor<i1>) -> (tensor<?x?xf32>, tensor<*xf32>) {
  %r = llmos.if %c : (tensor<i1>) -> tensor<?x?xf32> then {
    llmos.yield %x : tensor<?x?xf32>
  } else {
    %n = llmos.relu %x : (tensor<?x?xf32>) -> tensor<?x?xf32>
    llmos.yield %n : tensor<?x?xf32>
  }
  %u = llmos.if %c : (tensor<i1>) -> tensor<*xf32> then {
    llmos.yield %x : tensor<?x?xf32>
  } else {
    %axes = llmos.constant dense<0> : tensor<1xi64>
    %v = llmos.unsqueeze %x, %axes : (tensor<?x?xf32>, tensor<1xi64>) -> tensor<1x?x?xf32>
    llmos.yield %v : tensor<1x?x?xf32>
  }
  %neg = llmos.neg %r : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %neg, %u : tensor<?x?xf32>, tensor<*xf32>
}
