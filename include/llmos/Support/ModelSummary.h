//===- ModelSummary.h - Human-readable summary of a model -------*- C++ -*-===//
//
// This file declares the summary llmos-compile --summary prints: inputs and
// outputs with their types and symbolic dims, parameter count and size, and
// how many ops of each kind the model has.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_SUPPORT_MODELSUMMARY_H
#define LLMOS_SUPPORT_MODELSUMMARY_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <map>
#include <string>

namespace mlir::llmos {

struct ModelStatistics {
  /// Ops per name, constants included.
  std::map<std::string, int64_t> opCounts;
  int64_t numOps = 0;
  /// Elements and bytes held by constants.
  int64_t numParameters = 0;
  int64_t parameterBytes = 0;
  int64_t numConstants = 0;
};

/// Counts the ops and constant elements under `root`.
ModelStatistics collectModelStatistics(Operation *root);

/// Prints the summary of an imported module.
void printModelSummary(ModuleOp module, llvm::raw_ostream &os);

} // namespace mlir::llmos

#endif // LLMOS_SUPPORT_MODELSUMMARY_H
