// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-fold-batchnorm))' --split-input-file %s | FileCheck %s

// W' = W * scale / sqrt(var + eps) per output channel; B' = (B - mean) *
// s + bias. With scale [2, 1], var [3, 0] (eps 1): s = [1, 1];
// B' = [0 - 1, 5 - 2] + [1, 0] * s = [0, 3].
// CHECK-LABEL: func.func @conv_bn
// CHECK-DAG: %[[W:.*]] = llmos.constant dense<{{\[}}{{\[}}{{\[}}[1.000000e+00]]], {{\[}}{{\[}}[2.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = llmos.constant dense<[0.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = llmos.conv %arg0, %[[W]], %[[B]]
// CHECK-NOT: llmos.batch_normalization
// CHECK: return %[[Y]]
func.func @conv_bn(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = llmos.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = llmos.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %scale = llmos.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %shift = llmos.constant dense<[0.0, 5.0]> : tensor<2xf32>
  %mean = llmos.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = llmos.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = llmos.conv %x, %w, %b : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %1:3 = llmos.batch_normalization %0, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>)
  return %1#0 : tensor<1x2x3x3xf32>
}

// -----

// Does not fire: the conv result has another user, and the batchnorm's
// statistics are not constants.
// CHECK-LABEL: func.func @not_folded
// CHECK-COUNT-2: llmos.batch_normalization
func.func @not_folded(%x: tensor<1x1x3x3xf32>, %var: tensor<2xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w = llmos.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = llmos.constant dense<1.0> : tensor<2xf32>
  %0 = llmos.conv %x, %w : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1:3 = llmos.batch_normalization %0, %p, %p, %p, %p : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>)
  %2 = llmos.conv %x, %w : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %3:3 = llmos.batch_normalization %2, %p, %p, %p, %var : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>)
  return %0, %1#0, %3#0 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}
