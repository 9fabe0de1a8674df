// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file %s | FileCheck %s

// Tests that auto_pad SAME on dynamic spatial dims pads by amounts computed
// at run time: total = max(0, (ceil(in / s) - 1) * s + window - in), the
// smaller half first (SAME_UPPER).
// CHECK-LABEL: func.func @conv_same_dynamic
// CHECK: %[[IN:.*]] = tensor.dim %arg0, %{{.*}} : tensor<1x2x?x?xf32>
// CHECK: %[[OUT:.*]] = arith.ceildivsi %[[IN]]
// CHECK: %[[TOTAL:.*]] = arith.maxsi
// CHECK: %[[SMALL:.*]] = arith.floordivsi %[[TOTAL]]
// CHECK: %[[LARGE:.*]] = arith.subi %[[TOTAL]], %[[SMALL]]
// CHECK: tensor.pad %arg0 low[0, 0, %[[SMALL]], %{{.*}}] high[0, 0, %[[LARGE]], %{{.*}}]
// CHECK: linalg.generic
func.func @conv_same_dynamic(%x: tensor<1x2x?x?xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x?x?xf32> {
  %y = llmos.conv %x, %w {auto_pad = "SAME_UPPER", strides = array<i64: 2, 2>} : (tensor<1x2x?x?xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x?x?xf32>
  return %y : tensor<1x3x?x?xf32>
}

// -----

// Tests that a grouped convolution whose weights have a dynamic shape views
// X as [N, G, C/G, H, W] and W as [G, M/G, C/G, KH, KW], with the kernel
// loops sized by the weights.
// CHECK-LABEL: func.func @conv_grouped_dynamic_weights
// CHECK: %[[X:.*]] = tensor.expand_shape %arg0 {{\[}}[0], [1, 2], [3], [4]] {{.*}} into tensor<?x2x?x?x?xf32>
// CHECK: %[[W:.*]] = tensor.expand_shape %arg1 {{\[}}[0, 1], [2], [3], [4]] {{.*}} into tensor<2x?x?x?x?xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[W]] : tensor<?x2x?x?x?xf32>, tensor<2x?x?x?x?xf32>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<?x?x?x?xf32>
func.func @conv_grouped_dynamic_weights(%x: tensor<?x?x?x?xf32>, %w: tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32> {
  %y = llmos.conv %x, %w {group = 2 : i64} : (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Tests that a transposed convolution on dynamic dims dilates the input by
// a strided insert_slice into zeros of (in - 1) * stride + 1, pads by
// (k - 1) * d - pads and convolves with the flipped kernel.
// CHECK-LABEL: func.func @conv_transpose_dynamic
// CHECK: %[[Z:.*]] = linalg.fill {{.*}} -> tensor<?x3x?x?xf32>
// CHECK: %[[D:.*]] = tensor.insert_slice %arg0 into %[[Z]][0, 0, 0, 0] [%{{.*}}, 3, %{{.*}}, %{{.*}}] [1, 1, 2, 2]
// CHECK: tensor.pad %[[D]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.collapse_shape {{.*}} into tensor<2x3x3x3xf32>
// CHECK: linalg.generic
func.func @conv_transpose_dynamic(%x: tensor<?x3x?x?xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<?x2x?x?xf32> {
  %y = llmos.conv_transpose %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x3x?x?xf32>, tensor<3x2x3x3xf32>) -> tensor<?x2x?x?xf32>
  return %y : tensor<?x2x?x?xf32>
}

// -----

// Tests that ceil mode on dynamic dims computes its output size at run time
// (less one where the last window would start past the input) and pads the
// end by what the last window needs.
// CHECK-LABEL: func.func @max_pool_ceil_dynamic
// CHECK: arith.ceildivsi
// CHECK: %[[PAST:.*]] = arith.cmpi sge
// CHECK: arith.index_cast %[[PAST]] : i1 to index
// CHECK: tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, %{{.*}}, %{{.*}}]
func.func @max_pool_ceil_dynamic(%x: tensor<1x2x?x?xf32>) -> tensor<1x2x?x?xf32> {
  %p, %i = llmos.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = 1 : i64} : (tensor<1x2x?x?xf32>) -> (tensor<1x2x?x?xf32>, tensor<1x2x?x?xi64>)
  return %p : tensor<1x2x?x?xf32>
}

// -----

// Tests that static shapes are unchanged: constant pads and the im2col +
// matmul form for an ungrouped f32 convolution.
// CHECK-LABEL: func.func @conv_static
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.matmul
func.func @conv_static(%x: tensor<1x2x8x8xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x8x8xf32> {
  %y = llmos.conv %x, %w {auto_pad = "SAME_UPPER"} : (tensor<1x2x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x8x8xf32>
  return %y : tensor<1x3x8x8xf32>
}
