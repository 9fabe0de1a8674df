//===- DiagnosticsTest.cpp - Tests of the user-facing diagnostic format ---===//

#include "llmos/Support/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::llmos;

namespace {

TEST(Diagnostics, NamesFileAndNode) {
  MLIRContext context;
  std::string text;
  llvm::raw_string_ostream os(text);
  DiagnosticPrinter printer(&context, os);
  Location file = FileLineColLoc::get(&context, "model.onnx", 0, 0);
  Location node = NameLoc::get(StringAttr::get(&context, "conv1"), file);
  emitError(node) << "'llmos.conv' op kernel_shape has 3 values, expected 2";
  emitError(node) << "node 'conv1' (Conv): unknown attribute 'foo'";
  emitWarning(FileLineColLoc::get(&context, "x.mlir", 3, 7)) << "careful";
  EXPECT_EQ(printer.getNumErrors(), 2u);
  EXPECT_EQ(text,
            "model.onnx: error: 'llmos.conv' op kernel_shape has 3 values, "
            "expected 2 (node 'conv1')\n"
            "model.onnx: error: node 'conv1' (Conv): unknown attribute 'foo'\n"
            "x.mlir:3:7: warning: careful\n");
}

} // namespace
