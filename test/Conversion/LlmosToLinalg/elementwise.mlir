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

// -----

// Float8 and float4 have no LLVM arithmetic: a cast to them rounds |x| to
// the format's quantum (math.roundeven) and assembles the code in i32
// arithmetic, stored through the format's byte; a cast from them decodes
// the bits into an f32. No arith.truncf / arith.extf touches the type.
// CHECK-LABEL: func.func @cast_to_float8
// CHECK: linalg.generic
// CHECK: math.roundeven %{{.*}} : f32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: arith.bitcast %{{.*}} : i8 to f8E4M3FN
// CHECK-NOT: arith.truncf
// CHECK: return
func.func @cast_to_float8(%x: tensor<4xf32>) -> tensor<4xf8E4M3FN> {
  %0 = llmos.cast %x {to = f8E4M3FN, saturate = 0 : i64} : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}

// CHECK-LABEL: func.func @cast_from_float4
// CHECK: linalg.generic
// CHECK: arith.bitcast %{{.*}} : f4E2M1FN to i4
// CHECK: arith.extui %{{.*}} : i4 to i32
// CHECK-NOT: arith.extf
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @cast_from_float4(%x: tensor<4xf4E2M1FN>) -> tensor<4xf16> {
  %0 = llmos.cast %x {to = f16} : (tensor<4xf4E2M1FN>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// A float below a byte wraps like onnx's reference: through i32, then
// truncated (an out-of-range fptosi to i4 would be poison).
// CHECK-LABEL: func.func @cast_to_int4
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i4
func.func @cast_to_int4(%x: tensor<4xf32>) -> tensor<4xi4> {
  %0 = llmos.cast %x {to = i4} : (tensor<4xf32>) -> tensor<4xi4>
  return %0 : tensor<4xi4>
}
