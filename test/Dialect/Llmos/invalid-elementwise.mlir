// RUN: llmos-opt %s --split-input-file --verify-diagnostics

func.func @bad_broadcast(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{cannot broadcast shapes of its inputs}}
  %0 = llmos.add %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @mixed_types(%a: tensor<3xf32>, %b: tensor<3xf16>) -> tensor<3xf32> {
  // expected-error @+1 {{inputs must have one element type}}
  %0 = llmos.mul %a, %b : (tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @wrong_result_shape(%a: tensor<3xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{result #0 has type 'tensor<4xf32>', but its inputs imply 'tensor<3xf32>'}}
  %0 = llmos.relu %a : (tensor<3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @wrong_element_type(%a: tensor<3xi64>) -> tensor<3xi64> {
  // expected-error @+1 {{operand #0 must be tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values}}
  %0 = llmos.sigmoid %a : (tensor<3xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

func.func @comparison_result(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{must be tensor of 1-bit signless integer values}}
  %0 = llmos.equal %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @clip_bounds(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{min and max must be scalars}}
  %0 = llmos.clip %a min(%b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @prelu_slope(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{does not broadcast to X}}
  %0 = llmos.prelu %x, %s : (tensor<2x3x4xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @bad_enum(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{attribute 'approximate' failed to satisfy constraint: string attribute, one of "none", "tanh"}}
  %0 = llmos.gelu %a {approximate = "erf"} : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @bit_cast_widths(%a: tensor<3xf32>) -> tensor<3xi16> {
  // expected-error @+1 {{cannot reinterpret 'f32' as 'i16': the widths differ}}
  %0 = llmos.bit_cast %a {to = i16} : (tensor<3xf32>) -> tensor<3xi16>
  return %0 : tensor<3xi16>
}
