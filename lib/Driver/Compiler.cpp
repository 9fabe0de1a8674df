//===- Compiler.cpp - The llmos compile driver ----------------------------===//
//
// This file runs the phases import -> graph -> tensor -> codegen -> emit on
// one model and writes the requested artifact.
//
//===----------------------------------------------------------------------===//

#include "llmos/Driver/Compiler.h"

#include "llmos/Codegen/Passes.h"
#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"
#include "llmos/Support/ModelSummary.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/FileUtilities.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
using namespace mlir::llmos;

std::string mlir::llmos::sanitizeSymbol(llvm::StringRef name) {
  std::string symbol;
  for (char c : name)
    symbol.push_back(llvm::isAlnum(c) ? c : '_');
  if (symbol.empty() || llvm::isDigit(symbol[0]))
    symbol.insert(0, "m_");
  return symbol;
}

void mlir::llmos::registerCompilerDialects(DialectRegistry &registry) {
  registry.insert<LlmosDialect, func::FuncDialect, affine::AffineDialect,
                  arith::ArithDialect, bufferization::BufferizationDialect,
                  cf::ControlFlowDialect, index::IndexDialect,
                  linalg::LinalgDialect, LLVM::LLVMDialect, math::MathDialect,
                  memref::MemRefDialect, scf::SCFDialect,
                  tensor::TensorDialect, vector::VectorDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  // Tiling of linalg ops (llmos-vectorize-contractions).
  linalg::registerTilingInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

namespace {

using Clock = std::chrono::steady_clock;

class CompileRun {
public:
  CompileRun(MLIRContext &context, const CompileOptions &options,
             StringRef toolName)
      : context(context), options(options), toolName(toolName.str()) {}

  LogicalResult run();

private:
  LogicalResult error(const Twine &message) {
    llvm::errs() << toolName << ": error: " << message << "\n";
    return failure();
  }

  void phaseDone(StringRef phase, Clock::time_point start) {
    if (!options.verbose)
      return;
    double seconds =
        std::chrono::duration<double>(Clock::now() - start).count();
    llvm::errs() << toolName << ": " << phase << " done in "
                 << llvm::format("%.3f", seconds) << " s\n";
  }

  LogicalResult runPipeline(ModuleOp module, StringRef phase,
                            function_ref<void(OpPassManager &)> build,
                            bool report = false, bool onlyPruning = false) {
    Clock::time_point start = Clock::now();
    // The report needs one pass instance per pipeline position.
    bool threaded = context.isMultithreadingEnabled();
    if (report)
      context.disableMultithreading();
    llvm::scope_exit restore([&] {
      if (report && threaded)
        context.enableMultithreading();
    });
    PassManager pm(&context);
    if (options.configurePassManager &&
        failed(options.configurePassManager(pm)))
      return failure();
    build(pm);
    PassReportInstrumentation *reporter = nullptr;
    if (report) {
      auto instrumentation = std::make_unique<PassReportInstrumentation>();
      reporter = instrumentation.get();
      pm.addInstrumentation(std::move(instrumentation));
    }
    std::optional<TimingScope> scope;
    if (options.timing) {
      scope = options.timing->nest(phase);
      pm.enableTiming(*scope);
    }
    if (failed(pm.run(module)))
      return failure();
    if (reporter && onlyPruning)
      reporter->print(llvm::errs(), toolName + ": pruning report",
                      "llmos-prune-");
    else if (reporter)
      reporter->print(llvm::errs(),
                      (toolName + ": pass statistics of the " + phase +
                       " phase (-O" + Twine(options.optLevel) + ")")
                          .str());
    phaseDone(phase, start);
    return success();
  }

  LogicalResult writeText(function_ref<void(raw_ostream &)> write) {
    std::string message;
    std::unique_ptr<llvm::ToolOutputFile> output =
        openOutputFile(options.outputFile, &message);
    if (!output)
      return error(message);
    write(output->os());
    output->keep();
    return success();
  }

  /// The symbol prefix: given, or from the output file's stem.
  std::string symbol() const {
    if (!options.symbol.empty())
      return sanitizeSymbol(options.symbol);
    StringRef stem = llvm::sys::path::stem(options.outputFile);
    if (stem.empty() || stem == "-")
      stem = llvm::sys::path::stem(options.inputFile);
    return sanitizeSymbol(stem);
  }

  LogicalResult emitArtifact(ModuleOp module, const CodegenOptions &codegen);
  /// The --external-weights file: the output with the extension .weights.
  std::string weightsPath() const {
    SmallString<128> path(options.outputFile);
    llvm::sys::path::replace_extension(path, "weights");
    return path.str().str();
  }

  MLIRContext &context;
  const CompileOptions &options;
  std::string toolName;
};

LogicalResult CompileRun::run() {
  bool binary = options.emit != EmitKind::Mlir && options.emit != EmitKind::LLVM;
  if (binary && options.outputFile == "-")
    return error("binary output needs an output file (-o FILE)");
  if (options.externalWeights &&
      (options.emit == EmitKind::Mlir || options.outputFile == "-"))
    return error("--external-weights needs an LLVM IR, object, library or "
                 "executable output file (-o FILE)");

  Clock::time_point start = Clock::now();
  OwningOpRef<ModuleOp> module;
  {
    std::optional<TimingScope> scope;
    if (options.timing)
      scope = options.timing->nest("import");
    module = importOnnxFile(&context, options.inputFile, options.import);
  }
  if (!module)
    return failure();
  phaseDone("import", start);

  Phase last = options.emit == EmitKind::Mlir ? options.compileTo
                                              : Phase::Emit;
  GraphOptions graph;
  graph.optLevel = options.optLevel;
  graph.channelFraction = options.pruneChannels;
  graph.weightSparsity = options.pruneWeights;
  graph.globalSparsity = options.pruneGlobal;
  if (last >= Phase::Graph &&
      failed(runPipeline(
          *module, "graph",
          [&](OpPassManager &pm) { buildGraphPipeline(pm, graph); },
          options.passStats || graph.pruning(),
          /*onlyPruning=*/!options.passStats)))
    return failure();

  CodegenOptions codegen;
  codegen.optLevel = options.optLevel;
  codegen.microkernels = options.microkernels;
  codegen.parallel = options.parallel;
  codegen.memoryPlan = options.memoryPlan;
  codegen.vectorizeLoops = options.vectorizeLoops;
  codegen.reportMemoryPlan = options.verbose;
  if (last >= Phase::Codegen) {
    // Generated vector code uses the target CPU's register width.
    TargetOptions target;
    target.cpu = options.cpu;
    std::string message;
    FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
        createTargetMachine(target, message);
    if (failed(machine))
      return error(message);
    codegen.vectorBits = vectorRegisterBits(**machine);
  }
  codegen.symbol = symbol();
  codegen.modelName = options.modelName.empty()
                          ? llvm::sys::path::stem(options.inputFile).str()
                          : options.modelName;
  codegen.exportGet = options.emit == EmitKind::SharedLibrary ||
                      options.emit == EmitKind::Executable;
  if (last >= Phase::Tensor &&
      failed(runPipeline(*module, "tensor", [&](OpPassManager &pm) {
        buildTensorPipeline(pm, codegen);
      })))
    return failure();

  // The header comes from the signature, which codegen consumes.
  std::string header;
  if (last >= Phase::Emit && options.writeHeader &&
      (options.emit == EmitKind::Object ||
       options.emit == EmitKind::StaticLibrary ||
       options.emit == EmitKind::SharedLibrary)) {
    llvm::raw_string_ostream os(header);
    std::string weightsFile =
        options.externalWeights
            ? llvm::sys::path::filename(weightsPath()).str()
            : std::string();
    if (failed(writeModelHeader(*module, codegen.symbol, options.inputFile,
                                weightsFile, os)))
      return failure();
  }

  if (last >= Phase::Codegen &&
      failed(runPipeline(*module, "codegen", [&](OpPassManager &pm) {
        buildCodegenPipeline(pm, codegen);
      })))
    return failure();

  if (options.emit == EmitKind::Mlir) {
    return writeText([&](raw_ostream &os) {
      if (options.summary) {
        printModelSummary(*module, os);
        return;
      }
      module->print(os);
      os << "\n";
    });
  }
  if (failed(emitArtifact(*module, codegen)))
    return failure();
  if (!header.empty()) {
    SmallString<256> headerPath(options.outputFile);
    llvm::sys::path::replace_extension(headerPath, "h");
    std::string message;
    std::unique_ptr<llvm::ToolOutputFile> output =
        openOutputFile(headerPath, &message);
    if (!output)
      return error(message);
    output->os() << header;
    output->keep();
  }
  return success();
}

LogicalResult CompileRun::emitArtifact(ModuleOp module,
                                       const CodegenOptions &codegen) {
  Clock::time_point start = Clock::now();
  std::optional<TimingScope> scope;
  if (options.timing)
    scope = options.timing->nest("emit");
  TargetOptions target;
  target.cpu = options.cpu;
  target.optLevel = options.optLevel;
  std::string message;
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target, message);
  if (failed(machine))
    return error(message);
  llvm::LLVMContext llvmContext;
  std::optional<ExternalWeights> weights;
  if (options.externalWeights) {
    std::string path = weightsPath();
    weights = ExternalWeights{path, llvm::sys::path::filename(path).str(),
                              codegen.symbol + "_model_info"};
  }
  FailureOr<std::unique_ptr<llvm::Module>> llvmModule = translateAndOptimize(
      module, llvmContext, **machine, options.optLevel,
      weights ? &*weights : nullptr, options.sanitizeAddress, message);
  if (failed(llvmModule))
    return error(message);
  phaseDone("LLVM IR", start);
  start = Clock::now();

  if (options.emit == EmitKind::LLVM)
    return writeText([&](raw_ostream &os) { (*llvmModule)->print(os, nullptr); });
  if (options.emit == EmitKind::Object) {
    if (failed(writeObjectFile(**llvmModule, **machine, options.outputFile,
                               message)))
      return error(message);
    phaseDone("object file", start);
    return success();
  }

  // Libraries and executables start from a temporary object file.
  SmallString<128> objectPath;
  if (llvm::sys::fs::createTemporaryFile("llmos-model", "o", objectPath))
    return error("cannot create a temporary file");
  llvm::FileRemover removeObject(objectPath);
  if (failed(writeObjectFile(**llvmModule, **machine, objectPath, message)))
    return error(message);
  phaseDone("object file", start);
  start = Clock::now();
  if (options.emit == EmitKind::StaticLibrary) {
    if (failed(writeStaticLibrary(objectPath, options.outputFile, message)))
      return error(message);
  } else {
    LinkKind kind = options.emit == EmitKind::SharedLibrary
                        ? LinkKind::SharedLibrary
                        : LinkKind::Executable;
    if (failed(linkArtifact(kind, objectPath, options.runtimeDir,
                            options.outputFile,
                            options.sanitizeAddress ? "address" : "", message)))
      return error(message);
  }
  phaseDone("link", start);
  return success();
}

} // namespace

LogicalResult mlir::llmos::compileModel(MLIRContext &context,
                                        const CompileOptions &options,
                                        StringRef toolName) {
  CompileRun run(context, options, toolName);
  return run.run();
}
