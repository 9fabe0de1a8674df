//===- TensorImport.cpp - ONNX types and tensors -> MLIR ------------------===//
//
// This file implements the conversion of ONNX data types, TypeProtos and
// TensorProtos. Tensor data comes from raw_data, the typed repeated fields
// or an external data file; big tensors become dense_resource attributes
// whose blob owns the protobuf's buffer or maps the external file, so the
// importer never holds a second copy of the weights.
//
//===----------------------------------------------------------------------===//

#include "TensorImport.h"

#include "llmos/Dialect/Llmos/IR/LlmosTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"

#include "onnx/onnx_pb.h"

#include <cstring>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;

namespace {

struct DTypeInfo {
  int64_t code;
  const char *name;
};

constexpr DTypeInfo kDTypes[] = {
    {1, "FLOAT"},          {2, "UINT8"},          {3, "INT8"},
    {4, "UINT16"},         {5, "INT16"},          {6, "INT32"},
    {7, "INT64"},          {8, "STRING"},         {9, "BOOL"},
    {10, "FLOAT16"},       {11, "DOUBLE"},        {12, "UINT32"},
    {13, "UINT64"},        {14, "COMPLEX64"},     {15, "COMPLEX128"},
    {16, "BFLOAT16"},      {17, "FLOAT8E4M3FN"},  {18, "FLOAT8E4M3FNUZ"},
    {19, "FLOAT8E5M2"},    {20, "FLOAT8E5M2FNUZ"}, {21, "UINT4"},
    {22, "INT4"},          {23, "FLOAT4E2M1"},    {24, "FLOAT8E8M0"},
    {25, "UINT2"},         {26, "INT2"},
};

/// Bits per element as stored in raw_data (packed for 4- and 2-bit types).
unsigned storageBits(int64_t dtype) {
  switch (dtype) {
  case 2: case 3: case 9: case 17: case 18: case 19: case 20: case 24:
    return 8;
  case 4: case 5: case 10: case 16:
    return 16;
  case 1: case 6: case 12:
    return 32;
  case 7: case 11: case 13: case 14:
    return 64;
  case 15:
    return 128;
  case 21: case 22: case 23:
    return 4;
  case 25: case 26:
    return 2;
  default:
    return 0;
  }
}

/// A blob's alignment: the largest power of two (up to 64) dividing the
/// address, which is what the data can honestly promise.
size_t alignmentOf(const void *data) {
  auto address = reinterpret_cast<uintptr_t>(data);
  size_t alignment = 64;
  while (alignment > 1 && address % alignment)
    alignment /= 2;
  return alignment;
}

std::string sanitizeBlobName(StringRef name) {
  std::string result;
  for (char c : name)
    result.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (result.empty() || llvm::isDigit(result[0]))
    result.insert(0, "w_");
  return result;
}

template <typename T>
void appendBytes(std::vector<char> &bytes, T value) {
  const char *p = reinterpret_cast<const char *>(&value);
  bytes.insert(bytes.end(), p, p + sizeof(T));
}

} // namespace

Type mlir::llmos::onnx_import::getElementTypeForDType(MLIRContext *context,
                                                      int64_t dtype) {
  Builder b(context);
  switch (dtype) {
  case 1: return b.getF32Type();
  case 2: return b.getIntegerType(8, /*isSigned=*/false);
  case 3: return b.getIntegerType(8);
  case 4: return b.getIntegerType(16, false);
  case 5: return b.getIntegerType(16);
  case 6: return b.getIntegerType(32);
  case 7: return b.getIntegerType(64);
  case 8: return StringType::get(context);
  case 9: return b.getIntegerType(1);
  case 10: return b.getF16Type();
  case 11: return b.getF64Type();
  case 12: return b.getIntegerType(32, false);
  case 13: return b.getIntegerType(64, false);
  case 14: return ComplexType::get(b.getF32Type());
  case 15: return ComplexType::get(b.getF64Type());
  case 16: return b.getBF16Type();
  case 17: return Float8E4M3FNType::get(context);
  case 18: return Float8E4M3FNUZType::get(context);
  case 19: return Float8E5M2Type::get(context);
  case 20: return Float8E5M2FNUZType::get(context);
  case 21: return b.getIntegerType(4, false);
  case 22: return b.getIntegerType(4);
  case 23: return Float4E2M1FNType::get(context);
  case 24: return Float8E8M0FNUType::get(context);
  case 25: return b.getIntegerType(2, false);
  case 26: return b.getIntegerType(2);
  default: return nullptr;
  }
}

StringRef mlir::llmos::onnx_import::getDTypeName(int64_t dtype) {
  for (const DTypeInfo &info : kDTypes)
    if (info.code == dtype)
      return info.name;
  return "";
}

int64_t mlir::llmos::onnx_import::getDTypeForName(StringRef name) {
  for (const DTypeInfo &info : kDTypes)
    if (name.equals_insensitive(info.name))
      return info.code;
  return -1;
}

FailureOr<Type> mlir::llmos::onnx_import::convertTypeProto(
    const onnx::TypeProto &proto, Location loc, StringRef what,
    std::vector<std::string> *dimNames) {
  MLIRContext *context = loc.getContext();
  switch (proto.value_case()) {
  case onnx::TypeProto::kTensorType: {
    const onnx::TypeProto::Tensor &tensor = proto.tensor_type();
    if (!tensor.has_elem_type() || tensor.elem_type() == 0)
      return emitError(loc) << what << " has no element type";
    Type elementType = getElementTypeForDType(context, tensor.elem_type());
    if (!elementType)
      return emitError(loc) << what << " has unknown element type "
                            << tensor.elem_type();
    if (!tensor.has_shape())
      return Type(UnrankedTensorType::get(elementType));
    SmallVector<int64_t> dims;
    for (const onnx::TensorShapeProto::Dimension &dim : tensor.shape().dim()) {
      std::string name;
      if (dim.has_dim_value() && dim.dim_value() >= 0) {
        dims.push_back(dim.dim_value());
      } else {
        // dim_param, nothing, or the -1 some exporters write: unknown.
        dims.push_back(ShapedType::kDynamic);
        if (dim.has_dim_param())
          name = dim.dim_param();
      }
      if (dimNames)
        dimNames->push_back(name);
    }
    return Type(RankedTensorType::get(dims, elementType));
  }
  case onnx::TypeProto::kSequenceType: {
    const onnx::TypeProto::Sequence &seq = proto.sequence_type();
    if (!seq.has_elem_type())
      return emitError(loc) << what << " is a sequence without element type";
    FailureOr<Type> element =
        convertTypeProto(seq.elem_type(), loc, what, nullptr);
    if (failed(element))
      return failure();
    auto tensor = dyn_cast<TensorType>(*element);
    if (!tensor)
      return emitError(loc) << what
                            << " is a sequence of non-tensors, which llmos "
                               "does not support";
    return Type(SequenceType::get(context, tensor));
  }
  case onnx::TypeProto::kOptionalType: {
    const onnx::TypeProto::Optional &opt = proto.optional_type();
    if (!opt.has_elem_type())
      return emitError(loc) << what << " is an optional without element type";
    FailureOr<Type> element =
        convertTypeProto(opt.elem_type(), loc, what, nullptr);
    if (failed(element))
      return failure();
    return Type(OptionalType::get(context, *element));
  }
  case onnx::TypeProto::kMapType:
    return emitError(loc) << what << " is a map, which llmos does not support";
  case onnx::TypeProto::kSparseTensorType:
    return emitError(loc) << what
                          << " is a sparse tensor, which llmos does not support";
  default:
    return emitError(loc) << what << " has no type";
  }
}

TensorConverter::TensorConverter(MLIRContext *context, StringRef modelDir,
                                 size_t resourceThreshold)
    : context(context), modelDir(modelDir.str()),
      resourceThreshold(resourceThreshold) {}

TensorConverter::~TensorConverter() = default;

FailureOr<std::shared_ptr<llvm::MemoryBuffer>>
TensorConverter::openExternalFile(StringRef location, Location loc,
                                  StringRef what) {
  if (modelDir.empty())
    return emitError(loc) << what << " refers to external data file '"
                          << location
                          << "', but the model was not loaded from a file";
  if (location.empty() || llvm::sys::path::is_absolute(location) ||
      llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                          llvm::sys::path::end(location)),
                         ".."))
    return emitError(loc) << what << " has external data location '"
                          << location
                          << "', which must be a relative path inside the "
                             "model's directory";
  SmallString<256> path(modelDir);
  llvm::sys::path::append(path, location);
  auto it = externalFiles.find(path);
  if (it != externalFiles.end())
    return it->second;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return emitError(loc) << what << ": cannot open external data file '"
                          << path << "': " << buffer.getError().message();
  std::shared_ptr<llvm::MemoryBuffer> shared = std::move(*buffer);
  externalFiles[path] = shared;
  return shared;
}

FailureOr<ElementsAttr> TensorConverter::convert(onnx::TensorProto &tensor,
                                                 Location loc,
                                                 StringRef what) {
  int64_t dtype = tensor.data_type();
  Type elementType = getElementTypeForDType(context, dtype);
  if (!elementType)
    return emitError(loc) << what << " has unknown data type " << dtype;
  if (tensor.has_segment())
    return emitError(loc) << what << " is segmented, which llmos does not support";
  SmallVector<int64_t> dims;
  uint64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0)
      return emitError(loc) << what << " has a negative dimension " << d;
    dims.push_back(d);
    // Keep the element count below 2^48: no real tensor is bigger, and the
    // byte sizes below then cannot overflow.
    if (d != 0 && count > (uint64_t(1) << 48) / uint64_t(d))
      return emitError(loc) << what << " has too many elements";
    count *= d;
  }
  auto type = RankedTensorType::get(dims, elementType);

  if (dtype == 8) { // STRING
    if (tensor.data_location() == onnx::TensorProto::EXTERNAL)
      return emitError(loc) << what << ": string tensors cannot be external";
    if (static_cast<uint64_t>(tensor.string_data_size()) != count)
      return emitError(loc) << what << " has " << tensor.string_data_size()
                            << " strings for " << count << " elements";
    SmallVector<StringRef> strings(tensor.string_data().begin(),
                                   tensor.string_data().end());
    return ElementsAttr(DenseStringElementsAttr::get(type, strings));
  }

  unsigned bits = storageBits(dtype);
  uint64_t byteSize = (count * bits + 7) / 8;

  // Locate or build the little-endian bytes of the tensor.
  ArrayRef<char> bytes;
  std::vector<char> converted;
  std::shared_ptr<llvm::MemoryBuffer> mapped;
  std::unique_ptr<std::string> owned;
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string location;
    uint64_t offset = 0;
    std::optional<uint64_t> length;
    for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
      if (entry.key() == "location") {
        location = entry.value();
      } else if (entry.key() == "offset" || entry.key() == "length") {
        uint64_t value;
        if (StringRef(entry.value()).getAsInteger(10, value))
          return emitError(loc) << what << " has an invalid external data "
                                << entry.key() << " '" << entry.value() << "'";
        if (entry.key() == "offset")
          offset = value;
        else
          length = value;
      }
    }
    FailureOr<std::shared_ptr<llvm::MemoryBuffer>> file =
        openExternalFile(location, loc, what);
    if (failed(file))
      return failure();
    mapped = *file;
    uint64_t size = length.value_or(byteSize);
    if (size != byteSize)
      return emitError(loc) << what << " has external data length " << size
                            << ", but its shape and type need " << byteSize
                            << " bytes";
    if (offset > mapped->getBufferSize() ||
        size > mapped->getBufferSize() - offset)
      return emitError(loc) << what << " reads bytes " << offset << ".."
                            << offset + size << " of '" << location
                            << "', which has only " << mapped->getBufferSize()
                            << " bytes";
    bytes = ArrayRef<char>(mapped->getBufferStart() + offset, size);
  } else if (tensor.has_raw_data()) {
    if (tensor.raw_data().size() != byteSize)
      return emitError(loc) << what << " has " << tensor.raw_data().size()
                            << " bytes of raw data, but its shape and type "
                               "need "
                            << byteSize;
    owned.reset(tensor.release_raw_data());
    bytes = ArrayRef<char>(owned->data(), owned->size());
  } else {
    // Typed repeated fields. (No reserve before the counts are checked: the
    // dims of a malformed tensor may claim terabytes.)
    auto mismatch = [&](int64_t have) {
      return emitError(loc) << what << " has " << have << " values for "
                            << count << " elements of type "
                            << getDTypeName(dtype);
    };
    switch (dtype) {
    case 1: case 14: {
      uint64_t per = dtype == 14 ? 2 : 1;
      if (static_cast<uint64_t>(tensor.float_data_size()) != count * per)
        return mismatch(tensor.float_data_size());
      for (float v : tensor.float_data())
        appendBytes(converted, v);
      break;
    }
    case 11: case 15: {
      uint64_t per = dtype == 15 ? 2 : 1;
      if (static_cast<uint64_t>(tensor.double_data_size()) != count * per)
        return mismatch(tensor.double_data_size());
      for (double v : tensor.double_data())
        appendBytes(converted, v);
      break;
    }
    case 7:
      if (static_cast<uint64_t>(tensor.int64_data_size()) != count)
        return mismatch(tensor.int64_data_size());
      for (int64_t v : tensor.int64_data())
        appendBytes(converted, v);
      break;
    case 12: case 13:
      if (static_cast<uint64_t>(tensor.uint64_data_size()) != count)
        return mismatch(tensor.uint64_data_size());
      for (uint64_t v : tensor.uint64_data()) {
        if (dtype == 12)
          appendBytes(converted, static_cast<uint32_t>(v));
        else
          appendBytes(converted, v);
      }
      break;
    case 21: case 22: case 23: case 25: case 26: {
      // Packed 4- and 2-bit values, one byte of them per int32.
      if (static_cast<uint64_t>(tensor.int32_data_size()) != byteSize)
        return mismatch(tensor.int32_data_size());
      for (int32_t v : tensor.int32_data())
        appendBytes(converted, static_cast<uint8_t>(v));
      break;
    }
    default: {
      // int32_data holds every type of 32 bits or fewer, one per int32.
      if (static_cast<uint64_t>(tensor.int32_data_size()) != count)
        return mismatch(tensor.int32_data_size());
      for (int32_t v : tensor.int32_data()) {
        switch (bits) {
        case 8: appendBytes(converted, static_cast<uint8_t>(v)); break;
        case 16: appendBytes(converted, static_cast<uint16_t>(v)); break;
        default: appendBytes(converted, v); break;
        }
      }
      break;
    }
    }
    bytes = converted;
  }

  // Bools and 4-bit types are stored one per byte in MLIR attributes.
  if (dtype == 9) {
    SmallVector<bool> values;
    values.reserve(count);
    for (char c : bytes)
      values.push_back(c != 0);
    return ElementsAttr(DenseElementsAttr::get(type, values));
  }
  if (bits < 8) {
    // 4- and 2-bit values, low bits first; a byte each in the attribute,
    // signed ones sign-extended.
    unsigned perByte = 8 / bits, mask = (1u << bits) - 1;
    bool isSigned = dtype == 22 || dtype == 26;
    std::vector<char> unpacked;
    unpacked.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      uint8_t byte = static_cast<uint8_t>(bytes[i / perByte]);
      uint8_t value = (byte >> ((i % perByte) * bits)) & mask;
      if (isSigned && (value >> (bits - 1)))
        value |= static_cast<uint8_t>(~mask);
      unpacked.push_back(static_cast<char>(value));
    }
    return ElementsAttr(DenseElementsAttr::getFromRawBuffer(type, unpacked));
  }

  if (bytes.size() < resourceThreshold || count <= 1) {
    bool splat = false;
    if (!DenseElementsAttr::isValidRawBuffer(type, bytes, splat))
      return emitError(loc) << what << " has data that does not fit its type";
    return ElementsAttr(DenseElementsAttr::getFromRawBuffer(type, bytes));
  }

  // Big tensors: a resource blob that owns (or maps) the bytes, no copy.
  AsmResourceBlob blob;
  if (mapped) {
    blob = AsmResourceBlob(
        bytes, alignmentOf(bytes.data()),
        [mapped](void *, size_t, size_t) mutable { mapped.reset(); },
        /*dataIsMutable=*/false);
  } else if (owned) {
    std::string *raw = owned.release();
    blob = AsmResourceBlob(
        bytes, alignmentOf(bytes.data()),
        [raw](void *, size_t, size_t) { delete raw; },
        /*dataIsMutable=*/false);
  } else {
    auto *vec = new std::vector<char>(std::move(converted));
    ArrayRef<char> data(vec->data(), vec->size());
    blob = AsmResourceBlob(
        data, alignmentOf(data.data()),
        [vec](void *, size_t, size_t) { delete vec; },
        /*dataIsMutable=*/false);
  }
  std::string name = sanitizeBlobName(tensor.name());
  return ElementsAttr(
      DenseResourceElementsAttr::get(type, name, std::move(blob)));
}

FailureOr<ElementsAttr>
TensorConverter::convertSparse(onnx::SparseTensorProto &sparse, Location loc,
                               StringRef what) {
  FailureOr<ElementsAttr> values = convert(*sparse.mutable_values(), loc, what);
  FailureOr<ElementsAttr> indices =
      convert(*sparse.mutable_indices(), loc, what);
  if (failed(values) || failed(indices))
    return failure();
  SmallVector<int64_t> dims(sparse.dims().begin(), sparse.dims().end());
  uint64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0 || (d != 0 && count > (uint64_t(1) << 32) / uint64_t(d)))
      return emitError(loc) << what << " has invalid dims";
    count *= d;
  }
  auto valueAttr = dyn_cast<DenseElementsAttr>(*values);
  auto indexAttr = dyn_cast<DenseIntElementsAttr>(*indices);
  if (!valueAttr || !indexAttr || isa<StringType>(valueAttr.getElementType()))
    return emitError(loc) << what << " has unsupported sparse values";
  int64_t nnz = valueAttr.getNumElements();
  ArrayRef<int64_t> indexShape = indexAttr.getType().getShape();
  bool linear = indexShape.size() == 1;
  if ((linear && indexShape[0] != nnz) ||
      (!linear && (indexShape.size() != 2 || indexShape[0] != nnz ||
                   indexShape[1] != static_cast<int64_t>(dims.size()))))
    return emitError(loc) << what << " has indices of the wrong shape";
  SmallVector<int64_t> flat;
  SmallVector<int64_t> idx;
  for (const APInt &v : indexAttr.getValues<APInt>())
    idx.push_back(v.getSExtValue());
  for (int64_t i = 0; i < nnz; ++i) {
    int64_t offset = 0;
    if (linear) {
      offset = idx[i];
    } else {
      for (size_t d = 0; d < dims.size(); ++d) {
        int64_t c = idx[i * dims.size() + d];
        if (c < 0 || c >= dims[d])
          return emitError(loc) << what << " has an index out of bounds";
        offset = offset * dims[d] + c;
      }
    }
    if (offset < 0 || static_cast<uint64_t>(offset) >= count)
      return emitError(loc) << what << " has an index out of bounds";
    flat.push_back(offset);
  }
  auto type = RankedTensorType::get(dims, valueAttr.getElementType());
  ArrayRef<char> raw = valueAttr.getRawData();
  if (count > (uint64_t(1) << 31) / 16)
    return emitError(loc) << what << " is a sparse tensor too large to make "
                          << "dense (" << count << " elements)";
  size_t width = valueAttr.isSplat() ? raw.size() : raw.size() / std::max<int64_t>(nnz, 1);
  if (valueAttr.getElementType().isInteger(1))
    return emitError(loc) << what << ": sparse bool tensors are not supported";
  std::vector<char> dense(count * width, 0);
  for (int64_t i = 0; i < nnz; ++i)
    std::memcpy(dense.data() + flat[i] * width,
                raw.data() + (valueAttr.isSplat() ? 0 : i * width), width);
  return ElementsAttr(DenseElementsAttr::getFromRawBuffer(type, dense));
}
