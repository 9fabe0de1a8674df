// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file --verify-diagnostics %s

// An op without a lowering is reported by name, and nothing is converted.
func.func @no_lowering(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<i64> {
  // expected-error @+1 {{'llmos.sequence_construct' has no CPU lowering yet}}
  %0 = llmos.sequence_construct %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> !llmos.seq<tensor<?x3xf32>>
  // expected-error @+1 {{'llmos.sequence_length' has no CPU lowering yet}}
  %1 = llmos.sequence_length %0 : (!llmos.seq<tensor<?x3xf32>>) -> tensor<i64>
  return %1 : tensor<i64>
}

// -----

// A string pool needs string tokens.
func.func @tfidf_strings(%x: tensor<4xi64>) -> tensor<2xf32> {
  // expected-error @+2 {{has a string pool but integer tokens}}
  // expected-error @+1 {{failed to legalize operation 'llmos.tf_idf_vectorizer'}}
  %0 = llmos.tf_idf_vectorizer %x {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1>, pool_strings = ["a", "b"]} : (tensor<4xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// A DFT axis known only at run time is not supported.
func.func @dft_runtime_axis(%x: tensor<1x16x1xf32>, %axis: tensor<i64>) -> tensor<?x?x2xf32> {
  // expected-error @+2 {{needs a constant axis for code generation}}
  // expected-error @+1 {{failed to legalize operation 'llmos.dft'}}
  %0 = llmos.dft %x axis(%axis) : (tensor<1x16x1xf32>, tensor<i64>) -> tensor<?x?x2xf32>
  return %0 : tensor<?x?x2xf32>
}

// -----

// An antialiased resize needs its filter size at compile time.
func.func @resize_antialias_runtime(%x: tensor<1x1x8x8xf32>, %s: tensor<4xf32>) -> tensor<1x1x?x?xf32> {
  // expected-error @+2 {{antialias needs constant scales or sizes}}
  // expected-error @+1 {{failed to legalize operation 'llmos.resize'}}
  %0 = llmos.resize %x scales(%s) {mode = "linear", antialias = 1 : i64} : (tensor<1x1x8x8xf32>, tensor<4xf32>) -> tensor<1x1x?x?xf32>
  return %0 : tensor<1x1x?x?xf32>
}

// -----

// Quantization to 4-bit types is not generated yet.
func.func @quantize_int4(%x: tensor<4xf32>, %s: tensor<f32>, %zp: tensor<i4>) -> tensor<4xi4> {
  // expected-error @+2 {{supports 8- and 16-bit integer quantization}}
  // expected-error @+1 {{failed to legalize operation 'llmos.quantize_linear'}}
  %0 = llmos.quantize_linear %x, %s, %zp : (tensor<4xf32>, tensor<f32>, tensor<i4>) -> tensor<4xi4>
  return %0 : tensor<4xi4>
}

// -----

// Ops that would compare or compute with string handles (addresses) are
// refused on strings; those that only move elements are lowered.
func.func @string_regex(%x: tensor<3x!llmos.string>) -> (tensor<3xi1>, tensor<3x!llmos.string>) {
  // expected-error @+1 {{'llmos.regex_full_match' on string tensors has no CPU lowering yet}}
  %0 = llmos.regex_full_match %x {pattern = "a.*"} : (tensor<3x!llmos.string>) -> tensor<3xi1>
  %1 = llmos.identity %x : (tensor<3x!llmos.string>) -> tensor<3x!llmos.string>
  return %0, %1 : tensor<3xi1>, tensor<3x!llmos.string>
}
