// RUN: llmos-opt %s --split-input-file | FileCheck %s
// RUN: llmos-opt %s --split-input-file | llmos-opt --split-input-file | FileCheck %s

// Tests constants: dense, splat and string values print in custom form.
// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<4xi64>, tensor<2x2xf32>, tensor<2x!llmos.string>) {
  // CHECK: llmos.constant dense<[1, 3, 224, 224]> : tensor<4xi64>
  %0 = llmos.constant dense<[1, 3, 224, 224]> : tensor<4xi64>
  // CHECK: llmos.constant dense<1.000000e+00> : tensor<2x2xf32>
  %1 = llmos.constant dense<1.0> : tensor<2x2xf32>
  // CHECK: llmos.constant dense<["a", "bc"]> : tensor<2x!llmos.string>
  %2 = llmos.constant dense<["a", "bc"]> : tensor<2x!llmos.string>
  return %0, %1, %2 : tensor<4xi64>, tensor<2x2xf32>, tensor<2x!llmos.string>
}

// -----

// Tests reshapes, transposes and squeezes.
// CHECK-LABEL: func.func @reshapes
func.func @reshapes(%x: tensor<1x128x768xf32>, %shape: tensor<4xi64>, %axes: tensor<1xi64>) -> (tensor<1x128x12x64xf32>, tensor<1x12x128x64xf32>, tensor<128x768xf32>) {
  // CHECK: llmos.reshape
  %0 = llmos.reshape %x, %shape : (tensor<1x128x768xf32>, tensor<4xi64>) -> tensor<1x128x12x64xf32>
  // CHECK: llmos.transpose {{.*}} {perm = array<i64: 0, 2, 1, 3>}
  %1 = llmos.transpose %0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x128x12x64xf32>) -> tensor<1x12x128x64xf32>
  // CHECK: llmos.squeeze
  %2 = llmos.squeeze %x, %axes : (tensor<1x128x768xf32>, tensor<1xi64>) -> tensor<128x768xf32>
  return %0, %1, %2 : tensor<1x128x12x64xf32>, tensor<1x12x128x64xf32>, tensor<128x768xf32>
}

// -----

// Tests Slice with optional axes and steps, Gather, Concat and Split.
// CHECK-LABEL: func.func @slicing
func.func @slicing(%x: tensor<10x20xf32>, %s: tensor<1xi64>, %e: tensor<1xi64>, %a: tensor<1xi64>, %i: tensor<3xi64>) -> (tensor<?x20xf32>, tensor<10x3xf32>, tensor<20x20xf32>, tensor<5x20xf32>, tensor<5x20xf32>) {
  // CHECK: llmos.slice %{{.*}}, %{{.*}}, %{{.*}} axes(%{{.*}})
  %0 = llmos.slice %x, %s, %e axes(%a) : (tensor<10x20xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x20xf32>
  // CHECK: llmos.gather {{.*}} {axis = 1 : i64}
  %1 = llmos.gather %x, %i {axis = 1 : i64} : (tensor<10x20xf32>, tensor<3xi64>) -> tensor<10x3xf32>
  // CHECK: llmos.concat
  %2 = llmos.concat %x, %x {axis = 0 : i64} : (tensor<10x20xf32>, tensor<10x20xf32>) -> tensor<20x20xf32>
  // CHECK: llmos.split {{.*}} -> (tensor<5x20xf32>, tensor<5x20xf32>)
  %3:2 = llmos.split %x : (tensor<10x20xf32>) -> (tensor<5x20xf32>, tensor<5x20xf32>)
  return %0, %1, %2, %3#0, %3#1 : tensor<?x20xf32>, tensor<10x3xf32>, tensor<20x20xf32>, tensor<5x20xf32>, tensor<5x20xf32>
}

// -----

// Tests shape-producing ops and data-dependent shapes.
// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<?x3xf32>, %p: tensor<4xi64>) -> (tensor<2xi64>, tensor<i64>, tensor<2x?xi64>, tensor<?x?xf32>) {
  // CHECK: llmos.shape {{.*}} -> tensor<2xi64>
  %0 = llmos.shape %x : (tensor<?x3xf32>) -> tensor<2xi64>
  %1 = llmos.size %x : (tensor<?x3xf32>) -> tensor<i64>
  // CHECK: llmos.non_zero {{.*}} -> tensor<2x?xi64>
  %2 = llmos.non_zero %x : (tensor<?x3xf32>) -> tensor<2x?xi64>
  // CHECK: llmos.pad %{{.*}}, %{{.*}} {mode = "reflect"}
  %3 = llmos.pad %x, %p {mode = "reflect"} : (tensor<?x3xf32>, tensor<4xi64>) -> tensor<?x?xf32>
  return %0, %1, %2, %3 : tensor<2xi64>, tensor<i64>, tensor<2x?xi64>, tensor<?x?xf32>
}
