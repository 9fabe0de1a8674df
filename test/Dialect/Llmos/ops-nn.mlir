// RUN: llmos-opt %s --split-input-file | FileCheck %s
// RUN: llmos-opt %s --split-input-file | llmos-opt --split-input-file | FileCheck %s

// Tests a ResNet stem: Conv with bias, BatchNormalization, MaxPool with its
// indices result.
// CHECK-LABEL: func.func @stem
func.func @stem(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>) -> tensor<1x64x56x56xf32> {
  // CHECK: llmos.conv %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
  %0 = llmos.conv %x, %w, %b {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  // CHECK: llmos.batch_normalization
  %y, %m, %v = llmos.batch_normalization %0, %b, %b, %b, %b {epsilon = 1.0e-5 : f32} : (tensor<1x64x112x112xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> (tensor<1x64x112x112xf32>, tensor<64xf32>, tensor<64xf32>)
  // CHECK: llmos.max_pool {{.*}} -> (tensor<1x64x56x56xf32>, tensor<1x64x56x56xi64>)
  %p, %i = llmos.max_pool %y {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>) -> (tensor<1x64x56x56xf32>, tensor<1x64x56x56xi64>)
  return %p : tensor<1x64x56x56xf32>
}

// -----

// Tests auto_pad, ceil_mode, grouped convolution and global pooling.
// CHECK-LABEL: func.func @padding_modes
func.func @padding_modes(%x: tensor<1x8x15x15xf32>, %w: tensor<8x1x3x3xf32>) -> (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>, tensor<1x8x1x1xf32>) {
  // CHECK: llmos.conv {{.*}} {auto_pad = "SAME_UPPER", group = 8 : i64, strides = array<i64: 2, 2>}
  %0 = llmos.conv %x, %w {auto_pad = "SAME_UPPER", group = 8 : i64, strides = array<i64: 2, 2>} : (tensor<1x8x15x15xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
  // CHECK: llmos.average_pool {{.*}} {ceil_mode = 1 : i64
  %1 = llmos.average_pool %x {ceil_mode = 1 : i64, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x8x15x15xf32>) -> tensor<1x8x8x8xf32>
  %2 = llmos.global_average_pool %x : (tensor<1x8x15x15xf32>) -> tensor<1x8x1x1xf32>
  return %0, %1, %2 : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>, tensor<1x8x1x1xf32>
}

// -----

// Tests LayerNormalization's statistics outputs and Resize with sizes.
// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<2x128x768xf32>, %s: tensor<768xf32>, %img: tensor<1x3x8x8xf32>, %sizes: tensor<4xi64>) -> (tensor<2x128x768xf32>, tensor<2x128x1xf32>, tensor<1x3x?x?xf32>) {
  // CHECK: llmos.layer_normalization {{.*}} -> (tensor<2x128x768xf32>, tensor<2x128x1xf32>, tensor<2x128x1xf32>)
  %y, %mean, %inv = llmos.layer_normalization %x, %s, %s {axis = -1 : i64} : (tensor<2x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> (tensor<2x128x768xf32>, tensor<2x128x1xf32>, tensor<2x128x1xf32>)
  // CHECK: llmos.resize %{{.*}} sizes(%{{.*}}) {mode = "linear"}
  %r = llmos.resize %img sizes(%sizes) {mode = "linear"} : (tensor<1x3x8x8xf32>, tensor<4xi64>) -> tensor<1x3x?x?xf32>
  return %y, %mean, %r : tensor<2x128x768xf32>, tensor<2x128x1xf32>, tensor<1x3x?x?xf32>
}

// -----

// Tests ConvTranspose output sizes and DepthToSpace.
// CHECK-LABEL: func.func @upsampling
func.func @upsampling(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> (tensor<1x2x11x11xf32>, tensor<1x1x10x10xf32>) {
  // CHECK: llmos.conv_transpose
  %0 = llmos.conv_transpose %x, %w {strides = array<i64: 2, 2>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x11x11xf32>
  // CHECK: llmos.depth_to_space {{.*}} {blocksize = 2 : i64, mode = "CRD"}
  %1 = llmos.depth_to_space %x {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x4x5x5xf32>) -> tensor<1x1x10x10xf32>
  return %0, %1 : tensor<1x2x11x11xf32>, tensor<1x1x10x10xf32>
}
