// RUN: llmos-opt --llmos-outline-parallel-loops --split-input-file %s | FileCheck %s
// RUN: llmos-opt --llmos-outline-parallel-loops --split-input-file %s | llmos-opt --split-input-file --convert-scf-to-cf --convert-to-llvm --llmos-lower-parallel-dispatch | FileCheck %s --check-prefix=LLVM

// A large loop moves into @f_par0, whose first dim runs over [lo, hi); the
// call site calls the dispatch declaration with the full range and the
// values the loop uses (constants are cloned into the body).
// CHECK-LABEL: func.func private @f_par0(%{{.*}}: index, %{{.*}}: index, %{{.*}}: f32, %{{.*}}: memref<512x512xf32>)
// CHECK: arith.constant 512 : index
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%arg0, %{{.*}}) to (%arg1, %{{.*}})
// CHECK: memref.store
// CHECK-LABEL: func.func private @f_par0_dispatch(index, index, f32, memref<512x512xf32>)
// CHECK-LABEL: func.func @f
// CHECK: call @f_par0_dispatch(%{{.*}}, %{{.*}}, %arg1, %arg0) : (index, index, f32, memref<512x512xf32>) -> ()
// CHECK-NOT: scf.parallel
//
// The dispatch stores the arguments and calls the runtime with a trampoline.
// LLVM-LABEL: llvm.func internal @f_par0_dispatch(
// LLVM: llvm.alloca
// LLVM: llvm.store
// LLVM: llvm.mlir.addressof @f_par0_trampoline
// LLVM: llvm.call @llmos_rt_parallel_for(
// LLVM-LABEL: llvm.func internal @f_par0_trampoline(%{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// LLVM: llvm.load
// LLVM: llvm.call @f_par0(
func.func @f(%m: memref<512x512xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c512 = arith.constant 512 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c512, %c512) step (%c1, %c1) {
    memref.store %v, %m[%i, %j] : memref<512x512xf32>
  }
  return
}

// -----

// Does not fire: too little work, a reduction (results), a non-unit step,
// and loops nested in an outlined one stay where they are.
// CHECK-LABEL: func.func @small
// CHECK-NOT: _dispatch
// CHECK: scf.parallel
// CHECK: scf.parallel
// CHECK: scf.parallel
func.func @small(%m: memref<8x8xf32>, %big: memref<4096xf32>, %v: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c4096 = arith.constant 4096 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c8, %c8) step (%c1, %c1) {
    memref.store %v, %m[%i, %j] : memref<8x8xf32>
  }
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%c4096) step (%c1) init (%zero) -> f32 {
    %x = memref.load %big[%i] : memref<4096xf32>
    scf.reduce(%x : f32) {
    ^bb0(%a: f32, %b: f32):
      %s = arith.addf %a, %b : f32
      scf.reduce.return %s : f32
    }
  }
  scf.parallel (%i) = (%c0) to (%c4096) step (%c2) {
    memref.store %v, %big[%i] : memref<4096xf32>
  }
  return %sum : f32
}

// -----

// A leading dim of one iteration (a batch of 1) is not split: the next is.
// CHECK-LABEL: func.func private @batch_one_par0(
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%{{.*}}, %arg0) to (%{{.*}}, %arg1)
// CHECK-LABEL: func.func @batch_one
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[C512:.*]] = arith.constant 512 : index
// CHECK: call @batch_one_par0_dispatch(%[[C0]], %[[C512]]
func.func @batch_one(%m: memref<1x512x512xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c512 = arith.constant 512 : index
  scf.parallel (%n, %i) = (%c0, %c0) to (%c1, %c512) step (%c1, %c1) {
    scf.for %j = %c0 to %c512 step %c1 {
      memref.store %v, %m[%n, %i, %j] : memref<1x512x512xf32>
    }
  }
  return
}
