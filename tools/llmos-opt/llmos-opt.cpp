//===- llmos-opt.cpp - llmos optimizer driver -----------------------------===//
//
// This file implements llmos-opt: mlir-opt with the llmos dialect, every
// upstream dialect and pass (the ones llmos lowers through among them), and
// the llmos passes and pipelines registered.
//
//===----------------------------------------------------------------------===//

#include "llmos/Codegen/Passes.h"
#include "llmos/Conversion/Passes.h"
#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"
#include "llmos/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::llmos::LlmosDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  mlir::llmos::registerLlmosPasses();
  mlir::llmos::registerLlmosConversionPasses();
  mlir::llmos::registerLlmosCodegenPasses();
  mlir::llmos::registerCodegenPipelines();
  mlir::llmos::registerLlmosPipelines();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "llmos optimizer driver: runs llmos and MLIR passes\n",
      registry));
}
