//===- ModelSummary.cpp - Human-readable summary of a model ---------------===//
//
// This file implements the model summary of llmos-compile --summary.
//
//===----------------------------------------------------------------------===//

#include "llmos/Support/ModelSummary.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Format.h"

#include <vector>

using namespace mlir;
using namespace mlir::llmos;

ModelStatistics mlir::llmos::collectModelStatistics(Operation *root) {
  ModelStatistics stats;
  root->walk([&](Operation *op) {
    if (op == root || isa<ModuleOp, func::FuncOp, func::ReturnOp>(op))
      return;
    ++stats.numOps;
    ++stats.opCounts[op->getName().getStringRef().str()];
    if (auto constant = dyn_cast<ConstantOp>(op)) {
      ElementsAttr value = constant.getValue();
      ++stats.numConstants;
      stats.numParameters += value.getNumElements();
      Type elementType = value.getElementType();
      if (elementType.isIntOrFloat())
        stats.parameterBytes +=
            value.getNumElements() *
            std::max<int64_t>(1, elementType.getIntOrFloatBitWidth() / 8);
    }
  });
  return stats;
}

void mlir::llmos::printModelSummary(ModuleOp module, llvm::raw_ostream &os) {
  if (auto source = module->getAttrOfType<StringAttr>("llmos.source"))
    os << "model:      " << source.getValue() << "\n";
  if (auto producer = module->getAttrOfType<StringAttr>("llmos.producer"))
    os << "producer:   " << producer.getValue() << "\n";
  if (auto opsets = module->getAttrOfType<DictionaryAttr>("llmos.opsets")) {
    os << "opsets:    ";
    for (NamedAttribute entry : opsets)
      os << " " << entry.getName().getValue() << " "
         << cast<IntegerAttr>(entry.getValue()).getInt();
    os << "\n";
  }
  for (auto func : module.getOps<func::FuncOp>()) {
    os << "function:   @" << func.getName() << "\n";
    auto describe = [&](StringRef kind, unsigned i, Type type,
                        DictionaryAttr attrs) {
      StringRef name = "?";
      if (attrs)
        if (auto n = attrs.getAs<StringAttr>("llmos.name"))
          name = n.getValue();
      os << "  " << kind << " " << name << ": " << type;
      if (attrs)
        if (auto dims = attrs.getAs<ArrayAttr>("llmos.dim_names")) {
          os << "  dims [";
          llvm::interleaveComma(dims, os, [&](Attribute d) {
            StringRef s = cast<StringAttr>(d).getValue();
            os << (s.empty() ? "-" : s);
          });
          os << "]";
        }
      os << "\n";
    };
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      describe("input ", i, func.getArgument(i).getType(),
               func.getArgAttrDict(i));
    for (unsigned i = 0; i < func.getNumResults(); ++i)
      describe("output", i, func.getResultTypes()[i], func.getResultAttrDict(i));
    ModelStatistics stats = collectModelStatistics(func);
    os << "parameters: " << stats.numParameters << " in "
       << stats.numConstants << " constants ("
       << llvm::format("%.2f", stats.parameterBytes / 1.0e6) << " MB)\n";
    os << "ops:        " << stats.numOps << "\n";
    std::vector<std::pair<int64_t, std::string>> sorted;
    for (const auto &[name, count] : stats.opCounts)
      sorted.push_back({-count, name});
    std::sort(sorted.begin(), sorted.end());
    for (const auto &[negCount, name] : sorted)
      os << llvm::format("  %-36s %lld\n", name.c_str(),
                         static_cast<long long>(-negCount));
  }
}
