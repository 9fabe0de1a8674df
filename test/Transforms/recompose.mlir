// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-recompose))' --split-input-file %s | FileCheck %s

// The opset-13 spelling of LayerNorm (as PyTorch exports it), with scale
// and bias.
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[Y:.*]], %{{.*}}, %{{.*}} = llmos.layer_normalization %arg0, %arg1, %arg2 {epsilon = 9.99999996E-13 : f32}
// CHECK-NOT: llmos.reduce_mean
// CHECK-NOT: llmos.pow
// CHECK: return %[[Y]]
func.func @layer_norm(%x: tensor<?x?x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<?x?x8xf32> {
  %axes = llmos.constant dense<-1> : tensor<1xi64>
  %two = llmos.constant dense<2.0> : tensor<f32>
  %eps = llmos.constant dense<9.99999996E-13> : tensor<f32>
  %0 = llmos.reduce_mean %x, %axes : (tensor<?x?x8xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
  %1 = llmos.sub %x, %0 : (tensor<?x?x8xf32>, tensor<?x?x1xf32>) -> tensor<?x?x8xf32>
  %2 = llmos.pow %1, %two : (tensor<?x?x8xf32>, tensor<f32>) -> tensor<?x?x8xf32>
  %3 = llmos.reduce_mean %2, %axes : (tensor<?x?x8xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
  %4 = llmos.add %3, %eps : (tensor<?x?x1xf32>, tensor<f32>) -> tensor<?x?x1xf32>
  %5 = llmos.sqrt %4 : (tensor<?x?x1xf32>) -> tensor<?x?x1xf32>
  %6 = llmos.div %1, %5 : (tensor<?x?x8xf32>, tensor<?x?x1xf32>) -> tensor<?x?x8xf32>
  %7 = llmos.mul %6, %g : (tensor<?x?x8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  %8 = llmos.add %7, %b : (tensor<?x?x8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return %8 : tensor<?x?x8xf32>
}

// -----

// GELU as x * (1 + erf(x / sqrt 2)) * 0.5, and a stable softmax.
// CHECK-LABEL: func.func @gelu_softmax
// CHECK: %[[G:.*]] = llmos.gelu %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[S:.*]] = llmos.softmax %arg0 {axis = 1 : i64}
// CHECK-NOT: llmos.erf
// CHECK-NOT: llmos.exp
// CHECK: return %[[G]], %[[S]]
func.func @gelu_softmax(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %sqrt2 = llmos.constant dense<1.41421354> : tensor<f32>
  %one = llmos.constant dense<1.0> : tensor<f32>
  %half = llmos.constant dense<0.5> : tensor<f32>
  %axes = llmos.constant dense<1> : tensor<1xi64>
  %0 = llmos.div %x, %sqrt2 : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %1 = llmos.erf %0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = llmos.add %1, %one : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %3 = llmos.mul %x, %2 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %4 = llmos.mul %3, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %m = llmos.reduce_max %x, %axes : (tensor<4x8xf32>, tensor<1xi64>) -> tensor<4x1xf32>
  %d = llmos.sub %x, %m : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %e = llmos.exp %d : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = llmos.reduce_sum %e, %axes : (tensor<4x8xf32>, tensor<1xi64>) -> tensor<4x1xf32>
  %p = llmos.div %e, %s : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %4, %p : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Does not fire: the mean is over the first axis, and the centred value
// has a third user.
// CHECK-LABEL: func.func @not_layer_norm
// CHECK-NOT: llmos.layer_normalization
// CHECK: llmos.reduce_mean
func.func @not_layer_norm(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %axes = llmos.constant dense<0> : tensor<1xi64>
  %two = llmos.constant dense<2.0> : tensor<f32>
  %eps = llmos.constant dense<1.0E-5> : tensor<f32>
  %0 = llmos.reduce_mean %x, %axes : (tensor<4x8xf32>, tensor<1xi64>) -> tensor<1x8xf32>
  %1 = llmos.sub %x, %0 : (tensor<4x8xf32>, tensor<1x8xf32>) -> tensor<4x8xf32>
  %2 = llmos.pow %1, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %3 = llmos.reduce_mean %2, %axes : (tensor<4x8xf32>, tensor<1xi64>) -> tensor<1x8xf32>
  %4 = llmos.add %3, %eps : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %5 = llmos.sqrt %4 : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %6 = llmos.div %1, %5 : (tensor<4x8xf32>, tensor<1x8xf32>) -> tensor<4x8xf32>
  return %6, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}
