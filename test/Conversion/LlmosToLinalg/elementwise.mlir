// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file %s | FileCheck %s

// Broadcasting reads the smaller operand through a projected map.
// CHECK: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK: arith.addf
// CHECK-NOT: llmos.
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = llmos.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A dynamic dim sizes the result from the input.
// CHECK-LABEL: func.func @relu_dynamic
// CHECK: %[[D:.*]] = tensor.dim %arg0, %c0
// CHECK: tensor.empty(%[[D]]) : tensor<?x4xf32>
// CHECK: arith.maximumf
func.func @relu_dynamic(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = llmos.relu %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Unsigned integers become signless and use unsigned arithmetic.
// CHECK-LABEL: func.func @div_unsigned
// CHECK-SAME: (%{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> tensor<4xi8>
// CHECK: arith.divui
func.func @div_unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = llmos.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Tests that CastLike reads only its input: a scalar cast like a rank-3
// tensor (how ONNX's function bodies write Relu-18 and Elu-18) is a 0-D
// generic, not a broadcast of the target into it (once a verifier crash).
// CHECK-LABEL: func.func @cast_like_scalar
// CHECK: %[[G:.*]] = linalg.generic {{.*}}iterator_types = []{{.*}} ins(%{{.*}} : tensor<f64>) outs(%{{.*}} : tensor<f32>)
// CHECK: arith.truncf
// CHECK: return %[[G]]
func.func @cast_like_scalar(%x: tensor<f64>, %like: tensor<3x4x5xf32>) -> tensor<f32> {
  %0 = llmos.cast_like %x, %like : (tensor<f64>, tensor<3x4x5xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Tests that BitCast reinterprets bits (arith.bitcast) and widens bools.
// CHECK-LABEL: func.func @bit_cast
// CHECK: linalg.generic
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: linalg.generic
// CHECK: arith.extui %{{.*}} : i1 to i8
func.func @bit_cast(%x: tensor<2xf32>, %b: tensor<2xi1>) -> (tensor<2xi32>, tensor<2xui8>) {
  %0 = llmos.bit_cast %x {to = i32} : (tensor<2xf32>) -> tensor<2xi32>
  %1 = llmos.bit_cast %b {to = ui8} : (tensor<2xi1>) -> tensor<2xui8>
  return %0, %1 : tensor<2xi32>, tensor<2xui8>
}
