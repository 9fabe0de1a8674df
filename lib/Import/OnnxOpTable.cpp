//===- OnnxOpTable.cpp - ONNX operator -> llmos op table ------------------===//
//
// This file instantiates the generated operator table and its lookup.
//
//===----------------------------------------------------------------------===//

#include "OnnxOpTable.h"

#include "llmos/Dialect/Llmos/IR/LlmosTypes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;

namespace {
#include "llmos/Import/OnnxOpTable.inc"

bool isDefaultDomain(StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}
} // namespace

const OnnxAttrInfo *OnnxOpInfo::findAttribute(StringRef name) const {
  for (const OnnxAttrInfo &attr : attributes)
    if (name == attr.name)
      return &attr;
  return nullptr;
}

int OnnxOpInfo::versionAt(int64_t opset) const {
  int version = 0;
  for (int v : versions)
    if (v <= opset)
      version = v;
  return version;
}

const OnnxOpInfo *mlir::llmos::onnx_import::lookupOnnxOp(StringRef domain,
                                                         StringRef opType) {
  static const llvm::StringMap<const OnnxOpInfo *> index = [] {
    llvm::StringMap<const OnnxOpInfo *> map;
    for (const OnnxOpInfo &info : kOnnxOpTable)
      map[std::string(info.domain) + "::" + info.onnxName] = &info;
    return map;
  }();
  std::string key =
      (isDefaultDomain(domain) ? std::string() : domain.str()) + "::" +
      opType.str();
  auto it = index.find(key);
  return it == index.end() ? nullptr : it->second;
}

const OnnxOpInfo *
mlir::llmos::onnx_import::lookupOnnxOpByOpName(StringRef opName) {
  static const llvm::StringMap<const OnnxOpInfo *> index = [] {
    llvm::StringMap<const OnnxOpInfo *> map;
    for (const OnnxOpInfo &info : kOnnxOpTable)
      map[info.opName] = &info;
    return map;
  }();
  return index.lookup(opName);
}

ArrayRef<OnnxOpInfo> mlir::llmos::onnx_import::getOnnxOpTable() {
  return kOnnxOpTable;
}
