// RUN: llmos-opt %s --split-input-file --verify-diagnostics

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{input channels 3 differ from W's 2 channels times group 1}}
  %0 = llmos.conv %x, %w : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{pads has 2 values, expected 4}}
  %0 = llmos.conv %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @pool_window(%x: tensor<1x3x2x2xf32>) -> tensor<1x3x1x1xf32> {
  // expected-error @+1 {{does not fit input size 2}}
  %0 = llmos.average_pool %x {kernel_shape = array<i64: 3, 3>} : (tensor<1x3x2x2xf32>) -> tensor<1x3x1x1xf32>
  return %0 : tensor<1x3x1x1xf32>
}

// -----

func.func @pool_kernel_rank(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{kernel_shape has 3 values, expected 2}}
  %0 = llmos.average_pool %x {kernel_shape = array<i64: 2, 2, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @bn_channels(%x: tensor<1x3x8x8xf32>, %p: tensor<4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{scale has 4 elements, expected 3}}
  %y, %m, %v = llmos.batch_normalization %x, %p, %p, %p, %p : (tensor<1x3x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<1x3x8x8xf32>, tensor<4xf32>, tensor<4xf32>)
  return %y : tensor<1x3x8x8xf32>
}

// -----

func.func @depth_to_space(%x: tensor<1x3x4x4xf32>) -> tensor<1x1x8x8xf32> {
  // expected-error @+1 {{channels 3 are not divisible by blocksize^2}}
  %0 = llmos.depth_to_space %x {blocksize = 2 : i64} : (tensor<1x3x4x4xf32>) -> tensor<1x1x8x8xf32>
  return %0 : tensor<1x1x8x8xf32>
}

// -----

func.func @missing_kernel(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{requires attribute 'kernel_shape'}}
  %0, %1 = llmos.max_pool %x : (tensor<1x3x8x8xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x4x4xi64>)
  return %0 : tensor<1x3x4x4xf32>
}
