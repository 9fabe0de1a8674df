//===- OutlineMicrokernels.cpp - Runtime microkernel calls -----------------===//
//
// This file implements llmos-outline-microkernels: f32 linalg.matmul on
// memrefs becomes a call of the runtime's llmos_rt_matmul_f32 (see
// llmos_abi.h), whose C interface takes rank-2 memref descriptors.
//
//===----------------------------------------------------------------------===//

#include "llmos/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_OUTLINEMICROKERNELSPASS
#include "llmos/Codegen/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;

namespace {

constexpr StringLiteral kMatmulF32 = "llmos_rt_matmul_f32";

/// memref<?x?xf32, strided<[?, ?], offset: ?>>: what every operand is cast to.
MemRefType anyStridedMatrix(MLIRContext *context) {
  int64_t dynamic = ShapedType::kDynamic;
  return MemRefType::get(
      {dynamic, dynamic}, Float32Type::get(context),
      StridedLayoutAttr::get(context, dynamic, {dynamic, dynamic}));
}

/// Whether the last dim of `type` is contiguous (stride 1).
bool hasUnitLastStride(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return !strides.empty() && strides.back() == 1;
}

bool isOutlinable(linalg::MatmulOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2)
    return false;
  // Only the default maps: C[m, n] += A[m, k] * B[k, n], no casts.
  if (!op.getIndexingMaps().empty()) {
    MLIRContext *context = op.getContext();
    SmallVector<AffineMap> defaults =
        linalg::MatmulOp::getDefaultIndexingMaps(context);
    if (op.getIndexingMapsArray() != ArrayRef<AffineMap>(defaults))
      return false;
  }
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    if (!type || type.getRank() != 2 || !type.getElementType().isF32())
      return false;
  }
  return hasUnitLastStride(cast<MemRefType>(op.getDpsInits()[0].getType()));
}

struct OutlineMicrokernelsPass
    : public llmos::impl::OutlineMicrokernelsPassBase<OutlineMicrokernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    SmallVector<linalg::MatmulOp> matmuls;
    module.walk([&](linalg::MatmulOp op) {
      if (isOutlinable(op))
        matmuls.push_back(op);
    });
    if (matmuls.empty())
      return;
    MemRefType matrix = anyStridedMatrix(context);
    auto fnType = FunctionType::get(context, {matrix, matrix, matrix}, {});
    auto callee = module.lookupSymbol<func::FuncOp>(kMatmulF32);
    if (!callee) {
      OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
      callee = func::FuncOp::create(b, module.getLoc(), kMatmulF32, fnType);
      callee.setPrivate();
      callee->setAttr("llvm.emit_c_interface", UnitAttr::get(context));
    } else if (callee.getFunctionType() != fnType) {
      module.emitError() << "'" << kMatmulF32
                         << "' is already defined with another type";
      return signalPassFailure();
    }
    for (linalg::MatmulOp op : matmuls) {
      OpBuilder b(op);
      SmallVector<Value> operands;
      for (Value operand : op->getOperands())
        operands.push_back(
            memref::CastOp::create(b, op.getLoc(), matrix, operand));
      func::CallOp::create(b, op.getLoc(), callee, operands);
      op.erase();
    }
  }
};

} // namespace
