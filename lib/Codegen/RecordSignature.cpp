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
      // Sequences and optionals around the tensor, from the outside in.
      std::string containers;
      while (true) {
        if (auto sequence = dyn_cast<SequenceType>(type)) {
          containers += 's';
          type = sequence.getElementType();
        } else if (auto optional = dyn_cast<OptionalType>(type)) {
          containers += 'o';
          type = optional.getValueType();
        } else {
          break;
        }
      }
      auto tensorType = dyn_cast<TensorType>(type);
      StringAttr name = attrs ? attrs.getAs<StringAttr>("llmos.name")
                              : StringAttr();
      std::string fallback =
          (isOutput ? "output_" : "input_") + std::to_string(index);
      StringRef shownName = name ? name.getValue() : StringRef(fallback);
      bool supported = tensorType && (tensorType.hasRank() ||
                                      !containers.empty());
      if (containers.find('s') != containers.rfind('s') ||
          containers.find('o') != containers.rfind('o') ||
          StringRef(containers).starts_with("so"))
        supported = false;
      if (!supported) {
        main.emitError() << (isOutput ? "output '" : "input '") << shownName
                         << "' of type " << type
                         << " cannot be passed to and from a compiled model "
                            "(ranked tensors, sequences of tensors and "
                            "optionals of either can)";
        return failure();
      }
      int32_t dtype = getOnnxDataType(tensorType.getElementType());
      if (!dtype) {
        main.emitError() << (isOutput ? "output '" : "input '") << shownName
                         << "' has element type "
                         << tensorType.getElementType()
                         << ", which a compiled model cannot take or return";
        return failure();
      }
      SmallVector<int64_t> dims;
      int64_t rank = tensorType.hasRank() ? tensorType.getRank() : -1;
      for (int64_t d = 0; d < rank; ++d)
        dims.push_back(tensorType.isDynamicDim(d) ? -1
                                                  : tensorType.getDimSize(d));
      SmallVector<Attribute> dimNames;
      auto givenNames =
          attrs ? attrs.getAs<ArrayAttr>("llmos.dim_names") : ArrayAttr();
      for (int64_t d = 0; d < rank; ++d) {
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
          b.getNamedAttr("rank", b.getI32IntegerAttr(rank)),
          b.getNamedAttr("containers", b.getStringAttr(containers)),
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
