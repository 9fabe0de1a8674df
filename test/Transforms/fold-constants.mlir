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

// -----

// Tests that Concat(Split(constant)) -- how tf2onnx writes Pad amounts --
// folds to one constant, so the Pad after it gets static pads.
// CHECK-LABEL: func.func @concat_of_split
// CHECK: %[[C:.*]] = llmos.constant dense<[0, 2, 3, 1, 0, 4]> : tensor<6xi64>
// CHECK-NOT: llmos.split
// CHECK-NOT: llmos.concat
// CHECK: return %[[C]]
func.func @concat_of_split() -> tensor<6xi64> {
  %p = llmos.constant dense<[[0, 1], [2, 0], [3, 4]]> : tensor<3x2xi64>
  %t = llmos.transpose %p {perm = array<i64: 1, 0>} : (tensor<3x2xi64>) -> tensor<2x3xi64>
  %shape = llmos.constant dense<6> : tensor<1xi64>
  %r = llmos.reshape %t, %shape : (tensor<2x3xi64>, tensor<1xi64>) -> tensor<6xi64>
  %s:2 = llmos.split %r {axis = 0 : i64, num_outputs = 2 : i64} : (tensor<6xi64>) -> (tensor<3xi64>, tensor<3xi64>)
  %c = llmos.concat %s#0, %s#1 {axis = 0 : i64} : (tensor<3xi64>, tensor<3xi64>) -> tensor<6xi64>
  return %c : tensor<6xi64>
}

// -----

// Tests that 64-bit integers move exactly (INT64_MAX has no double: it
// came back as INT64_MIN, and a Slice ending there became empty), through
// Concat, Slice with a negative step, Gather and Unsqueeze.
// CHECK-LABEL: func.func @int64_exact
// CHECK-DAG: llmos.constant dense<[9223372036854775807, -9223372036854775808, 9007199254740993]> : tensor<3xi64>
// CHECK-DAG: llmos.constant dense<[9007199254740993, 9223372036854775807]> : tensor<2xi64>
// CHECK-DAG: llmos.constant dense<-9223372036854775808> : tensor<1x1xi64>
// CHECK-NOT: llmos.concat
// CHECK-NOT: llmos.slice
// CHECK-NOT: llmos.gather
// CHECK-NOT: llmos.unsqueeze
func.func @int64_exact() -> (tensor<3xi64>, tensor<2xi64>, tensor<1x1xi64>) {
  %a = llmos.constant dense<[9223372036854775807, -9223372036854775808]> : tensor<2xi64>
  %b = llmos.constant dense<[9007199254740993]> : tensor<1xi64>
  %c = llmos.concat %a, %b {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  %start = llmos.constant dense<-1> : tensor<1xi64>
  %end = llmos.constant dense<-9223372036854775808> : tensor<1xi64>
  %step = llmos.constant dense<-2> : tensor<1xi64>
  %r = llmos.slice %c, %start, %end steps(%step) : (tensor<3xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %i = llmos.constant dense<[1]> : tensor<1xi64>
  %g = llmos.gather %c, %i {axis = 0 : i64} : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %axes = llmos.constant dense<[0]> : tensor<1xi64>
  %u = llmos.unsqueeze %g, %axes : (tensor<1xi64>, tensor<1xi64>) -> tensor<1x1xi64>
  return %c, %r, %u : tensor<3xi64>, tensor<2xi64>, tensor<1x1xi64>
}

// -----

// Tests that integer arithmetic beyond 2^53 is not folded (doubles would
// round it): an int64 Add on INT64_MAX and an int32 Mul whose exact
// product wraps. In range, it folds.
// CHECK-LABEL: func.func @inexact_integers
// CHECK: llmos.add
// CHECK: llmos.mul
// CHECK: %[[C:.*]] = llmos.constant dense<12> : tensor<1xi32>
// CHECK-NOT: llmos.sub
// CHECK: return {{.*}}, {{.*}}, %[[C]]
func.func @inexact_integers() -> (tensor<1xi64>, tensor<1xi32>, tensor<1xi32>) {
  %big = llmos.constant dense<9223372036854775807> : tensor<1xi64>
  %one = llmos.constant dense<-1> : tensor<1xi64>
  %a = llmos.add %big, %one : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %x = llmos.constant dense<123456789> : tensor<1xi32>
  %y = llmos.constant dense<987654321> : tensor<1xi32>
  %m = llmos.mul %x, %y : (tensor<1xi32>, tensor<1xi32>) -> tensor<1xi32>
  %p = llmos.constant dense<20> : tensor<1xi32>
  %q = llmos.constant dense<8> : tensor<1xi32>
  %s = llmos.sub %p, %q : (tensor<1xi32>, tensor<1xi32>) -> tensor<1xi32>
  return %a, %m, %s : tensor<1xi64>, tensor<1xi32>, tensor<1xi32>
}

// -----

// Tests that a Where on constants picks exactly.
// CHECK-LABEL: func.func @where_exact
// CHECK: llmos.constant dense<[9223372036854775807, 2]> : tensor<2xi64>
// CHECK-NOT: llmos.where
func.func @where_exact() -> tensor<2xi64> {
  %cond = llmos.constant dense<[true, false]> : tensor<2xi1>
  %a = llmos.constant dense<[9223372036854775807, 1]> : tensor<2xi64>
  %b = llmos.constant dense<2> : tensor<i64>
  %w = llmos.where %cond, %a, %b : (tensor<2xi1>, tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  return %w : tensor<2xi64>
}
