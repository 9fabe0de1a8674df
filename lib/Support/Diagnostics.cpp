//===- Diagnostics.cpp - User-facing diagnostic printing ------------------===//
//
// This file implements the diagnostic printer of the llmos tools.
//
//===----------------------------------------------------------------------===//

#include "llmos/Support/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::llmos;

namespace {
struct LocationParts {
  std::string file;
  unsigned line = 0, column = 0;
  std::string node;
};

void collect(Location loc, LocationParts &parts) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    if (parts.node.empty())
      parts.node = name.getName().str();
    collect(name.getChildLoc(), parts);
  } else if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    if (parts.file.empty()) {
      parts.file = file.getFilename().str();
      parts.line = file.getLine();
      parts.column = file.getColumn();
    }
  } else if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fused.getLocations())
      collect(inner, parts);
  } else if (auto callsite = dyn_cast<CallSiteLoc>(loc)) {
    collect(callsite.getCallee(), parts);
  }
}

StringRef severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error: return "error";
  case DiagnosticSeverity::Warning: return "warning";
  case DiagnosticSeverity::Note: return "note";
  case DiagnosticSeverity::Remark: return "remark";
  }
  return "error";
}

void formatOne(Diagnostic &diag, llvm::raw_ostream &os) {
  LocationParts parts;
  collect(diag.getLocation(), parts);
  std::string message = diag.str();
  if (!parts.file.empty()) {
    os << parts.file;
    if (parts.line)
      os << ":" << parts.line << ":" << parts.column;
    os << ": ";
  }
  os << severityName(diag.getSeverity()) << ": " << message;
  if (!parts.node.empty() &&
      StringRef(message).find("'" + parts.node + "'") == StringRef::npos)
    os << " (node '" << parts.node << "')";
}
} // namespace

std::string mlir::llmos::formatDiagnostic(Diagnostic &diag) {
  std::string text;
  llvm::raw_string_ostream os(text);
  formatOne(diag, os);
  for (Diagnostic &note : diag.getNotes()) {
    os << "\n";
    formatOne(note, os);
  }
  return text;
}

DiagnosticPrinter::DiagnosticPrinter(MLIRContext *context, llvm::raw_ostream &os)
    : ScopedDiagnosticHandler(context) {
  setHandler([this, &os](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      ++numErrors;
    os << formatDiagnostic(diag) << "\n";
    os.flush();
    return success();
  });
}
