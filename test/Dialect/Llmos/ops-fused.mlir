// RUN: llmos-opt %s --split-input-file | FileCheck %s
// RUN: llmos-opt %s --split-input-file | llmos-opt --split-input-file | FileCheck %s

// The ops node merging builds print and parse back.
// CHECK-LABEL: func.func @fused
// CHECK: llmos.fused_conv %arg0, %arg1 bias(%arg2) residual(%arg3) {activation = "relu", pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
// CHECK: llmos.fused_matmul %arg4, %arg5 residual(%arg6) {activation = "leaky_relu", activation_params = array<f32: 1.000000e-01>, alpha = 5.000000e-01 : f32, trans_b = 1 : i64} : (tensor<?x8xf32>, tensor<4x8xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: llmos.attention %arg7, %arg7, %arg7 mask(%arg8) {scale = 2.500000e-01 : f32} : (tensor<2x3x5x16xf32>, tensor<2x3x5x16xf32>, tensor<2x3x5x16xf32>, tensor<5x5xf32>) -> tensor<2x3x5x16xf32>
func.func @fused(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>, %r: tensor<1x3x4x4xf32>,
                 %a: tensor<?x8xf32>, %wt: tensor<4x8xf32>, %res: tensor<?x4xf32>,
                 %q: tensor<2x3x5x16xf32>, %m: tensor<5x5xf32>) -> (tensor<1x3x4x4xf32>, tensor<?x4xf32>, tensor<2x3x5x16xf32>) {
  %0 = llmos.fused_conv %x, %w bias(%b) residual(%r) {activation = "relu", pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %1 = llmos.fused_matmul %a, %wt residual(%res) {activation = "leaky_relu", activation_params = array<f32: 0.1>, alpha = 0.5 : f32, trans_b = 1 : i64} : (tensor<?x8xf32>, tensor<4x8xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %2 = llmos.attention %q, %q, %q mask(%m) {scale = 0.25 : f32} : (tensor<2x3x5x16xf32>, tensor<2x3x5x16xf32>, tensor<2x3x5x16xf32>, tensor<5x5xf32>) -> tensor<2x3x5x16xf32>
  return %0, %1, %2 : tensor<1x3x4x4xf32>, tensor<?x4xf32>, tensor<2x3x5x16xf32>
}

// -----

// CHECK-LABEL: func.func @fused_elementwise
// CHECK: llmos.fused_elementwise %arg0, %arg1 : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32> {
// CHECK: ^bb0(%{{.*}}: tensor<f32>, %{{.*}}: tensor<f32>):
// CHECK:   llmos.mul
// CHECK:   llmos.tanh
// CHECK:   llmos.yield
func.func @fused_elementwise(%x: tensor<?x4xf32>, %s: tensor<4xf32>) -> tensor<?x4xf32> {
  %0 = llmos.fused_elementwise %x, %s : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32> {
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %1 = llmos.mul %a, %b : (tensor<f32>, tensor<f32>) -> tensor<f32>
    %2 = llmos.tanh %1 : (tensor<f32>) -> tensor<f32>
    llmos.yield %2 : tensor<f32>
  }
  return %0 : tensor<?x4xf32>
}
