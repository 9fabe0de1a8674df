//===- OutlineParallelLoops.cpp - Parallel loops as runtime tasks ----------===//
//
// This file implements llmos-outline-parallel-loops (on memrefs: outermost
// scf.parallel loops become functions called through a dispatch
// declaration) and llmos-lower-parallel-dispatch (on the LLVM dialect: the
// dispatch functions call llmos_rt_parallel_for with a trampoline).
//
//===----------------------------------------------------------------------===//

#include "llmos/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPSPASS
#define GEN_PASS_DEF_LOWERPARALLELDISPATCHPASS
#include "llmos/Codegen/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;

namespace {

constexpr StringLiteral kDispatchSuffix = "_dispatch";
constexpr StringLiteral kTrampolineSuffix = "_trampoline";
constexpr StringLiteral kParallelFor = "llmos_rt_parallel_for";

/// The innermost iterations of `op`'s loop nest (inner loops by the
/// elements they cover); unknown sizes count as 64.
int64_t estimateWork(scf::ParallelOp op) {
  auto multiply = [](int64_t x, int64_t y) -> int64_t {
    return static_cast<int64_t>(std::min<uint64_t>(
        llvm::SaturatingMultiply<uint64_t>(x, y), INT64_MAX));
  };
  auto tripCount = [](Value lb, Value ub, Value step) -> int64_t {
    std::optional<int64_t> l = getConstantIntValue(lb);
    std::optional<int64_t> u = getConstantIntValue(ub);
    std::optional<int64_t> s =
        step ? getConstantIntValue(step) : std::optional<int64_t>(1);
    if (!l || !u || !s || *s <= 0)
      return 64;
    return std::max<int64_t>(0, (*u - *l + *s - 1) / *s);
  };
  int64_t work = 1;
  for (auto [lb, ub, step] :
       llvm::zip(op.getLowerBound(), op.getUpperBound(), op.getStep()))
    work = multiply(work, tripCount(lb, ub, step));
  // An inner loop counts the elements it covers, not its steps: a loop
  // over vector chunks does a chunk's work per step.
  int64_t inner = 1;
  op.getBody()->walk([&](scf::ForOp loop) {
    inner = std::max(inner, tripCount(loop.getLowerBound(),
                                      loop.getUpperBound(), nullptr));
  });
  return multiply(work, inner);
}

/// The dim whose range is split over the threads: the first one that is not
/// statically a single iteration (a batch of 1 leaves the next dim), or
/// none when its step is not 1.
std::optional<unsigned> splitDim(scf::ParallelOp op) {
  for (unsigned d = 0; d < op.getNumLoops(); ++d) {
    std::optional<int64_t> lb = getConstantIntValue(op.getLowerBound()[d]);
    std::optional<int64_t> ub = getConstantIntValue(op.getUpperBound()[d]);
    if (lb && ub && *ub - *lb <= 1)
      continue;
    std::optional<int64_t> step = getConstantIntValue(op.getStep()[d]);
    if (!step || *step != 1)
      return std::nullopt;
    return d;
  }
  return std::nullopt;
}

bool isOutlinable(scf::ParallelOp op, int64_t minWork) {
  if (op.getNumResults() != 0 || op->getParentOfType<scf::ParallelOp>())
    return false;
  return splitDim(op) && estimateWork(op) >= minWork;
}

struct OutlineParallelLoopsPass
    : public llmos::impl::OutlineParallelLoopsPassBase<
          OutlineParallelLoopsPass> {
  using OutlineParallelLoopsPassBase::OutlineParallelLoopsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp function : functions) {
      if (function.isDeclaration())
        continue;
      SmallVector<scf::ParallelOp> loops;
      function.walk([&](scf::ParallelOp op) {
        if (isOutlinable(op, minWork))
          loops.push_back(op);
      });
      int counter = 0;
      for (scf::ParallelOp loop : loops)
        outline(loop, function, symbols, counter);
    }
  }

  void outline(scf::ParallelOp loop, func::FuncOp parent,
               SymbolTable &symbols, int &counter) {
    MLIRContext *context = &getContext();
    Location loc = loop.getLoc();
    // Values from outside: the loop's bounds and what its body uses.
    // Constants are cloned instead of passed.
    SetVector<Value> used;
    getUsedValuesDefinedAbove(loop.getRegion(), used);
    for (Value v : loop->getOperands())
      used.insert(v);
    SmallVector<Value> captures;
    SmallVector<Operation *> constants;
    for (Value v : used) {
      Operation *def = v.getDefiningOp();
      if (def && def->hasTrait<OpTrait::ConstantLike>())
        constants.push_back(def);
      else
        captures.push_back(v);
    }
    Type index = IndexType::get(context);
    SmallVector<Type> argTypes{index, index};
    for (Value v : captures)
      argTypes.push_back(v.getType());
    auto fnType = FunctionType::get(context, argTypes, {});

    std::string name;
    do {
      name = (parent.getSymName() + "_par" + Twine(counter++)).str();
    } while (symbols.lookup(name) ||
             symbols.lookup((name + kDispatchSuffix).str()));
    OpBuilder b(parent);
    auto body = func::FuncOp::create(b, loc, name, fnType);
    body.setPrivate();
    auto dispatch =
        func::FuncOp::create(b, loc, name + kDispatchSuffix.str(), fnType);
    dispatch.setPrivate();
    symbols.insert(body);
    symbols.insert(dispatch);

    // The body: the loop with its first dim over [lo, hi).
    Block *entry = body.addEntryBlock();
    b.setInsertionPointToStart(entry);
    IRMapping mapping;
    for (auto [capture, arg] :
         llvm::zip(captures, entry->getArguments().drop_front(2)))
      mapping.map(capture, arg);
    for (Operation *constant : constants)
      b.clone(*constant, mapping);
    unsigned dim = *splitDim(loop);
    auto cloned = cast<scf::ParallelOp>(b.clone(*loop, mapping));
    cloned.getLowerBoundMutable()[dim].assign(entry->getArgument(0));
    cloned.getUpperBoundMutable()[dim].assign(entry->getArgument(1));
    func::ReturnOp::create(b, loc);

    // The call site.
    b.setInsertionPoint(loop);
    SmallVector<Value> operands{loop.getLowerBound()[dim],
                                loop.getUpperBound()[dim]};
    llvm::append_range(operands, captures);
    func::CallOp::create(b, loc, dispatch, operands);
    loop.erase();
  }
};

struct LowerParallelDispatchPass
    : public llmos::impl::LowerParallelDispatchPassBase<
          LowerParallelDispatchPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<LLVM::LLVMFuncOp> dispatches;
    for (auto function : module.getOps<LLVM::LLVMFuncOp>())
      if (function.isExternal() &&
          function.getSymName().ends_with(kDispatchSuffix))
        dispatches.push_back(function);
    if (dispatches.empty())
      return;
    MLIRContext *context = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(context);
    auto i64 = IntegerType::get(context, 64);
    auto voidType = LLVM::LLVMVoidType::get(context);
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto parallelFor = module.lookupSymbol<LLVM::LLVMFuncOp>(kParallelFor);
    if (!parallelFor)
      parallelFor = LLVM::LLVMFuncOp::create(
          b, module.getLoc(), kParallelFor,
          LLVM::LLVMFunctionType::get(voidType, {i64, i64, ptr, ptr}));

    for (LLVM::LLVMFuncOp dispatch : dispatches) {
      StringRef bodyName =
          dispatch.getSymName().drop_back(kDispatchSuffix.size());
      auto body = module.lookupSymbol<LLVM::LLVMFuncOp>(bodyName);
      LLVM::LLVMFunctionType type = dispatch.getFunctionType();
      if (!body || body.getFunctionType() != type ||
          type.getNumParams() < 2 || type.getParamType(0) != i64 ||
          type.getParamType(1) != i64) {
        dispatch.emitError("has no matching parallel loop body");
        return signalPassFailure();
      }
      Location loc = dispatch.getLoc();
      SmallVector<Type> fields(type.getParams().drop_front(2));
      auto record = LLVM::LLVMStructType::getLiteral(context, fields);

      // trampoline(record, lo, hi) = body(lo, hi, record...)
      b.setInsertionPointToEnd(module.getBody());
      auto trampoline = LLVM::LLVMFuncOp::create(
          b, loc, (bodyName + kTrampolineSuffix).str(),
          LLVM::LLVMFunctionType::get(voidType, {ptr, i64, i64}),
          LLVM::Linkage::Internal);
      Block *tBlock = trampoline.addEntryBlock(b);
      b.setInsertionPointToStart(tBlock);
      SmallVector<Value> args{tBlock->getArgument(1), tBlock->getArgument(2)};
      for (auto [i, field] : llvm::enumerate(fields)) {
        Value address = LLVM::GEPOp::create(
            b, loc, ptr, record, tBlock->getArgument(0),
            ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
        args.push_back(LLVM::LoadOp::create(b, loc, field, address));
      }
      LLVM::CallOp::create(b, loc, body, args);
      LLVM::ReturnOp::create(b, loc, ValueRange{});

      // dispatch(lb, ub, args...) stores args and hands the range over.
      dispatch.setLinkage(LLVM::Linkage::Internal);
      Block *dBlock = dispatch.addEntryBlock(b);
      b.setInsertionPointToStart(dBlock);
      Value one = LLVM::ConstantOp::create(b, loc, i64, 1);
      Value storage = LLVM::AllocaOp::create(b, loc, ptr, record, one);
      for (auto [i, arg] : llvm::enumerate(dBlock->getArguments().drop_front(2))) {
        Value address = LLVM::GEPOp::create(
            b, loc, ptr, record, storage,
            ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
        LLVM::StoreOp::create(b, loc, arg, address);
      }
      Value fn = LLVM::AddressOfOp::create(b, loc, ptr, trampoline.getSymName());
      LLVM::CallOp::create(b, loc, parallelFor,
                           ValueRange{dBlock->getArgument(0),
                                      dBlock->getArgument(1), fn, storage});
      LLVM::ReturnOp::create(b, loc, ValueRange{});
    }
  }
};

} // namespace
