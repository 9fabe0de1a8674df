// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file %s | FileCheck %s

// f32 [batch, M, K] x [K, N]: the batch folds into M, one linalg.matmul.
// CHECK-LABEL: func.func @matmul_rows
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x4x8xf32> into tensor<8x8xf32>
// CHECK: linalg.fill
// CHECK: linalg.matmul ins(%{{.*}}, %arg1 : tensor<8x8xf32>, tensor<8x16xf32>)
// CHECK: tensor.expand_shape
func.func @matmul_rows(%a: tensor<2x4x8xf32>, %b: tensor<8x16xf32>) -> tensor<2x4x16xf32> {
  %0 = llmos.matmul %a, %b : (tensor<2x4x8xf32>, tensor<8x16xf32>) -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// -----

// Both operands batched (and broadcast): a loop nest over the batch with
// one linalg.matmul per entry; a size-1 batch dim is read at i mod 1.
// CHECK-LABEL: func.func @matmul_batch_broadcast
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<3x4x16xf32>)
// CHECK: arith.remui %[[I]], %c1
// CHECK: tensor.extract_slice %arg0[%{{.*}}, 0, 0] [1, 4, 8] [1, 1, 1] : tensor<1x4x8xf32> to tensor<4x8xf32>
// CHECK: arith.remui %[[I]], %c3
// CHECK: tensor.extract_slice %arg1[%{{.*}}, 0, 0] [1, 8, 16] [1, 1, 1] : tensor<3x8x16xf32> to tensor<8x16xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %[[ACC]][%[[I]], 0, 0] [1, 4, 16] [1, 1, 1]
func.func @matmul_batch_broadcast(%a: tensor<1x4x8xf32>, %b: tensor<3x8x16xf32>) -> tensor<3x4x16xf32> {
  %0 = llmos.matmul %a, %b : (tensor<1x4x8xf32>, tensor<3x8x16xf32>) -> tensor<3x4x16xf32>
  return %0 : tensor<3x4x16xf32>
}

// -----

// Any one element type takes the same linalg.matmul forms (here i32,
// batched: one matmul per batch entry).
// CHECK-LABEL: func.func @matmul_batch_i32
// CHECK: scf.for
// CHECK: linalg.matmul ins({{.*}} : tensor<4x8xi32>, tensor<8x16xi32>)
func.func @matmul_batch_i32(%a: tensor<1x4x8xi32>, %b: tensor<3x8x16xi32>) -> tensor<3x4x16xi32> {
  %0 = llmos.matmul %a, %b : (tensor<1x4x8xi32>, tensor<3x8x16xi32>) -> tensor<3x4x16xi32>
  return %0 : tensor<3x4x16xi32>
}

// -----

// f16 accumulates in f32: a 2-D product into an f32 matmul, rounded once;
// batched f16 products keep the contraction generic.
// CHECK-LABEL: func.func @matmul_f16
// CHECK: linalg.matmul ins({{.*}} : tensor<4x8xf16>, tensor<8x16xf16>) outs({{.*}} : tensor<4x16xf32>)
// CHECK: arith.truncf {{.*}} : f32 to f16
func.func @matmul_f16(%a: tensor<4x8xf16>, %b: tensor<8x16xf16>) -> tensor<4x16xf16> {
  %0 = llmos.matmul %a, %b : (tensor<4x8xf16>, tensor<8x16xf16>) -> tensor<4x16xf16>
  return %0 : tensor<4x16xf16>
}

// -----

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_batch_f16
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
func.func @matmul_batch_f16(%a: tensor<1x4x8xf16>, %b: tensor<3x8x16xf16>) -> tensor<3x4x16xf16> {
  %0 = llmos.matmul %a, %b : (tensor<1x4x8xf16>, tensor<3x8x16xf16>) -> tensor<3x4x16xf16>
  return %0 : tensor<3x4x16xf16>
}

// -----

// An f32 convolution of large images (more than 256 output pixels): pad,
// then per image an im2col copy (a generic over c, kh, kw, oh, ow), the
// weights as a [M, C*KH*KW] matrix, and one linalg.matmul written into the
// image's slice of the result.
// CHECK-LABEL: func.func @conv_padded
// CHECK: tensor.pad
// CHECK: tensor.collapse_shape %arg1 {{.*}} : tensor<4x3x3x3xf32> into tensor<4x27xf32>
// CHECK: scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<?x4x20x20xf32>)
// CHECK: tensor.extract_slice %{{.*}}[%[[N]], 0, 0, 0] [1, 3, 22, 22] [1, 1, 1, 1] : tensor<?x3x22x22xf32> to tensor<3x22x22xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]
// CHECK: tensor.collapse_shape {{.*}} into tensor<27x400xf32>
// CHECK: tensor.extract_slice %[[ACC]][%[[N]], 0, 0, 0] [1, 4, 20, 20]
// CHECK: linalg.fill
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x27xf32>, tensor<27x400xf32>)
// CHECK: tensor.insert_slice {{.*}} into %[[ACC]][%[[N]], 0, 0, 0] [1, 4, 20, 20]
func.func @conv_padded(%x: tensor<?x3x20x20xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<?x4x20x20xf32> {
  %0 = llmos.conv %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<?x3x20x20xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x20x20xf32>
  return %0 : tensor<?x4x20x20xf32>
}

// -----

// Small images (at most 256 output pixels) of a batch that is not 1: one
// im2col copy for the whole batch (c, kh, kw, n, oh, ow), one matmul of
// [M, C*KH*KW] x [C*KH*KW, N*OH*OW], then [M, N, OH, OW] transposed to
// [N, M, OH, OW].
// CHECK-DAG: #[[COLS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d1 + d4, d2 + d5)>
// CHECK-DAG: #[[SWAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>
// CHECK-LABEL: func.func @conv_small_batch
// CHECK-NOT: scf.for
// CHECK: %[[PAD:.*]] = tensor.pad
// CHECK: %[[COL:.*]] = linalg.generic {indexing_maps = [#[[COLS]], {{.*}}]{{.*}} ins(%[[PAD]] : tensor<?x3x10x10xf32>) outs(%{{.*}} : tensor<3x3x3x?x8x8xf32>)
// CHECK: tensor.collapse_shape %[[COL]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<3x3x3x?x8x8xf32> into tensor<27x?xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x27xf32>, tensor<27x?xf32>) outs(%{{.*}} : tensor<4x?xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] {{.*}} : tensor<4x?xf32> into tensor<4x?x8x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[SWAP]], {{.*}} ins(%{{.*}} : tensor<4x?x8x8xf32>) outs(%{{.*}} : tensor<?x4x8x8xf32>)
// CHECK-NOT: scf.for
func.func @conv_small_batch(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<?x4x8x8xf32> {
  %0 = llmos.conv %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x8x8xf32>
  return %0 : tensor<?x4x8x8xf32>
}

// -----

// Small images at a static batch of 1 keep the per-image product (no
// transpose).
// CHECK-LABEL: func.func @conv_small_single
// CHECK: scf.for
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x27xf32>, tensor<27x64xf32>)
// CHECK-NOT: tensor<4x1x8x8xf32>
func.func @conv_small_single(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  %0 = llmos.conv %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// A 1x1, stride-1 convolution needs no im2col copy.
// CHECK-LABEL: func.func @conv_pointwise
// CHECK-NOT: linalg.generic
// CHECK: tensor.collapse_shape %{{.*}} : tensor<8x5x5xf32> into tensor<8x25xf32>
// CHECK: linalg.matmul
func.func @conv_pointwise(%x: tensor<1x8x5x5xf32>, %w: tensor<16x8x1x1xf32>) -> tensor<1x16x5x5xf32> {
  %0 = llmos.conv %x, %w : (tensor<1x8x5x5xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x5x5xf32>
  return %0 : tensor<1x16x5x5xf32>
}

// -----

// A grouped convolution keeps the direct convolution generic.
// CHECK-LABEL: func.func @conv_grouped
// CHECK-NOT: linalg.matmul
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: tensor.collapse_shape
func.func @conv_grouped(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = llmos.conv %x, %w {group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// MatMulInteger: zero points subtracted while widening to i32, then an
// i32 linalg.matmul.
// CHECK-LABEL: func.func @matmul_integer
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: arith.extsi
// CHECK: linalg.matmul ins({{.*}} : tensor<4x3xi32>, tensor<3x2xi32>)
func.func @matmul_integer(%a: tensor<4x3xui8>, %b: tensor<3x2xi8>, %za: tensor<ui8>) -> tensor<4x2xi32> {
  %0 = llmos.matmul_integer %a, %b a_zero_point(%za) : (tensor<4x3xui8>, tensor<3x2xi8>, tensor<ui8>) -> tensor<4x2xi32>
  return %0 : tensor<4x2xi32>
}

// -----

// Det: an scf.for over the (collapsed) batch; per matrix a column loop with
// a pivot search, a conditional row swap and a conditional elimination.
// CHECK-LABEL: func.func @det
// CHECK: scf.for
// CHECK: tensor.extract_slice
// CHECK: scf.for
// CHECK: math.absf
// CHECK: scf.if
// CHECK: arith.negf
// CHECK: scf.if
// CHECK: arith.divf
// CHECK: tensor.insert
func.func @det(%x: tensor<3x2x2xf32>) -> tensor<3xf32> {
  %0 = llmos.det %x : (tensor<3x2x2xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Det of run-time sized matrices: the matrices are read as [rows, cols] and
// the elimination runs on the leading min(rows, cols) square, so a
// non-square input (bad data) is never read out of bounds.
// CHECK-LABEL: func.func @det_dynamic
// CHECK: %[[ROWS:.*]] = tensor.dim %arg0, %c1
// CHECK: %[[COLS:.*]] = tensor.dim %arg0, %c2
// CHECK: %[[M:.*]] = arith.minsi %[[ROWS]], %[[COLS]]
// CHECK: tensor.extract_slice {{.*}} [1, %[[M]], %[[M]]]
func.func @det_dynamic(%x: tensor<3x?x?xf32>) -> tensor<3xf32> {
  %0 = llmos.det %x : (tensor<3x?x?xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
