//===- Status.cpp - llmos runtime statuses and data types -----------------===//
//
// This file implements statuses and the data type table of the runtime.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include <cstdio>
#include <new>

using namespace llmos::rt;

llmos_status *llmos::rt::makeStatus(llmos_status_code code, const char *format,
                                    ...) {
  char buffer[1024];
  va_list args;
  va_start(args, format);
  vsnprintf(buffer, sizeof(buffer), format, args);
  va_end(args);
  auto *status = new (std::nothrow) llmos_status{code, buffer};
  return status;
}

extern "C" {

llmos_status_code llmos_status_code_of(const llmos_status *status) {
  return status ? status->code : LLMOS_OK;
}

const char *llmos_status_message(const llmos_status *status) {
  return status ? status->message.c_str() : "";
}

void llmos_status_free(llmos_status *status) { delete status; }

size_t llmos_dtype_size(llmos_dtype dtype) {
  switch (dtype) {
  case LLMOS_BOOL:
  case LLMOS_INT8:
  case LLMOS_UINT8:
  case LLMOS_FLOAT8E4M3FN:
  case LLMOS_FLOAT8E4M3FNUZ:
  case LLMOS_FLOAT8E5M2:
  case LLMOS_FLOAT8E5M2FNUZ:
  case LLMOS_UINT4:
  case LLMOS_INT4:
  case LLMOS_FLOAT4E2M1:
  case LLMOS_FLOAT8E8M0:
  case LLMOS_UINT2:
  case LLMOS_INT2:
    return 1;
  case LLMOS_INT16:
  case LLMOS_UINT16:
  case LLMOS_FLOAT16:
  case LLMOS_BFLOAT16:
    return 2;
  case LLMOS_INT32:
  case LLMOS_UINT32:
  case LLMOS_FLOAT32:
    return 4;
  case LLMOS_INT64:
  case LLMOS_UINT64:
  case LLMOS_FLOAT64:
    return 8;
  default:
    return 0;
  }
}

const char *llmos_dtype_name(llmos_dtype dtype) {
  switch (dtype) {
  case LLMOS_FLOAT32: return "float32";
  case LLMOS_UINT8: return "uint8";
  case LLMOS_INT8: return "int8";
  case LLMOS_UINT16: return "uint16";
  case LLMOS_INT16: return "int16";
  case LLMOS_INT32: return "int32";
  case LLMOS_INT64: return "int64";
  case LLMOS_STRING: return "string";
  case LLMOS_BOOL: return "bool";
  case LLMOS_FLOAT16: return "float16";
  case LLMOS_FLOAT64: return "float64";
  case LLMOS_UINT32: return "uint32";
  case LLMOS_UINT64: return "uint64";
  case LLMOS_BFLOAT16: return "bfloat16";
  case LLMOS_FLOAT8E4M3FN: return "float8e4m3fn";
  case LLMOS_FLOAT8E4M3FNUZ: return "float8e4m3fnuz";
  case LLMOS_FLOAT8E5M2: return "float8e5m2";
  case LLMOS_FLOAT8E5M2FNUZ: return "float8e5m2fnuz";
  case LLMOS_UINT4: return "uint4";
  case LLMOS_INT4: return "int4";
  case LLMOS_FLOAT4E2M1: return "float4e2m1";
  case LLMOS_FLOAT8E8M0: return "float8e8m0";
  case LLMOS_UINT2: return "uint2";
  case LLMOS_INT2: return "int2";
  default: return "invalid";
  }
}

} // extern "C"
