// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-vectorize-loops))' --split-input-file %s | FileCheck %s
// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-vectorize-loops{vector-bits=512}))' --split-input-file %s | FileCheck %s --check-prefix=AVX512

// Elementwise with a broadcast operand: rows in an scf.parallel, full
// chunks of two 8-lane vectors, the last 4 of 100 columns in one masked
// 8-lane vector; the broadcast row is loaded as a vector too (its last dim
// is the vector dim). exp on vectors becomes a polynomial.
// CHECK-LABEL: func.func @add_exp
// CHECK-NOT: linalg.generic
// CHECK: scf.parallel (%[[ROW:.*]]) =
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %c16
// CHECK: vector.load %arg0[%[[ROW]], %[[J]]] : memref<?x100xf32>, vector<16xf32>
// CHECK: vector.load %arg1[%[[J]]] : memref<100xf32>, vector<16xf32>
// CHECK: arith.addf {{.*}} : vector<16xf32>
// CHECK-NOT: math.exp
// CHECK: vector.store {{.*}}, %arg2[%[[ROW]], %[[J]]]
// CHECK: vector.create_mask {{.*}} : vector<8xi1>
// CHECK: vector.maskedload %arg0{{.*}} into vector<8xf32>
// CHECK: vector.maskedstore %arg2
// AVX512-LABEL: func.func @add_exp
// AVX512: scf.for {{.*}} step %c32
// AVX512: vector.load %arg0{{.*}} vector<32xf32>
func.func @add_exp(%a: memref<?x100xf32>, %b: memref<100xf32>, %c: memref<?x100xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %b : memref<?x100xf32>, memref<100xf32>) outs(%c : memref<?x100xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %e = math.exp %s : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// A per-channel bias (scalar per row, broadcast to the lanes) on 64
// columns, a multiple of the chunk: no masked chunk, the output is not read.
// CHECK-LABEL: func.func @channel_bias
// CHECK: scf.parallel (%[[C:.*]], %[[R:.*]]) =
// CHECK: %[[BIAS:.*]] = memref.load %arg1[%[[C]]] : memref<8xf32>
// CHECK: %[[SPLAT:.*]] = vector.broadcast %[[BIAS]] : f32 to vector<16xf32>
// CHECK: arith.addf %{{.*}}, %[[SPLAT]] : vector<16xf32>
// CHECK-NOT: vector.create_mask
// CHECK-NOT: vector.load %arg2
// CHECK: return
func.func @channel_bias(%x: memref<8x4x64xf32>, %b: memref<8xf32>, %y: memref<8x4x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %b : memref<8x4x64xf32>, memref<8xf32>) outs(%y : memref<8x4x64xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A depthwise 3x3 convolution (the lowering's grouped form): the output
// row's chunk is loaded once, carried through the window loops as a
// vector of four 8-lane registers, and stored once; the input is read
// contiguously at ow + kw, the weight broadcast. The 24 columns past the
// one 32-lane chunk run as single vectors; no mask (56 = 7 x 8).
// CHECK-LABEL: func.func @depthwise
// CHECK: scf.parallel (%[[N:.*]], %[[G:.*]], %[[F:.*]], %[[OH:.*]]) =
// CHECK: scf.for %[[OW:.*]] = %{{.*}} to %{{.*}} step %c32
// CHECK: %[[ACC:.*]] = vector.load %arg2[%[[N]], %[[G]], %[[F]], %[[OH]], %[[OW]]] {{.*}} vector<32xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ACC]]) -> (vector<32xf32>)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.load %arg0{{.*}} vector<32xf32>
// CHECK: memref.load %arg1
// CHECK: arith.mulf {{.*}} : vector<32xf32>
// CHECK: arith.addf {{.*}} : vector<32xf32>
// CHECK: vector.store
// CHECK: scf.for {{.*}} step %c8
// CHECK: vector.load %arg2{{.*}} vector<8xf32>
// CHECK: scf.for {{.*}} -> (vector<8xf32>)
// CHECK: vector.store
// CHECK-NOT: vector.create_mask
// CHECK: return
func.func @depthwise(%x: memref<1x32x58x58xf32>, %w: memref<32x1x3x3xf32>, %y: memref<1x32x1x56x56xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 + d5, d3 + d6, d4 + d7)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1 + d2, d5, d6, d7)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<1x32x58x58xf32>, memref<32x1x3x3xf32>) outs(%y : memref<1x32x1x56x56xf32>) {
  ^bb0(%in: f32, %wt: f32, %out: f32):
    %p = arith.mulf %in, %wt : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Stride 2 along the vector dim (a 27-wide output, as squeezenet's 3x3
// max pools): in full chunks (24 lanes), each 8-lane vector comes from two
// contiguous loads that cover its elements without reading past the last
// one (at 2j and 2j + 7) and one shuffle; the three vectors are joined;
// the masked last vector gathers (offsets 0, 2, 4..).
// CHECK-LABEL: func.func @strided_window
// CHECK: %[[LOW:.*]] = vector.load %arg0{{.*}} vector<8xf32>
// CHECK: %[[HIGH:.*]] = vector.load %arg0{{.*}} vector<8xf32>
// CHECK: vector.shuffle %[[LOW]], %[[HIGH]] [0, 2, 4, 6, 9, 11, 13, 15] : vector<8xf32>, vector<8xf32>
// CHECK: vector.shuffle {{.*}} : vector<8xf32>, vector<8xf32>
// CHECK: vector.shuffle {{.*}} : vector<8xf32>, vector<8xf32>
// CHECK: vector.shuffle {{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<8xf32>, vector<8xf32>
// CHECK: vector.shuffle {{.*}} : vector<16xf32>, vector<8xf32>
// CHECK: %[[TAIL:.*]] = vector.create_mask {{.*}} : vector<8xi1>
// CHECK: vector.gather %arg0[{{.*}}] [%{{.*}}], %[[TAIL]]
func.func @strided_window(%x: memref<1x8x55x55xf32>, %w: memref<8x1x3x3xf32>, %y: memref<1x8x1x27x27xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 + d5, d3 * 2 + d6, d4 * 2 + d7)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1 + d2, d5, d6, d7)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<1x8x55x55xf32>, memref<8x1x3x3xf32>) outs(%y : memref<1x8x1x27x27xf32>) {
  ^bb0(%in: f32, %wt: f32, %out: f32):
    %p = arith.mulf %in, %wt : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A sum over the last (contiguous) axis: a 32-lane accumulator starting at
// 0 over full chunks, an 8-lane one over the single vectors after them and
// the masked last vector (selected against the neutral element), both
// folded into the output element by horizontal reductions.
// CHECK-LABEL: func.func @row_sum
// CHECK: scf.parallel (%[[ROW:.*]]) =
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<32xf32>
// CHECK-DAG: %[[ZERO8:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK: %[[SUM:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (vector<32xf32>)
// CHECK: %[[V:.*]] = vector.load %arg0[%[[ROW]], {{.*}}] : memref<?x?xf32>, vector<32xf32>
// CHECK: arith.addf %[[ACC]], %[[V]] : vector<32xf32>
// CHECK: %[[SUM8:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO8]]) -> (vector<8xf32>)
// CHECK: %[[MASK:.*]] = vector.create_mask {{.*}} : vector<8xi1>
// CHECK: %[[LAST:.*]] = vector.maskedload %arg0
// CHECK: %[[SEL:.*]] = arith.select %[[MASK]], %[[LAST]], %{{.*}}
// CHECK: %[[TOTAL8:.*]] = arith.addf %[[SUM8]], %[[SEL]]
// CHECK: %[[OLD:.*]] = memref.load %arg1[%[[ROW]]]
// CHECK: %[[PART:.*]] = vector.reduction <add>, %[[SUM]], %[[OLD]] : vector<32xf32> into f32
// CHECK: %[[NEW:.*]] = vector.reduction <add>, %[[TOTAL8]], %[[PART]] : vector<8xf32> into f32
// CHECK: memref.store %[[NEW]], %arg1[%[[ROW]]]
func.func @row_sum(%a: memref<?x?xf32>, %c: memref<?xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : memref<?x?xf32>) outs(%c : memref<?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %o, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Softmax's max over the last axis of a [N, C, 1] keep-dims output: the
// neutral element of maximumf is -inf; the other reduction dims (none
// here) would run outside the chunks.
// CHECK-LABEL: func.func @row_max
// CHECK: arith.constant dense<0xFF800000> : vector<32xf32>
// CHECK: arith.maximumf {{.*}} : vector<32xf32>
// CHECK: vector.reduction <maximumf>
func.func @row_max(%a: memref<2x3x100xf32>, %c: memref<2x3x1xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a : memref<2x3x100xf32>) outs(%c : memref<2x3x1xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %o : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// Global average pooling's sum over H and W: H runs as a loop carrying
// the accumulator, W (contiguous) is the vector dim.
// CHECK-LABEL: func.func @pool_sum
// CHECK: scf.parallel
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>)
// CHECK: scf.for {{.*}} step %c8{{.*}} iter_args
// CHECK: vector.reduction <add>
func.func @pool_sum(%a: memref<1x16x7x7xf32>, %c: memref<1x16x1x1xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%a : memref<1x16x7x7xf32>) outs(%c : memref<1x16x1x1xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A reduction over the outer axis of [K, N] (output [N]): the vector dim
// is N, the output's; the K loop carries the chunk in registers.
// CHECK-LABEL: func.func @column_sum
// CHECK: scf.parallel
// CHECK: vector.load %arg1
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<32xf32>)
// CHECK: vector.load %arg0
// CHECK-NOT: vector.reduction
func.func @column_sum(%a: memref<?x256xf32>, %c: memref<256xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : memref<?x256xf32>) outs(%c : memref<256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A 1-D op: no other parallel dim, so the full chunks themselves run in
// an scf.parallel; linalg.index of the vector dim becomes a step vector.
// CHECK-LABEL: func.func @iota_plus
// CHECK: %[[CHUNKS:.*]] = arith.divui %{{.*}}, %c8
// CHECK: scf.parallel (%[[C:.*]]) = (%{{.*}}) to (%[[CHUNKS]])
// CHECK: arith.muli %[[C]], %c8
// CHECK: vector.step : vector<8xindex>
// CHECK: arith.index_cast {{.*}} : vector<8xindex> to vector<8xi64>
// CHECK: vector.store {{.*}} : memref<?xi64>, vector<8xi64>
func.func @iota_plus(%a: memref<?xi64>, %c: memref<?xi64>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : memref<?xi64>) outs(%c : memref<?xi64>) {
  ^bb0(%x: i64, %o: i64):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    %s = arith.addi %x, %ii : i64
    linalg.yield %s : i64
  }
  return
}

// -----

// Mixed widths: lanes come from the widest type (f32: 8 per 256 bits), so
// f16 is loaded as vector<16xf16> for a 16-lane chunk.
// CHECK-LABEL: func.func @widen
// CHECK: vector.load %arg0{{.*}} : memref<?x64xf16>, vector<16xf16>
// CHECK: arith.extf {{.*}} : vector<16xf16> to vector<16xf32>
func.func @widen(%a: memref<?x64xf16>, %c: memref<?x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : memref<?x64xf16>) outs(%c : memref<?x64xf32>) {
  ^bb0(%x: f16, %o: f32):
    %e = arith.extf %x : f16 to f32
    linalg.yield %e : f32
  }
  return
}

// -----

// Left alone: a transposed read (the vector dim moves the input's first
// index), integer division (idle lanes of a masked chunk would divide by
// zero), i1 buffers, a vector dim of 2, tensors.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-5: linalg.generic
// CHECK-NOT: vector.
func.func @left_alone(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %i: memref<?x64xi32>, %j: memref<?x64xi32>,
                      %p: memref<?x64xi1>, %q: memref<?x64xi1>, %s: memref<?x2xf32>, %t: memref<?x2xf32>,
                      %u: tensor<?x64xf32>) -> tensor<?x64xf32> {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : memref<64x64xf32>) outs(%b : memref<64x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%i : memref<?x64xi32>) outs(%j : memref<?x64xi32>) {
  ^bb0(%x: i32, %o: i32):
    %d = arith.divsi %o, %x : i32
    linalg.yield %d : i32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%p : memref<?x64xi1>) outs(%q : memref<?x64xi1>) {
  ^bb0(%x: i1, %o: i1):
    linalg.yield %x : i1
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s : memref<?x2xf32>) outs(%t : memref<?x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%u : tensor<?x64xf32>) {
  ^bb0(%o: f32):
    %n = arith.negf %o : f32
    linalg.yield %n : f32
  } -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
