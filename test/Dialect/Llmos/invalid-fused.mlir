// RUN: llmos-opt %s --split-input-file --verify-diagnostics

func.func @activation_params(%a: tensor<2x8xf32>, %b: tensor<8x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{activation "clip" takes 2 parameter(s), got 1}}
  %0 = llmos.fused_matmul %a, %b {activation = "clip", activation_params = array<f32: 0.0>} : (tensor<2x8xf32>, tensor<8x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @unknown_activation(%a: tensor<2x8xf32>, %b: tensor<8x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{attribute 'activation' failed to satisfy constraint}}
  %0 = llmos.fused_matmul %a, %b {activation = "swish"} : (tensor<2x8xf32>, tensor<8x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @bias_shape(%a: tensor<2x8xf32>, %b: tensor<8x4xf32>, %c: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{bias does not broadcast to the result}}
  %0 = llmos.fused_matmul %a, %b bias(%c) : (tensor<2x8xf32>, tensor<8x4xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @conv_bias(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %b: tensor<4xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{B has 4 elements, expected 3}}
  %0 = llmos.fused_conv %x, %w bias(%b) : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<4xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @attention_dims(%q: tensor<2x5x16xf32>, %k: tensor<2x5x8xf32>) -> tensor<2x5x8xf32> {
  // expected-error @+1 {{Q and K differ in their last dim}}
  %0 = llmos.attention %q, %k, %k : (tensor<2x5x16xf32>, tensor<2x5x8xf32>, tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  return %0 : tensor<2x5x8xf32>
}

// -----

func.func @fused_elementwise_args(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{body argument #0 must be a 0-D tensor of its input's element type}}
  %0 = llmos.fused_elementwise %x : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    llmos.yield %a : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @fused_elementwise_yield(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{result #0 has type 'tensor<4xf32>', but its inputs imply 'tensor<4xi32>'}}
  %0 = llmos.fused_elementwise %x : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<f32>):
    %c = llmos.cast %a {to = i32} : (tensor<f32>) -> tensor<i32>
    llmos.yield %c : tensor<i32>
  }
  return %0 : tensor<4xf32>
}
