// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file --verify-diagnostics %s

// An op whose numeric lowering would compare string handles is reported by
// name, and nothing is converted.
func.func @no_lowering_on_strings(%a: tensor<4x!llmos.string>) -> tensor<?x!llmos.string> {
  // expected-error @+1 {{'llmos.unique' on string tensors has no CPU lowering yet}}
  %0:4 = llmos.unique %a : (tensor<4x!llmos.string>) -> (tensor<?x!llmos.string>, tensor<?xi64>, tensor<4xi64>, tensor<?xi64>)
  return %0#0 : tensor<?x!llmos.string>
}

// -----

// RegexFullMatch checks its pattern when the model compiles.
func.func @bad_regex(%a: tensor<2x!llmos.string>) -> tensor<2xi1> {
  // expected-error @+2 {{has an invalid pattern '(a+': missing ')' at offset 3}}
  // expected-error @+1 {{failed to legalize operation 'llmos.regex_full_match'}}
  %0 = llmos.regex_full_match %a {pattern = "(a+"} : (tensor<2x!llmos.string>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

// Reading a tensor from a sequence needs its rank.
func.func @sequence_at_unranked(%s: !llmos.seq<tensor<*xf32>>, %p: tensor<i64>) -> tensor<*xf32> {
  // expected-error @+2 {{reads a tensor of type 'tensor<*xf32>' from a sequence, which has no CPU lowering (the rank must be known)}}
  // expected-error @+1 {{failed to legalize operation 'llmos.sequence_at'}}
  %0 = llmos.sequence_at %s, %p : (!llmos.seq<tensor<*xf32>>, tensor<i64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
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

// Quantization to 32-bit integers is not generated.
func.func @quantize_int32(%x: tensor<4xf32>, %s: tensor<f32>, %zp: tensor<i32>) -> tensor<4xi32> {
  // expected-error @+2 {{supports 2-, 4-, 8- and 16-bit integer and float8 / float4 quantization, not 'i32'}}
  // expected-error @+1 {{failed to legalize operation 'llmos.quantize_linear'}}
  %0 = llmos.quantize_linear %x, %s, %zp : (tensor<4xf32>, tensor<f32>, tensor<i32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

