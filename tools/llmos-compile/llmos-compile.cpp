//===- llmos-compile.cpp - The llmos ONNX compiler driver -----------------===//
//
// This file implements llmos-compile: it parses the command line into
// CompileOptions and runs the compile driver (lib/Driver).
//
//===----------------------------------------------------------------------===//

#include "llmos/Codegen/Passes.h"
#include "llmos/Conversion/Passes.h"
#include "llmos/Driver/Compiler.h"
#include "llmos/Import/OnnxImporter.h"
#include "llmos/Support/Diagnostics.h"

#include "llmos/Transforms/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/InitAllPasses.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::llmos;
namespace cl = llvm::cl;

namespace {

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
    cl::desc("Write the MLIR of this phase (implies --emit=mlir; with "
             "--emit=mlir alone: graph)"),
    cl::values(
        clEnumValN(Phase::Import, "import",
                   "ONNX imported into the llmos dialect, result types from "
                   "shape inference"),
        clEnumValN(Phase::Graph, "graph",
                   "after graph passes: shape inference with folding, "
                   "canonicalization, CSE"),
        clEnumValN(Phase::Tensor, "tensor",
                   "llmos lowered to linalg/tensor/arith/math/scf on tensors, "
                   "elementwise ops fused"),
        clEnumValN(Phase::Codegen, "codegen",
                   "bufferized, loops, LLVM dialect with the runtime entry "
                   "point")),
    cl::init(Phase::Graph), cl::cat(category));

cl::opt<std::optional<EmitKind>, false, cl::parser<EmitKind>> emit(
    "emit",
    cl::desc("What to write (default: from the output file's extension: "
             ".mlir, .ll, .o, .a, .so; an executable otherwise; MLIR on "
             "stdout)"),
    cl::values(
        clEnumValN(EmitKind::Mlir, "mlir", "MLIR in textual form"),
        clEnumValN(EmitKind::LLVM, "llvm", "LLVM IR in textual form"),
        clEnumValN(EmitKind::Object, "obj",
                   "an object file (+ a C header), linked with the runtime "
                   "by the user"),
        clEnumValN(EmitKind::StaticLibrary, "lib",
                   "a static library (+ a C header)"),
        clEnumValN(EmitKind::SharedLibrary, "so",
                   "a shared library with the runtime inside, exporting the "
                   "C API and llmos_model_info_get (+ a C header)"),
        clEnumValN(EmitKind::Executable, "exe",
                   "an executable: reads inputs from .pb/.npy files, writes "
                   "outputs, times runs (run it with --help)")),
    cl::cat(category));

cl::opt<unsigned> optLevel("O",
                           cl::desc("Optimization level 0..3 (default 2): -O0 "
                                    "shape inference and folding only, -O1 "
                                    "+ pruning and constant folding, -O2 + "
                                    "node merging, -O3 folds larger "
                                    "constants"),
                           cl::Prefix, cl::init(2), cl::cat(category));

cl::opt<std::string> cpu(
    "cpu",
    cl::desc("The CPU to generate code for: native (default: this machine's "
             "CPU and features) or an LLVM CPU name such as x86-64-v3 (AVX2) "
             "or x86-64-v4 (AVX-512)"),
    cl::init("native"), cl::cat(category));

cl::opt<std::string> symbol(
    "symbol",
    cl::desc("Prefix of the exported symbols (<symbol>_info); default: the "
             "output file's name"),
    cl::init(""), cl::cat(category));

cl::opt<std::string> modelName(
    "model-name",
    cl::desc("The model name the runtime reports (default: the file's stem)"),
    cl::init(""), cl::cat(category));

cl::opt<bool> externalWeights(
    "external-weights",
    cl::desc("Write the weights to OUT.weights (next to the artifact; the "
             "runtime maps it) instead of embedding them"),
    cl::init(false), cl::cat(category));

cl::opt<bool> noHeader("no-header",
                       cl::desc("Do not write the C header next to object "
                                "files and libraries"),
                       cl::init(false), cl::cat(category));

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

cl::opt<bool> passStats(
    "pass-stats",
    cl::desc("Print, per graph pass, what it rewrote and the op, constant, "
             "parameter and FLOP counts before and after (stderr)"),
    cl::init(false), cl::cat(category));

cl::OptionCategory pruningCategory(
    "llmos-compile weight pruning (opt-in; prints a report of parameters and "
    "FLOPs before and after)");

cl::opt<double> pruneChannels(
    "prune-channels",
    cl::desc("Structured pruning: remove this fraction of the output "
             "channels (columns) of each convolution (matmul) whose "
             "consumers can follow, smallest weight norms first"),
    cl::init(0.0), cl::value_desc("fraction"), cl::cat(pruningCategory));

cl::opt<double> pruneWeights(
    "prune-weights",
    cl::desc("Magnitude pruning: set this fraction of the convolution and "
             "matmul weights to zero, smallest magnitudes first"),
    cl::init(0.0), cl::value_desc("sparsity"), cl::cat(pruningCategory));

cl::opt<bool> pruneGlobal(
    "prune-global",
    cl::desc("With --prune-weights: one threshold over all weights instead "
             "of the same fraction of each tensor"),
    cl::init(false), cl::cat(pruningCategory));

cl::opt<bool> verbose("v",
                      cl::desc("Report each phase and its time on stderr"),
                      cl::init(false), cl::cat(category));

#ifdef LLMOS_SANITIZE
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif

cl::opt<std::string> sanitize(
    "sanitize",
    cl::desc("'address': instrument the model's code with AddressSanitizer "
             "(out-of-bounds and use-after-free accesses abort with a "
             "report) and link libraries and executables with "
             "-fsanitize=address; 'none' (the default, but in llmos's own "
             "sanitizer build)"),
    cl::init(kSanitizerBuild ? "address" : "none"), cl::value_desc("kind"),
    cl::cat(category));

cl::OptionCategory codegenCategory(
    "llmos-compile codegen switches (for experiments; each is on by default "
    "at -O1 and up)");

cl::opt<bool> noMicrokernels(
    "no-microkernels",
    cl::desc("Generate loops for f32 matmuls and convolutions instead of "
             "calling the runtime's sgemm"),
    cl::init(false), cl::cat(codegenCategory));

cl::opt<bool> noParallel("no-parallel",
                         cl::desc("Run generated loops on one thread"),
                         cl::init(false), cl::cat(codegenCategory));

cl::opt<bool> noMemoryPlan(
    "no-memory-plan",
    cl::desc("Allocate each temporary buffer on its own instead of placing "
             "them in arenas by liveness"),
    cl::init(false), cl::cat(codegenCategory));

cl::opt<bool> noVectorizeLoops(
    "no-vectorize-loops",
    cl::desc("Leave elementwise ops, reductions and windows as scalar loops "
             "(for LLVM's loop vectorizer) instead of vector chunks"),
    cl::init(false), cl::cat(codegenCategory));

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

/// The artifact kind an output file name asks for.
EmitKind emitKindFor(StringRef output) {
  if (output == "-")
    return EmitKind::Mlir;
  StringRef extension = llvm::sys::path::extension(output);
  return llvm::StringSwitch<EmitKind>(extension)
      .Case(".mlir", EmitKind::Mlir)
      .Case(".ll", EmitKind::LLVM)
      .Case(".o", EmitKind::Object)
      .Case(".a", EmitKind::StaticLibrary)
      .Case(".so", EmitKind::SharedLibrary)
      .Default(EmitKind::Executable);
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // Pass names, for --mlir-print-ir-before=/--mlir-print-ir-after=.
  registerAllPasses();
  registerLlmosPasses();
  registerLlmosConversionPasses();
  registerLlmosCodegenPasses();
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  cl::HideUnrelatedOptions({&category, &pruningCategory, &codegenCategory});
  cl::ParseCommandLineOptions(
      argc, argv,
      "llmos-compile: compile an ONNX model to native code.\n\n"
      "Phases, in order: import (ONNX -> llmos dialect), graph (shape\n"
      "inference, folding, canonicalization, CSE), tensor (linalg on\n"
      "tensors, fusion), codegen (bufferization, loops, LLVM dialect) and\n"
      "emit (LLVM IR, object file, library or executable).\n\n"
      "Examples:\n"
      "  llmos-compile model.onnx -o model.so       # shared library + model.h\n"
      "  llmos-compile model.onnx -o model          # executable\n"
      "  ./model --inputs test_data_set_0 --expected test_data_set_0\n"
      "  llmos-compile model.onnx -o model.o -O3 --cpu=x86-64-v3\n"
      "  llmos-compile model.onnx --compile-to=tensor -o -\n"
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
  if (optLevel > 3) {
    llvm::errs() << "llmos-compile: error: -O" << optLevel
                 << " is not a level (use -O0 to -O3)\n";
    return 1;
  }

  CompileOptions options;
  options.inputFile = inputFile;
  options.outputFile = outputFile;
  // --compile-to asks for IR; otherwise the output's extension decides.
  options.emit = emit.getValue() ? *emit.getValue()
                 : compileTo.getNumOccurrences() || summary
                     ? EmitKind::Mlir
                     : emitKindFor(outputFile);
  if (options.emit != EmitKind::Mlir && compileTo.getNumOccurrences()) {
    llvm::errs() << "llmos-compile: error: --compile-to writes MLIR; it "
                    "cannot be combined with --emit other than mlir\n";
    return 1;
  }
  options.compileTo = compileTo;
  options.optLevel = optLevel;
  options.cpu = cpu;
  options.symbol = symbol;
  options.modelName = modelName;
  options.writeHeader = !noHeader;
  options.externalWeights = externalWeights;
  options.summary = summary;
  options.verbose = verbose;
  options.passStats = passStats;
  for (auto [name, value] : {std::pair<const char *, double>{"--prune-channels", pruneChannels},
                             {"--prune-weights", pruneWeights}}) {
    if (value < 0 || value >= 1) {
      llvm::errs() << "llmos-compile: error: " << name << "="
                   << llvm::format("%g", value)
                   << " is not a fraction in [0, 1)\n";
      return 1;
    }
  }
  options.pruneChannels = pruneChannels;
  options.pruneWeights = pruneWeights;
  options.pruneGlobal = pruneGlobal;
  options.microkernels = !noMicrokernels;
  options.parallel = !noParallel;
  options.memoryPlan = !noMemoryPlan;
  options.vectorizeLoops = !noVectorizeLoops;
  if (sanitize != "address" && sanitize != "none") {
    llvm::errs() << "llmos-compile: error: --sanitize=" << sanitize
                 << " is not 'address' or 'none'\n";
    return 1;
  }
  options.sanitizeAddress = sanitize == "address";
  options.runtimeDir =
      findRuntimeDir(argv[0], reinterpret_cast<void *>(&emitKindFor));
  options.import.resourceThreshold = resourceThreshold;
  if (failed(parseInputShapes(options.import)))
    return 1;
  if (options.summary && options.emit != EmitKind::Mlir) {
    llvm::errs() << "llmos-compile: error: --summary prints IR-level "
                    "information; it cannot be combined with a binary "
                    "--emit\n";
    return 1;
  }
  options.configurePassManager = [](PassManager &pm) {
    return applyPassManagerCLOptions(pm);
  };

  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Users read node names, not generic op dumps.
  context.printOpOnDiagnostic(false);
  DiagnosticPrinter diagnostics(&context);

  DefaultTimingManager timing;
  applyDefaultTimingManagerCLOptions(timing);
  TimingScope root = timing.getRootScope();
  options.timing = &root;
  return failed(compileModel(context, options, "llmos-compile")) ? 1 : 0;
}
