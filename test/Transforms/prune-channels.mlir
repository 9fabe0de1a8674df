// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-prune-channels{fraction=0.5}))' --split-input-file %s | FileCheck %s

// Output columns 0 and 2 of the first matmul have the smallest norms:
// they go, with rows 0 and 2 of the second; the types in between shrink.
// CHECK-LABEL: func.func @matmul_columns
// CHECK: llmos.constant dense<{{\[}}[2.000000e+00, 4.000000e+00]]> : tensor<1x2xf32>
// CHECK: llmos.fused_matmul %arg0, %{{.*}} {activation = "relu"} : (tensor<3x1xf32>, tensor<1x2xf32>) -> tensor<3x2xf32>
// CHECK: llmos.constant dense<{{\[}}[6.000000e+00], [8.000000e+00]]> : tensor<2x1xf32>
// CHECK: llmos.fused_matmul %{{.*}}, %{{.*}} : (tensor<3x2xf32>, tensor<2x1xf32>) -> tensor<3x1xf32>
func.func @matmul_columns(%x: tensor<3x1xf32>) -> tensor<3x1xf32> {
  %w1 = llmos.constant dense<[[1.0, 2.0, -0.5, 4.0]]> : tensor<1x4xf32>
  %w2 = llmos.constant dense<[[5.0], [6.0], [7.0], [8.0]]> : tensor<4x1xf32>
  %0 = llmos.fused_matmul %x, %w1 {activation = "relu"} : (tensor<3x1xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %1 = llmos.fused_matmul %0, %w2 : (tensor<3x4xf32>, tensor<4x1xf32>) -> tensor<3x1xf32>
  return %1 : tensor<3x1xf32>
}

// -----

// Does not fire: the convolution's result is also returned, and the
// second feeds a residual.
// CHECK-LABEL: func.func @kept
// CHECK: llmos.conv %arg0, %{{.*}} : (tensor<1x2x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
// CHECK: llmos.conv %{{.*}}, %{{.*}} : (tensor<1x4x3x3xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x3x3xf32>
// CHECK: llmos.add
func.func @kept(%x: tensor<1x2x3x3xf32>) -> (tensor<1x4x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w1 = llmos.constant dense<1.0> : tensor<4x2x1x1xf32>
  %w2 = llmos.constant dense<1.0> : tensor<2x4x1x1xf32>
  %0 = llmos.conv %x, %w1 : (tensor<1x2x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %1 = llmos.conv %0, %w2 : (tensor<1x4x3x3xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x3x3xf32>
  %2 = llmos.add %1, %x : (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %0, %2 : tensor<1x4x3x3xf32>, tensor<1x2x3x3xf32>
}
