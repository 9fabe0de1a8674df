// RUN: llmos-opt %s --split-input-file --canonicalize | FileCheck %s

// Tests that Shape of a static tensor and Size fold to constants.
// CHECK-LABEL: func.func @shape_of_static
// CHECK-DAG: %[[S:.*]] = llmos.constant dense<[2, 3, 4]> : tensor<3xi64>
// CHECK-DAG: %[[N:.*]] = llmos.constant dense<24> : tensor<i64>
// CHECK: return %[[S]], %[[N]]
func.func @shape_of_static(%x: tensor<2x3x4xf32>) -> (tensor<3xi64>, tensor<i64>) {
  %0 = llmos.shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %1 = llmos.size %x : (tensor<2x3x4xf32>) -> tensor<i64>
  return %0, %1 : tensor<3xi64>, tensor<i64>
}

// -----

// Tests that Shape of a dynamic tensor does not fold.
// CHECK-LABEL: func.func @shape_of_dynamic
// CHECK: llmos.shape
func.func @shape_of_dynamic(%x: tensor<?x3xf32>) -> tensor<2xi64> {
  %0 = llmos.shape %x : (tensor<?x3xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Tests the Shape -> Gather -> Unsqueeze -> Concat chain of exported models.
// CHECK-LABEL: func.func @shape_chain
// CHECK: %[[C:.*]] = llmos.constant dense<[2, 3, 12]> : tensor<3xi64>
// CHECK: return %[[C]]
func.func @shape_chain(%x: tensor<2x3x4xf32>) -> tensor<3xi64> {
  %s = llmos.shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %i = llmos.constant dense<[0, 1]> : tensor<2xi64>
  %g = llmos.gather %s, %i : (tensor<3xi64>, tensor<2xi64>) -> tensor<2xi64>
  %k = llmos.constant dense<3> : tensor<i64>
  %four = llmos.constant dense<4> : tensor<i64>
  %m = llmos.mul %k, %four : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %a = llmos.constant dense<[0]> : tensor<1xi64>
  %u = llmos.unsqueeze %m, %a : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %c = llmos.concat %g, %u {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  return %c : tensor<3xi64>
}

// -----

// Tests integer Div (truncating), Neg, Equal, Where and Cast folding.
// CHECK-LABEL: func.func @int_arith
// CHECK-DAG: llmos.constant dense<[-3, 3]> : tensor<2xi64>
// CHECK-DAG: llmos.constant dense<[3, -3]> : tensor<2xi64>
// CHECK-DAG: llmos.constant dense<[true, false]> : tensor<2xi1>
// CHECK-DAG: llmos.constant dense<[7, 0]> : tensor<2xi64>
// CHECK-DAG: llmos.constant dense<[-3.000000e+00, 3.000000e+00]> : tensor<2xf32>
func.func @int_arith() -> (tensor<2xi64>, tensor<2xi64>, tensor<2xi1>, tensor<2xi64>, tensor<2xf32>) {
  %a = llmos.constant dense<[-7, 7]> : tensor<2xi64>
  %b = llmos.constant dense<2> : tensor<i64>
  %0 = llmos.div %a, %b : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  %1 = llmos.neg %0 : (tensor<2xi64>) -> tensor<2xi64>
  %t = llmos.constant dense<[-3, 0]> : tensor<2xi64>
  %2 = llmos.equal %0, %t : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi1>
  %seven = llmos.constant dense<7> : tensor<i64>
  %zero = llmos.constant dense<0> : tensor<i64>
  %3 = llmos.where %2, %seven, %zero : (tensor<2xi1>, tensor<i64>, tensor<i64>) -> tensor<2xi64>
  %4 = llmos.cast %0 {to = f32} : (tensor<2xi64>) -> tensor<2xf32>
  return %0, %1, %2, %3, %4 : tensor<2xi64>, tensor<2xi64>, tensor<2xi1>, tensor<2xi64>, tensor<2xf32>
}

// -----

// Tests that division by zero is left for run time.
// CHECK-LABEL: func.func @div_by_zero
// CHECK: llmos.div
func.func @div_by_zero() -> tensor<i64> {
  %a = llmos.constant dense<1> : tensor<i64>
  %b = llmos.constant dense<0> : tensor<i64>
  %0 = llmos.div %a, %b : (tensor<i64>, tensor<i64>) -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

// Tests Slice, Range, ConstantOfShape and Expand of constants.
// CHECK-LABEL: func.func @generators
// CHECK-DAG: llmos.constant dense<[3, 2]> : tensor<2xi64>
// CHECK-DAG: llmos.constant dense<[0, 2, 4]> : tensor<3xi64>
// CHECK-DAG: llmos.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: llmos.constant dense<{{\[}}[1, 2], [1, 2]]> : tensor<2x2xi64>
func.func @generators() -> (tensor<2xi64>, tensor<3xi64>, tensor<2x3xf32>, tensor<2x2xi64>) {
  %d = llmos.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %s = llmos.constant dense<[2]> : tensor<1xi64>
  %e = llmos.constant dense<[0]> : tensor<1xi64>
  %st = llmos.constant dense<[-1]> : tensor<1xi64>
  %a = llmos.constant dense<[0]> : tensor<1xi64>
  %0 = llmos.slice %d, %s, %e axes(%a) steps(%st) : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %r0 = llmos.constant dense<0> : tensor<i64>
  %r1 = llmos.constant dense<6> : tensor<i64>
  %r2 = llmos.constant dense<2> : tensor<i64>
  %1 = llmos.range %r0, %r1, %r2 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<3xi64>
  %shape = llmos.constant dense<[2, 3]> : tensor<2xi64>
  %2 = llmos.constant_of_shape %shape {value = dense<1.0> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<2x3xf32>
  %v = llmos.constant dense<[1, 2]> : tensor<2xi64>
  %sh = llmos.constant dense<[2, 2]> : tensor<2xi64>
  %3 = llmos.expand %v, %sh : (tensor<2xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  return %0, %1, %2, %3 : tensor<2xi64>, tensor<3xi64>, tensor<2x3xf32>, tensor<2x2xi64>
}

// -----

// Tests that float arithmetic on constants is not folded here (that is a
// size-limited optimization pass's job) and that large results stay.
// CHECK-LABEL: func.func @no_float_fold
// CHECK: llmos.add
// CHECK: llmos.constant_of_shape
func.func @no_float_fold() -> (tensor<2xf32>, tensor<64x64xf32>) {
  %a = llmos.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = llmos.add %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %shape = llmos.constant dense<[64, 64]> : tensor<2xi64>
  %1 = llmos.constant_of_shape %shape : (tensor<2xi64>) -> tensor<64x64xf32>
  return %0, %1 : tensor<2xf32>, tensor<64x64xf32>
}
