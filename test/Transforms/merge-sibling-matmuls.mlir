// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-merge-sibling-matmuls))' --split-input-file %s | FileCheck %s

// Q, K and V projections of one input: one matmul on [8, 12] weights with
// a [12] bias, split into three [.., 4] results.
// CHECK-LABEL: func.func @qkv
// CHECK: %[[M:.*]] = llmos.fused_matmul %arg0, %{{.*}} bias(%{{.*}}) : (tensor<?x8xf32>, tensor<8x12xf32>, tensor<12xf32>) -> tensor<?x12xf32>
// CHECK: %[[S:.*]]:3 = llmos.split %[[M]], %{{.*}} {axis = 1 : i64}
// CHECK-NOT: llmos.fused_matmul
// CHECK: return %[[S]]#0, %[[S]]#1, %[[S]]#2
func.func @qkv(%x: tensor<?x8xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %wq = llmos.constant dense<1.0> : tensor<8x4xf32>
  %wk = llmos.constant dense<2.0> : tensor<8x4xf32>
  %wv = llmos.constant dense<3.0> : tensor<8x4xf32>
  %b = llmos.constant dense<0.5> : tensor<4xf32>
  %q = llmos.fused_matmul %x, %wq bias(%b) : (tensor<?x8xf32>, tensor<8x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %k = llmos.fused_matmul %x, %wk bias(%b) : (tensor<?x8xf32>, tensor<8x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %v = llmos.fused_matmul %x, %wv : (tensor<?x8xf32>, tensor<8x4xf32>) -> tensor<?x4xf32>
  return %q, %k, %v : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// Does not fire: different activations, and weights that are not
// constants.
// CHECK-LABEL: func.func @not_merged
// CHECK-COUNT-3: llmos.fused_matmul
// CHECK-NOT: llmos.split
func.func @not_merged(%x: tensor<2x8xf32>, %w: tensor<8x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  %wq = llmos.constant dense<1.0> : tensor<8x4xf32>
  %q = llmos.fused_matmul %x, %wq {activation = "relu"} : (tensor<2x8xf32>, tensor<8x4xf32>) -> tensor<2x4xf32>
  %k = llmos.fused_matmul %x, %wq : (tensor<2x8xf32>, tensor<8x4xf32>) -> tensor<2x4xf32>
  %v = llmos.fused_matmul %x, %w : (tensor<2x8xf32>, tensor<8x4xf32>) -> tensor<2x4xf32>
  return %q, %k, %v : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}
