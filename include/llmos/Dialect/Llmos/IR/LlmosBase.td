//===- LlmosBase.td - llmos dialect, types and op base classes -*- tablegen -*-===//
//
// The llmos dialect models ONNX operators as MLIR operations on tensors. Each
// op carries the ONNX name and opset history it implements; the op form is the
// newest one (attributes that later became inputs are inputs), and the ONNX
// importer upgrades older node forms to it.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DIALECT_LLMOS_IR_LLMOSBASE_TD
#define LLMOS_DIALECT_LLMOS_IR_LLMOSBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "llmos/Dialect/Llmos/IR/LlmosInterfaces.td"

//===----------------------------------------------------------------------===//
// Dialect
//===----------------------------------------------------------------------===//

def Llmos_Dialect : Dialect {
  let name = "llmos";
  let cppNamespace = "::mlir::llmos";
  let summary = "ONNX operators as MLIR operations on tensors";
  let description = [{
    The `llmos` dialect is the graph-level IR of the llmos compiler. Each op
    implements one ONNX operator (domain `ai.onnx`) in its newest form: inputs
    that older opsets passed as attributes are operands. Missing optional ONNX
    inputs are absent operands; every ONNX output is a result (an output a node
    does not use is simply a result without uses). Result types come from the
    `ShapeInferenceOpInterface` that every op implements, and the op verifier
    checks that the declared result types agree with what inference derives.

    Element types follow ONNX: signed integers are signless `iN`, unsigned
    integers `uiN`, `bool` is `i1`, strings are `!llmos.string`. ONNX sequences
    and optionals are `!llmos.seq<T>` and `!llmos.opt<T>`.
  }];
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    void registerTypes();
    // Each op family registers its ops in its own translation unit.
    void registerElementwiseOps();
    void registerReductionOps();
    void registerNNOps();
    void registerLinearAlgebraOps();
    void registerQuantOps();
    void registerTensorOps();
    void registerRNNOps();
    void registerRandomOps();
    void registerSignalOps();
    void registerSequenceOps();
    void registerControlFlowOps();
    void registerTextOps();
    void registerFusedOps();
  }];
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

class Llmos_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Llmos_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Llmos_StringType : Llmos_Type<"String", "string"> {
  let summary = "ONNX string element type";
  let description = [{
    Element type of ONNX `tensor(string)`: `tensor<2x!llmos.string>`.
  }];
}

def Llmos_SequenceType : Llmos_Type<"Sequence", "seq"> {
  let summary = "ONNX sequence of tensors";
  let description = [{
    An ONNX `seq(tensor(T))`: an ordered list of tensors of one element type
    whose shapes may differ. The parameter is the join of the element tensor
    types, e.g. `!llmos.seq<tensor<?x3xf32>>`.
  }];
  let parameters = (ins "::mlir::TensorType":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}

def Llmos_OptionalType : Llmos_Type<"Optional", "opt"> {
  let summary = "ONNX optional value";
  let description = [{
    An ONNX `optional(T)` where T is a tensor or a sequence type:
    `!llmos.opt<tensor<2xf32>>`.
  }];
  let parameters = (ins "::mlir::Type":$valueType);
  let assemblyFormat = "`<` $valueType `>`";
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Llmos_String : Type<CPred<"::llvm::isa<::mlir::llmos::StringType>($_self)">,
                        "string", "::mlir::llmos::StringType">;
def Llmos_Seq : Type<CPred<"::llvm::isa<::mlir::llmos::SequenceType>($_self)">,
                     "sequence", "::mlir::llmos::SequenceType">;
def Llmos_Opt : Type<CPred<"::llvm::isa<::mlir::llmos::OptionalType>($_self)">,
                     "optional", "::mlir::llmos::OptionalType">;

defvar Llmos_FloatTypes = [F16, BF16, F32, F64];
defvar Llmos_SignedIntTypes = [I8, I16, I32, I64];
defvar Llmos_UnsignedIntTypes = [UI8, UI16, UI32, UI64];
defvar Llmos_IntTypes = !listconcat(Llmos_SignedIntTypes, Llmos_UnsignedIntTypes);
defvar Llmos_NumericTypes = !listconcat(Llmos_FloatTypes, Llmos_IntTypes);
defvar Llmos_Float8Types = [F8E4M3FN, F8E4M3FNUZ, F8E5M2, F8E5M2FNUZ];
// The types below a byte (a byte each in memory) and float8 e8m0.
defvar Llmos_Int4Types = [I<4>, UI<4>];
defvar Llmos_Int2Types = [I<2>, UI<2>];
defvar Llmos_MiniFloatTypes = !listconcat(Llmos_Float8Types, [F4E2M1FN, F8E8M0FNU]);
defvar Llmos_ComplexTypes = [Complex<F32>, Complex<F64>];

def Llmos_FloatTensor : TensorOf<Llmos_FloatTypes>;
def Llmos_IntTensor : TensorOf<Llmos_IntTypes>;
def Llmos_SignedIntTensor : TensorOf<Llmos_SignedIntTypes>;
def Llmos_UnsignedIntTensor : TensorOf<Llmos_UnsignedIntTypes>;
def Llmos_NumericTensor : TensorOf<Llmos_NumericTypes>;
def Llmos_SignedNumericTensor : TensorOf<!listconcat(Llmos_FloatTypes, Llmos_SignedIntTypes)>;
def Llmos_BoolTensor : TensorOf<[I1]>;
def Llmos_I32Tensor : TensorOf<[I32]>;
def Llmos_I64Tensor : TensorOf<[I64]>;
def Llmos_IndexTensor : TensorOf<[I32, I64]>;
def Llmos_F32Tensor : TensorOf<[F32]>;
def Llmos_UI8Tensor : TensorOf<[UI8]>;
def Llmos_NumericOrBoolTensor : TensorOf<!listconcat(Llmos_NumericTypes, [I1])>;
def Llmos_StringTensor : TensorOf<[Llmos_String]>;
def Llmos_QuantTensor : TensorOf<!listconcat([I8, UI8, I16, UI16, I32], Llmos_Float8Types, [F4E2M1FN],
                                              Llmos_Int4Types, Llmos_Int2Types)>;
// Every ONNX tensor element type.
def Llmos_AnyTensor : TensorOf<!listconcat(Llmos_NumericTypes, [I1, Llmos_String],
                                           Llmos_ComplexTypes, Llmos_MiniFloatTypes,
                                           Llmos_Int4Types, Llmos_Int2Types)>;
def Llmos_SeqType : Type<And<[Llmos_Seq.predicate]>, "sequence of tensors", "::mlir::llmos::SequenceType">;
def Llmos_OptType : Type<And<[Llmos_Opt.predicate]>, "optional value", "::mlir::llmos::OptionalType">;
// Anything an ONNX value can be: a tensor, a sequence or an optional.
def Llmos_AnyValue : AnyTypeOf<[Llmos_AnyTensor, Llmos_SeqType, Llmos_OptType]>;
def Llmos_TensorOrSeq : AnyTypeOf<[Llmos_AnyTensor, Llmos_SeqType]>;

//===----------------------------------------------------------------------===//
// Attribute constraints. ONNX attributes are 64-bit integers, 32-bit floats,
// strings, and lists of those; the getters return signed / float values.
//===----------------------------------------------------------------------===//

def Llmos_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                                 "64-bit integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}
def Llmos_F32Attr : FloatAttrBase<F32, "32-bit float attribute"> {
  let returnType = "float";
  let convertFromStorage = "static_cast<float>($_self.getValueAsDouble())";
  let constBuilderCall = "$_builder.getF32FloatAttr($0)";
}
// Lists are DenseI64ArrayAttr / DenseF32ArrayAttr / StrArrayAttr, tensors
// ElementsAttr, graphs regions, and element types (Cast's `to`) TypeAttr.

// A string attribute restricted to the values ONNX defines for it.
class Llmos_EnumStrAttr<list<string> cases> : StringBasedAttr<
    And<[StrAttrPred,
         Or<!foreach(c, cases,
             CPred<"::llvm::cast<::mlir::StringAttr>($_self).getValue() == \"" # c # "\"">)>]>,
    "string attribute, one of " # !interleave(!foreach(c, cases, "\"" # c # "\""), ", ")>;

def Llmos_AutoPadAttr : Llmos_EnumStrAttr<["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"]>;
def Llmos_ReductionAttr : Llmos_EnumStrAttr<["none", "add", "mul", "max", "min"]>;
def Llmos_LossReductionAttr : Llmos_EnumStrAttr<["none", "sum", "mean"]>;

//===----------------------------------------------------------------------===//
// Op base classes
//===----------------------------------------------------------------------===//

// Every llmos op implements one ONNX operator. `onnxVersions` lists the opset
// versions in which the operator's ONNX definition changed (its first entry is
// the version that introduced it); the importer picks the newest version not
// above the model's opset.
class Llmos_Op<string mnemonic, string onnx, list<int> versions,
               list<Trait> traits = []>
    : Op<Llmos_Dialect, mnemonic,
         !listconcat(traits, [DeclareOpInterfaceMethods<Llmos_ShapeInferenceOpInterface>])> {
  string onnxName = onnx;
  string onnxDomain = "";
  list<int> onnxVersions = versions;
  let summary = "ONNX " # onnx # " (opset" # !if(!gt(!size(versions), 1), "s ", " ")
                # !interleave(versions, ", ") # ")";
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

// Result i has the type of operand 0 (elementwise and normalization ops).
class Llmos_SameTypeOp<string mnemonic, string onnx, list<int> versions,
                       list<Trait> traits = []>
    : Llmos_Op<mnemonic, onnx, versions, !listconcat(traits, [Pure])> {
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::llmos::inferSameAsOperand(getOperation(), inferred);
    }
  }];
}

// Multidirectional (numpy) broadcasting of all operands; the result element
// type is the first operand's, or i1 for comparisons.
class Llmos_BroadcastOp<string mnemonic, string onnx, list<int> versions,
                        bit boolResult = 0, list<Trait> traits = []>
    : Llmos_Op<mnemonic, onnx, versions, !listconcat(traits, [Pure])> {
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::llmos::inferBroadcast(getOperation(), }] #
          !if(boolResult, "/*boolResult=*/true", "/*boolResult=*/false") # [{,
          inferred);
    }
  }];
}

// ReduceXxx(data, axes?) with keepdims / noop_with_empty_axes.
class Llmos_ReduceOp<string mnemonic, string onnx, list<int> versions,
                     Type tensorType>
    : Llmos_Op<mnemonic, onnx, versions, [Pure]> {
  let arguments = (ins tensorType:$data, Optional<Llmos_I64Tensor>:$axes,
                   DefaultValuedAttr<Llmos_I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<Llmos_I64Attr, "0">:$noop_with_empty_axes);
  let results = (outs tensorType:$reduced);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::llmos::inferReduce(getOperation(), getAxes(), getKeepdims(),
                                        getNoopWithEmptyAxes(), inferred);
    }
  }];
}

#endif // LLMOS_DIALECT_LLMOS_IR_LLMOSBASE_TD
