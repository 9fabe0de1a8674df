//===- ObjectEmitter.cpp - LLVM IR and object files in-process ------------===//
//
// This file translates the LLVM dialect to LLVM IR, optimizes it with LLVM's
// default pipeline for the target machine and writes object files and
// static libraries.
//
//===----------------------------------------------------------------------===//

#include "llmos/Codegen/Emit.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/ReplaceConstant.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/Instrumentation/AddressSanitizer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::llmos;

int64_t mlir::llmos::vectorRegisterBits(const llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  if (info->checkFeatures("+avx512f"))
    return 512;
  if (info->checkFeatures("+avx"))
    return 256;
  return 128;
}

FailureOr<std::unique_ptr<llvm::TargetMachine>>
mlir::llmos::createTargetMachine(const TargetOptions &options,
                                 std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return failure();
  std::string cpu = options.cpu;
  std::string features;
  if (cpu == "native" || cpu.empty()) {
    cpu = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features += (feature.second ? "+" : "-") + feature.first().str() + ",";
  } else if (!std::unique_ptr<llvm::MCSubtargetInfo>(
                  target->createMCSubtargetInfo(triple, cpu, ""))
                  ->isCPUStringValid(cpu)) {
    error = "unknown CPU '" + cpu + "' (try native, x86-64-v2, x86-64-v3, "
            "x86-64-v4, skylake-avx512, sapphirerapids, znver4)";
    return failure();
  }
  features += options.features;
  llvm::CodeGenOptLevel level = options.optLevel == 0
                                    ? llvm::CodeGenOptLevel::None
                                : options.optLevel == 1
                                    ? llvm::CodeGenOptLevel::Less
                                : options.optLevel == 2
                                    ? llvm::CodeGenOptLevel::Default
                                    : llvm::CodeGenOptLevel::Aggressive;
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_, std::nullopt,
      level));
  if (!machine) {
    error = "cannot create a target machine for " + triple.str();
    return failure();
  }
  return machine;
}

namespace {

/// A constant global whose data is attached after translation.
struct DeferredConstant {
  std::string name;
  ArrayRef<char> data;
  LLVM::Linkage linkage;
};

/// The raw little-endian bytes of a weight attribute, when they can be used
/// as they are (byte-sized elements, not a splat).
std::optional<ArrayRef<char>> rawWeightBytes(Attribute value) {
  auto elements = dyn_cast_or_null<ElementsAttr>(value);
  if (!elements)
    return std::nullopt;
  Type element = elements.getShapedType().getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
    return std::nullopt;
  ArrayRef<char> data;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    data = blob->getData();
  } else if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat())
      return std::nullopt;
    data = dense.getRawData();
  } else {
    return std::nullopt;
  }
  size_t expected = elements.getNumElements() *
                    (element.getIntOrFloatBitWidth() / 8);
  if (data.size() != expected || data.size() < 1024)
    return std::nullopt;
  return data;
}

/// Takes the data of large constant globals out of the module before
/// translation: MLIR's translation builds an LLVM constant element by
/// element (resnet50: 18 s and 4 GB), where a ConstantDataArray over the
/// raw bytes costs one copy. The globals become declarations until
/// attachDeferredConstants gives them their data back.
SmallVector<DeferredConstant> deferLargeConstants(ModuleOp module) {
  SmallVector<DeferredConstant> deferred;
  module.walk([&](LLVM::GlobalOp global) {
    if (!global.getConstant())
      return;
    std::optional<ArrayRef<char>> data =
        rawWeightBytes(global.getValueOrNull());
    if (!data)
      return;
    deferred.push_back(
        {global.getSymName().str(), *data, global.getLinkage()});
    global.removeValueAttr();
    global.setLinkage(LLVM::Linkage::External);
  });
  return deferred;
}

/// Gives each deferred global a flat array initializer over its bytes.
LogicalResult attachDeferredConstants(llvm::Module &module,
                                      ArrayRef<DeferredConstant> deferred) {
  for (const DeferredConstant &constant : deferred) {
    llvm::GlobalVariable *old = module.getGlobalVariable(constant.name, true);
    if (!old)
      return failure();
    llvm::Type *element = old->getValueType();
    while (auto *array = dyn_cast<llvm::ArrayType>(element))
      element = array->getElementType();
    uint64_t bytes = module.getDataLayout().getTypeAllocSize(element);
    if (!bytes || constant.data.size() % bytes)
      return failure();
    llvm::Constant *init = llvm::ConstantDataArray::getRaw(
        StringRef(constant.data.data(), constant.data.size()),
        constant.data.size() / bytes, element);
    auto *global = new llvm::GlobalVariable(
        module, init->getType(), /*isConstant=*/true,
        constant.linkage == LLVM::Linkage::Private
            ? llvm::GlobalValue::PrivateLinkage
            : llvm::GlobalValue::InternalLinkage,
        init, "", old);
    global->setAlignment(old->getAlign().value_or(llvm::Align(64)));
    global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    global->takeName(old);
    old->replaceAllUsesWith(global);
    old->eraseFromParent();
  }
  return success();
}

/// FNV-1a over the weights: the id that ties a weights file to the code
/// compiled with it.
uint64_t hashWeights(ArrayRef<DeferredConstant> deferred) {
  uint64_t hash = 1469598103934665603ull;
  auto mix = [&](const char *data, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      hash ^= static_cast<unsigned char>(data[i]);
      hash *= 1099511628211ull;
    }
  };
  for (const DeferredConstant &constant : deferred) {
    uint64_t size = constant.data.size();
    mix(reinterpret_cast<const char *>(&size), sizeof(size));
    mix(constant.data.data(), constant.data.size());
  }
  return hash;
}

/// Writes the deferred constants to a weights file (llmos_abi.h describes
/// the format) and makes the code read them at the runtime's mapping:
/// every use of a constant's address becomes base + offset, with base
/// loaded from the weights description the model record points at.
LogicalResult externalizeWeights(llvm::Module &module,
                                 ArrayRef<DeferredConstant> deferred,
                                 const ExternalWeights &weights,
                                 std::string &error) {
  constexpr uint64_t kHeader = 64, kAlign = 64;
  SmallVector<uint64_t> offsets;
  uint64_t size = kHeader;
  for (const DeferredConstant &constant : deferred) {
    offsets.push_back(size);
    size = llvm::alignTo(size + constant.data.size(), kAlign);
  }
  uint64_t id = hashWeights(deferred);
  std::error_code ec;
  llvm::raw_fd_ostream out(weights.path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    error = "cannot write '" + weights.path + "': " + ec.message();
    return failure();
  }
  char header[kHeader] = {'L', 'L', 'M', 'O', 'S', 'W', 'T', '1'};
  for (int i = 0; i < 8; ++i) {
    header[8 + i] = static_cast<char>((size >> (8 * i)) & 0xff);
    header[16 + i] = static_cast<char>((id >> (8 * i)) & 0xff);
  }
  out.write(header, kHeader);
  uint64_t written = kHeader;
  for (auto [constant, offset] : llvm::zip(deferred, offsets)) {
    out.write_zeros(offset - written);
    out.write(constant.data.data(), constant.data.size());
    written = offset + constant.data.size();
  }
  out.write_zeros(size - written);
  out.close();
  if (out.has_error()) {
    error = "cannot write '" + weights.path + "'";
    out.clear_error();
    return failure();
  }

  llvm::LLVMContext &context = module.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(context);
  llvm::Type *i64 = llvm::Type::getInt64Ty(context);
  llvm::Type *i8 = llvm::Type::getInt8Ty(context);
  auto *descType = llvm::StructType::get(context, {ptr, i64, i64, ptr});
  llvm::Constant *fileName = llvm::ConstantDataArray::getString(
      context, weights.fileName);
  auto *fileNameGlobal = new llvm::GlobalVariable(
      module, fileName->getType(), true, llvm::GlobalValue::PrivateLinkage,
      fileName, "llmos_weights_file");
  auto *desc = new llvm::GlobalVariable(
      module, descType, /*isConstant=*/false,
      llvm::GlobalValue::InternalLinkage,
      llvm::ConstantStruct::get(
          descType, {fileNameGlobal, llvm::ConstantInt::get(i64, size),
                     llvm::ConstantInt::get(i64, id),
                     llvm::ConstantPointerNull::get(
                         llvm::PointerType::getUnqual(context))}),
      "llmos_weights");
  for (auto [constant, offset] : llvm::zip(deferred, offsets)) {
    llvm::GlobalVariable *global =
        module.getGlobalVariable(constant.name, true);
    if (!global)
      return failure();
    llvm::convertUsersOfConstantsToInstructions({global});
    for (llvm::Use &use : llvm::make_early_inc_range(global->uses())) {
      auto *user = dyn_cast<llvm::Instruction>(use.getUser());
      if (!user) {
        error = "a weight is used outside of code";
        return failure();
      }
      llvm::Instruction *at = user;
      if (auto *phi = dyn_cast<llvm::PHINode>(user))
        at = phi->getIncomingBlock(use)->getTerminator();
      llvm::IRBuilder<> b(at);
      llvm::Value *baseSlot = b.CreateStructGEP(descType, desc, 3);
      llvm::Value *base = b.CreateLoad(ptr, baseSlot, "weights");
      use.set(b.CreateInBoundsGEP(i8, base, b.getInt64(offset)));
    }
    global->eraseFromParent();
  }
  // The model record points at the description.
  llvm::GlobalVariable *info =
      module.getGlobalVariable(weights.infoGlobal, true);
  auto *record = info ? dyn_cast_or_null<llvm::ConstantStruct>(
                            info->getInitializer())
                      : nullptr;
  if (!record || record->getNumOperands() != 8) {
    error = "the model record '" + weights.infoGlobal + "' is missing";
    return failure();
  }
  SmallVector<llvm::Constant *> fields;
  for (unsigned i = 0; i < record->getNumOperands(); ++i)
    fields.push_back(record->getOperand(i));
  fields[7] = desc;
  info->setInitializer(llvm::ConstantStruct::get(record->getType(), fields));
  return success();
}

} // namespace

FailureOr<std::unique_ptr<llvm::Module>>
mlir::llmos::translateAndOptimize(ModuleOp module, llvm::LLVMContext &context,
                                  llvm::TargetMachine &machine,
                                  unsigned optLevel,
                                  const ExternalWeights *weights,
                                  bool sanitizeAddress, std::string &error) {
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  module->getContext()->appendDialectRegistry(registry);
  SmallVector<DeferredConstant> deferred = deferLargeConstants(module);
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "llmos_model");
  if (!llvmModule) {
    error = "cannot translate the model to LLVM IR";
    return failure();
  }
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  if (weights) {
    if (failed(externalizeWeights(*llvmModule, deferred, *weights, error)))
      return failure();
  } else if (failed(attachDeferredConstants(*llvmModule, deferred))) {
    error = "cannot attach the weights to their globals";
    return failure();
  }
  // Every function may use the target's features (vector width).
  for (llvm::Function &function : *llvmModule) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", machine.getTargetCPU());
    if (!machine.getTargetFeatureString().empty())
      function.addFnAttr("target-features", machine.getTargetFeatureString());
    if (sanitizeAddress)
      function.addFnAttr(llvm::Attribute::SanitizeAddress);
  }
  if (optLevel == 0 && !sanitizeAddress)
    return llvmModule;

  llvm::LoopAnalysisManager loopAnalyses;
  llvm::FunctionAnalysisManager functionAnalyses;
  llvm::CGSCCAnalysisManager cgsccAnalyses;
  llvm::ModuleAnalysisManager moduleAnalyses;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(moduleAnalyses);
  builder.registerCGSCCAnalyses(cgsccAnalyses);
  builder.registerFunctionAnalyses(functionAnalyses);
  builder.registerLoopAnalyses(loopAnalyses);
  builder.crossRegisterProxies(loopAnalyses, functionAnalyses, cgsccAnalyses,
                               moduleAnalyses);
  // AddressSanitizer instruments the optimized code (as clang does), or the
  // code as generated at -O0.
  if (sanitizeAddress)
    builder.registerOptimizerLastEPCallback(
        [](llvm::ModulePassManager &passes, llvm::OptimizationLevel,
           llvm::ThinOrFullLTOPhase) {
          passes.addPass(llvm::AddressSanitizerPass(
              llvm::AddressSanitizerOptions{}));
        });
  llvm::OptimizationLevel level = optLevel == 0   ? llvm::OptimizationLevel::O0
                                  : optLevel == 1 ? llvm::OptimizationLevel::O1
                                  : optLevel == 2 ? llvm::OptimizationLevel::O2
                                                  : llvm::OptimizationLevel::O3;
  llvm::ModulePassManager passes =
      optLevel == 0 ? builder.buildO0DefaultPipeline(level)
                    : builder.buildPerModuleDefaultPipeline(level);
  passes.run(*llvmModule, moduleAnalyses);
  return llvmModule;
}

LogicalResult mlir::llmos::writeObjectFile(llvm::Module &module,
                                           llvm::TargetMachine &machine,
                                           StringRef path,
                                           std::string &error) {
  std::error_code ec;
  llvm::ToolOutputFile output(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    error = "cannot write '" + path.str() + "': " + ec.message();
    return failure();
  }
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, output.os(), nullptr,
                                  llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit object files";
    return failure();
  }
  passes.run(module);
  output.os().flush();
  if (output.os().has_error()) {
    error = "cannot write '" + path.str() + "'";
    return failure();
  }
  output.keep();
  return success();
}

LogicalResult mlir::llmos::writeStaticLibrary(StringRef objectPath,
                                              StringRef path,
                                              std::string &error) {
  llvm::Expected<llvm::NewArchiveMember> member =
      llvm::NewArchiveMember::getFile(objectPath, /*Deterministic=*/true);
  if (!member) {
    error = llvm::toString(member.takeError());
    return failure();
  }
  llvm::SmallVector<llvm::NewArchiveMember> members;
  members.push_back(std::move(*member));
  llvm::sys::fs::remove(path);
  if (llvm::Error err = llvm::writeArchive(
          path, members, llvm::SymtabWritingMode::NormalSymtab,
          llvm::object::Archive::K_GNU, /*Deterministic=*/true,
          /*Thin=*/false)) {
    error = llvm::toString(std::move(err));
    return failure();
  }
  return success();
}
