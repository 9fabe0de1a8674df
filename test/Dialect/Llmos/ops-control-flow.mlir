// RUN: llmos-opt %s --split-input-file | FileCheck %s
// RUN: llmos-opt %s --split-input-file | llmos-opt --split-input-file | FileCheck %s

// Tests that If joins the shapes its branches yield and that branches use
// values from above.
// CHECK-LABEL: func.func @if
func.func @if(%c: tensor<i1>, %a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<?xf32> {
  // CHECK: llmos.if %{{.*}} : (tensor<i1>) -> tensor<?xf32> then {
  // CHECK:   llmos.yield %{{.*}} : tensor<2xf32>
  // CHECK: } else {
  %0 = llmos.if %c : (tensor<i1>) -> tensor<?xf32> then {
    llmos.yield %a : tensor<2xf32>
  } else {
    llmos.yield %b : tensor<3xf32>
  }
  return %0 : tensor<?xf32>
}

// -----

// Tests a Loop with a trip count, a carried value and a scan output.
// CHECK-LABEL: func.func @loop
func.func @loop(%n: tensor<i64>, %init: tensor<f32>, %one: tensor<f32>) -> (tensor<f32>, tensor<?xf32>) {
  // CHECK: llmos.loop max_trip_count(%{{.*}}) carried(%{{.*}})
  // CHECK: ^bb0(%{{.*}}: tensor<i64>, %{{.*}}: tensor<i1>, %{{.*}}: tensor<f32>):
  %0:2 = llmos.loop max_trip_count(%n) carried(%init) : (tensor<i64>, tensor<f32>) -> (tensor<f32>, tensor<?xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %acc: tensor<f32>):
    %next = llmos.add %acc, %one : (tensor<f32>, tensor<f32>) -> tensor<f32>
    llmos.yield %cond, %next, %next : tensor<i1>, tensor<f32>, tensor<f32>
  }
  return %0#0, %0#1 : tensor<f32>, tensor<?xf32>
}

// -----

// Tests a Scan over axis 0 of a 5x3 input with one state value.
// CHECK-LABEL: func.func @scan
func.func @scan(%state: tensor<3xf32>, %xs: tensor<5x3xf32>) -> (tensor<3xf32>, tensor<5x3xf32>) {
  // CHECK: llmos.scan(%{{.*}}, %{{.*}}) {num_scan_inputs = 1 : i64}
  %0:2 = llmos.scan(%state, %xs) {num_scan_inputs = 1 : i64} : (tensor<3xf32>, tensor<5x3xf32>) -> (tensor<3xf32>, tensor<5x3xf32>) {
  ^bb0(%s: tensor<3xf32>, %x: tensor<3xf32>):
    %sum = llmos.add %s, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    llmos.yield %sum, %sum : tensor<3xf32>, tensor<3xf32>
  }
  return %0#0, %0#1 : tensor<3xf32>, tensor<5x3xf32>
}
