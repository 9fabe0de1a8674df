// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file %s | FileCheck %s

// Strings become i64 handles. A cast to strings allocates the handle
// buffer and calls the runtime with both buffers as unranked memrefs.
// CHECK-LABEL: func.func private @llmos_rt_string_from_f32(memref<*xf32>, memref<*xi64>)
// CHECK-LABEL: func.func @cast_to_string
// CHECK-SAME: -> tensor<3x4xi64>
// CHECK: %[[OUT:.*]] = memref.alloc() : memref<3x4xi64>
// CHECK: %[[IN:.*]] = bufferization.to_buffer %arg0 read_only : tensor<3x4xf32> to memref<3x4xf32>
// CHECK: %[[INU:.*]] = memref.cast %[[IN]] : memref<3x4xf32> to memref<*xf32>
// CHECK: %[[OUTU:.*]] = memref.cast %[[OUT]] : memref<3x4xi64> to memref<*xi64>
// CHECK: call @llmos_rt_string_from_f32(%[[INU]], %[[OUTU]])
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable
func.func @cast_to_string(%x: tensor<3x4xf32>) -> tensor<3x4x!llmos.string> {
  %y = llmos.cast %x {to = !llmos.string} : (tensor<3x4xf32>) -> tensor<3x4x!llmos.string>
  return %y : tensor<3x4x!llmos.string>
}

// -----

// From strings: one runtime function per number type (unsigned ones keep
// their name though their buffers are signless); dynamic dims sized from
// the input.
// CHECK-LABEL: func.func private @llmos_rt_string_to_u8(memref<*xi64>, memref<*xi8>)
// CHECK-LABEL: func.func @cast_from_string
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: memref.alloc(%[[N]]) : memref<?xi8>
// CHECK: call @llmos_rt_string_to_u8
func.func @cast_from_string(%x: tensor<?x!llmos.string>) -> tensor<?xui8> {
  %y = llmos.cast %x {to = ui8} : (tensor<?x!llmos.string>) -> tensor<?xui8>
  return %y : tensor<?xui8>
}

// -----

// Strings that only move (Reshape, Concat) need nothing but their handles.
// CHECK-LABEL: func.func @move_strings
// CHECK-NOT: call
// CHECK: tensor.insert_slice %arg0 into {{.*}} : tensor<2xi64> into tensor<4xi64>
// CHECK: tensor.insert_slice %arg1 into {{.*}} : tensor<2xi64> into tensor<4xi64>
func.func @move_strings(%a: tensor<2x!llmos.string>, %b: tensor<2x!llmos.string>) -> tensor<4x!llmos.string> {
  %c = llmos.concat %a, %b {axis = 0 : i64} : (tensor<2x!llmos.string>, tensor<2x!llmos.string>) -> tensor<4x!llmos.string>
  return %c : tensor<4x!llmos.string>
}

// -----

// A string constant: records (8-byte size, bytes, NUL, padded to 8) in a
// read-only global; the handles are its address plus each offset.
// CHECK: memref.global "private" constant @__llmos_strings_0 : memref<32xi8> = dense<[2, 0, 0, 0, 0, 0, 0, 0, 104, 105, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 116, 104, 101, 114, 101, 0, 0, 0]> {alignment = 8 : i64}
// CHECK-LABEL: func.func @string_constant
// CHECK: %[[G:.*]] = memref.get_global @__llmos_strings_0 : memref<32xi8>
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[G]]
// CHECK: %[[BASE:.*]] = arith.index_cast %[[P]] : index to i64
// CHECK: arith.constant dense<[0, 16]> : tensor<2xi64>
// CHECK: linalg.generic
// CHECK: arith.addi %{{.*}}, %[[BASE]] : i64
func.func @string_constant() -> tensor<2x!llmos.string> {
  %c = llmos.constant dense<["hi", "there"]> : tensor<2x!llmos.string>
  return %c : tensor<2x!llmos.string>
}

// -----

// StringNormalizer: as many handles as inputs are allocated, the runtime
// returns how many it kept, and the result is the first max(kept, 1); the
// stopwords are a string constant; UPPER is case action 2.
// CHECK-LABEL: func.func private @llmos_rt_string_normalize(memref<*xi64>, memref<*xi64>, memref<*xi64>, i32, i32) -> i64
// CHECK-LABEL: func.func @normalize
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1]]
// CHECK: memref.alloc(%{{.*}}) : memref<?xi64>
// CHECK: %[[KEPT:.*]] = call @llmos_rt_string_normalize(%{{.*}}, %{{.*}}, %{{.*}}, %c2_i32, %c0_i32)
// CHECK: %[[K:.*]] = arith.index_cast %[[KEPT]] : i64 to index
// CHECK: %[[SIZE:.*]] = arith.maxui %[[K]], %c1
// CHECK: tensor.extract_slice %{{.*}}[0] [%[[SIZE]]] [1]
// CHECK: tensor.expand_shape {{.*}} into tensor<1x?xi64>
func.func @normalize(%x: tensor<1x6x!llmos.string>) -> tensor<1x?x!llmos.string> {
  %y = llmos.string_normalizer %x {case_change_action = "UPPER", stopwords = ["monday"]} : (tensor<1x6x!llmos.string>) -> tensor<1x?x!llmos.string>
  return %y : tensor<1x?x!llmos.string>
}

// -----

// StringConcat and Equal on strings broadcast the operands that need it
// (a generic on handles), then call the runtime on equal-size buffers;
// numeric Equal is left to the elementwise lowering.
// CHECK-LABEL: func.func @concat_equal
// CHECK: linalg.generic {{.*}} ins(%arg1 : tensor<3xi64>)
// CHECK-NOT: linalg.generic
// CHECK: call @llmos_rt_string_concat
// CHECK: call @llmos_rt_string_equal({{.*}}) : (memref<*xi64>, memref<*xi64>, memref<*xi1>) -> ()
// CHECK: arith.cmpi eq
func.func @concat_equal(%a: tensor<2x3x!llmos.string>, %b: tensor<3x!llmos.string>, %i: tensor<3xi32>) -> (tensor<2x3x!llmos.string>, tensor<2x3xi1>, tensor<3xi1>) {
  %c = llmos.string_concat %a, %b : (tensor<2x3x!llmos.string>, tensor<3x!llmos.string>) -> tensor<2x3x!llmos.string>
  %e = llmos.equal %c, %a : (tensor<2x3x!llmos.string>, tensor<2x3x!llmos.string>) -> tensor<2x3xi1>
  %n = llmos.equal %i, %i : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi1>
  return %c, %e, %n : tensor<2x3x!llmos.string>, tensor<2x3xi1>, tensor<3xi1>
}

// -----

// StringSplit: the runtime counts the most pieces first, the pieces buffer
// gets that many columns, then it is filled with the counts; the delimiter
// is a one-string constant, maxsplit -1 when absent.
// CHECK-LABEL: func.func @split
// CHECK: %[[D:.*]] = tensor.extract %{{.*}}[%c0] : tensor<1xi64>
// CHECK: %[[N:.*]] = call @llmos_rt_string_split_count(%{{.*}}, %[[D]], %c-1_i64)
// CHECK: %[[W:.*]] = arith.index_cast %[[N]] : i64 to index
// CHECK: memref.alloc(%[[W]]) : memref<3x?xi64>
// CHECK: memref.alloc() : memref<3xi64>
// CHECK: call @llmos_rt_string_split(%{{.*}}, %[[D]], %c-1_i64, %{{.*}}, %{{.*}})
func.func @split(%x: tensor<3x!llmos.string>) -> (tensor<3x?x!llmos.string>, tensor<3xi64>) {
  %y, %z = llmos.string_split %x {delimiter = ","} : (tensor<3x!llmos.string>) -> (tensor<3x?x!llmos.string>, tensor<3xi64>)
  return %y, %z : tensor<3x?x!llmos.string>, tensor<3xi64>
}

// -----

// TfIdfVectorizer over a string pool: the tokens are looked up among the
// pool's distinct strings ("b" twice is one entry), then counted as
// integers.
// CHECK: memref.global "private" constant @__llmos_strings_0 : memref<32xi8>
// CHECK-LABEL: func.func @tfidf_string_pool
// CHECK: call @llmos_rt_string_lookup
// CHECK: scf.for
func.func @tfidf_string_pool(%x: tensor<4x!llmos.string>) -> tensor<3xf32> {
  %0 = llmos.tf_idf_vectorizer %x {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1, 2>, pool_strings = ["a", "b", "b"]} : (tensor<4x!llmos.string>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// RegexFullMatch: the pattern becomes a string constant (its handle is
// passed), the bool result a buffer the runtime fills.
// CHECK-LABEL: func.func private @llmos_rt_regex_full_match(memref<*xi64>, i64, memref<*xi1>)
// CHECK-LABEL: func.func @regex
// CHECK: %[[PATTERN:.*]] = tensor.extract %{{.*}}[%{{.*}}] : tensor<1xi64>
// CHECK: %[[OUT:.*]] = memref.alloc() : memref<3xi1>
// CHECK: call @llmos_rt_regex_full_match(%{{.*}}, %[[PATTERN]], %{{.*}})
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable
func.func @regex(%x: tensor<3x!llmos.string>) -> tensor<3xi1> {
  %0 = llmos.regex_full_match %x {pattern = "a.*"} : (tensor<3x!llmos.string>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}
