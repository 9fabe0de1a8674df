// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-prune))' --split-input-file %s | FileCheck %s

// Identity, inference Dropout, a Cast to the same type, x * 1 and x + 0
// all pass their input through; the unused constant goes too.
// CHECK-LABEL: func.func @noops
// CHECK-NOT: llmos.
// CHECK: return %arg0
func.func @noops(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %one = llmos.constant dense<1.0> : tensor<f32>
  %zero = llmos.constant dense<0.0> : tensor<f32>
  %unused = llmos.constant dense<7.0> : tensor<4xf32>
  %0 = llmos.identity %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1:2 = llmos.dropout %0 : (tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xi1>)
  %2 = llmos.cast %1#0 {to = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = llmos.mul %one, %2 : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = llmos.add %3, %zero : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %4 : tensor<2x3xf32>
}

// -----

// Shape ops that change nothing: Reshape copying every dim (0 and one -1
// among kept dims), Transpose by the identity, Pad by zeros, Slice of
// everything, Tile by ones.
// CHECK-LABEL: func.func @shape_noops
// CHECK-NOT: llmos.reshape
// CHECK-NOT: llmos.transpose
// CHECK-NOT: llmos.pad
// CHECK-NOT: llmos.slice
// CHECK-NOT: llmos.tile
// CHECK: return %arg0
func.func @shape_noops(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %shape = llmos.constant dense<[0, -1]> : tensor<2xi64>
  %pads = llmos.constant dense<0> : tensor<4xi64>
  %reps = llmos.constant dense<1> : tensor<2xi64>
  %0 = llmos.reshape %x, %shape : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  %1 = llmos.transpose %0 {perm = array<i64: 0, 1>} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %2 = llmos.pad %1, %pads : (tensor<?x4xf32>, tensor<4xi64>) -> tensor<?x4xf32>
  %3 = llmos.tile %2, %reps : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  return %3 : tensor<?x4xf32>
}

// -----

// Does not fire: a Dropout whose mask is used, x * 2, a broadcasting
// x + 0 (the result is bigger than x), a reversing Slice, a transpose
// that permutes.
// CHECK-LABEL: func.func @not_noops
// CHECK: llmos.dropout
// CHECK: llmos.mul
// CHECK: llmos.add
// CHECK: llmos.slice
// CHECK: llmos.transpose
func.func @not_noops(%x: tensor<3xf32>, %m: tensor<2x3xf32>, %sq: tensor<3x3xf32>) -> (tensor<3xi1>, tensor<3xf32>, tensor<2x3xf32>, tensor<3xf32>, tensor<3x3xf32>) {
  %two = llmos.constant dense<2.0> : tensor<f32>
  %zero = llmos.constant dense<0.0> : tensor<2x3xf32>
  %s = llmos.constant dense<-1> : tensor<1xi64>
  %e = llmos.constant dense<-4> : tensor<1xi64>
  %st = llmos.constant dense<-1> : tensor<1xi64>
  %0:2 = llmos.dropout %x : (tensor<3xf32>) -> (tensor<3xf32>, tensor<3xi1>)
  %1 = llmos.mul %0#0, %two : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %2 = llmos.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = llmos.slice %x, %s, %e steps(%st) : (tensor<3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3xf32>
  %4 = llmos.transpose %sq {perm = array<i64: 1, 0>} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0#1, %1, %2, %3, %4 : tensor<3xi1>, tensor<3xf32>, tensor<2x3xf32>, tensor<3xf32>, tensor<3x3xf32>
}
