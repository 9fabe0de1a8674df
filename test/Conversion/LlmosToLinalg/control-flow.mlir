// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file %s | FileCheck %s

// If becomes scf.if on the extracted condition.
// CHECK-LABEL: func.func @if
// CHECK: %[[C:.*]] = tensor.extract %arg0[] : tensor<i1>
// CHECK: scf.if %[[C]] -> (tensor<2xf32>)
// CHECK: scf.yield
// CHECK: } else {
func.func @if(%c: tensor<i1>, %a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = llmos.if %c : (tensor<i1>) -> tensor<2xf32> then {
    %r = llmos.relu %a : (tensor<2xf32>) -> tensor<2xf32>
    llmos.yield %r : tensor<2xf32>
  } else {
    llmos.yield %a : tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

// A Scan output of dynamic element shape: the stacking buffer starts with
// placeholder element dims of min(length, 0) (not a constant, which would
// give the loop a static 0 type) and is allocated on the first iteration
// with the dims of that iteration's value.
// CHECK-LABEL: func.func @scan_dynamic_element
// CHECK: %[[LEN:.*]] = tensor.dim %arg1, %{{.*}} : tensor<?x?xf32>
// CHECK: %[[PH:.*]] = arith.minsi %[[LEN]], %{{.*}} : index
// CHECK: %[[INIT:.*]] = tensor.empty(%[[LEN]], %[[PH]]) : tensor<?x?xf32>
// CHECK: scf.for %[[T:.*]] = {{.*}} iter_args({{.*}}, %[[ACC:.*]] = %[[INIT]]) -> (tensor<?xf32>, tensor<?x?xf32>)
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[T]]
// CHECK: %[[BUF:.*]] = scf.if %[[FIRST]] -> (tensor<?x?xf32>)
// CHECK: tensor.empty
// CHECK: } else {
// CHECK: scf.yield %[[ACC]]
// CHECK: tensor.insert_slice %{{.*}} into %[[BUF]]
func.func @scan_dynamic_element(%state: tensor<?xf32>, %xs: tensor<?x?xf32>) -> (tensor<?xf32>, tensor<?x?xf32>) {
  %0:2 = llmos.scan(%state, %xs) {num_scan_inputs = 1 : i64} : (tensor<?xf32>, tensor<?x?xf32>) -> (tensor<?xf32>, tensor<?x?xf32>) {
  ^bb0(%s: tensor<?xf32>, %x: tensor<?xf32>):
    %sum = llmos.add %s, %x : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
    llmos.yield %sum, %sum : tensor<?xf32>, tensor<?xf32>
  }
  return %0#0, %0#1 : tensor<?xf32>, tensor<?x?xf32>
}

// -----

// A Loop without a trip count that stacks a scan output: the buffer grows
// (twice the slots, the slices so far copied) when the iteration reaches
// its capacity.
// CHECK-LABEL: func.func @loop_without_trip_count
// CHECK: scf.while
// CHECK: %[[CAP:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<?x2xf32>
// CHECK: %[[FULL:.*]] = arith.cmpi sge, %{{.*}}, %[[CAP]]
// CHECK: scf.if %[[FULL]] -> (tensor<?x2xf32>)
// CHECK: tensor.extract_slice
// CHECK: tensor.insert_slice
func.func @loop_without_trip_count(%c: tensor<i1>, %x: tensor<2xf32>) -> tensor<?x2xf32> {
  %0 = llmos.loop cond(%c) : (tensor<i1>) -> tensor<?x2xf32> {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>):
    %n = llmos.neg %x : (tensor<2xf32>) -> tensor<2xf32>
    llmos.yield %cond, %n : tensor<i1>, tensor<2xf32>
  }
  return %0 : tensor<?x2xf32>
}
