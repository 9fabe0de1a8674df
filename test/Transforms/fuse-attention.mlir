// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-fuse-attention))' --split-input-file %s | FileCheck %s

// BERT's attention: scores divided by 8, an additive mask, softmax, the
// product with V; K^T came from a transpose of the projected keys.
// CHECK-LABEL: func.func @additive_mask
// CHECK: %[[K:.*]] = llmos.transpose %arg1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32>) -> tensor<?x2x?x4xf32>
// CHECK: %[[A:.*]] = llmos.attention %arg0, %[[K]], %arg2 mask(%arg3) {scale = 1.250000e-01 : f32}
// CHECK-NOT: llmos.softmax
// CHECK: return %[[A]]
func.func @additive_mask(%q: tensor<?x2x?x4xf32>, %k: tensor<?x?x2x4xf32>, %v: tensor<?x2x?x4xf32>, %m: tensor<?x1x1x?xf32>) -> tensor<?x2x?x4xf32> {
  %eight = llmos.constant dense<8.0> : tensor<f32>
  %kt = llmos.transpose %k {perm = array<i64: 0, 2, 3, 1>} : (tensor<?x?x2x4xf32>) -> tensor<?x2x4x?xf32>
  %0 = llmos.matmul %q, %kt : (tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) -> tensor<?x2x?x?xf32>
  %1 = llmos.div %0, %eight : (tensor<?x2x?x?xf32>, tensor<f32>) -> tensor<?x2x?x?xf32>
  %2 = llmos.add %1, %m : (tensor<?x2x?x?xf32>, tensor<?x1x1x?xf32>) -> tensor<?x2x?x?xf32>
  %3 = llmos.softmax %2 : (tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %4 = llmos.matmul %3, %v : (tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  return %4 : tensor<?x2x?x4xf32>
}

// -----

// GPT's causal mask: Where(mask, -inf, scores) becomes the additive mask
// Where(mask, -inf, 0).
// CHECK-LABEL: func.func @where_mask
// CHECK: %[[M:.*]] = llmos.where %arg3, %{{.*}}, %{{.*}} : (tensor<1x1x?x?xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x?x?xf32>
// CHECK: llmos.attention %arg0, %arg1, %arg2 mask(%[[M]]) {scale = 1.250000e-01 : f32}
func.func @where_mask(%q: tensor<1x2x?x4xf32>, %k: tensor<1x2x?x4xf32>, %v: tensor<1x2x?x4xf32>, %c: tensor<1x1x?x?xi1>) -> tensor<1x2x?x4xf32> {
  %s = llmos.constant dense<0.125> : tensor<f32>
  %ninf = llmos.constant dense<0xFF800000> : tensor<f32>
  %kt = llmos.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x?x4xf32>) -> tensor<1x2x4x?xf32>
  %0 = llmos.matmul %q, %kt : (tensor<1x2x?x4xf32>, tensor<1x2x4x?xf32>) -> tensor<1x2x?x?xf32>
  %1 = llmos.mul %0, %s : (tensor<1x2x?x?xf32>, tensor<f32>) -> tensor<1x2x?x?xf32>
  %2 = llmos.where %c, %ninf, %1 : (tensor<1x1x?x?xi1>, tensor<f32>, tensor<1x2x?x?xf32>) -> tensor<1x2x?x?xf32>
  %3 = llmos.softmax %2 : (tensor<1x2x?x?xf32>) -> tensor<1x2x?x?xf32>
  %4 = llmos.matmul %3, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
  return %4 : tensor<1x2x?x4xf32>
}

// -----

// Does not fire: the softmax is not over the last axis, the scores are
// also returned, and a Where fill of -100 would not absorb the scores.
// CHECK-LABEL: func.func @not_attention
// CHECK-NOT: llmos.attention
func.func @not_attention(%q: tensor<2x3x4xf32>, %kt: tensor<2x4x3xf32>, %v: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x3xf32>) {
  %0 = llmos.matmul %q, %kt : (tensor<2x3x4xf32>, tensor<2x4x3xf32>) -> tensor<2x3x3xf32>
  %1 = llmos.softmax %0 {axis = 1 : i64} : (tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %2 = llmos.matmul %1, %v : (tensor<2x3x3xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %3 = llmos.matmul %q, %kt : (tensor<2x3x4xf32>, tensor<2x4x3xf32>) -> tensor<2x3x3xf32>
  %4 = llmos.softmax %3 : (tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %5 = llmos.matmul %4, %v : (tensor<2x3x3xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %2, %5, %3 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @small_fill
// CHECK-NOT: llmos.attention
func.func @small_fill(%q: tensor<2x3x4xf32>, %kt: tensor<2x4x3xf32>, %v: tensor<2x3x4xf32>, %c: tensor<3x3xi1>) -> tensor<2x3x4xf32> {
  %fill = llmos.constant dense<-100.0> : tensor<f32>
  %0 = llmos.matmul %q, %kt : (tensor<2x3x4xf32>, tensor<2x4x3xf32>) -> tensor<2x3x3xf32>
  %1 = llmos.where %c, %fill, %0 : (tensor<3x3xi1>, tensor<f32>, tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %2 = llmos.softmax %1 : (tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %3 = llmos.matmul %2, %v : (tensor<2x3x3xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %3 : tensor<2x3x4xf32>
}
