//===- PassReport.cpp - What the graph passes changed ---------------------===//
//
// This file implements the rewrite counters and the instrumentation behind
// `llmos-compile --pass-stats`.
//
//===----------------------------------------------------------------------===//

#include "llmos/Transforms/PassReport.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Pass/Pass.h"
#include "llvm/Support/Format.h"

#include <atomic>
#include <map>
#include <mutex>

using namespace mlir;
using namespace mlir::llmos;

namespace {
/// Counters of the passes now running, by pass instance.
struct PendingCounts {
  std::mutex mutex;
  std::atomic<int> collectors{0};
  std::map<const Pass *, std::map<std::string, int64_t>> counts;
};

PendingCounts &pending() {
  static PendingCounts instance;
  return instance;
}

/// Pass-manager adaptors (which run nested pipelines) have no argument.
bool isReported(Pass *pass) { return !pass->getArgument().empty(); }
} // namespace

void mlir::llmos::countRewrite(const Pass *pass, StringRef what,
                               int64_t count) {
  PendingCounts &p = pending();
  if (p.collectors.load(std::memory_order_relaxed) == 0 || count == 0)
    return;
  std::lock_guard<std::mutex> lock(p.mutex);
  p.counts[pass][what.str()] += count;
}

namespace {
/// Dim `d` of a ranked value, 1 when symbolic; 0 for unranked values.
int64_t dimOf(Value v, int64_t d) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || d < 0 || d >= type.getRank())
    return 0;
  return type.isDynamicDim(d) ? 1 : type.getDimSize(d);
}

/// The elements of a ranked value with symbolic dims taken as 1.
int64_t elementsOf(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type)
    return 0;
  int64_t n = 1;
  for (int64_t d = 0; d < type.getRank(); ++d)
    n *= dimOf(v, d);
  return n;
}

/// Multiply-adds x 2 of a contraction op, 0 for other ops.
int64_t flopsOf(Operation *op) {
  auto convFlops = [&](Value w) {
    int64_t perOutput = 1;
    auto type = dyn_cast<RankedTensorType>(w.getType());
    if (!type)
      return int64_t(0);
    for (int64_t d = 1; d < type.getRank(); ++d)
      perOutput *= dimOf(w, d);
    return 2 * elementsOf(op->getResult(0)) * perOutput;
  };
  if (auto c = dyn_cast<ConvOp>(op))
    return convFlops(c.getW());
  if (auto c = dyn_cast<FusedConvOp>(op))
    return convFlops(c.getW());
  if (isa<MatMulOp, FusedMatMulOp>(op)) {
    Value a = op->getOperand(0);
    int64_t rank = getRank(a);
    return 2 * elementsOf(op->getResult(0)) * dimOf(a, rank - 1);
  }
  if (auto g = dyn_cast<GemmOp>(op))
    return 2 * elementsOf(g.getResult()) *
           dimOf(g.getA(), g.getTransA() ? 0 : 1);
  if (auto a = dyn_cast<AttentionOp>(op)) {
    int64_t rank = getRank(a.getQ());
    int64_t scores = elementsOf(a.getQ()) / std::max<int64_t>(
                                                dimOf(a.getQ(), rank - 1), 1) *
                     dimOf(a.getK(), rank - 2);
    return 2 * scores * (dimOf(a.getQ(), rank - 1) + dimOf(a.getV(), rank - 1));
  }
  return 0;
}
} // namespace

GraphSize mlir::llmos::measureGraph(Operation *root) {
  GraphSize size;
  root->walk([&](Operation *op) {
    // A fused_elementwise counts as one op, not with its body.
    if (!isa_and_nonnull<LlmosDialect>(op->getDialect()) ||
        op->getParentOfType<FusedElementwiseOp>())
      return;
    if (!isa<ConstantOp>(op)) {
      ++size.ops;
      size.flops += flopsOf(op);
      return;
    }
    ++size.constants;
    if (auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType()))
      if (type.hasStaticShape())
        size.parameters += type.getNumElements();
  });
  return size;
}

PassReportInstrumentation::PassReportInstrumentation() {
  ++pending().collectors;
}

PassReportInstrumentation::~PassReportInstrumentation() {
  --pending().collectors;
}

PassReportInstrumentation::Row &
PassReportInstrumentation::rowFor(Pass *pass) {
  auto [it, inserted] = rowOfPass.try_emplace(pass, table.size());
  if (inserted) {
    table.emplace_back();
    table.back().pass = pass->getArgument().str();
  }
  return table[it->second];
}

void PassReportInstrumentation::runBeforePass(Pass *pass, Operation *op) {
  if (!isReported(pass))
    return;
  // A function pass runs once per function: the row sums them.
  rowFor(pass).before += measureGraph(op);
}

void PassReportInstrumentation::runAfterPass(Pass *pass, Operation *op) {
  if (!isReported(pass))
    return;
  Row &row = rowFor(pass);
  row.after += measureGraph(op);
  PendingCounts &p = pending();
  std::lock_guard<std::mutex> lock(p.mutex);
  auto it = p.counts.find(pass);
  if (it == p.counts.end())
    return;
  for (auto &[what, count] : it->second)
    row.fired[what] += count;
  p.counts.erase(it);
}

void PassReportInstrumentation::runAfterPassFailed(Pass *pass,
                                                   Operation *op) {
  PendingCounts &p = pending();
  std::lock_guard<std::mutex> lock(p.mutex);
  p.counts.erase(pass);
}

void PassReportInstrumentation::print(raw_ostream &os, const Twine &title,
                                      StringRef only) const {
  os << title << "\n";
  os << llvm::format("  %-30s %13s %13s %23s %25s  %s\n", "pass", "ops",
                     "constants", "parameters", "flops", "rewrites");
  auto pair = [](int64_t a, int64_t b) {
    return std::to_string(a) + " -> " + std::to_string(b);
  };
  for (const Row &row : table) {
    if (!StringRef(row.pass).starts_with(only))
      continue;
    std::string fired;
    for (auto &[what, count] : row.fired) {
      if (!fired.empty())
        fired += ", ";
      fired += what + " " + std::to_string(count);
    }
    os << llvm::format("  %-30s %13s %13s %23s %25s  %s\n", row.pass.c_str(),
                       pair(row.before.ops, row.after.ops).c_str(),
                       pair(row.before.constants, row.after.constants).c_str(),
                       pair(row.before.parameters, row.after.parameters).c_str(),
                       pair(row.before.flops, row.after.flops).c_str(),
                       fired.empty() ? "-" : fired.c_str());
  }
}
