//===- TensorIO.cpp - Tensors from and to .pb and .npy files --------------===//
//
// This file implements reading and writing tensors as ONNX TensorProto files
// (the format of the ONNX backend test data) and NumPy .npy files, and
// sequences and optionals as ONNX SequenceProto and OptionalProto files. The
// protobuf wire format is decoded by hand so that the runtime depends on
// nothing but the C++ standard library.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

using namespace llmos::rt;

namespace {

std::string readAll(const char *path, bool &ok) {
  std::ifstream file(path, std::ios::binary);
  ok = static_cast<bool>(file);
  if (!ok)
    return {};
  return std::string(std::istreambuf_iterator<char>(file), {});
}

//===----------------------------------------------------------------------===//
// TensorProto
//===----------------------------------------------------------------------===//

/// A cursor over protobuf wire-format bytes.
class WireReader {
public:
  WireReader(const char *begin, const char *end) : p(begin), end(end) {}
  bool done() const { return p >= end; }
  bool varint(uint64_t &value) {
    value = 0;
    for (int shift = 0; shift < 64 && p < end; shift += 7) {
      uint8_t byte = static_cast<uint8_t>(*p++);
      value |= uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return true;
    }
    return false;
  }
  bool bytes(size_t n, const char *&out) {
    if ((size_t)(end - p) < n)
      return false;
    out = p;
    p += n;
    return true;
  }

private:
  const char *p, *end;
};

struct ProtoTensor {
  std::vector<int64_t> dims;
  int64_t dtype = 0;
  std::string name, raw;
  bool hasRaw = false;
  std::vector<uint64_t> ints;  // int32_data / int64_data / uint64_data
  std::vector<char> fixed32;   // float_data
  std::vector<char> fixed64;   // double_data
  bool external = false;
  std::vector<std::string> strings; // string_data
};

/// Repeated numeric fields arrive packed or one value per field.
bool readRepeatedVarints(WireReader &in, int wireType,
                         std::vector<uint64_t> &out) {
  uint64_t value;
  if (wireType == 0) {
    if (!in.varint(value))
      return false;
    out.push_back(value);
    return true;
  }
  uint64_t length;
  const char *data;
  if (wireType != 2 || !in.varint(length) || !in.bytes(length, data))
    return false;
  WireReader packed(data, data + length);
  while (!packed.done()) {
    if (!packed.varint(value))
      return false;
    out.push_back(value);
  }
  return true;
}

bool readRepeatedFixed(WireReader &in, int wireType, int size,
                       std::vector<char> &out) {
  const char *data;
  if (wireType == (size == 4 ? 5 : 1)) {
    if (!in.bytes(size, data))
      return false;
    out.insert(out.end(), data, data + size);
    return true;
  }
  uint64_t length;
  if (wireType != 2 || !in.varint(length) || !in.bytes(length, data) ||
      length % size)
    return false;
  out.insert(out.end(), data, data + length);
  return true;
}

bool skipField(WireReader &in, int wireType) {
  uint64_t value;
  const char *data;
  switch (wireType) {
  case 0: return in.varint(value);
  case 1: return in.bytes(8, data);
  case 2: return in.varint(value) && in.bytes(value, data);
  case 5: return in.bytes(4, data);
  default: return false;
  }
}

bool parseTensorProto(const std::string &bytes, ProtoTensor &t) {
  WireReader in(bytes.data(), bytes.data() + bytes.size());
  while (!in.done()) {
    uint64_t key;
    if (!in.varint(key))
      return false;
    int field = static_cast<int>(key >> 3), wireType = key & 7;
    uint64_t value, length;
    const char *data;
    switch (field) {
    case 1: { // dims
      std::vector<uint64_t> dims;
      if (!readRepeatedVarints(in, wireType, dims))
        return false;
      for (uint64_t d : dims)
        t.dims.push_back(static_cast<int64_t>(d));
      break;
    }
    case 2: // data_type
      if (wireType != 0 || !in.varint(value))
        return false;
      t.dtype = static_cast<int64_t>(value);
      break;
    case 4: // float_data
      if (!readRepeatedFixed(in, wireType, 4, t.fixed32))
        return false;
      break;
    case 5: case 7: case 11: // int32_data, int64_data, uint64_data
      if (!readRepeatedVarints(in, wireType, t.ints))
        return false;
      break;
    case 6: // string_data
      if (wireType != 2 || !in.varint(length) || !in.bytes(length, data))
        return false;
      t.strings.emplace_back(data, length);
      break;
    case 8: case 9: // name, raw_data
      if (wireType != 2 || !in.varint(length) || !in.bytes(length, data))
        return false;
      (field == 8 ? t.name : t.raw).assign(data, length);
      t.hasRaw |= field == 9;
      break;
    case 10: // double_data
      if (!readRepeatedFixed(in, wireType, 8, t.fixed64))
        return false;
      break;
    case 14: // data_location
      if (wireType != 0 || !in.varint(value))
        return false;
      t.external = value == 1;
      break;
    default:
      if (!skipField(in, wireType))
        return false;
    }
  }
  return true;
}

/// The width of a type that ONNX files pack below a byte, else 0.
int packedBits(llmos_dtype dtype) {
  switch (dtype) {
  case LLMOS_UINT4:
  case LLMOS_INT4:
  case LLMOS_FLOAT4E2M1:
    return 4;
  case LLMOS_UINT2:
  case LLMOS_INT2:
    return 2;
  default:
    return 0;
  }
}

/// The in-memory byte of a packed element (its low bits hold it): signed
/// integers sign-extended, the others zero-extended.
uint8_t unpackElement(llmos_dtype dtype, unsigned bits) {
  switch (dtype) {
  case LLMOS_INT4:
    return static_cast<uint8_t>(static_cast<int8_t>((bits & 0xF) << 4) >> 4);
  case LLMOS_INT2:
    return static_cast<uint8_t>(static_cast<int8_t>((bits & 0x3) << 6) >> 6);
  case LLMOS_UINT2:
    return bits & 0x3;
  default:
    return bits & 0xF;
  }
}

llmos_status *readProto(const char *path, const std::string &bytes,
                        llmos_tensor **out, char **name) {
  ProtoTensor t;
  if (!parseTensorProto(bytes, t))
    return makeStatus(LLMOS_IO_ERROR, "%s: not a valid TensorProto", path);
  if (t.external)
    return makeStatus(LLMOS_UNSUPPORTED,
                      "%s: tensors with external data are not supported",
                      path);
  auto dtype = static_cast<llmos_dtype>(t.dtype);
  if (dtype == LLMOS_STRING) {
    int64_t count = countElements(t.dims.data(), t.dims.size());
    if (count < 0 || (size_t)count != t.strings.size())
      return makeStatus(LLMOS_IO_ERROR, "%s: %zu strings for %lld elements",
                        path, t.strings.size(), (long long)count);
    std::vector<const char *> texts;
    std::vector<size_t> lengths;
    for (const std::string &text : t.strings) {
      texts.push_back(text.data());
      lengths.push_back(text.size());
    }
    if (llmos_status *status = llmos_tensor_create_strings(
            t.dims.size(), t.dims.data(), texts.data(), lengths.data(), out))
      return status;
    if (name)
      *name = t.name.empty() ? nullptr : strdup(t.name.c_str());
    return nullptr;
  }
  size_t size = llmos_dtype_size(dtype);
  if (!size)
    return makeStatus(LLMOS_UNSUPPORTED, "%s: data type %lld is not supported",
                      path, (long long)t.dtype);
  int64_t count = countElements(t.dims.data(), t.dims.size());
  if (count < 0)
    return makeStatus(LLMOS_IO_ERROR, "%s: invalid dims", path);
  std::vector<char> data;
  if (int bits = packedBits(dtype)) {
    // 4- and 2-bit types are packed, low bits first, in raw_data or (a byte
    // per int32) in int32_data; in memory each takes a byte.
    std::vector<uint8_t> packed;
    if (t.hasRaw)
      packed.assign(t.raw.begin(), t.raw.end());
    else
      for (int64_t v : t.ints)
        packed.push_back(static_cast<uint8_t>(v));
    size_t perByte = 8 / bits;
    if (packed.size() != ((size_t)count + perByte - 1) / perByte)
      return makeStatus(LLMOS_IO_ERROR,
                        "%s: %zu bytes of packed data for %lld elements of "
                        "%s",
                        path, packed.size(), (long long)count,
                        llmos_dtype_name(dtype));
    data.resize(count);
    for (int64_t i = 0; i < count; ++i)
      data[i] = static_cast<char>(unpackElement(
          dtype, packed[i / perByte] >> ((i % perByte) * bits)));
  } else if (t.hasRaw) {
    data.assign(t.raw.begin(), t.raw.end());
  } else if (dtype == LLMOS_FLOAT32) {
    data = t.fixed32;
  } else if (dtype == LLMOS_FLOAT64) {
    data = t.fixed64;
  } else {
    // Integer types (and 16-bit floats as their bits) in varint fields.
    data.resize(t.ints.size() * size);
    for (size_t i = 0; i < t.ints.size(); ++i)
      std::memcpy(data.data() + i * size, &t.ints[i], size);
  }
  if (data.size() != (size_t)count * size)
    return makeStatus(LLMOS_IO_ERROR,
                      "%s: %zu bytes of data for %lld elements of %s", path,
                      data.size(), (long long)count, llmos_dtype_name(dtype));
  if (llmos_status *status = llmos_tensor_create_copy(
          dtype, t.dims.size(), t.dims.data(), data.data(), data.size(), out))
    return status;
  if (name)
    *name = t.name.empty() ? nullptr : strdup(t.name.c_str());
  return nullptr;
}

void writeVarint(std::string &out, uint64_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    out.push_back(static_cast<char>(byte | (value ? 0x80 : 0)));
  } while (value);
}

std::string encodeProto(const llmos_tensor *tensor, const char *name) {
  std::string out, dims;
  for (int64_t d : tensor->dims)
    writeVarint(dims, static_cast<uint64_t>(d));
  if (!tensor->dims.empty()) {
    writeVarint(out, (1 << 3) | 2);
    writeVarint(out, dims.size());
    out += dims;
  }
  writeVarint(out, (2 << 3) | 0);
  writeVarint(out, static_cast<uint64_t>(tensor->dtype));
  if (name && *name) {
    writeVarint(out, (8 << 3) | 2);
    writeVarint(out, strlen(name));
    out += name;
  }
  if (tensor->dtype == LLMOS_STRING) {
    for (int64_t i = 0; i < tensor->numElements; ++i) {
      size_t length;
      const char *text = llmos_tensor_string_at(tensor, i, &length);
      writeVarint(out, (6 << 3) | 2);
      writeVarint(out, length);
      out.append(text, length);
    }
    return out;
  }
  writeVarint(out, (9 << 3) | 2);
  if (int bits = packedBits(tensor->dtype)) {
    size_t perByte = 8 / bits;
    std::string packed((tensor->numElements + perByte - 1) / perByte, '\0');
    const auto *elements = static_cast<const uint8_t *>(tensor->data);
    uint8_t mask = static_cast<uint8_t>((1u << bits) - 1);
    for (int64_t i = 0; i < tensor->numElements; ++i)
      packed[i / perByte] = static_cast<char>(
          packed[i / perByte] | (elements[i] & mask) << ((i % perByte) * bits));
    writeVarint(out, packed.size());
    out += packed;
    return out;
  }
  writeVarint(out, tensor->bytes);
  out.append(static_cast<const char *>(tensor->data), tensor->bytes);
  return out;
}

//===----------------------------------------------------------------------===//
// SequenceProto and OptionalProto
//===----------------------------------------------------------------------===//

// Their fields: name = 1, elem_type = 2, then the element(s) by kind:
// tensor = 3, sparse tensor = 4, sequence = 5, map = 6, optional = 7.
enum ProtoElemType { kUndefined = 0, kTensor = 1, kSequence = 3,
                     kOptional = 5 };

llmos_status *readValueProto(const char *path, const std::string &bytes,
                             llmos_value_kind kind, llmos_dtype dtype,
                             llmos_value **out, char **name);

/// A SequenceProto (`kind` sequence) or OptionalProto.
llmos_status *readContainer(const char *path, const std::string &bytes,
                            llmos_value_kind kind, llmos_dtype dtype,
                            llmos_value **out, char **name) {
  WireReader in(bytes.data(), bytes.data() + bytes.size());
  std::string protoName;
  std::vector<llmos_value *> elements;
  auto failWith = [&](llmos_status *status) {
    for (llmos_value *element : elements)
      llmos_value_release(element);
    return status;
  };
  const char *what =
      kind == LLMOS_VALUE_SEQUENCE ? "SequenceProto" : "OptionalProto";
  while (!in.done()) {
    uint64_t key, value, length;
    const char *data;
    if (!in.varint(key))
      return failWith(makeStatus(LLMOS_IO_ERROR, "%s: not a valid %s", path,
                                 what));
    int field = static_cast<int>(key >> 3), wireType = key & 7;
    if (field == 1 || field == 3 || field == 5) {
      if (wireType != 2 || !in.varint(length) || !in.bytes(length, data))
        return failWith(makeStatus(LLMOS_IO_ERROR, "%s: not a valid %s",
                                   path, what));
      if (field == 1) {
        protoName.assign(data, length);
        continue;
      }
      if (kind == LLMOS_VALUE_OPTIONAL && !elements.empty())
        return failWith(makeStatus(LLMOS_IO_ERROR,
                                   "%s: an optional with two values", path));
      if (kind == LLMOS_VALUE_SEQUENCE && field != 3)
        return failWith(makeStatus(LLMOS_UNSUPPORTED,
                                   "%s: only sequences of tensors are "
                                   "supported",
                                   path));
      llmos_value *element = nullptr;
      if (llmos_status *status = readValueProto(
              path, std::string(data, length),
              field == 3 ? LLMOS_VALUE_TENSOR : LLMOS_VALUE_SEQUENCE, dtype,
              &element, nullptr))
        return failWith(status);
      elements.push_back(element);
    } else if (field == 2) {
      if (wireType != 0 || !in.varint(value))
        return failWith(makeStatus(LLMOS_IO_ERROR, "%s: not a valid %s",
                                   path, what));
    } else if (field == 4 || field == 6 || field == 7) {
      return failWith(makeStatus(LLMOS_UNSUPPORTED,
                                 "%s: sparse tensors, maps and nested "
                                 "optionals are not supported",
                                 path));
    } else if (!skipField(in, wireType)) {
      return failWith(makeStatus(LLMOS_IO_ERROR, "%s: not a valid %s", path,
                                 what));
    }
  }
  // The files of empty values do not say their element type.
  llmos_dtype elementType = elements.empty() ? dtype : elements[0]->dtype;
  for (llmos_value *element : elements)
    if (element->dtype != elementType)
      return failWith(makeStatus(LLMOS_IO_ERROR,
                                 "%s: a sequence of %s and %s tensors", path,
                                 llmos_dtype_name(elementType),
                                 llmos_dtype_name(element->dtype)));
  *out = newContainer(kind, elementType, std::move(elements));
  if (!*out)
    return makeStatus(LLMOS_OUT_OF_MEMORY, "%s: cannot allocate", path);
  if (name)
    *name = protoName.empty() ? nullptr : strdup(protoName.c_str());
  return nullptr;
}

llmos_status *readValueProto(const char *path, const std::string &bytes,
                             llmos_value_kind kind, llmos_dtype dtype,
                             llmos_value **out, char **name) {
  if (kind == LLMOS_VALUE_SEQUENCE || kind == LLMOS_VALUE_OPTIONAL)
    return readContainer(path, bytes, kind, dtype, out, name);
  llmos_tensor *tensor = nullptr;
  if (llmos_status *status = readProto(path, bytes, &tensor, name))
    return status;
  llmos_status *status = llmos_value_create_tensor(tensor, out);
  llmos_tensor_release(tensor);
  return status;
}

void writeField(std::string &out, int field, const std::string &bytes) {
  writeVarint(out, (uint64_t(field) << 3) | 2);
  writeVarint(out, bytes.size());
  out += bytes;
}

std::string encodeValue(const llmos_value *value, const char *name) {
  if (value->kind == LLMOS_VALUE_TENSOR)
    return encodeProto(value->tensor, name);
  std::string out;
  if (name && *name)
    writeField(out, 1, name);
  ProtoElemType elemType = kTensor;
  if (value->kind == LLMOS_VALUE_OPTIONAL)
    elemType = value->elements.empty() ? kUndefined
               : value->elements[0]->kind == LLMOS_VALUE_SEQUENCE
                   ? kSequence
                   : kTensor;
  writeVarint(out, (2 << 3) | 0);
  writeVarint(out, elemType);
  for (const llmos_value *element : value->elements)
    writeField(out, element->kind == LLMOS_VALUE_SEQUENCE ? 5 : 3,
               encodeValue(element, nullptr));
  return out;
}

//===----------------------------------------------------------------------===//
// NumPy .npy
//===----------------------------------------------------------------------===//

const char *npyDescr(llmos_dtype dtype) {
  switch (dtype) {
  case LLMOS_FLOAT32: return "<f4";
  case LLMOS_FLOAT64: return "<f8";
  case LLMOS_FLOAT16: return "<f2";
  case LLMOS_INT8: return "|i1";
  case LLMOS_UINT8: return "|u1";
  case LLMOS_INT16: return "<i2";
  case LLMOS_UINT16: return "<u2";
  case LLMOS_INT32: return "<i4";
  case LLMOS_UINT32: return "<u4";
  case LLMOS_INT64: return "<i8";
  case LLMOS_UINT64: return "<u8";
  case LLMOS_BOOL: return "|b1";
  default: return nullptr;
  }
}

llmos_dtype dtypeOfDescr(const std::string &descr) {
  for (int d : {1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13}) {
    const char *known = npyDescr(static_cast<llmos_dtype>(d));
    // '=' and '<' both mean little endian here; '|' means no byte order.
    if (known && descr.size() == 3 && descr.substr(1) == known + 1 &&
        (descr[0] == known[0] || descr[0] == '=' ||
         (descr[0] == '<' && known[0] == '|')))
      return static_cast<llmos_dtype>(d);
  }
  return LLMOS_DTYPE_INVALID;
}

/// The quoted value of `key` in a .npy header dictionary.
std::string headerValue(const std::string &header, const std::string &key) {
  size_t at = header.find("'" + key + "'");
  if (at == std::string::npos)
    return {};
  size_t colon = header.find(':', at);
  if (colon == std::string::npos)
    return {};
  size_t begin = header.find_first_not_of(" ", colon + 1);
  if (begin == std::string::npos)
    return {};
  if (header[begin] == '\'') {
    size_t close = header.find('\'', begin + 1);
    return header.substr(begin + 1, close - begin - 1);
  }
  if (header[begin] == '(') {
    size_t close = header.find(')', begin);
    return header.substr(begin, close - begin + 1);
  }
  size_t close = header.find_first_of(",}", begin);
  return header.substr(begin, close - begin);
}

llmos_status *readNpy(const char *path, const std::string &bytes,
                      llmos_tensor **out) {
  if (bytes.size() < 10)
    return makeStatus(LLMOS_IO_ERROR, "%s: truncated .npy file", path);
  int major = static_cast<uint8_t>(bytes[6]);
  size_t headerStart = major == 1 ? 10 : 12;
  if (bytes.size() < headerStart)
    return makeStatus(LLMOS_IO_ERROR, "%s: truncated .npy file", path);
  size_t headerLength =
      major == 1 ? (static_cast<uint8_t>(bytes[8]) |
                    static_cast<uint8_t>(bytes[9]) << 8)
                 : (static_cast<uint32_t>(static_cast<uint8_t>(bytes[8])) |
                    static_cast<uint32_t>(static_cast<uint8_t>(bytes[9])) << 8 |
                    static_cast<uint32_t>(static_cast<uint8_t>(bytes[10])) << 16 |
                    static_cast<uint32_t>(static_cast<uint8_t>(bytes[11])) << 24);
  if (bytes.size() < headerStart + headerLength)
    return makeStatus(LLMOS_IO_ERROR, "%s: truncated .npy header", path);
  std::string header = bytes.substr(headerStart, headerLength);
  llmos_dtype dtype = dtypeOfDescr(headerValue(header, "descr"));
  if (dtype == LLMOS_DTYPE_INVALID)
    return makeStatus(LLMOS_UNSUPPORTED, "%s: unsupported .npy dtype '%s'",
                      path, headerValue(header, "descr").c_str());
  if (headerValue(header, "fortran_order") == "True")
    return makeStatus(LLMOS_UNSUPPORTED,
                      "%s: Fortran-order .npy files are not supported", path);
  std::string shape = headerValue(header, "shape");
  std::vector<int64_t> dims;
  for (size_t i = 0; i < shape.size();) {
    if (isdigit(static_cast<unsigned char>(shape[i]))) {
      size_t used;
      dims.push_back(std::stoll(shape.substr(i), &used));
      i += used;
    } else {
      ++i;
    }
  }
  const char *data = bytes.data() + headerStart + headerLength;
  size_t available = bytes.size() - headerStart - headerLength;
  int64_t count = countElements(dims.data(), dims.size());
  if (count < 0 || available < (size_t)count * llmos_dtype_size(dtype))
    return makeStatus(LLMOS_IO_ERROR, "%s: .npy data is shorter than its shape",
                      path);
  return llmos_tensor_create_copy(dtype, dims.size(), dims.data(), data,
                                  (size_t)count * llmos_dtype_size(dtype),
                                  out);
}

std::string encodeNpy(const llmos_tensor *tensor) {
  std::ostringstream dict;
  dict << "{'descr': '" << npyDescr(tensor->dtype)
       << "', 'fortran_order': False, 'shape': (";
  size_t rank = tensor->dims.size();
  for (size_t i = 0; i < rank; ++i)
    dict << tensor->dims[i] << (i + 1 < rank ? ", " : (rank == 1 ? "," : ""));
  dict << "), }";
  std::string header = dict.str();
  // Magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out.push_back(static_cast<char>(header.size() & 0xff));
  out.push_back(static_cast<char>(header.size() >> 8));
  out += header;
  out.append(static_cast<const char *>(tensor->data), tensor->bytes);
  return out;
}

} // namespace

extern "C" {

llmos_status *llmos_tensor_read_file(const char *path, llmos_tensor **out,
                                     char **name) {
  if (!path || !out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "path and out must not be null");
  *out = nullptr;
  if (name)
    *name = nullptr;
  bool ok;
  std::string bytes = readAll(path, ok);
  if (!ok)
    return makeStatus(LLMOS_IO_ERROR, "%s: cannot open: %s", path,
                      strerror(errno));
  if (bytes.compare(0, 6, "\x93NUMPY") == 0)
    return readNpy(path, bytes, out);
  return readProto(path, bytes, out, name);
}

llmos_status *llmos_tensor_write_file(const char *path,
                                      const llmos_tensor *tensor,
                                      const char *name) {
  if (!path || !tensor)
    return makeStatus(LLMOS_INVALID_ARGUMENT,
                      "path and tensor must not be null");
  std::string text(path);
  bool npy = text.size() >= 4 && text.compare(text.size() - 4, 4, ".npy") == 0;
  if (npy && !npyDescr(tensor->dtype))
    return makeStatus(LLMOS_UNSUPPORTED, "%s: .npy cannot hold %s", path,
                      llmos_dtype_name(tensor->dtype));
  std::string bytes = npy ? encodeNpy(tensor) : encodeProto(tensor, name);
  std::ofstream file(path, std::ios::binary);
  if (!file || !file.write(bytes.data(), bytes.size()))
    return makeStatus(LLMOS_IO_ERROR, "%s: cannot write: %s", path,
                      strerror(errno));
  return nullptr;
}

llmos_status *llmos_value_read_file(const char *path, llmos_value_kind kind,
                                    llmos_dtype dtype, llmos_value **out,
                                    char **name) {
  if (!path || !out)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "path and out must not be null");
  *out = nullptr;
  if (name)
    *name = nullptr;
  if (kind == LLMOS_VALUE_TENSOR) {
    llmos_tensor *tensor = nullptr;
    if (llmos_status *status = llmos_tensor_read_file(path, &tensor, name))
      return status;
    llmos_status *status = llmos_value_create_tensor(tensor, out);
    llmos_tensor_release(tensor);
    return status;
  }
  if (kind != LLMOS_VALUE_SEQUENCE && kind != LLMOS_VALUE_OPTIONAL)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "%s: invalid value kind %d",
                      path, (int)kind);
  bool ok;
  std::string bytes = readAll(path, ok);
  if (!ok)
    return makeStatus(LLMOS_IO_ERROR, "%s: cannot open: %s", path,
                      strerror(errno));
  return readValueProto(path, bytes, kind, dtype, out, name);
}

llmos_status *llmos_value_write_file(const char *path,
                                     const llmos_value *value,
                                     const char *name) {
  if (!path || !value)
    return makeStatus(LLMOS_INVALID_ARGUMENT, "path and value must not be null");
  if (value->kind == LLMOS_VALUE_TENSOR)
    return llmos_tensor_write_file(path, value->tensor, name);
  std::string text(path);
  if (text.size() >= 4 && text.compare(text.size() - 4, 4, ".npy") == 0)
    return makeStatus(LLMOS_UNSUPPORTED,
                      "%s: .npy cannot hold a sequence or optional", path);
  std::string bytes = encodeValue(value, name);
  std::ofstream file(path, std::ios::binary);
  if (!file || !file.write(bytes.data(), bytes.size()))
    return makeStatus(LLMOS_IO_ERROR, "%s: cannot write: %s", path,
                      strerror(errno));
  return nullptr;
}

} // extern "C"
