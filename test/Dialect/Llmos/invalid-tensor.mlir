// RUN: llmos-opt %s --split-input-file --verify-diagnostics

func.func @reshape_elements(%x: tensor<2x3xf32>) -> tensor<4x2xf32> {
  %s = llmos.constant dense<[4, 2]> : tensor<2xi64>
  // expected-error @+1 {{cannot reshape 'tensor<2x3xf32>' (6 elements) to 8 elements}}
  %0 = llmos.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @reshape_two_minus_one(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %s = llmos.constant dense<[-1, -1]> : tensor<2xi64>
  // expected-error @+1 {{shape may contain at most one -1}}
  %0 = llmos.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{perm must be a permutation of the input dims}}
  %0 = llmos.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @gather_axis(%x: tensor<2x3xf32>, %i: tensor<1xi64>) -> tensor<2x1xf32> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = llmos.gather %x, %i {axis = 2 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @gather_index(%x: tensor<2x3xf32>) -> tensor<1x3xf32> {
  %i = llmos.constant dense<[5]> : tensor<1xi64>
  // expected-error @+1 {{index 5 is out of bounds for axis size 2}}
  %0 = llmos.gather %x, %i : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{inputs differ in dim 1: 3 vs 4}}
  %0 = llmos.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @split_sizes(%x: tensor<10xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %s = llmos.constant dense<[3, 3]> : tensor<2xi64>
  // expected-error @+1 {{split sizes sum to 6, but the axis has size 10}}
  %0:2 = llmos.split %x, %s : (tensor<10xf32>, tensor<2xi64>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

func.func @squeeze_non_one(%x: tensor<2x3xf32>) -> tensor<3xf32> {
  %a = llmos.constant dense<[0]> : tensor<1xi64>
  // expected-error @+1 {{cannot squeeze axis 0 of size 2}}
  %0 = llmos.squeeze %x, %a : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @expand(%x: tensor<3xf32>) -> tensor<2x4xf32> {
  %s = llmos.constant dense<[2, 4]> : tensor<2xi64>
  // expected-error @+1 {{cannot expand 'tensor<3xf32>' to the requested shape}}
  %0 = llmos.expand %x, %s : (tensor<3xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
