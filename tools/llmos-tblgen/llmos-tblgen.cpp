//===- llmos-tblgen.cpp - TableGen backends of llmos ----------------------===//
//
// This file implements llmos-tblgen: mlir-tblgen's driver plus one backend,
// -gen-onnx-import-table, which derives the ONNX importer's operator table
// from the llmos op definitions so that ODS stays the single source of truth
// for operand, result, attribute and region structure.
//
//===----------------------------------------------------------------------===//

#include "mlir/TableGen/Argument.h"
#include "mlir/TableGen/Attribute.h"
#include "mlir/TableGen/Format.h"
#include "mlir/TableGen/GenInfo.h"
#include "mlir/TableGen/Operator.h"
#include "mlir/Tools/mlir-tblgen/MlirTblgenMain.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/TableGen/Error.h"
#include "llvm/TableGen/Record.h"
#include "llvm/TableGen/TableGenBackend.h"

#include <map>

using namespace mlir;
using llvm::Record;
using llvm::RecordKeeper;

namespace {

const char *argKind(const tblgen::NamedTypeConstraint &arg) {
  if (arg.isVariadic())
    return "Variadic";
  if (arg.isOptional())
    return "Optional";
  return "Required";
}

/// Maps an ODS attribute to the ONNX attribute kind the importer converts to.
const char *attrKind(const tblgen::Attribute &attr) {
  StringRef storage = attr.getBaseAttr().getStorageType().trim();
  static const std::map<std::string, const char *> kinds = {
      {"::mlir::IntegerAttr", "Int"},      {"::mlir::FloatAttr", "Float"},
      {"::mlir::StringAttr", "String"},    {"::mlir::DenseI64ArrayAttr", "Ints"},
      {"::mlir::DenseF32ArrayAttr", "Floats"}, {"::mlir::ArrayAttr", "Strings"},
      {"::mlir::TypeAttr", "Type"},        {"::mlir::ElementsAttr", "Tensor"},
  };
  auto it = kinds.find(storage.str());
  return it == kinds.end() ? nullptr : it->second;
}

bool emitOnnxImportTable(const RecordKeeper &records, raw_ostream &os) {
  llvm::emitSourceFileHeader("ONNX importer operator table", os, records);
  // One checker function per distinct operand type constraint.
  std::map<std::string, std::string> checkers; // condition -> function name
  std::string checkerDefs;
  llvm::raw_string_ostream checkerOs(checkerDefs);
  auto getChecker = [&](const tblgen::NamedTypeConstraint &arg) {
    tblgen::FmtContext ctx;
    ctx.withSelf("type");
    std::string condition =
        tblgen::tgfmt(arg.constraint.getConditionTemplate(), &ctx).str();
    auto [it, inserted] = checkers.try_emplace(
        condition, "checkOperandType" + std::to_string(checkers.size()));
    if (inserted)
      checkerOs << "static bool " << it->second << "(::mlir::Type type) {\n"
                << "  return " << condition << ";\n}\n";
    return it->second;
  };

  std::vector<std::string> rows;
  std::string body;
  llvm::raw_string_ostream bodyOs(body);
  for (const Record *def : records.getAllDerivedDefinitions("Op")) {
    if (!def->getValue("onnxName"))
      continue;
    tblgen::Operator op(def);
    std::string id = op.getCppClassName().str();
    std::string name = def->getValueAsString("onnxName").str();
    std::string domain = def->getValueAsString("onnxDomain").str();

    bodyOs << "static const int kVersions_" << id << "[] = {";
    llvm::interleaveComma(def->getValueAsListOfInts("onnxVersions"), bodyOs);
    bodyOs << "};\n";

    int numOperands = op.getNumOperands();
    if (numOperands) {
      bodyOs << "static const OnnxArgInfo kOperands_" << id << "[] = {";
      for (int i = 0; i < numOperands; ++i) {
        const tblgen::NamedTypeConstraint &arg = op.getOperand(i);
        bodyOs << (i ? ", " : "") << "{\"" << arg.name
               << "\", OnnxArgKind::" << argKind(arg) << ", " << getChecker(arg)
               << ", \"" << llvm::StringRef(arg.constraint.getSummary()) << "\"}";
      }
      bodyOs << "};\n";
    }
    int numResults = op.getNumResults();
    if (numResults) {
      bodyOs << "static const OnnxArgInfo kResults_" << id << "[] = {";
      for (int i = 0; i < numResults; ++i) {
        const tblgen::NamedTypeConstraint &arg = op.getResult(i);
        bodyOs << (i ? ", " : "") << "{\"" << arg.name
               << "\", OnnxArgKind::" << argKind(arg) << ", nullptr, \"\"}";
      }
      bodyOs << "};\n";
    }

    int numAttrs = op.getNumNativeAttributes();
    if (numAttrs) {
      bodyOs << "static const OnnxAttrInfo kAttrs_" << id << "[] = {";
      for (int i = 0; i < numAttrs; ++i) {
        const tblgen::NamedAttribute &named = op.getAttribute(i);
        const char *kind = attrKind(named.attr);
        if (!kind)
          llvm::PrintFatalError(def->getLoc(),
                                "attribute '" + named.name +
                                    "' has a storage type the ONNX importer "
                                    "cannot convert to");
        bool required = !named.attr.isOptional() &&
                        !named.attr.hasDefaultValue();
        bodyOs << (i ? ", " : "") << "{\"" << named.name
               << "\", OnnxAttrKind::" << kind << ", "
               << (required ? "true" : "false") << "}";
      }
      bodyOs << "};\n";
    }
    int numRegions = op.getNumRegions();
    if (numRegions) {
      bodyOs << "static const char *const kRegions_" << id << "[] = {";
      for (int i = 0; i < numRegions; ++i)
        bodyOs << (i ? ", " : "") << "\"" << op.getRegion(i).name << "\"";
      bodyOs << "};\n";
    }
    bool segments =
        op.getTrait("::mlir::OpTrait::AttrSizedOperandSegments") != nullptr;
    auto ref = [&](StringRef kind, int count) {
      return count ? llvm::formatv("{{k{0}_{1}}", kind, id).str()
                   : std::string("{}");
    };
    rows.push_back(llvm::formatv(
        "  {{\"{0}\", \"{1}\", \"{2}\", {3}, {4}, {5}, {6}, {7}, {8}},\n",
        domain, name, op.getOperationName(), ref("Versions", 1),
        ref("Operands", numOperands), ref("Results", numResults),
        ref("Attrs", numAttrs), ref("Regions", numRegions),
        segments ? "true" : "false"));
  }
  os << checkerDefs << "\n" << body;
  os << "\nstatic const OnnxOpInfo kOnnxOpTable[] = {\n";
  for (const std::string &row : rows)
    os << row;
  os << "};\n";
  return false;
}

mlir::GenRegistration genOnnxImportTable(
    "gen-onnx-import-table",
    "Generate the ONNX importer's operator table from llmos op definitions",
    emitOnnxImportTable);

} // namespace

int main(int argc, char **argv) { return mlir::MlirTblgenMain(argc, argv); }
