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

GraphSize mlir::llmos::measureGraph(Operation *root) {
  GraphSize size;
  root->walk([&](Operation *op) {
    if (!isa_and_nonnull<LlmosDialect>(op->getDialect()))
      return;
    if (!isa<ConstantOp>(op)) {
      ++size.ops;
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
  GraphSize size = measureGraph(op);
  Row &row = rowFor(pass);
  row.before.ops += size.ops;
  row.before.constants += size.constants;
  row.before.parameters += size.parameters;
}

void PassReportInstrumentation::runAfterPass(Pass *pass, Operation *op) {
  if (!isReported(pass))
    return;
  GraphSize size = measureGraph(op);
  Row &row = rowFor(pass);
  row.after.ops += size.ops;
  row.after.constants += size.constants;
  row.after.parameters += size.parameters;
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

void PassReportInstrumentation::print(raw_ostream &os,
                                      StringRef title) const {
  os << title << "\n";
  os << llvm::format("  %-34s %15s %15s %23s  %s\n", "pass", "ops",
                     "constants", "parameters", "rewrites");
  auto pair = [](int64_t a, int64_t b) {
    return std::to_string(a) + " -> " + std::to_string(b);
  };
  for (const Row &row : table) {
    std::string fired;
    for (auto &[what, count] : row.fired) {
      if (!fired.empty())
        fired += ", ";
      fired += what + " " + std::to_string(count);
    }
    os << llvm::format("  %-34s %15s %15s %23s  %s\n", row.pass.c_str(),
                       pair(row.before.ops, row.after.ops).c_str(),
                       pair(row.before.constants, row.after.constants).c_str(),
                       pair(row.before.parameters, row.after.parameters).c_str(),
                       fired.empty() ? "-" : fired.c_str());
  }
}
