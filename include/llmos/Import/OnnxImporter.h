//===- OnnxImporter.h - ONNX model -> llmos dialect -------------*- C++ -*-===//
//
// This file declares the ONNX importer: it reads an ONNX ModelProto (with
// external data files), and builds one func.func in the llmos dialect whose
// result types come from shape inference. Every problem is reported as an
// MLIR diagnostic that names the file, the node and the tensor at fault;
// unsupported operators are all reported at once. The importer never aborts
// on bad input.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_IMPORT_ONNXIMPORTER_H
#define LLMOS_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::llmos {

struct ImportOptions {
  /// Shapes that replace the declared shapes of graph inputs (pinning
  /// symbolic dims), by input name; kDynamic entries stay dynamic. The empty
  /// name applies to the only input of a single-input model.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Initializers of at least this many bytes become `dense_resource`
  /// attributes that own the protobuf's buffer or map the external data
  /// file, instead of being copied into a `dense` attribute.
  size_t resourceThreshold = 256;
  /// The name of the generated function.
  std::string functionName = "main";
};

/// The newest ai.onnx opset the importer knows.
inline constexpr int64_t kMaxSupportedOpset = 28;
/// The newest ONNX IR version the importer knows.
inline constexpr int64_t kMaxSupportedIrVersion = 14;

/// Imports the ONNX model at `path`. External data files are resolved
/// relative to the model's directory. Returns null after emitting errors.
OwningOpRef<ModuleOp> importOnnxFile(MLIRContext *context, llvm::StringRef path,
                                     const ImportOptions &options = {});

/// Imports a serialized ModelProto held in memory; `name` names it in
/// diagnostics and `modelDir` resolves external data ("" forbids it).
OwningOpRef<ModuleOp> importOnnxBuffer(MLIRContext *context,
                                       llvm::StringRef buffer,
                                       llvm::StringRef name,
                                       llvm::StringRef modelDir,
                                       const ImportOptions &options = {});

/// Prints every supported ONNX operator with the opset versions its
/// definition changed in, one per line ("Conv 1,11 -> llmos.conv").
void printSupportedOperators(llvm::raw_ostream &os);

/// Parses a shape such as "1x3x224x224" or "?x128" ('?' = dynamic). Returns
/// std::nullopt when malformed.
std::optional<llvm::SmallVector<int64_t>> parseShapeSpec(llvm::StringRef spec);

} // namespace mlir::llmos

#endif // LLMOS_IMPORT_ONNXIMPORTER_H
