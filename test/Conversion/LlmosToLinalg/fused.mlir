// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file %s | FileCheck %s

// fused_conv: the convolution, then one generic for bias (read per
// channel), residual and relu.
// CHECK-LABEL: func.func @fused_conv
// CHECK: linalg.matmul
// CHECK: %[[B:.*]] = tensor.expand_shape %arg2 {{\[}}[0, 1, 2, 3]] output_shape [1, 3, 1, 1]
// CHECK: %[[Y:.*]] = linalg.generic
// CHECK-SAME: ins(%{{.*}}, %[[B]], %arg3 : tensor<1x3x4x4xf32>, tensor<1x3x1x1xf32>, tensor<1x3x4x4xf32>)
// CHECK: arith.addf
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]]
func.func @fused_conv(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %b: tensor<3xf32>, %r: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %0 = llmos.fused_conv %x, %w bias(%b) residual(%r) {activation = "relu"} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// fused_matmul with trans_b: a transpose of B, the matmul, and one
// epilogue generic (alpha, bias, sigmoid-weighted SiLU).
// CHECK-LABEL: func.func @fused_matmul
// CHECK: linalg.transpose ins(%arg1 : tensor<4x8xf32>) outs(%{{.*}} : tensor<8x4xf32>) permutation = [1, 0]
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: arith.mulf
func.func @fused_matmul(%a: tensor<?x8xf32>, %b: tensor<4x8xf32>, %c: tensor<4xf32>) -> tensor<?x4xf32> {
  %0 = llmos.fused_matmul %a, %b bias(%c) {activation = "silu", alpha = 2.0 : f32, trans_b = 1 : i64} : (tensor<?x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// attention: Q x K^T (K transposed), scale and mask in one generic, a
// softmax, the product with V.
// CHECK-LABEL: func.func @attention
// CHECK: linalg.transpose ins(%arg1 : tensor<2x5x16xf32>)
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: math.exp
// CHECK: linalg.matmul
func.func @attention(%q: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %m: tensor<5x5xf32>) -> tensor<2x5x16xf32> {
  %0 = llmos.attention %q, %k, %v mask(%m) {scale = 0.25 : f32} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<5x5xf32>) -> tensor<2x5x16xf32>
  return %0 : tensor<2x5x16xf32>
}

// -----

// fused_elementwise: one generic over the result, the body's ops as
// scalars, a body constant as an arith constant.
// CHECK-LABEL: func.func @fused_elementwise
// CHECK: linalg.generic
// CHECK-SAME: ins(%arg0, %arg1 : tensor<?x4xf32>, tensor<4xi64>)
// CHECK: arith.sitofp
// CHECK: arith.mulf
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK: arith.addf
// CHECK: math.tanh
// CHECK-NOT: linalg.generic
func.func @fused_elementwise(%x: tensor<?x4xf32>, %s: tensor<4xi64>) -> tensor<?x4xf32> {
  %0 = llmos.fused_elementwise %x, %s : (tensor<?x4xf32>, tensor<4xi64>) -> tensor<?x4xf32> {
  ^bb0(%a: tensor<f32>, %b: tensor<i64>):
    %c = llmos.cast %b {to = f32} : (tensor<i64>) -> tensor<f32>
    %1 = llmos.mul %a, %c : (tensor<f32>, tensor<f32>) -> tensor<f32>
    %two = llmos.constant dense<2.0> : tensor<f32>
    %2 = llmos.add %1, %two : (tensor<f32>, tensor<f32>) -> tensor<f32>
    %3 = llmos.tanh %2 : (tensor<f32>) -> tensor<f32>
    llmos.yield %3 : tensor<f32>
  }
  return %0 : tensor<?x4xf32>
}
