// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-fuse-elementwise-chains))' --split-input-file %s | FileCheck %s

// BERT's attention mask: Cast, 1 - m, * -10000 become one op whose body
// holds the three ops on 0-D tensors; the inputs broadcast.
// CHECK-LABEL: func.func @mask
// CHECK: %[[F:.*]] = llmos.fused_elementwise %arg0, %{{.*}}, %{{.*}} : (tensor<?x1x1x?xi64>, tensor<f32>, tensor<f32>) -> tensor<?x1x1x?xf32> {
// CHECK: ^bb0(%[[M:.*]]: tensor<i64>, %[[ONE:.*]]: tensor<f32>, %[[BIG:.*]]: tensor<f32>):
// CHECK:   %[[C:.*]] = llmos.cast %[[M]] {to = f32} : (tensor<i64>) -> tensor<f32>
// CHECK:   %[[S:.*]] = llmos.sub %[[ONE]], %[[C]] : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK:   %[[P:.*]] = llmos.mul %[[S]], %[[BIG]] : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK:   llmos.yield %[[P]] : tensor<f32>
// CHECK: return %[[F]]
func.func @mask(%m: tensor<?x1x1x?xi64>) -> tensor<?x1x1x?xf32> {
  %one = llmos.constant dense<1.0> : tensor<f32>
  %big = llmos.constant dense<-10000.0> : tensor<f32>
  %0 = llmos.cast %m {to = f32} : (tensor<?x1x1x?xi64>) -> tensor<?x1x1x?xf32>
  %1 = llmos.sub %one, %0 : (tensor<f32>, tensor<?x1x1x?xf32>) -> tensor<?x1x1x?xf32>
  %2 = llmos.mul %1, %big : (tensor<?x1x1x?xf32>, tensor<f32>) -> tensor<?x1x1x?xf32>
  return %2 : tensor<?x1x1x?xf32>
}

// -----

// Does not fire: the intermediate has a second user, a single op stays,
// and an op whose result is smaller than the chain's (a broadcast) is not
// pulled in.
// CHECK-LABEL: func.func @not_fused
// CHECK-NOT: llmos.fused_elementwise
func.func @not_fused(%x: tensor<4xf32>, %y: tensor<3x4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<3x4xf32>) {
  %0 = llmos.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = llmos.neg %0 : (tensor<4xf32>) -> tensor<4xf32>
  %2 = llmos.sqrt %x : (tensor<4xf32>) -> tensor<4xf32>
  %3 = llmos.add %y, %2 : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0, %1, %3 : tensor<4xf32>, tensor<4xf32>, tensor<3x4xf32>
}

// -----

// String ops are not scalar arithmetic: a Cast from strings and an Equal on
// strings stay out of chains (their neighbours alone are no chain).
// CHECK-LABEL: func.func @strings_stay_out
// CHECK-NOT: llmos.fused_elementwise
// CHECK: llmos.cast
// CHECK: llmos.neg
// CHECK: llmos.equal
// CHECK: llmos.not
func.func @strings_stay_out(%a: tensor<3x!llmos.string>, %b: tensor<3x!llmos.string>) -> (tensor<3xf32>, tensor<3xi1>) {
  %f = llmos.cast %a {to = f32} : (tensor<3x!llmos.string>) -> tensor<3xf32>
  %n = llmos.neg %f : (tensor<3xf32>) -> tensor<3xf32>
  %e = llmos.equal %a, %b : (tensor<3x!llmos.string>, tensor<3x!llmos.string>) -> tensor<3xi1>
  %y = llmos.not %e : (tensor<3xi1>) -> tensor<3xi1>
  return %n, %y : tensor<3xf32>, tensor<3xi1>
}
