//===- RecordSignature.cpp - Record the model signature -------------------===//
//
// This file implements llmos-record-signature, which keeps the ONNX view of
// the entry function's inputs and outputs for the runtime description that
// llmos-emit-model-info builds after lowering.
//
//===----------------------------------------------------------------------===//

#include "llmos/Codegen/Passes.h"
#include "llmos/Dialect/Llmos/IR/LlmosTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_RECORDSIGNATUREPASS
#include "llmos/Codegen/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;

namespace {

/// The ONNX TensorProto data type code of an element type (0 if none).
int32_t onnxDataType(Type type) {
  if (isa<StringType>(type))
    return 8; // handles of string records (llmos_abi.h)
  if (type.isF32())
    return 1;
  if (type.isF64())
    return 11;
  if (type.isF16())
    return 10;
  if (type.isBF16())
    return 16;
  if (auto integer = dyn_cast<IntegerType>(type)) {
    bool isUnsigned = integer.isUnsigned();
    switch (integer.getWidth()) {
    case 1:
      return 9;
    case 8:
      return isUnsigned ? 2 : 3;
    case 16:
      return isUnsigned ? 4 : 5;
    case 32:
      return isUnsigned ? 12 : 6;
    case 64:
      return isUnsigned ? 13 : 7;
    default:
      return 0;
    }
  }
  return 0;
}

struct RecordSignaturePass
    : public llmos::impl::RecordSignaturePassBase<RecordSignaturePass> {
  using RecordSignaturePassBase::RecordSignaturePassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main) {
      module.emitError("has no entry function 'main' to compile");
      return signalPassFailure();
    }
    Builder b(&getContext());
    auto describe = [&](Type type, DictionaryAttr attrs, unsigned index,
                        bool isOutput) -> FailureOr<Attribute> {
      auto tensorType = dyn_cast<RankedTensorType>(type);
      StringAttr name = attrs ? attrs.getAs<StringAttr>("llmos.name")
                              : StringAttr();
      std::string fallback =
          (isOutput ? "output_" : "input_") + std::to_string(index);
      StringRef shownName = name ? name.getValue() : StringRef(fallback);
      if (!tensorType) {
        main.emitError() << (isOutput ? "output '" : "input '") << shownName
                         << "' of type " << type
                         << " is not a ranked tensor; only tensors can be "
                            "passed to and from a compiled model";
        return failure();
      }
      int32_t dtype = onnxDataType(tensorType.getElementType());
      if (!dtype) {
        main.emitError() << (isOutput ? "output '" : "input '") << shownName
                         << "' has element type "
                         << tensorType.getElementType()
                         << ", which a compiled model cannot take or return";
        return failure();
      }
      SmallVector<int64_t> dims;
      for (int64_t dim : tensorType.getShape())
        dims.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
      SmallVector<Attribute> dimNames;
      auto givenNames =
          attrs ? attrs.getAs<ArrayAttr>("llmos.dim_names") : ArrayAttr();
      for (int64_t d = 0; d < tensorType.getRank(); ++d) {
        StringAttr dimName;
        if (givenNames && d < (int64_t)givenNames.size())
          dimName = dyn_cast<StringAttr>(givenNames[d]);
        dimNames.push_back(dimName ? dimName : b.getStringAttr(""));
      }
      return Attribute(b.getDictionaryAttr({
          b.getNamedAttr("name", b.getStringAttr(shownName)),
          b.getNamedAttr("dtype", b.getI32IntegerAttr(dtype)),
          b.getNamedAttr("dims", b.getDenseI64ArrayAttr(dims)),
          b.getNamedAttr("dim_names", b.getArrayAttr(dimNames)),
      }));
    };
    SmallVector<Attribute> inputs, outputs;
    FunctionType type = main.getFunctionType();
    for (unsigned i = 0; i < type.getNumInputs(); ++i) {
      FailureOr<Attribute> entry =
          describe(type.getInput(i), main.getArgAttrDict(i), i, false);
      if (failed(entry))
        return signalPassFailure();
      inputs.push_back(*entry);
    }
    for (unsigned i = 0; i < type.getNumResults(); ++i) {
      FailureOr<Attribute> entry =
          describe(type.getResult(i), main.getResultAttrDict(i), i, true);
      if (failed(entry))
        return signalPassFailure();
      outputs.push_back(*entry);
    }
    module->setAttr("llmos.signature",
                    b.getDictionaryAttr({
                        b.getNamedAttr("name", b.getStringAttr(modelName)),
                        b.getNamedAttr("inputs", b.getArrayAttr(inputs)),
                        b.getNamedAttr("outputs", b.getArrayAttr(outputs)),
                    }));
  }
};

} // namespace
