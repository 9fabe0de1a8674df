//===- llmos-compile-fuzzer.cpp - libFuzzer target for the whole pipeline -===//
//
// This file implements a libFuzzer entry point that feeds arbitrary bytes
// to the ONNX importer as a serialized model and runs whatever imports
// through the graph passes at -O2, the tensor phase (the lowering to linalg)
// and the codegen phase (bufferization, loops, the LLVM dialect): the
// optimizer's and the lowerings' counterpart of llmos-import-fuzzer. Any
// crash, sanitizer report, hang or unbounded memory growth is a bug: bad
// input must only produce diagnostics.
//
// Build with -DLLMOS_ENABLE_FUZZING=ON (clang); see docs/Testing.md.
//
//===----------------------------------------------------------------------===//

#include "llmos/Codegen/Passes.h"
#include "llmos/Driver/Compiler.h"
#include "llmos/Import/OnnxImporter.h"
#include "llmos/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include <cstdint>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context per input: uniqued types and attributes of one input
  // must not accumulate across millions of runs.
  DialectRegistry registry;
  llmos::registerCompilerDialects(registry);
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler silence(&context,
                                  [](Diagnostic &) { return success(); });

  llmos::ImportOptions options;
  options.resourceThreshold = 64;
  OwningOpRef<ModuleOp> module = llmos::importOnnxBuffer(
      &context, StringRef(reinterpret_cast<const char *>(data), size),
      "fuzz.onnx", /*modelDir=*/"", options);
  if (!module)
    return 0;
  PassManager pm(&context);
  llmos::buildGraphPipeline(pm);
  llmos::CodegenOptions codegen;
  llmos::buildTensorPipeline(pm, codegen);
  llmos::buildCodegenPipeline(pm, codegen);
  (void)pm.run(*module);
  return 0;
}
