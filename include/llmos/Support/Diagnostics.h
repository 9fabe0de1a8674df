//===- Diagnostics.h - User-facing diagnostic printing ----------*- C++ -*-===//
//
// This file declares the diagnostic printer of the llmos tools: every error
// reads "<file>: error: <message>" and names the ONNX node it concerns, so a
// user can find the problem in their model.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_SUPPORT_DIAGNOSTICS_H
#define LLMOS_SUPPORT_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::llmos {

/// Formats one diagnostic: "<file>[:line:col]: <severity>: <message>", with
/// "(node '<name>')" appended when the location names an ONNX node that the
/// message does not already mention. Notes follow on their own lines.
std::string formatDiagnostic(Diagnostic &diag);

/// Prints every diagnostic of a context with formatDiagnostic while alive.
class DiagnosticPrinter : public ScopedDiagnosticHandler {
public:
  DiagnosticPrinter(MLIRContext *context, llvm::raw_ostream &os = llvm::errs());
  unsigned getNumErrors() const { return numErrors; }

private:
  unsigned numErrors = 0;
};

} // namespace mlir::llmos

#endif // LLMOS_SUPPORT_DIAGNOSTICS_H
