// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file %s | FileCheck %s

// Sequences and optionals become 64-bit handles in 0-D tensors. Construct
// and insert copy each tensor into a new runtime value (kind 2: sequence,
// dtype 1: float32); an i32 position is widened; the length is a call.
// CHECK-LABEL: func.func private @llmos_rt_seq_length(i64) -> i64
// CHECK-LABEL: func.func private @llmos_rt_seq_insert_f32(i64, i32, i32, i64, i32, memref<*xf32>) -> i64
// CHECK-LABEL: func.func @construct_insert_length
// CHECK-SAME: (%arg0: tensor<2xf32>, %arg1: tensor<3xf32>, %arg2: tensor<i32>) -> (tensor<i64>, tensor<i64>)
// CHECK: %[[EMPTY:.*]] = arith.constant 0 : i64
// CHECK: %[[A:.*]] = memref.cast {{.*}} : memref<2xf32> to memref<*xf32>
// CHECK: %[[KIND:.*]] = arith.constant 2 : i32
// CHECK: %[[F32:.*]] = arith.constant 1 : i32
// CHECK: %[[ONE:.*]] = call @llmos_rt_seq_insert_f32(%[[EMPTY]], %[[KIND]], %[[F32]], %{{.*}}, %{{.*}}, %[[A]])
// CHECK: %[[P:.*]] = arith.extsi %{{.*}} : i32 to i64
// CHECK: %[[TWO:.*]] = call @llmos_rt_seq_insert_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[P]], %{{.*}}, %{{.*}})
// CHECK: %[[SEQ:.*]] = tensor.from_elements %[[TWO]] : tensor<i64>
// CHECK: %[[N:.*]] = call @llmos_rt_seq_length
// CHECK: %[[LEN:.*]] = tensor.from_elements %[[N]] : tensor<i64>
// CHECK: return %[[SEQ]], %[[LEN]]
func.func @construct_insert_length(%a: tensor<2xf32>, %b: tensor<3xf32>, %p: tensor<i32>) -> (!llmos.seq<tensor<?xf32>>, tensor<i64>) {
  %0 = llmos.sequence_construct %a : (tensor<2xf32>) -> !llmos.seq<tensor<2xf32>>
  %1 = llmos.sequence_insert %0, %b, %p : (!llmos.seq<tensor<2xf32>>, tensor<3xf32>, tensor<i32>) -> !llmos.seq<tensor<?xf32>>
  %2 = llmos.sequence_length %1 : (!llmos.seq<tensor<?xf32>>) -> tensor<i64>
  return %1, %2 : !llmos.seq<tensor<?xf32>>, tensor<i64>
}

// -----

// Erase without a position (the last one); an empty sequence is the
// handle 0.
// CHECK-LABEL: func.func @empty_erase
// CHECK: %[[H:.*]] = tensor.extract %arg0[] : tensor<i64>
// CHECK: %[[NOPOS:.*]] = arith.constant 0 : i32
// CHECK: call @llmos_rt_seq_erase(%[[H]], %{{.*}}, %[[NOPOS]])
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK: tensor.from_elements %[[ZERO]] : tensor<i64>
func.func @empty_erase(%s: !llmos.seq<tensor<?xi64>>) -> (!llmos.seq<tensor<?xi64>>, !llmos.seq<tensor<*xi64>>) {
  %0 = llmos.sequence_erase %s : (!llmos.seq<tensor<?xi64>>) -> !llmos.seq<tensor<?xi64>>
  %1 = llmos.sequence_empty {dtype = i64} : () -> !llmos.seq<tensor<*xi64>>
  return %0, %1 : !llmos.seq<tensor<?xi64>>, !llmos.seq<tensor<*xi64>>
}

// -----

// An optional tensor is a sequence of at most one tensor (kind 3; uint8 is
// dtype 2 though its buffer is i8); an optional sequence wraps the
// sequence's handle; an empty optional is 0. has_element is a length test
// (true for a value that is not optional); get_element reads the tensor at
// 0 or takes the wrapped sequence.
// CHECK-LABEL: func.func @optionals
// CHECK-SAME: (%arg0: tensor<4xi8>, %arg1: tensor<i64>, %arg2: tensor<i64>, %arg3: tensor<i64>)
// CHECK: %[[KIND:.*]] = arith.constant 3 : i32
// CHECK: %[[U8:.*]] = arith.constant 2 : i32
// CHECK: call @llmos_rt_seq_insert_i8(%{{.*}}, %[[KIND]], %[[U8]],
// CHECK: call @llmos_rt_seq_wrap(%{{.*}}, %{{.*}}) : (i64, i32) -> i64
// CHECK: %[[N:.*]] = call @llmos_rt_seq_length
// CHECK: arith.cmpi sgt, %[[N]], %{{.*}} : i64
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: tensor.from_elements %[[TRUE]] : tensor<i1>
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<4xi8>
// CHECK: call @llmos_rt_seq_read_i8
// CHECK: bufferization.to_tensor %[[BUF]] restrict writable
// CHECK: call @llmos_rt_seq_element
func.func @optionals(%x: tensor<4xui8>, %s: !llmos.seq<tensor<?xf32>>, %o: !llmos.opt<tensor<4xui8>>, %os: !llmos.opt<!llmos.seq<tensor<?xf32>>>) -> (!llmos.opt<tensor<4xui8>>, !llmos.opt<!llmos.seq<tensor<?xf32>>>, !llmos.opt<tensor<4xui8>>, tensor<i1>, tensor<i1>, tensor<4xui8>, !llmos.seq<tensor<?xf32>>) {
  %0 = llmos.optional %x : (tensor<4xui8>) -> !llmos.opt<tensor<4xui8>>
  %1 = llmos.optional %s : (!llmos.seq<tensor<?xf32>>) -> !llmos.opt<!llmos.seq<tensor<?xf32>>>
  %2 = llmos.optional {type = tensor<4xui8>} : () -> !llmos.opt<tensor<4xui8>>
  %3 = llmos.optional_has_element %o : (!llmos.opt<tensor<4xui8>>) -> tensor<i1>
  %4 = llmos.optional_has_element %x : (tensor<4xui8>) -> tensor<i1>
  %5 = llmos.optional_get_element %o : (!llmos.opt<tensor<4xui8>>) -> tensor<4xui8>
  %6 = llmos.optional_get_element %os : (!llmos.opt<!llmos.seq<tensor<?xf32>>>) -> !llmos.seq<tensor<?xf32>>
  return %0, %1, %2, %3, %4, %5, %6 : !llmos.opt<tensor<4xui8>>, !llmos.opt<!llmos.seq<tensor<?xf32>>>, !llmos.opt<tensor<4xui8>>, tensor<i1>, tensor<i1>, tensor<4xui8>, !llmos.seq<tensor<?xf32>>
}

// -----

// ConcatFromSequence: the size along the axis is a sum over the elements'
// dims; each element is read and inserted at the running offset. With
// new_axis, the stacked dim is the length and the other dims come from the
// first element.
// CHECK-LABEL: func.func @concat
// CHECK: %[[SUM:.*]] = scf.for {{.*}} -> (index) {
// CHECK: call @llmos_rt_seq_dim
// CHECK: arith.addi
// CHECK: tensor.empty(%[[SUM]]) : tensor<?x3xf32>
// CHECK: scf.for {{.*}} -> (tensor<?x3xf32>, index) {
// CHECK: memref.alloc(%{{.*}}) : memref<?x3xf32>
// CHECK: call @llmos_rt_seq_read_f32
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[%{{.*}}, 0] [%{{.*}}, 3] [1, 1] : tensor<?x3xf32> into tensor<?x3xf32>
// CHECK: %[[LEN:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: tensor.empty(%{{.*}}, %[[LEN]]) : tensor<?x?x3xf32>
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, %{{.*}}, 0] [%{{.*}}, 1, 3] [1, 1, 1] : tensor<?x3xf32> into tensor<?x?x3xf32>
func.func @concat(%s: !llmos.seq<tensor<?x3xf32>>) -> (tensor<?x3xf32>, tensor<?x?x3xf32>) {
  %0 = llmos.concat_from_sequence %s {axis = 0 : i64} : (!llmos.seq<tensor<?x3xf32>>) -> tensor<?x3xf32>
  %1 = llmos.concat_from_sequence %s {axis = 1 : i64, new_axis = 1 : i64} : (!llmos.seq<tensor<?x3xf32>>) -> tensor<?x?x3xf32>
  return %0, %1 : tensor<?x3xf32>, tensor<?x?x3xf32>
}

// -----

// SplitToSequence with a scalar split: ceil(5 / n) pieces, the last one
// shorter, each inserted into the growing sequence.
// CHECK-LABEL: func.func @split
// CHECK: %[[N:.*]] = arith.maxsi %{{.*}}, %c1 : index
// CHECK: %[[COUNT:.*]] = arith.ceildivsi %c5, %[[N]] : index
// CHECK: scf.for %{{.*}} = %c0 to %[[COUNT]] step %c1 iter_args(%[[SEQ:.*]] = %{{.*}}, %[[OFF:.*]] = %c0) -> (i64, index) {
// CHECK: %[[PIECE:.*]] = tensor.extract_slice %arg0[%{{.*}}, 0] [%{{.*}}, 2] [1, 1] : tensor<5x2xf32> to tensor<?x2xf32>
// CHECK: call @llmos_rt_seq_insert_f32(%[[SEQ]],
func.func @split(%x: tensor<5x2xf32>, %n: tensor<i64>) -> !llmos.seq<tensor<?x2xf32>> {
  %0 = llmos.split_to_sequence %x, %n {axis = 0 : i64} : (tensor<5x2xf32>, tensor<i64>) -> !llmos.seq<tensor<?x2xf32>>
  return %0 : !llmos.seq<tensor<?x2xf32>>
}

// -----

// SequenceMap: a loop over the first sequence's length; the body runs on
// the i-th tensor and the extra tensor, and its result is appended.
// CHECK-LABEL: func.func @map
// CHECK: %[[LEN:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: scf.for %[[I:.*]] = %c0 to %[[LEN]] step %c1 iter_args(%[[OUT:.*]] = %{{.*}}) -> (i64) {
// CHECK: call @llmos_rt_seq_read_f32
// CHECK: %[[R:.*]] = scf.execute_region -> tensor<?xf32> {
// CHECK: linalg.generic
// CHECK: bufferization.to_buffer %[[R]]
// CHECK: %[[NEXT:.*]] = func.call @llmos_rt_seq_insert_f32(%[[OUT]],
// CHECK: scf.yield %[[NEXT]] : i64
func.func @map(%s: !llmos.seq<tensor<?xf32>>, %w: tensor<1xf32>) -> !llmos.seq<tensor<?xf32>> {
  %0 = llmos.sequence_map %s(%w) : (!llmos.seq<tensor<?xf32>>, tensor<1xf32>) -> !llmos.seq<tensor<?xf32>> {
  ^bb0(%e: tensor<?xf32>, %v: tensor<1xf32>):
    %1 = llmos.mul %e, %v : (tensor<?xf32>, tensor<1xf32>) -> tensor<?xf32>
    llmos.yield %1 : tensor<?xf32>
  }
  return %0 : !llmos.seq<tensor<?xf32>>
}
