//===- OnnxImporter.cpp - ONNX importer entry points ----------------------===//
//
// This file implements the importer's public API: reading a ModelProto from
// a file (streamed, so the file is never held in memory next to the parsed
// weights) or a buffer, with clear errors for files that are missing,
// empty, truncated, too large or not ONNX at all.
//
//===----------------------------------------------------------------------===//

#include "llmos/Import/OnnxImporter.h"

#include "ModelImporter.h"
#include "OnnxOpTable.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "onnx/onnx_pb.h"

#include <fcntl.h>
#include <unistd.h>

#include <climits>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/stubs/logging.h>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;

namespace {
/// Protobuf logs parse problems to stderr; the importer reports its own.
void silenceProtobuf() {
  static bool done = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)done;
}
} // namespace

OwningOpRef<ModuleOp> mlir::llmos::importOnnxFile(MLIRContext *context,
                                                  StringRef path,
                                                  const ImportOptions &options) {
  silenceProtobuf();
  Location loc = FileLineColLoc::get(context, path, 0, 0);
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status)) {
    emitError(loc) << "cannot open the model: " << ec.message();
    return nullptr;
  }
  if (llvm::sys::fs::is_directory(status)) {
    emitError(loc) << "is a directory, not an ONNX model file";
    return nullptr;
  }
  if (status.getSize() == 0) {
    emitError(loc) << "is empty, not an ONNX model";
    return nullptr;
  }
  if (status.getSize() >= static_cast<uint64_t>(INT_MAX)) {
    emitError(loc) << "is " << status.getSize()
                   << " bytes; protobuf cannot read ONNX files of 2 GiB or "
                      "more. Save the model with its weights in external "
                      "data files";
    return nullptr;
  }
  int fd = ::open(path.str().c_str(), O_RDONLY);
  if (fd < 0) {
    emitError(loc) << "cannot open the model: "
                   << std::error_code(errno, std::generic_category()).message();
    return nullptr;
  }
  onnx::ModelProto model;
  {
    google::protobuf::io::FileInputStream raw(fd);
    raw.SetCloseOnDelete(true);
    google::protobuf::io::CodedInputStream coded(&raw);
    coded.SetTotalBytesLimit(INT_MAX);
    if (!model.ParseFromCodedStream(&coded) ||
        !coded.ConsumedEntireMessage()) {
      emitError(loc) << "is not a valid ONNX model: the protobuf data is "
                        "malformed or truncated";
      return nullptr;
    }
  }
  SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  ModelImporter importer(context, options, path, dir);
  return importer.import(model);
}

OwningOpRef<ModuleOp> mlir::llmos::importOnnxBuffer(
    MLIRContext *context, StringRef buffer, StringRef name, StringRef modelDir,
    const ImportOptions &options) {
  silenceProtobuf();
  Location loc = FileLineColLoc::get(context, name, 0, 0);
  if (buffer.empty()) {
    emitError(loc) << "is empty, not an ONNX model";
    return nullptr;
  }
  if (buffer.size() >= static_cast<size_t>(INT_MAX)) {
    emitError(loc) << "is too large to parse";
    return nullptr;
  }
  onnx::ModelProto model;
  if (!model.ParseFromArray(buffer.data(), static_cast<int>(buffer.size()))) {
    emitError(loc) << "is not a valid ONNX model: the protobuf data is "
                      "malformed or truncated";
    return nullptr;
  }
  ModelImporter importer(context, options, name, modelDir);
  return importer.import(model);
}

void mlir::llmos::printSupportedOperators(llvm::raw_ostream &os) {
  std::vector<const OnnxOpInfo *> ops;
  for (const OnnxOpInfo &info : getOnnxOpTable())
    ops.push_back(&info);
  std::sort(ops.begin(), ops.end(), [](const OnnxOpInfo *a, const OnnxOpInfo *b) {
    return StringRef(a->onnxName) < StringRef(b->onnxName);
  });
  for (const OnnxOpInfo *info : ops) {
    os << info->onnxName << " (opsets ";
    llvm::interleave(info->versions, os, ",");
    os << ") -> " << info->opName << "\n";
  }
  printDecompositions(os);
  os << "Upsample (opsets 7-10) -> llmos.resize\n";
  os << "Scatter (opsets 9-10) -> llmos.scatter_elements\n";
  os << "Constant -> llmos.constant\n";
}

std::optional<SmallVector<int64_t>>
mlir::llmos::parseShapeSpec(StringRef spec) {
  SmallVector<int64_t> dims;
  spec = spec.trim();
  if (spec.empty())
    return dims; // a scalar
  SmallVector<StringRef> parts;
  spec.split(parts, 'x');
  for (StringRef part : parts) {
    part = part.trim();
    if (part == "?") {
      dims.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t value;
    if (part.getAsInteger(10, value) || value < 0)
      return std::nullopt;
    dims.push_back(value);
  }
  return dims;
}
