// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-fold-constants))' --split-input-file %s | FileCheck %s
// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-fold-constants{max-elements=4}))' --split-input-file %s | FileCheck %s --check-prefix=SMALL

// Arithmetic with broadcasting, a Cast and a Transpose of constants.
// CHECK-LABEL: func.func @arithmetic
// CHECK-DAG: llmos.constant dense<{{\[}}[1.100000e+01, 2.100000e+01], [1.200000e+01, 2.200000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: llmos.constant dense<[1, -2]> : tensor<2xi32>
// CHECK-NOT: llmos.add
// CHECK-NOT: llmos.transpose
// CHECK-NOT: llmos.cast
func.func @arithmetic() -> (tensor<2x2xf32>, tensor<2xi32>) {
  %a = llmos.constant dense<[[1.0, 2.0], [11.0, 12.0]]> : tensor<2x2xf32>
  %b = llmos.constant dense<[10.0, 10.0]> : tensor<2xf32>
  %c = llmos.constant dense<[1.5, -2.7]> : tensor<2xf32>
  %t = llmos.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %s = llmos.add %t, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %i = llmos.cast %c {to = i32} : (tensor<2xf32>) -> tensor<2xi32>
  return %s, %i : tensor<2x2xf32>, tensor<2xi32>
}

// -----

// Per-axis DequantizeLinear of a constant weight.
// CHECK-LABEL: func.func @dequantize
// CHECK: llmos.constant dense<{{\[}}[-2.000000e+00, 2.000000e+00], [0.000000e+00, 5.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: llmos.dequantize_linear
func.func @dequantize() -> tensor<2x2xf32> {
  %x = llmos.constant dense<[[0, 2], [3, 8]]> : tensor<2x2xi8>
  %s = llmos.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %z = llmos.constant dense<[1, 3]> : tensor<2xi8>
  %y = llmos.dequantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<2x2xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// The size limit: an Expand to a result bigger than its operands and than
// max-elements is not folded; a non-constant operand is never folded.
// CHECK-LABEL: func.func @limits
// CHECK: %[[E:.*]] = llmos.constant dense<1.000000e+00> : tensor<8xf32>
// CHECK-NOT: llmos.expand
// CHECK: llmos.add
// CHECK: return %[[E]]
// SMALL-LABEL: func.func @limits
// SMALL: llmos.expand
// SMALL: llmos.add
func.func @limits(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %one = llmos.constant dense<1.0> : tensor<f32>
  %shape = llmos.constant dense<8> : tensor<1xi64>
  %e = llmos.expand %one, %shape : (tensor<f32>, tensor<1xi64>) -> tensor<8xf32>
  %a = llmos.add %x, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %e, %a : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a DequantizeLinear of a dense_resource int32 tensor (how the
// importer keeps initializers of 256 bytes and more, e.g. a quantized bias)
// folds with its negative elements sign-extended: -688 * 0.5 = -344.
// CHECK-LABEL: func.func @dequantize_resource_int32
// CHECK: %[[C:.*]] = llmos.constant dense<[-3.440000e+02, 1.000000e+01]> : tensor<2xf32>
// CHECK-NOT: llmos.dequantize_linear
// CHECK: return %[[C]]
func.func @dequantize_resource_int32() -> tensor<2xf32> {
  %x = llmos.constant dense_resource<bias> : tensor<2xi32>
  %s = llmos.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %z = llmos.constant dense<0> : tensor<2xi32>
  %y = llmos.dequantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<2xi32>, tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      bias: "0x0400000050FDFFFF05000000"
    }
  }
#-}

// -----

// Tests that a folded comparison gives a bool constant element by element
// (MLIR packs i1 data in bits; bytes of one bool each were misread).
// CHECK-LABEL: func.func @compare_to_bools
// CHECK: %[[C:.*]] = llmos.constant dense<[true, false, false, true, false, true, true, false, true]> : tensor<9xi1>
// CHECK: return %[[C]]
func.func @compare_to_bools() -> tensor<9xi1> {
  %a = llmos.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]> : tensor<9xf32>
  %b = llmos.constant dense<[1.0, 0.0, 0.0, 4.0, 0.0, 6.0, 7.0, 0.0, 9.0]> : tensor<9xf32>
  %e = llmos.equal %a, %b : (tensor<9xf32>, tensor<9xf32>) -> tensor<9xi1>
  return %e : tensor<9xi1>
}
