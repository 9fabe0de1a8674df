// RUN: llmos-opt %s --split-input-file --verify-diagnostics

func.func @if_counts(%c: tensor<i1>, %a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{then_branch yields 1 values but else_branch yields 2}}
  %0 = llmos.if %c : (tensor<i1>) -> tensor<2xf32> then {
    llmos.yield %a : tensor<2xf32>
  } else {
    llmos.yield %a, %a : tensor<2xf32>, tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @if_types(%c: tensor<i1>, %a: tensor<2xf32>, %b: tensor<2xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{branch output #0 has types 'tensor<2xf32>' and 'tensor<2xi64>'}}
  %0 = llmos.if %c : (tensor<i1>) -> tensor<2xf32> then {
    llmos.yield %a : tensor<2xf32>
  } else {
    llmos.yield %b : tensor<2xi64>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @loop_args(%init: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{body takes 1 arguments, expected 2 + 1 carried values}}
  %0 = llmos.loop carried(%init) : (tensor<f32>) -> tensor<f32> {
  ^bb0(%acc: tensor<f32>):
    %c = llmos.constant dense<true> : tensor<i1>
    llmos.yield %c, %acc : tensor<i1>, tensor<f32>
  }
  return %0 : tensor<f32>
}

// -----

func.func @yield_parent(%a: tensor<2xf32>) {
  // expected-error @+1 {{expects parent op to be one of}}
  llmos.yield %a : tensor<2xf32>
}
