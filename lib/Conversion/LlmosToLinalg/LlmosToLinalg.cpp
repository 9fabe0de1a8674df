//===- LlmosToLinalg.cpp - The llmos -> linalg conversion pass ------------===//
//
// This file implements llmos-convert-to-linalg: it gathers the lowering
// patterns of every op family, reports every op kind that has none (all at
// once, each with its location), and then converts the whole module.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Conversion/Passes.h"
#include "llmos/Dialect/Llmos/IR/LlmosDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_CONVERTLLMOSTOLINALGPASS
#include "llmos/Conversion/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

struct ConvertLlmosToLinalgPass
    : public llmos::impl::ConvertLlmosToLinalgPassBase<
          ConvertLlmosToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    LlmosTypeConverter converter;

    RewritePatternSet patterns(context);
    populateElementwisePatterns(converter, patterns);
    populateReductionPatterns(converter, patterns);
    populateLinearAlgebraPatterns(converter, patterns);
    populateConvolutionPatterns(converter, patterns);
    populateNormalizationPatterns(converter, patterns);
    populateTensorPatterns(converter, patterns);
    populateIndexingPatterns(converter, patterns);
    populateControlFlowPatterns(converter, patterns);
    populateLossPatterns(converter, patterns);
    populateResizePatterns(converter, patterns);
    populateQuantizationPatterns(converter, patterns);
    populateRecurrentPatterns(converter, patterns);
    populateSignalPatterns(converter, patterns);
    populateSamplingPatterns(converter, patterns);
    populateDetectionPatterns(converter, patterns);
    populateRandomPatterns(converter, patterns);
    populateTextPatterns(converter, patterns);
    populateStringPatterns(converter, patterns);
    populateFusedPatterns(converter, patterns);
    populateSequencePatterns(converter, patterns);

    // Every op kind without a lowering, reported once per kind with the
    // location of each use, before anything is rewritten.
    llvm::StringSet<> lowered;
    for (const std::unique_ptr<RewritePattern> &pattern :
         patterns.getNativePatterns())
      if (std::optional<OperationName> root = pattern->getRootKind())
        lowered.insert(root->getStringRef());
    bool unsupported = false;
    module.walk([&](Operation *op) {
      if (isa<LlmosDialect>(op->getDialect()) && !lowersOnStrings(op)) {
        op->emitError() << "'" << op->getName()
                        << "' on string tensors has no CPU lowering yet";
        unsupported = true;
        return;
      }
      if (!isa<LlmosDialect>(op->getDialect()) ||
          lowered.contains(op->getName().getStringRef()))
        return;
      op->emitError() << "'" << op->getName()
                      << "' has no CPU lowering yet; the model cannot be "
                         "compiled past the graph phase";
      unsupported = true;
    });
    if (unsupported)
      return signalPassFailure();

    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*context);
    target.addIllegalDialect<LlmosDialect>();
    target.addLegalDialect<arith::ArithDialect, bufferization::BufferizationDialect,
                           linalg::LinalgDialect, math::MathDialect,
                           memref::MemRefDialect,
                           scf::SCFDialect, tensor::TensorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    target.addLegalOp<ModuleOp, UnrealizedConversionCastOp>();

    if (failed(applyFullConversion(module, target, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
