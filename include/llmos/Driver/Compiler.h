//===- Compiler.h - The llmos compile driver --------------------*- C++ -*-===//
//
// Runs the compile phases on an ONNX model and writes the requested
// artifact. llmos-compile parses its command line into CompileOptions;
// llmos-run uses the same driver to compile a model on the fly.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_DRIVER_COMPILER_H
#define LLMOS_DRIVER_COMPILER_H

#include "llmos/Codegen/Emit.h"
#include "llmos/Import/OnnxImporter.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"

#include <functional>
#include <string>

namespace mlir::llmos {

/// The compile phases, in order (DESIGN.md).
enum class Phase { Import, Graph, Tensor, Codegen, Emit };

/// What llmos-compile writes.
enum class EmitKind { Mlir, LLVM, Object, StaticLibrary, SharedLibrary,
                      Executable };

struct CompileOptions {
  std::string inputFile;
  /// The artifact; '-' is stdout (textual kinds only).
  std::string outputFile = "-";
  EmitKind emit = EmitKind::Mlir;
  /// With EmitKind::Mlir, the phase whose IR is written.
  Phase compileTo = Phase::Graph;
  unsigned optLevel = 2;
  std::string cpu = "native";
  /// Prefix of the exported symbols; empty: from the output file name.
  std::string symbol;
  /// The model name the runtime reports; empty: the model file's stem.
  std::string modelName;
  /// Write the C header next to object files and libraries.
  bool writeHeader = true;
  /// Write the weights to OUT.weights (OUT without its extension), which
  /// the runtime maps, instead of embedding them.
  bool externalWeights = false;
  /// Codegen switches for experiments (see CodegenOptions); at -O0 none of
  /// them applies.
  bool microkernels = true;
  bool parallel = true;
  bool memoryPlan = true;
  bool vectorizeLoops = true;
  /// Instrument the model's code with AddressSanitizer and link libraries
  /// and executables with -fsanitize=address (objects and static libraries
  /// need it where the user links them).
  bool sanitizeAddress = false;
  /// Where libllmos_runtime.a and libllmos_main.a are.
  std::string runtimeDir;
  ImportOptions import;
  /// Print per graph pass what fired and the op, constant, parameter and
  /// FLOP counts before and after, on stderr.
  bool passStats = false;
  /// Opt-in weight pruning (GraphOptions); when on, its report (parameters
  /// and FLOPs before and after) is printed on stderr.
  double pruneChannels = 0;
  double pruneWeights = 0;
  bool pruneGlobal = false;
  /// Report each phase and its time on stderr.
  bool verbose = false;
  /// Print a model summary instead of IR (EmitKind::Mlir).
  bool summary = false;
  /// Where phase timings go (--mlir-timing); null for none.
  TimingScope *timing = nullptr;
  /// Applies the user's MLIR pass manager options (IR printing, timing).
  std::function<LogicalResult(PassManager &)> configurePassManager;
};

/// A C identifier made from `name` (for symbol prefixes).
std::string sanitizeSymbol(llvm::StringRef name);

/// Compiles `options.inputFile` as asked. Errors are reported through the
/// context's diagnostics or on stderr, prefixed with `toolName`.
LogicalResult compileModel(MLIRContext &context,
                           const CompileOptions &options,
                           llvm::StringRef toolName);

/// Registers every dialect and translation the driver needs.
void registerCompilerDialects(DialectRegistry &registry);

} // namespace mlir::llmos

#endif // LLMOS_DRIVER_COMPILER_H
