//===- EmitModelInfo.cpp - The runtime entry point and model record -------===//
//
// This file implements llmos-emit-model-info: on the LLVM dialect, it wraps
// the lowered `main` in the `void entry(void **descriptors)` function of
// llmos_abi.h and describes the model in an `llmos_model_info` constant.
//
//===----------------------------------------------------------------------===//

#include "llmos/Codegen/Passes.h"
#include "llmos/Runtime/llmos_abi.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_EMITMODELINFOPASS
#include "llmos/Codegen/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;

namespace {

/// One input or output as recorded by llmos-record-signature.
struct ValueDesc {
  std::string name;
  int32_t dtype;
  SmallVector<int64_t> dims;
  SmallVector<std::string> dimNames;
  int32_t rank;           // of the tensor; -1 when not fixed
  std::string containers; // llmos_value_info::containers
  /// The rank of the memref the entry function passes: a handle (rank 0)
  /// for sequences and optionals.
  size_t descriptorRank() const {
    return containers.empty() ? dims.size() : 0;
  }
};

FailureOr<SmallVector<ValueDesc>> readValues(ArrayAttr list) {
  SmallVector<ValueDesc> values;
  if (!list)
    return failure();
  for (Attribute entry : list) {
    auto dict = dyn_cast<DictionaryAttr>(entry);
    if (!dict)
      return failure();
    auto name = dict.getAs<StringAttr>("name");
    auto dtype = dict.getAs<IntegerAttr>("dtype");
    auto dims = dict.getAs<DenseI64ArrayAttr>("dims");
    auto dimNames = dict.getAs<ArrayAttr>("dim_names");
    auto rank = dict.getAs<IntegerAttr>("rank");
    auto containers = dict.getAs<StringAttr>("containers");
    if (!name || !dtype || !dims || !dimNames || !rank || !containers)
      return failure();
    ValueDesc value{name.str(), (int32_t)dtype.getInt(),
                    SmallVector<int64_t>(dims.asArrayRef()), {},
                    (int32_t)rank.getInt(), containers.str()};
    for (Attribute dimName : dimNames)
      value.dimNames.push_back(cast<StringAttr>(dimName).str());
    values.push_back(std::move(value));
  }
  return values;
}

class InfoBuilder {
public:
  InfoBuilder(ModuleOp module, StringRef symbol)
      : module(module), b(module.getContext()), loc(module.getLoc()),
        symbol(symbol.str()) {
    MLIRContext *context = module.getContext();
    ptrType = LLVM::LLVMPointerType::get(context);
    i32 = IntegerType::get(context, 32);
    i64 = IntegerType::get(context, 64);
    b.setInsertionPointToEnd(module.getBody());
  }

  /// A private constant global holding `text` with a terminating zero.
  LLVM::GlobalOp stringGlobal(StringRef text) {
    std::string value = text.str();
    value.push_back('\0');
    auto type = LLVM::LLVMArrayType::get(IntegerType::get(b.getContext(), 8),
                                         value.size());
    return LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true,
                                  LLVM::Linkage::Private, freshName("str"),
                                  b.getStringAttr(value));
  }

  /// A private constant global whose value `build` computes in its
  /// initializer region.
  LLVM::GlobalOp regionGlobal(Type type, StringRef kind,
                              function_ref<Value(OpBuilder &)> build) {
    auto global = LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true,
                                         LLVM::Linkage::Private,
                                         freshName(kind), Attribute());
    OpBuilder::InsertionGuard guard(b);
    Block *block = b.createBlock(&global.getInitializerRegion());
    b.setInsertionPointToStart(block);
    LLVM::ReturnOp::create(b, loc, build(b));
    return global;
  }

  Value addressOf(OpBuilder &builder, LLVM::GlobalOp global) {
    return LLVM::AddressOfOp::create(builder, loc, global);
  }

  Value nullPtr(OpBuilder &builder) {
    return LLVM::ZeroOp::create(builder, loc, ptrType);
  }

  /// The llmos_value_info array of `values` (null when empty).
  LLVM::GlobalOp valueInfos(ArrayRef<ValueDesc> values, StringRef kind) {
    auto infoType = LLVM::LLVMStructType::getLiteral(
        b.getContext(), {ptrType, i32, i32, ptrType, ptrType, ptrType});
    SmallVector<LLVM::GlobalOp> names, dims, dimNames, containers;
    for (const ValueDesc &value : values) {
      names.push_back(stringGlobal(value.name));
      containers.push_back(stringGlobal(value.containers));
      auto dimsType = LLVM::LLVMArrayType::get(i64, std::max<size_t>(
                                                        value.dims.size(), 1));
      SmallVector<int64_t> dimValues(value.dims);
      if (dimValues.empty())
        dimValues.push_back(0);
      dims.push_back(LLVM::GlobalOp::create(
          b, loc, dimsType, true, LLVM::Linkage::Private, freshName("dims"),
          b.getI64TensorAttr(dimValues)));
      SmallVector<LLVM::GlobalOp> dimNameStrings;
      for (const std::string &dimName : value.dimNames)
        dimNameStrings.push_back(stringGlobal(dimName));
      auto namesType = LLVM::LLVMArrayType::get(
          ptrType, std::max<size_t>(dimNameStrings.size(), 1));
      dimNames.push_back(
          regionGlobal(namesType, "dim_names", [&](OpBuilder &builder) -> Value {
            Value array = LLVM::UndefOp::create(builder, loc, namesType);
            if (dimNameStrings.empty())
              return LLVM::InsertValueOp::create(builder, loc, array,
                                                 nullPtr(builder),
                                                 ArrayRef<int64_t>{0})
                  .getResult();
            for (auto [i, string] : llvm::enumerate(dimNameStrings))
              array = LLVM::InsertValueOp::create(
                  builder, loc, array, addressOf(builder, string),
                  ArrayRef<int64_t>{(int64_t)i});
            return array;
          }));
    }
    auto arrayType =
        LLVM::LLVMArrayType::get(infoType, std::max<size_t>(values.size(), 1));
    return regionGlobal(arrayType, kind, [&](OpBuilder &builder) {
      Value array = LLVM::ZeroOp::create(builder, loc, arrayType);
      for (auto [i, value] : llvm::enumerate(values)) {
        Value info = LLVM::UndefOp::create(builder, loc, infoType);
        auto set = [&](Value field, int64_t position) {
          info = LLVM::InsertValueOp::create(builder, loc, info, field,
                                             ArrayRef<int64_t>{position});
        };
        set(addressOf(builder, names[i]), 0);
        set(LLVM::ConstantOp::create(builder, loc, i32, value.dtype), 1);
        set(LLVM::ConstantOp::create(builder, loc, i32, value.rank), 2);
        set(addressOf(builder, dims[i]), 3);
        set(addressOf(builder, dimNames[i]), 4);
        set(addressOf(builder, containers[i]), 5);
        array = LLVM::InsertValueOp::create(
            builder, loc, array, info, ArrayRef<int64_t>{(int64_t)i});
      }
      return array;
    });
  }

  /// The memref descriptor struct of a value of `rank`.
  Type descriptorType(size_t rank) {
    SmallVector<Type> fields{ptrType, ptrType, i64};
    if (rank > 0) {
      fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
      fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
    }
    return LLVM::LLVMStructType::getLiteral(b.getContext(), fields);
  }

  /// `void <symbol>_entry(void **descriptors)` calling `main`.
  FailureOr<LLVM::LLVMFuncOp> entryFunction(LLVM::LLVMFuncOp main,
                                            ArrayRef<ValueDesc> inputs,
                                            ArrayRef<ValueDesc> outputs) {
    auto type = LLVM::LLVMFunctionType::get(
        LLVM::LLVMVoidType::get(b.getContext()), {ptrType});
    auto entry = LLVM::LLVMFuncOp::create(b, loc, symbol + "_entry", type,
                                          LLVM::Linkage::Internal);
    OpBuilder::InsertionGuard guard(b);
    Block *block = entry.addEntryBlock(b);
    b.setInsertionPointToStart(block);
    Value descriptors = block->getArgument(0);
    auto slot = [&](size_t index) {
      Value address = LLVM::GEPOp::create(
          b, loc, ptrType, ptrType, descriptors,
          ArrayRef<LLVM::GEPArg>{(int32_t)index});
      return LLVM::LoadOp::create(b, loc, ptrType, address).getResult();
    };
    SmallVector<Value> arguments;
    for (auto [i, input] : llvm::enumerate(inputs)) {
      size_t rank = input.descriptorRank();
      Value descriptor =
          LLVM::LoadOp::create(b, loc, descriptorType(rank), slot(i));
      for (int64_t field = 0; field < 3; ++field)
        arguments.push_back(
            LLVM::ExtractValueOp::create(b, loc, descriptor,
                                         ArrayRef<int64_t>{field}));
      for (int64_t field = 3; field < 5 && rank > 0; ++field)
        for (size_t d = 0; d < rank; ++d)
          arguments.push_back(LLVM::ExtractValueOp::create(
              b, loc, descriptor, ArrayRef<int64_t>{field, (int64_t)d}));
    }
    LLVM::LLVMFunctionType mainType = main.getFunctionType();
    if (mainType.getNumParams() != arguments.size())
      return main.emitError("lowered entry function takes ")
             << mainType.getNumParams() << " arguments where the signature "
             << "gives " << arguments.size();
    auto call = LLVM::CallOp::create(b, loc, main, arguments);
    for (auto [j, output] : llvm::enumerate(outputs)) {
      Value descriptor = call.getResult();
      if (outputs.size() > 1)
        descriptor = LLVM::ExtractValueOp::create(
            b, loc, descriptor, ArrayRef<int64_t>{(int64_t)j});
      LLVM::StoreOp::create(b, loc, descriptor, slot(inputs.size() + j));
    }
    LLVM::ReturnOp::create(b, loc, ValueRange());
    return entry;
  }

  /// `const llmos_model_info *name(void)` returning `info`.
  void getter(StringRef name, LLVM::GlobalOp info) {
    auto type = LLVM::LLVMFunctionType::get(ptrType, {});
    auto function = LLVM::LLVMFuncOp::create(b, loc, name, type);
    OpBuilder::InsertionGuard guard(b);
    Block *block = function.addEntryBlock(b);
    b.setInsertionPointToStart(block);
    LLVM::ReturnOp::create(b, loc, addressOf(b, info));
  }

  std::string freshName(StringRef kind) {
    return symbol + "__" + kind.str() + "_" + std::to_string(counter++);
  }

  ModuleOp module;
  OpBuilder b;
  Location loc;
  std::string symbol;
  Type ptrType, i32, i64;
  unsigned counter = 0;
};

struct EmitModelInfoPass
    : public llmos::impl::EmitModelInfoPassBase<EmitModelInfoPass> {
  using EmitModelInfoPassBase::EmitModelInfoPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto signature = module->getAttrOfType<DictionaryAttr>("llmos.signature");
    auto main = module.lookupSymbol<LLVM::LLVMFuncOp>("main");
    if (!signature || !main) {
      module.emitError("needs the llmos.signature attribute and a lowered "
                       "'main' (run llmos-record-signature before lowering)");
      return signalPassFailure();
    }
    auto nameAttr = signature.getAs<StringAttr>("name");
    FailureOr<SmallVector<ValueDesc>> inputs =
        readValues(signature.getAs<ArrayAttr>("inputs"));
    FailureOr<SmallVector<ValueDesc>> outputs =
        readValues(signature.getAs<ArrayAttr>("outputs"));
    if (!nameAttr || failed(inputs) || failed(outputs)) {
      module.emitError("has a malformed llmos.signature attribute");
      return signalPassFailure();
    }
    // The ONNX names live in the model record now, not on `main`.
    main.setArgAttrsAttr(nullptr);
    main.setResAttrsAttr(nullptr);
    // Everything the module defines is internal except what we export.
    for (auto function : module.getOps<LLVM::LLVMFuncOp>())
      if (!function.isExternal())
        function.setLinkage(LLVM::Linkage::Internal);

    InfoBuilder builder(module, symbol);
    FailureOr<LLVM::LLVMFuncOp> entry =
        builder.entryFunction(main, *inputs, *outputs);
    if (failed(entry))
      return signalPassFailure();
    LLVM::GlobalOp modelName = builder.stringGlobal(nameAttr.getValue());
    LLVM::GlobalOp inputInfos = builder.valueInfos(*inputs, "inputs");
    LLVM::GlobalOp outputInfos = builder.valueInfos(*outputs, "outputs");
    MLIRContext *context = module.getContext();
    Type ptr = builder.ptrType, i32 = builder.i32;
    auto infoType = LLVM::LLVMStructType::getLiteral(
        context, {i32, ptr, i32, i32, ptr, ptr, ptr, ptr});
    LLVM::GlobalOp info =
        builder.regionGlobal(infoType, "info", [&](OpBuilder &b) {
          Location loc = module.getLoc();
          Value record = LLVM::UndefOp::create(b, loc, infoType);
          auto set = [&](Value field, int64_t position) {
            record = LLVM::InsertValueOp::create(b, loc, record, field,
                                                 ArrayRef<int64_t>{position});
          };
          set(LLVM::ConstantOp::create(b, loc, i32, LLMOS_ABI_VERSION), 0);
          set(builder.addressOf(b, modelName), 1);
          set(LLVM::ConstantOp::create(b, loc, i32, (int32_t)inputs->size()),
              2);
          set(LLVM::ConstantOp::create(b, loc, i32, (int32_t)outputs->size()),
              3);
          set(builder.addressOf(b, inputInfos), 4);
          set(builder.addressOf(b, outputInfos), 5);
          set(LLVM::AddressOfOp::create(b, loc, ptr, entry->getSymName()), 6);
          // Weights: embedded; the emitter points this at the weights
          // description when they go to a file.
          set(LLVM::ZeroOp::create(b, loc, ptr), 7);
          return record;
        });
    // The emitter finds the record by this name.
    info.setSymName(symbol + "_model_info");
    builder.getter(symbol + "_info", info);
    if (exportGet)
      builder.getter("llmos_model_info_get", info);
    module->removeAttr("llmos.signature");
  }
};

} // namespace
