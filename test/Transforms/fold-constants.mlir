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
