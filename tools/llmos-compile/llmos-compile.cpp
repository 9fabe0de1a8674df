//===- llmos-compile.cpp - The llmos ONNX compiler driver -----------------===//
//
// This file implements llmos-compile: it imports an ONNX model and runs the
// compile phases up to the one requested, then writes the result.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"
#include "llmos/Import/OnnxImporter.h"
#include "llmos/Support/Diagnostics.h"
#include "llmos/Support/ModelSummary.h"
#include "llmos/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Support/ToolUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
using namespace mlir::llmos;
namespace cl = llvm::cl;

namespace {

enum class Phase { Import, Graph };
enum class EmitKind { Mlir };

cl::OptionCategory category("llmos-compile options");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"),
                               cl::cat(category));

cl::opt<bool> listOperators(
    "list-operators",
    cl::desc("List the supported ONNX operators and their opset versions"),
    cl::init(false), cl::cat(category));

cl::opt<std::string> outputFile("o", cl::desc("Output file ('-' for stdout)"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::cat(category));

cl::opt<Phase> compileTo(
    "compile-to",
    cl::desc("Stop after this phase and write the IR there (default: the "
             "last phase that exists)"),
    cl::values(clEnumValN(Phase::Import, "import",
                          "ONNX imported into the llmos dialect, result types "
                          "from shape inference"),
               clEnumValN(Phase::Graph, "graph",
                          "after graph passes: shape inference with folding, "
                          "canonicalization, CSE")),
    cl::init(Phase::Graph), cl::cat(category));

cl::opt<EmitKind> emit("emit", cl::desc("What to write"),
                       cl::values(clEnumValN(EmitKind::Mlir, "mlir",
                                             "MLIR in textual form")),
                       cl::init(EmitKind::Mlir), cl::cat(category));

cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Pin the shape of a graph input, e.g. input=1x3x224x224 ('?' "
             "keeps a dim dynamic; the name may be left out for a model with "
             "one input). Repeatable"),
    cl::value_desc("name=DxDx..."), cl::cat(category));

cl::opt<bool> summary("summary",
                      cl::desc("Print a summary of the model (inputs, "
                               "outputs, parameters, op counts) instead of "
                               "the IR"),
                      cl::init(false), cl::cat(category));

cl::opt<bool> verbose("v",
                      cl::desc("Report each phase and its time on stderr"),
                      cl::init(false), cl::cat(category));

cl::opt<unsigned> resourceThreshold(
    "weight-resource-threshold",
    cl::desc("Initializers of at least this many bytes are kept as "
             "dense_resource blobs without a copy (default 256)"),
    cl::init(256), cl::cat(category));

LogicalResult parseInputShapes(ImportOptions &options) {
  for (const std::string &spec : inputShapes) {
    StringRef text(spec);
    StringRef name, shape = text;
    if (text.contains('='))
      std::tie(name, shape) = text.rsplit('=');
    std::optional<SmallVector<int64_t>> dims = parseShapeSpec(shape);
    if (!dims) {
      llvm::errs() << "llmos-compile: error: invalid --input-shape '" << spec
                   << "': expected name=DxDx... with non-negative sizes or "
                      "'?'\n";
      return failure();
    }
    options.inputShapes[name] = *dims;
  }
  return success();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "llmos-compile: compile an ONNX model.\n\n"
      "Phases, in order: import (ONNX -> llmos dialect) and graph (shape\n"
      "inference, folding, canonicalization, CSE). Later phases (tensor,\n"
      "codegen, emit) are not implemented yet.\n\n"
      "Examples:\n"
      "  llmos-compile model.onnx -o model.mlir\n"
      "  llmos-compile model.onnx --compile-to=import -o -\n"
      "  llmos-compile model.onnx --input-shape input=1x3x224x224 --summary\n\n"
      "MLIR's options (--mlir-timing, --mlir-print-ir-after-all,\n"
      "--mlir-elide-resource-strings-if-larger=N, ...) are accepted too;\n"
      "--help-hidden lists them.\n");

  if (listOperators) {
    printSupportedOperators(llvm::outs());
    return 0;
  }
  if (inputFile.empty()) {
    llvm::errs() << "llmos-compile: error: no model given (see --help)\n";
    return 1;
  }

  ImportOptions options;
  options.resourceThreshold = resourceThreshold;
  if (failed(parseInputShapes(options)))
    return 1;

  DialectRegistry registry;
  registry.insert<LlmosDialect, func::FuncDialect>();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Users read node names, not generic op dumps.
  context.printOpOnDiagnostic(false);
  DiagnosticPrinter diagnostics(&context);

  DefaultTimingManager timing;
  applyDefaultTimingManagerCLOptions(timing);
  TimingScope root = timing.getRootScope();

  using Clock = std::chrono::steady_clock;
  auto phaseDone = [&](StringRef phase, Clock::time_point start) {
    if (!verbose)
      return;
    double seconds =
        std::chrono::duration<double>(Clock::now() - start).count();
    llvm::errs() << "llmos-compile: " << phase << " done in "
                 << llvm::format("%.3f", seconds) << " s\n";
  };

  Clock::time_point start = Clock::now();
  OwningOpRef<ModuleOp> module;
  {
    TimingScope importTimer = root.nest("import");
    module = importOnnxFile(&context, inputFile, options);
  }
  if (!module)
    return 1;
  phaseDone("import", start);

  if (compileTo >= Phase::Graph) {
    start = Clock::now();
    PassManager pm(&context);
    if (failed(applyPassManagerCLOptions(pm)))
      return 1;
    TimingScope graphTimer = root.nest("graph");
    pm.enableTiming(graphTimer);
    buildGraphPipeline(pm);
    if (failed(pm.run(*module)))
      return 1;
    phaseDone("graph", start);
  }

  std::string errorMessage;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFile, &errorMessage);
  if (!output) {
    llvm::errs() << "llmos-compile: error: " << errorMessage << "\n";
    return 1;
  }
  {
    TimingScope printTimer = root.nest("output");
    if (summary)
      printModelSummary(*module, output->os());
    else {
      module->print(output->os());
      output->os() << "\n";
    }
  }
  output->keep();
  return 0;
}
