// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-fuse-epilogues))' --split-input-file %s | FileCheck %s

// Conv + per-channel bias Add + residual Add + Relu: one fused_conv.
// CHECK-LABEL: func.func @conv_bias_residual_relu
// CHECK: %[[Y:.*]] = llmos.fused_conv %arg0, %{{.*}} bias(%{{.*}}) residual(%arg1) {activation = "relu"
// CHECK-NOT: llmos.add
// CHECK-NOT: llmos.relu
// CHECK: return %[[Y]]
func.func @conv_bias_residual_relu(%x: tensor<1x2x4x4xf32>, %skip: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %w = llmos.constant dense<1.0> : tensor<4x2x1x1xf32>
  %b = llmos.constant dense<[[[0.5]], [[1.5]], [[2.5]], [[3.5]]]> : tensor<4x1x1xf32>
  %0 = llmos.conv %x, %w : (tensor<1x2x4x4xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x4x4xf32>
  %1 = llmos.add %0, %b : (tensor<1x4x4x4xf32>, tensor<4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %2 = llmos.add %skip, %1 : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %3 = llmos.relu %2 : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %3 : tensor<1x4x4x4xf32>
}

// -----

// MatMul + bias + GELU, Gemm (transB, its constant weight transposed at
// compile time) + Clip(0, 6), and SiLU; a MatMul on a transposed
// activation takes trans_b.
// CHECK-LABEL: func.func @matmul_epilogues
// CHECK: llmos.fused_matmul %arg0, %{{.*}} bias(%{{.*}}) {activation = "gelu"}
// CHECK: llmos.fused_matmul %arg1, %{{.*}} bias(%{{.*}}) {activation = "clip", activation_params = array<f32: 0.000000e+00, 6.000000e+00>} : (tensor<3x8xf32>, tensor<8x4xf32>
// CHECK: llmos.fused_matmul %arg0, %{{.*}} {activation = "silu"}
// CHECK: llmos.fused_matmul %arg1, %arg1 {trans_b = 1 : i64} : (tensor<3x8xf32>, tensor<3x8xf32>) -> tensor<3x3xf32>
// CHECK-NOT: llmos.gelu
// CHECK-NOT: llmos.clip
// CHECK-NOT: llmos.sigmoid
func.func @matmul_epilogues(%x: tensor<?x8xf32>, %y: tensor<3x8xf32>) -> (tensor<?x4xf32>, tensor<3x4xf32>, tensor<?x4xf32>, tensor<3x3xf32>) {
  %w = llmos.constant dense<0.5> : tensor<8x4xf32>
  %wt = llmos.constant dense<0.5> : tensor<4x8xf32>
  %b = llmos.constant dense<1.0> : tensor<4xf32>
  %lo = llmos.constant dense<0.0> : tensor<f32>
  %hi = llmos.constant dense<6.0> : tensor<f32>
  %0 = llmos.matmul %x, %w : (tensor<?x8xf32>, tensor<8x4xf32>) -> tensor<?x4xf32>
  %1 = llmos.add %b, %0 : (tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %2 = llmos.gelu %1 : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %3 = llmos.gemm %y, %wt, %b {transB = 1 : i64} : (tensor<3x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  %4 = llmos.clip %3 min(%lo) max(%hi) : (tensor<3x4xf32>, tensor<f32>, tensor<f32>) -> tensor<3x4xf32>
  %5 = llmos.matmul %x, %w : (tensor<?x8xf32>, tensor<8x4xf32>) -> tensor<?x4xf32>
  %6 = llmos.sigmoid %5 : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %7 = llmos.mul %5, %6 : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %yt = llmos.transpose %y {perm = array<i64: 1, 0>} : (tensor<3x8xf32>) -> tensor<8x3xf32>
  %8 = llmos.matmul %y, %yt : (tensor<3x8xf32>, tensor<8x3xf32>) -> tensor<3x3xf32>
  return %2, %4, %7, %8 : tensor<?x4xf32>, tensor<3x4xf32>, tensor<?x4xf32>, tensor<3x3xf32>
}

// -----

// Does not fire on the epilogue: the conv result has a second user, and
// a Relu after an integer MatMul stays (no fused op for integers).
// CHECK-LABEL: func.func @not_fused
// CHECK: %[[C:.*]] = llmos.fused_conv %arg0, %{{.*}} : (
// CHECK: llmos.relu %[[C]]
// CHECK: llmos.matmul
// CHECK: llmos.relu
func.func @not_fused(%x: tensor<1x2x4x4xf32>, %a: tensor<2x2xi32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>, tensor<2x2xi32>) {
  %w = llmos.constant dense<1.0> : tensor<4x2x1x1xf32>
  %0 = llmos.conv %x, %w : (tensor<1x2x4x4xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x4x4xf32>
  %1 = llmos.relu %0 : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %2 = llmos.matmul %a, %a : (tensor<2x2xi32>, tensor<2x2xi32>) -> tensor<2x2xi32>
  %3 = llmos.relu %2 : (tensor<2x2xi32>) -> tensor<2x2xi32>
  return %0, %1, %3 : tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>, tensor<2x2xi32>
}
