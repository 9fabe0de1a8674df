// RUN: llmos-opt %s --split-input-file --verify-diagnostics

func.func @matmul_k(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{contraction sizes differ: 8 vs 7}}
  %0 = llmos.matmul %a, %b : (tensor<4x8xf32>, tensor<7x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @gemm_rank(%a: tensor<4xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{A and B must be 2-D}}
  %0 = llmos.gemm %a, %b : (tensor<4xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @einsum_terms(%a: tensor<4x8xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{equation has 2 input terms for 1 inputs}}
  %0 = llmos.einsum %a {equation = "ij,jk->i"} : (tensor<4x8xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reduce_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %axes = llmos.constant dense<[5]> : tensor<1xi64>
  // expected-error @+1 {{reduction axis 5 is out of range for rank 2}}
  %0 = llmos.reduce_sum %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = llmos.softmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @topk_k(%x: tensor<2x3xf32>) -> (tensor<2x5xf32>, tensor<2x5xi64>) {
  %k = llmos.constant dense<[5]> : tensor<1xi64>
  // expected-error @+1 {{K = 5 exceeds the axis size 3}}
  %0:2 = llmos.top_k %x, %k : (tensor<2x3xf32>, tensor<1xi64>) -> (tensor<2x5xf32>, tensor<2x5xi64>)
  return %0#0, %0#1 : tensor<2x5xf32>, tensor<2x5xi64>
}

// -----

func.func @lstm_directions(%x: tensor<7x2x10xf32>, %w: tensor<2x80x10xf32>, %r: tensor<2x80x20xf32>) -> tensor<7x1x2x20xf32> {
  // expected-error @+1 {{W has 2 directions, expected 1}}
  %y:3 = llmos.lstm %x, %w, %r : (tensor<7x2x10xf32>, tensor<2x80x10xf32>, tensor<2x80x20xf32>) -> (tensor<7x1x2x20xf32>, tensor<1x2x20xf32>, tensor<1x2x20xf32>)
  return %y#0 : tensor<7x1x2x20xf32>
}

// -----

func.func @quant_axis(%x: tensor<2x3xf32>, %s: tensor<4xf32>) -> tensor<2x3xui8> {
  // expected-error @+1 {{per-axis scale has 4 elements, but axis 1 has 3}}
  %0 = llmos.quantize_linear %x, %s : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}
