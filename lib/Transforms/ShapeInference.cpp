//===- ShapeInference.cpp - Refine llmos result types ---------------------===//
//
// This file implements the llmos-shape-inference pass: result types are
// refined with the ShapeInferenceOpInterface while constant operands fold,
// until a fixed point.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"
#include "llmos/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_SHAPEINFERENCEPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;

namespace {

/// Shared between the pattern and the pass: ops whose inference failed (they
/// are not retried, so each error is reported once) and the refinement count.
struct RefineState {
  llvm::SmallPtrSet<Operation *, 4> failed;
  unsigned numRefined = 0;
};

// %r = llmos.reshape %x, %c : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<?xf32>
//   => ... -> tensor<6xf32>   (once %c is a constant)
struct RefineResultTypes
    : public OpInterfaceRewritePattern<ShapeInferenceOpInterface> {
  RefineResultTypes(MLIRContext *context, RefineState &state)
      : OpInterfaceRewritePattern(context), state(state) {}

  LogicalResult matchAndRewrite(ShapeInferenceOpInterface op,
                                PatternRewriter &rewriter) const override {
    if (state.failed.contains(op))
      return failure();
    // Body arguments that follow the operands (scan slices, sequence
    // elements) are refined with them.
    bool argsChanged = false;
    if (std::optional<SmallVector<Type>> argTypes =
            getRefinedRegionArgumentTypes(op)) {
      rewriter.modifyOpInPlace(op, [&] {
        for (auto [arg, type] :
             llvm::zip(op->getRegion(0).getArguments(), *argTypes))
          arg.setType(type);
      });
      argsChanged = true;
    }
    SmallVector<Type> inferred;
    if (failed(op.inferResultTypes(inferred)) ||
        inferred.size() != op->getNumResults()) {
      state.failed.insert(op);
      return failure();
    }
    SmallVector<Type> refined;
    bool changed = false;
    for (auto [result, type] : llvm::zip(op->getResults(), inferred)) {
      Type next = refineType(result.getType(), type);
      if (!next) {
        op->emitOpError() << "result type " << result.getType()
                          << " conflicts with the inferred type " << type;
        state.failed.insert(op);
        return failure();
      }
      changed |= next != result.getType();
      refined.push_back(next);
    }
    if (!changed)
      return success(argsChanged);
    rewriter.modifyOpInPlace(op, [&] {
      for (auto [result, type] : llvm::zip(op->getResults(), refined)) {
        if (result.getType() != type)
          ++state.numRefined;
        result.setType(type);
      }
    });
    return success();
  }

  RefineState &state;
};

struct ShapeInferencePass
    : public llmos::impl::ShapeInferencePassBase<ShapeInferencePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *context = &getContext();
    RefineState state;
    RewritePatternSet patterns(context);
    patterns.add<RefineResultTypes>(context, state);
    for (RegisteredOperationName name : context->getRegisteredOperations())
      if (name.getDialectNamespace() == LlmosDialect::getDialectNamespace())
        name.getCanonicalizationPatterns(patterns, context);
    GreedyRewriteConfig config;
    config.setMaxIterations(32);
    (void)applyPatternsGreedily(func, std::move(patterns), config);
    numRefined += state.numRefined;
    if (!state.failed.empty())
      return signalPassFailure();

    // The function returns what its body computes.
    Block &entry = func.getBody().front();
    auto ret = cast<func::ReturnOp>(entry.getTerminator());
    SmallVector<Type> resultTypes(ret.getOperandTypes());
    if (resultTypes != func.getFunctionType().getResults())
      func.setFunctionType(FunctionType::get(
          context, func.getFunctionType().getInputs(), resultTypes));
  }
};

} // namespace
