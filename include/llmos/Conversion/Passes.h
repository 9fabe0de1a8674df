//===- Passes.h - llmos conversion passes -----------------------*- C++ -*-===//
//
// This file declares the passes that lower the llmos dialect.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_CONVERSION_PASSES_H
#define LLMOS_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::llmos {

#define GEN_PASS_DECL
#include "llmos/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "llmos/Conversion/Passes.h.inc"

} // namespace mlir::llmos

#endif // LLMOS_CONVERSION_PASSES_H
