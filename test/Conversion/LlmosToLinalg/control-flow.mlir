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
