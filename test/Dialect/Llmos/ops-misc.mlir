// RUN: llmos-opt %s --split-input-file | FileCheck %s
// RUN: llmos-opt %s --split-input-file | llmos-opt --split-input-file | FileCheck %s

// Tests Gemm, batched MatMul and Einsum.
// CHECK-LABEL: func.func @linear_algebra
func.func @linear_algebra(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>, %c: tensor<16xf32>, %q: tensor<2x12x128x64xf32>, %k: tensor<2x12x64x128xf32>) -> (tensor<4x16xf32>, tensor<2x12x128x128xf32>, tensor<2x12x128x128xf32>) {
  // CHECK: llmos.gemm {{.*}} {transB = 1 : i64}
  %0 = llmos.gemm %a, %b, %c {transB = 1 : i64} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %1 = llmos.matmul %q, %k : (tensor<2x12x128x64xf32>, tensor<2x12x64x128xf32>) -> tensor<2x12x128x128xf32>
  // CHECK: llmos.einsum {{.*}} {equation = "bhqd,bhdk->bhqk"}
  %2 = llmos.einsum %q, %k {equation = "bhqd,bhdk->bhqk"} : (tensor<2x12x128x64xf32>, tensor<2x12x64x128xf32>) -> tensor<2x12x128x128xf32>
  return %0, %1, %2 : tensor<4x16xf32>, tensor<2x12x128x128xf32>, tensor<2x12x128x128xf32>
}

// -----

// Tests reductions with constant axes and keepdims, ArgMax, TopK.
// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>, %k: tensor<1xi64>) -> (tensor<2x1x4xf32>, tensor<2x4xi64>, tensor<2x3x?xf32>, tensor<2x3x?xi64>) {
  %axes = llmos.constant dense<[1]> : tensor<1xi64>
  // CHECK: llmos.reduce_mean %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %0 = llmos.reduce_mean %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  // CHECK: llmos.arg_max {{.*}} {axis = 1 : i64, keepdims = 0 : i64}
  %1 = llmos.arg_max %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  %2:2 = llmos.top_k %x, %k : (tensor<2x3x4xf32>, tensor<1xi64>) -> (tensor<2x3x?xf32>, tensor<2x3x?xi64>)
  return %0, %1, %2#0, %2#1 : tensor<2x1x4xf32>, tensor<2x4xi64>, tensor<2x3x?xf32>, tensor<2x3x?xi64>
}

// -----

// Tests CumProd with its attributes.
// CHECK-LABEL: func.func @cum_prod
// CHECK: llmos.cum_prod %{{.*}}, %{{.*}} {exclusive = 1 : i64} : (tensor<2x3xi64>, tensor<i64>) -> tensor<2x3xi64>
func.func @cum_prod(%x: tensor<2x3xi64>, %axis: tensor<i64>) -> tensor<2x3xi64> {
  %0 = llmos.cum_prod %x, %axis {exclusive = 1 : i64} : (tensor<2x3xi64>, tensor<i64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// Tests quantized ops.
// CHECK-LABEL: func.func @quant
func.func @quant(%x: tensor<1x8xf32>, %s: tensor<f32>, %zp: tensor<ui8>, %w: tensor<8x4xui8>) -> (tensor<1x8xui8>, tensor<1x8xf32>, tensor<1x4xi32>) {
  // CHECK: llmos.quantize_linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x8xui8>
  %0 = llmos.quantize_linear %x, %s, %zp : (tensor<1x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x8xui8>
  %1 = llmos.dequantize_linear %0, %s, %zp : (tensor<1x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x8xf32>
  // CHECK: llmos.matmul_integer %{{.*}}, %{{.*}} a_zero_point(%{{.*}})
  %2 = llmos.matmul_integer %0, %w a_zero_point(%zp) : (tensor<1x8xui8>, tensor<8x4xui8>, tensor<ui8>) -> tensor<1x4xi32>
  return %0, %1, %2 : tensor<1x8xui8>, tensor<1x8xf32>, tensor<1x4xi32>
}

// -----

// Tests an LSTM with optional inputs by keyword, and random generators.
// CHECK-LABEL: func.func @rnn_random
func.func @rnn_random(%x: tensor<7x2x10xf32>, %w: tensor<1x80x10xf32>, %r: tensor<1x80x20xf32>, %b: tensor<1x160xf32>) -> (tensor<7x1x2x20xf32>, tensor<3x4xf32>) {
  // CHECK: llmos.lstm %{{.*}}, %{{.*}}, %{{.*}} B(%{{.*}}) {hidden_size = 20 : i64}
  %y:3 = llmos.lstm %x, %w, %r B(%b) {hidden_size = 20 : i64} : (tensor<7x2x10xf32>, tensor<1x80x10xf32>, tensor<1x80x20xf32>, tensor<1x160xf32>) -> (tensor<7x1x2x20xf32>, tensor<1x2x20xf32>, tensor<1x2x20xf32>)
  // CHECK: llmos.random_normal {shape = array<i64: 3, 4>}
  %n = llmos.random_normal {shape = array<i64: 3, 4>} : () -> tensor<3x4xf32>
  return %y#0, %n : tensor<7x1x2x20xf32>, tensor<3x4xf32>
}

// -----

// Tests signal and string ops.
// CHECK-LABEL: func.func @signal_text
func.func @signal_text(%x: tensor<1x16x1xf32>, %s: tensor<3x!llmos.string>) -> (tensor<1x9x2xf32>, tensor<?x!llmos.string>) {
  %len = llmos.constant dense<16> : tensor<i64>
  // CHECK: llmos.dft %{{.*}} dft_length(%{{.*}}) {onesided = 1 : i64}
  %0 = llmos.dft %x dft_length(%len) {onesided = 1 : i64} : (tensor<1x16x1xf32>, tensor<i64>) -> tensor<1x9x2xf32>
  // CHECK: llmos.string_normalizer
  %1 = llmos.string_normalizer %s {case_change_action = "LOWER", stopwords = ["a"]} : (tensor<3x!llmos.string>) -> tensor<?x!llmos.string>
  return %0, %1 : tensor<1x9x2xf32>, tensor<?x!llmos.string>
}
