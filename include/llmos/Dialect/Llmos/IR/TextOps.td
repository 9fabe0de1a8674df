//===- TextOps.td - llmos string and text ops -*- tablegen -*-===//
//
// Part of the llmos ONNX compiler. One def per ONNX operator; the op form is
// the operator's newest ONNX definition.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_TEXTOPS_TD
#define LLMOS_DIALECT_LLMOS_IR_TEXTOPS_TD

include "llmos/Dialect/Llmos/IR/LlmosBase.td"

def Llmos_StringNormalizerOp : Llmos_Op<"string_normalizer", "StringNormalizer", [10], [Pure]> {
  let description = [{
    StringNormalization performs string operations for basic cleaning. This
    operator has only one input (denoted by X) and only one output (denoted by
    Y). This operator first examines the elements in the X, and removes elements
    specified in "stopwords" attribute. After removing stop words, the
    intermediate result can be further lowercased, uppercased, or just returned
    depending the "case_change_action

    ONNX reference: https://onnx.ai/onnx/operators/onnx__StringNormalizer.html
  }];
  let arguments = (ins Llmos_StringTensor:$X,
                   DefaultValuedAttr<Llmos_EnumStrAttr<["LOWER", "UPPER", "NONE"]>, "\"NONE\"">:$case_change_action,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$is_case_sensitive,
                   OptionalAttr<StrAttr>:$locale,
                   OptionalAttr<StrArrayAttr>:$stopwords);
  let results = (outs Llmos_StringTensor:$Y);
}

def Llmos_TfIdfVectorizerOp : Llmos_Op<"tf_idf_vectorizer", "TfIdfVectorizer", [9], [Pure]> {
  let description = [{
    This transform extracts n-grams from the input sequence and save them as a
    vector. Input can be either a 1-D or 2-D tensor. For 1-D input, output is
    the n-gram representation of that input. For 2-D input, the output is also a
    2-D tensor whose i-th row is the n-gram representation of the i-th input
    row. More specifically, if input shape is [C], the corresponding output
    shape would be [max(ngram_in

    ONNX reference: https://onnx.ai/onnx/operators/onnx__TfIdfVectorizer.html
  }];
  let arguments = (ins TensorOf<[Llmos_String, I32, I64]>:$X,
                   Llmos_I64Attr:$max_gram_length,
                   Llmos_I64Attr:$max_skip_count,
                   Llmos_I64Attr:$min_gram_length,
                   Llmos_EnumStrAttr<["TF", "IDF", "TFIDF"]>:$mode,
                   DenseI64ArrayAttr:$ngram_counts,
                   DenseI64ArrayAttr:$ngram_indexes,
                   OptionalAttr<DenseI64ArrayAttr>:$pool_int64s,
                   OptionalAttr<StrArrayAttr>:$pool_strings,
                   OptionalAttr<DenseF32ArrayAttr>:$weights);
  let results = (outs Llmos_F32Tensor:$Y);
}

def Llmos_RegexFullMatchOp : Llmos_Op<"regex_full_match", "RegexFullMatch", [20], [Pure]> {
  let description = [{
    RegexFullMatch performs a full regex match on each element of the input
    string tensor (RE2 syntax); the output is a bool tensor of the same shape.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__RegexFullMatch.html
  }];
  let arguments = (ins Llmos_StringTensor:$X, OptionalAttr<StrAttr>:$pattern);
  let results = (outs Llmos_BoolTensor:$Y);
}

def Llmos_StringConcatOp : Llmos_BroadcastOp<"string_concat", "StringConcat", [20], /*boolResult=*/0> {
  let description = [{
    StringConcat concatenates string tensors elementwise (with NumPy-style
    broadcasting support).

    ONNX reference: https://onnx.ai/onnx/operators/onnx__StringConcat.html
  }];
  let arguments = (ins Llmos_StringTensor:$X, Llmos_StringTensor:$Y);
  let results = (outs Llmos_StringTensor:$Z);
}

def Llmos_StringSplitOp : Llmos_Op<"string_split", "StringSplit", [20], [Pure]> {
  let description = [{
    StringSplit splits each string of the input at `delimiter` (at most
    `maxsplit` times); `Y` holds the substrings padded with empty strings to
    the largest count, `Z` the number of substrings of each input element.

    ONNX reference: https://onnx.ai/onnx/operators/onnx__StringSplit.html
  }];
  let arguments = (ins Llmos_StringTensor:$X, OptionalAttr<StrAttr>:$delimiter,
                   OptionalAttr<Llmos_I64Attr>:$maxsplit);
  let results = (outs Llmos_StringTensor:$Y, Llmos_I64Tensor:$Z);
}

#endif // LLMOS_DIALECT_LLMOS_IR_TEXTOPS_TD
