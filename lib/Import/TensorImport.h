//===- TensorImport.h - ONNX types and tensors -> MLIR ----------*- C++ -*-===//
//
// Conversion of ONNX data types, TypeProtos and TensorProtos (inline, typed
// fields or external data files) to MLIR types and attributes.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_LIB_IMPORT_TENSORIMPORT_H
#define LLMOS_LIB_IMPORT_TENSORIMPORT_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Types.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
class TypeProto;
class SparseTensorProto;
} // namespace onnx

namespace mlir::llmos::onnx_import {

/// The MLIR element type of ONNX data type code `dtype`, or null.
Type getElementTypeForDType(MLIRContext *context, int64_t dtype);
/// The ONNX name of a data type code ("FLOAT", ...), or "" when unknown.
llvm::StringRef getDTypeName(int64_t dtype);
/// The data type code of an ONNX type name such as "FLOAT" (Cast-1), or -1.
int64_t getDTypeForName(llvm::StringRef name);

/// Converts a TypeProto. `dimNames` receives the symbolic name of each dim
/// ("" where none). Emits an error at `loc` about `what` and fails for
/// missing, unknown or unsupported types.
FailureOr<Type> convertTypeProto(const onnx::TypeProto &proto, Location loc,
                                 llvm::StringRef what,
                                 std::vector<std::string> *dimNames = nullptr);

/// Converts TensorProtos to ElementsAttr. Large tensors become
/// dense_resource attributes that take over the protobuf's buffer or point
/// into a read-only memory map of the external data file, so weights are
/// never held twice.
class TensorConverter {
public:
  TensorConverter(MLIRContext *context, llvm::StringRef modelDir,
                  size_t resourceThreshold);
  ~TensorConverter();

  /// Converts `tensor`, possibly moving its data out. `what` names the
  /// tensor in errors (e.g. "initializer 'w'").
  FailureOr<ElementsAttr> convert(onnx::TensorProto &tensor, Location loc,
                                  llvm::StringRef what);
  /// Converts a COO sparse tensor to a dense attribute.
  FailureOr<ElementsAttr> convertSparse(onnx::SparseTensorProto &tensor,
                                        Location loc, llvm::StringRef what);

private:
  FailureOr<std::shared_ptr<llvm::MemoryBuffer>>
  openExternalFile(llvm::StringRef location, Location loc,
                   llvm::StringRef what);

  MLIRContext *context;
  std::string modelDir;
  size_t resourceThreshold;
  llvm::StringMap<std::shared_ptr<llvm::MemoryBuffer>> externalFiles;
};

} // namespace mlir::llmos::onnx_import

#endif // LLMOS_LIB_IMPORT_TENSORIMPORT_H
