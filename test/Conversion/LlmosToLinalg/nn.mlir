// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file %s | FileCheck %s

// NLL loss, mean: per-point losses and weights, both summed, divided.
// CHECK-LABEL: func.func @nll_mean
// CHECK: tensor.extract
// CHECK: arith.negf
// CHECK: arith.divf
func.func @nll_mean(%x: tensor<3x5xf32>, %t: tensor<3xi64>) -> tensor<f32> {
  %0 = llmos.negative_log_likelihood_loss %x, %t : (tensor<3x5xf32>, tensor<3xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Linear resize: an indexed generic with two taps per resized axis; the
// axes with a constant scale of 1 are read straight through.
// CHECK-LABEL: func.func @resize_linear
// CHECK: linalg.generic
// CHECK: math.floor
// CHECK-COUNT-4: tensor.extract %arg0
func.func @resize_linear(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x8x8xf32> {
  %s = llmos.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %0 = llmos.resize %x scales(%s) {mode = "linear"} : (tensor<1x1x4x4xf32>, tensor<4xf32>) -> tensor<1x1x8x8xf32>
  return %0 : tensor<1x1x8x8xf32>
}

// -----

// LSTM: an scf.for over time carrying h, Y and c.
// CHECK-LABEL: func.func @lstm
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (tensor<2x20xf32>, tensor<7x1x2x20xf32>, tensor<2x20xf32>)
// CHECK: math.tanh
// CHECK: tensor.insert_slice
func.func @lstm(%x: tensor<7x2x10xf32>, %w: tensor<1x80x10xf32>, %r: tensor<1x80x20xf32>) -> tensor<7x1x2x20xf32> {
  %y:3 = llmos.lstm %x, %w, %r {hidden_size = 20 : i64} : (tensor<7x2x10xf32>, tensor<1x80x10xf32>, tensor<1x80x20xf32>) -> (tensor<7x1x2x20xf32>, tensor<1x2x20xf32>, tensor<1x2x20xf32>)
  return %y#0 : tensor<7x1x2x20xf32>
}

// -----

// QuantizeLinear: round half to even, add the zero point, saturate.
// CHECK-LABEL: func.func @quantize
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.fptoui
func.func @quantize(%x: tensor<1x8xf32>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<1x8xui8> {
  %0 = llmos.quantize_linear %x, %s, %zp : (tensor<1x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x8xui8>
  return %0 : tensor<1x8xui8>
}

// -----

// DFT: a direct Fourier sum in f64, converted back.
// CHECK-LABEL: func.func @dft
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: math.cos
// CHECK: math.sin
// CHECK: arith.truncf
func.func @dft(%x: tensor<1x16x1xf32>, %len: tensor<i64>) -> tensor<1x9x2xf32> {
  %0 = llmos.dft %x dft_length(%len) {onesided = 1 : i64} : (tensor<1x16x1xf32>, tensor<i64>) -> tensor<1x9x2xf32>
  return %0 : tensor<1x9x2xf32>
}

// -----

// MaxUnpool: zeros of the output shape, then an scf.for over the input that
// stores each value where its index points in the unpooled (4 x 4) shape,
// when that position lies inside the output.
// CHECK-LABEL: func.func @max_unpool
// CHECK: linalg.fill
// CHECK: scf.for
// CHECK: arith.remsi
// CHECK: scf.if
// CHECK: tensor.insert
func.func @max_unpool(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>, %s: tensor<4xi64>) -> tensor<1x1x5x5xf32> {
  %0 = llmos.max_unpool %x, %i, %s {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<4xi64>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

// NonMaxSuppression: loops over batches and classes; per class a greedy
// selection (a scan for the best remaining box, an IoU check against the
// boxes kept) into a worst-case [batches * classes * max, 3] buffer that is
// sliced to the count kept.
// CHECK-LABEL: func.func @non_max_suppression
// CHECK: scf.for
// CHECK: scf.for
// CHECK: linalg.fill
// CHECK: scf.for
// CHECK: scf.if
// CHECK: arith.cmpf ogt
// CHECK: arith.divf
// CHECK: tensor.insert
// CHECK: tensor.extract_slice
func.func @non_max_suppression(%boxes: tensor<1x6x4xf32>, %scores: tensor<1x2x6xf32>, %max: tensor<1xi64>, %iou: tensor<1xf32>, %score: tensor<1xf32>) -> tensor<?x3xi64> {
  %0 = llmos.non_max_suppression %boxes, %scores max_output_boxes_per_class(%max) iou_threshold(%iou) score_threshold(%score) : (tensor<1x6x4xf32>, tensor<1x2x6xf32>, tensor<1xi64>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}

// -----

// MelWeightMatrix: one indexed generic over [dft_length / 2 + 1, bins]
// computing each triangle's edges in f64.
// CHECK-LABEL: func.func @mel_weight_matrix
// CHECK: linalg.generic
// CHECK: math.powf {{.*}} : f64
// CHECK: math.floor {{.*}} : f64
// CHECK: arith.truncf {{.*}} f64 to f32
func.func @mel_weight_matrix(%bins: tensor<i32>, %dft: tensor<i32>, %rate: tensor<i32>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<9x8xf32> {
  %0 = llmos.mel_weight_matrix %bins, %dft, %rate, %lo, %hi : (tensor<i32>, tensor<i32>, tensor<i32>, tensor<f32>, tensor<f32>) -> tensor<9x8xf32>
  return %0 : tensor<9x8xf32>
}

// -----

// Tests that MaxPool on unsigned integers (a QOperator model's uint8
// activations) starts from 0 and compares unsigned: signed compares made 200
// lose to 100, and the signed lowest value (-128, 128 as uint8) won over small
// values.
// CHECK-LABEL: func.func @max_pool_uint8
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: linalg.fill ins(%[[ZERO]] : i8)
// CHECK: linalg.generic
// CHECK: arith.cmpi ugt
func.func @max_pool_uint8(%x: tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8> {
  %0, %1 = llmos.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xui8>) -> (tensor<1x1x2x2xui8>, tensor<1x1x2x2xi64>)
  return %0 : tensor<1x1x2x2xui8>
}
