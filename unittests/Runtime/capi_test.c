/*===- capi_test.c - The runtime C API used from C ------------------------===*\
|* Compiled as C: the header must be valid C and the API usable from it.     *|
\*===----------------------------------------------------------------------===*/

#include "llmos/Runtime/llmos_runtime.h"

#include <stdio.h>
#include <string.h>

static int check(int condition, const char *what) {
  if (!condition)
    fprintf(stderr, "capi_test: %s failed\n", what);
  return condition ? 0 : 1;
}

int main(void) {
  int failures = 0;
  int64_t dims[2] = {2, 3};
  llmos_device cpu = {LLMOS_DEVICE_CPU, 0};
  llmos_tensor *t = NULL;
  llmos_status *s = llmos_tensor_create(LLMOS_FLOAT32, 2, dims, cpu, &t);
  failures += check(s == NULL, "create");
  failures += check(llmos_tensor_num_elements(t) == 6, "num_elements");
  failures += check(llmos_tensor_byte_size(t) == 24, "byte_size");
  failures += check(((float *)llmos_tensor_data(t))[5] == 0.0f, "zeroed");
  llmos_tensor_retain(t);
  llmos_tensor_release(t);
  llmos_tensor_release(t);

  s = llmos_model_create(NULL, NULL, NULL);
  failures += check(llmos_status_code_of(s) == LLMOS_INVALID_ARGUMENT,
                    "null model arguments");
  failures += check(strcmp(llmos_status_message(s), "out is null") == 0,
                    "message");
  llmos_status_free(s);
  failures += check(llmos_status_code_of(NULL) == LLMOS_OK, "null status");
  failures += check(strcmp(llmos_dtype_name(LLMOS_BFLOAT16), "bfloat16") == 0,
                    "dtype name");
  failures += check(llmos_dtype_size(LLMOS_INT64) == 8, "dtype size");
  if (!failures)
    printf("capi_test: all checks passed\n");
  return failures != 0;
}
