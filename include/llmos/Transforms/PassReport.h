//===- PassReport.h - What the graph passes changed -------------*- C++ -*-===//
//
// Counters that graph passes bump when a rewrite fires, and a pass
// instrumentation that prints, per pass run, those counters and the llmos
// op and parameter counts before and after (`llmos-compile --pass-stats`).
// LLVM's Statistic cannot serve: Debian's LLVM is built without statistics.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_TRANSFORMS_PASSREPORT_H
#define LLMOS_TRANSFORMS_PASSREPORT_H

#include "mlir/Pass/PassInstrumentation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mlir {
class Pass;
class Operation;
namespace llmos {

/// Records that `pass` rewrote `count` instances of `what` (e.g.
/// "identity removed"). Thread-safe; does nothing unless a
/// PassReportInstrumentation is collecting.
void countRewrite(const Pass *pass, llvm::StringRef what, int64_t count = 1);

/// The size of the llmos part of an IR: ops other than constants, constants,
/// the elements of the constants (the parameters) and the floating-point
/// operations of the contractions (convolutions, matmuls, attention; a
/// multiply-add counts 2), with every symbolic dim taken as 1.
struct GraphSize {
  int64_t ops = 0;
  int64_t constants = 0;
  int64_t parameters = 0;
  int64_t flops = 0;

  GraphSize &operator+=(const GraphSize &other) {
    ops += other.ops;
    constants += other.constants;
    parameters += other.parameters;
    flops += other.flops;
    return *this;
  }
};
GraphSize measureGraph(Operation *root);

/// Collects one row per pass run: its name, the sizes before and after and
/// what its rewrites counted. Needs a pass manager without multithreading
/// (a pass instance is then one pipeline position).
class PassReportInstrumentation : public PassInstrumentation {
public:
  struct Row {
    std::string pass;
    GraphSize before, after;
    std::map<std::string, int64_t> fired;
  };

  PassReportInstrumentation();
  ~PassReportInstrumentation() override;

  void runBeforePass(Pass *pass, Operation *op) override;
  void runAfterPass(Pass *pass, Operation *op) override;
  void runAfterPassFailed(Pass *pass, Operation *op) override;

  /// The rows in pipeline order.
  const std::vector<Row> &rows() const { return table; }
  /// A table of the rows (those whose pass name starts with `only`, when
  /// given), headed by `title`.
  void print(llvm::raw_ostream &os, const llvm::Twine &title,
             llvm::StringRef only = "") const;

private:
  Row &rowFor(Pass *pass);
  std::vector<Row> table;
  llvm::DenseMap<Pass *, size_t> rowOfPass;
};

} // namespace llmos
} // namespace mlir

#endif // LLMOS_TRANSFORMS_PASSREPORT_H
