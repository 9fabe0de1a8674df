//===- Emit.h - LLVM IR, object files and linked artifacts ------*- C++ -*-===//
//
// The emit phase: the LLVM dialect module becomes LLVM IR, is optimized and
// compiled to an object file in-process, and is then archived or linked with
// the runtime into a shared library or an executable. The C header that
// describes a compiled model is written here too.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_CODEGEN_EMIT_H
#define LLMOS_CODEGEN_EMIT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace mlir::llmos {

/// The machine code is generated for.
/// The width in bits of the widest vector registers of `machine`'s CPU
/// (512 with AVX-512, 256 with AVX, else 128).
int64_t vectorRegisterBits(const llvm::TargetMachine &machine);

struct TargetOptions {
  /// An LLVM CPU name ("x86-64-v3", "skylake-avx512", ...) or "native" for
  /// the host's CPU and features.
  std::string cpu = "native";
  /// Extra LLVM target features ("+avx2,-avx512f").
  std::string features;
  /// 0..3: the LLVM optimization and code generation level.
  unsigned optLevel = 2;
};

/// The target machine for `options` (an error names a CPU LLVM does not
/// know).
FailureOr<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options, std::string &error);

/// Where the weights go with --external-weights.
struct ExternalWeights {
  /// The file to write.
  std::string path;
  /// The name the runtime looks for (next to the artifact).
  std::string fileName;
  /// The model record (`<symbol>_model_info`) that points at them.
  std::string infoGlobal;
};

/// Translates an LLVM dialect module to LLVM IR for `machine` and runs
/// LLVM's optimization pipeline at `optLevel`. Large constants (1 KiB and
/// up) are embedded as read-only data, or, with `weights`, written to that
/// file and read through the runtime's mapping of it. With
/// `sanitizeAddress`, the code is instrumented with AddressSanitizer (it
/// must then be linked with -fsanitize=address).
FailureOr<std::unique_ptr<llvm::Module>>
translateAndOptimize(ModuleOp module, llvm::LLVMContext &context,
                     llvm::TargetMachine &machine, unsigned optLevel,
                     const ExternalWeights *weights, bool sanitizeAddress,
                     std::string &error);

/// Writes `module` as an object file to `path`.
LogicalResult writeObjectFile(llvm::Module &module,
                              llvm::TargetMachine &machine, StringRef path,
                              std::string &error);

/// Writes a static library holding the object file `objectPath`.
LogicalResult writeStaticLibrary(StringRef objectPath, StringRef path,
                                 std::string &error);

enum class LinkKind { SharedLibrary, Executable };

/// Links the object file with the runtime from `runtimeDir`
/// (libllmos_runtime.a, and libllmos_main.a for executables) with the
/// system's C compiler driver (clang-22, clang or cc; $LLMOS_CC first).
/// `sanitizers` (e.g. "address") are passed as -fsanitize=; a runtime
/// built with sanitizers (LLMOS_SANITIZE) adds its own.
LogicalResult linkArtifact(LinkKind kind, StringRef objectPath,
                           StringRef runtimeDir, StringRef path,
                           StringRef sanitizers, std::string &error);

/// The directory holding the runtime libraries for the tool at `argv0`:
/// $LLMOS_RUNTIME_DIR, else <prefix>/lib next to <prefix>/bin.
std::string findRuntimeDir(const char *argv0, void *mainAddress);

/// Writes the C header describing a model compiled with symbol prefix
/// `symbol`, from the `llmos.signature` attribute of `module`;
/// `weightsFile` names the external weights file, if any.
LogicalResult writeModelHeader(ModuleOp module, StringRef symbol,
                               StringRef sourceName, StringRef weightsFile,
                               raw_ostream &os);

} // namespace mlir::llmos

#endif // LLMOS_CODEGEN_EMIT_H
