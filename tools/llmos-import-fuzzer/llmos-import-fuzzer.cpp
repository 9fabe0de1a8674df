//===- llmos-import-fuzzer.cpp - libFuzzer target for the ONNX importer ---===//
//
// This file implements a libFuzzer entry point that feeds arbitrary bytes
// to the ONNX importer as a serialized model, and runs the graph phase on
// whatever imports. Any crash, sanitizer report, hang or unbounded memory
// growth is a bug: bad input must only produce diagnostics.
//
// Build with -DLLMOS_ENABLE_FUZZING=ON (clang, ASan); see docs/Fuzzing.md.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"
#include "llmos/Import/OnnxImporter.h"
#include "llmos/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context per input: uniqued types and attributes of one input
  // must not accumulate across millions of runs.
  DialectRegistry registry;
  registry.insert<llmos::LlmosDialect, func::FuncDialect>();
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
  if (succeeded(pm.run(*module))) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
  }
  return 0;
}
