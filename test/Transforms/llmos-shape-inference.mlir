// RUN: llmos-opt %s --split-input-file --llmos-shape-inference | FileCheck %s

// Tests that results are refined from constant operands and that the
// function signature follows.
// CHECK-LABEL: func.func @reshape_constant
// CHECK-SAME: -> tensor<1x64x12544xf32>
func.func @reshape_constant(%x: tensor<1x64x112x112xf32>) -> tensor<?x?x?xf32> {
  %c = llmos.constant dense<[1, 64, -1]> : tensor<3xi64>
  // CHECK: llmos.reshape {{.*}} -> tensor<1x64x12544xf32>
  %0 = llmos.reshape %x, %c : (tensor<1x64x112x112xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// -----

// Tests that a shape computed from Shape/Gather/Concat of a tensor with a
// dynamic batch keeps the batch dynamic and the other dims static.
// CHECK-LABEL: func.func @shape_chain
func.func @shape_chain(%x: tensor<?x128x768xf32>) -> tensor<*xf32> {
  %s = llmos.shape %x : (tensor<?x128x768xf32>) -> tensor<3xi64>
  %i0 = llmos.constant dense<[0, 1]> : tensor<2xi64>
  %g = llmos.gather %s, %i0 : (tensor<3xi64>, tensor<2xi64>) -> tensor<2xi64>
  %tail = llmos.constant dense<[12, 64]> : tensor<2xi64>
  %t = llmos.concat %g, %tail {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  // CHECK: llmos.reshape {{.*}} -> tensor<?x128x12x64xf32>
  %r = llmos.reshape %x, %t : (tensor<?x128x768xf32>, tensor<4xi64>) -> tensor<*xf32>
  return %r : tensor<*xf32>
}

// -----

// Tests that refinement flows through elementwise chains.
// CHECK-LABEL: func.func @chain
func.func @chain(%x: tensor<4x8xf32>) -> tensor<*xf32> {
  // CHECK: llmos.relu {{.*}} -> tensor<4x8xf32>
  %0 = llmos.relu %x : (tensor<4x8xf32>) -> tensor<*xf32>
  // CHECK: llmos.add {{.*}} -> tensor<4x8xf32>
  %1 = llmos.add %0, %0 : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}

// -----

// Tests that a declared type more static than inference is kept (the pass
// only refines), and that already-exact types are left alone.
// CHECK-LABEL: func.func @does_not_widen
func.func @does_not_widen(%x: tensor<?x8xf32>) -> tensor<4x8xf32> {
  // CHECK: llmos.relu {{.*}} -> tensor<4x8xf32>
  %0 = llmos.relu %x : (tensor<?x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Tests that nothing changes when the shape operand is not known.
// CHECK-LABEL: func.func @unknown_shape
func.func @unknown_shape(%x: tensor<4x8xf32>, %s: tensor<2xi64>) -> tensor<?x?xf32> {
  // CHECK: llmos.reshape {{.*}} -> tensor<?x?xf32>
  %0 = llmos.reshape %x, %s : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests that Loop results are refined from the body: a carried value whose
// shape grows stays dynamic, and the body's ops are refined too.
// CHECK-LABEL: func.func @growing_carried
func.func @growing_carried(%n: tensor<i64>, %init: tensor<1xf32>) -> tensor<*xf32> {
  // CHECK: llmos.loop {{.*}} -> tensor<?xf32>
  // CHECK: ^bb0(%{{.*}}: tensor<i64>, %{{.*}}: tensor<i1>, %{{.*}}: tensor<?xf32>):
  // CHECK: llmos.concat {{.*}} -> tensor<?xf32>
  %0 = llmos.loop max_trip_count(%n) carried(%init) : (tensor<i64>, tensor<1xf32>) -> tensor<*xf32> {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %acc: tensor<?xf32>):
    %next = llmos.concat %acc, %acc {axis = 0 : i64} : (tensor<?xf32>, tensor<?xf32>) -> tensor<*xf32>
    llmos.yield %c, %next : tensor<i1>, tensor<*xf32>
  }
  return %0 : tensor<*xf32>
}
