// RUN: llmos-opt %s --split-input-file | FileCheck %s
// RUN: llmos-opt %s --split-input-file | llmos-opt --split-input-file | FileCheck %s

// Tests that unary ops round-trip and keep their attributes.
// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: llmos.relu %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %0 = llmos.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: llmos.leaky_relu %{{.*}} {alpha = 2.000000e-01 : f32}
  %1 = llmos.leaky_relu %0 {alpha = 0.2 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: llmos.gelu %{{.*}} {approximate = "tanh"}
  %2 = llmos.gelu %1 {approximate = "tanh"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = llmos.sigmoid %2 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}

// -----

// Tests that binary ops broadcast and comparisons produce i1.
// CHECK-LABEL: func.func @binary
func.func @binary(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xi1>) {
  // CHECK: llmos.add %{{.*}}, %{{.*}} : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %0 = llmos.add %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  // CHECK: llmos.less %{{.*}} -> tensor<2x3x4xi1>
  %1 = llmos.less %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xi1>
  return %0, %1 : tensor<2x3x4xf32>, tensor<2x3x4xi1>
}

// -----

// Tests that results may be less static than inference (before refinement).
// CHECK-LABEL: func.func @dynamic_result
func.func @dynamic_result(%a: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<*xf32> {
  // CHECK: llmos.mul %{{.*}} -> tensor<*xf32>
  %0 = llmos.mul %a, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Tests variadic broadcasting ops, Where, Pow with mixed types and Clip.
// CHECK-LABEL: func.func @misc
func.func @misc(%c: tensor<4xi1>, %x: tensor<2x4xf32>, %e: tensor<i64>, %lo: tensor<f32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  // CHECK: llmos.sum %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %0 = llmos.sum %x, %x, %x : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  // CHECK: llmos.where
  %1 = llmos.where %c, %x, %0 : (tensor<4xi1>, tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  // CHECK: llmos.pow %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<i64>) -> tensor<2x4xf32>
  %2 = llmos.pow %1, %e : (tensor<2x4xf32>, tensor<i64>) -> tensor<2x4xf32>
  // CHECK: llmos.clip %{{.*}} min(%{{.*}}) : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  %3 = llmos.clip %2 min(%lo) : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  return %0, %1, %2, %3 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Tests Cast, CastLike, IsNaN and bitwise ops on their element types.
// CHECK-LABEL: func.func @casts
func.func @casts(%x: tensor<3xf32>, %i: tensor<3xui8>, %j: tensor<3xui8>) -> (tensor<3xf16>, tensor<3xui8>, tensor<3xi1>, tensor<3xui8>) {
  // CHECK: llmos.cast %{{.*}} {to = f16}
  %0 = llmos.cast %x {to = f16} : (tensor<3xf32>) -> tensor<3xf16>
  %1 = llmos.cast_like %x, %i : (tensor<3xf32>, tensor<3xui8>) -> tensor<3xui8>
  %2 = llmos.is_nan %x : (tensor<3xf32>) -> tensor<3xi1>
  // CHECK: llmos.bitwise_xor
  %3 = llmos.bitwise_xor %i, %j : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %0, %1, %2, %3 : tensor<3xf16>, tensor<3xui8>, tensor<3xi1>, tensor<3xui8>
}

// -----

// Tests that BitCast round-trips, bool to a byte included.
// CHECK-LABEL: func.func @bit_cast
// CHECK: llmos.bit_cast %{{.*}} {to = i32} : (tensor<2xf32>) -> tensor<2xi32>
// CHECK: llmos.bit_cast %{{.*}} {to = ui8} : (tensor<2xi1>) -> tensor<2xui8>
func.func @bit_cast(%x: tensor<2xf32>, %b: tensor<2xi1>) -> (tensor<2xi32>, tensor<2xui8>) {
  %0 = llmos.bit_cast %x {to = i32} : (tensor<2xf32>) -> tensor<2xi32>
  %1 = llmos.bit_cast %b {to = ui8} : (tensor<2xi1>) -> tensor<2xui8>
  return %0, %1 : tensor<2xi32>, tensor<2xui8>
}
