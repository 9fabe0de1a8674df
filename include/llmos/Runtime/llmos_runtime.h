/*===- llmos_runtime.h - The llmos runtime C API -------------------*- C -*-===*\
|*                                                                            *|
|* The runtime that models compiled by llmos run on: tensors, model handles,  *|
|* `run`, and the thread pool the generated code's parallel loops use. Plain  *|
|* C, no dependency on MLIR, LLVM or protobuf.                                *|
|*                                                                            *|
|* Conventions                                                                *|
|* - Functions that can fail return `llmos_status *`: NULL on success, else a *|
|*   status the caller frees with llmos_status_free (code + message).         *|
|* - Objects are opaque handles with create / release pairs; tensors are      *|
|*   reference counted (llmos_tensor_retain / llmos_tensor_release).          *|
|*                                                                            *|
|* Thread safety                                                              *|
|* - A model handle may be run from any number of threads at once; runs do   *|
|*   not share mutable state. Creating and releasing a model is not           *|
|*   concurrent with runs on it.                                              *|
|* - Tensors are not synchronized: do not write a tensor while another thread *|
|*   reads it. Passing the same input tensor to concurrent runs is fine.      *|
|* - Statuses and options belong to the thread that holds them.               *|
\*===----------------------------------------------------------------------===*/

#ifndef LLMOS_RUNTIME_LLMOS_RUNTIME_H
#define LLMOS_RUNTIME_LLMOS_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*===----------------------------------------------------------------------===*/
/* Status                                                                     */
/*===----------------------------------------------------------------------===*/

typedef enum llmos_status_code {
  LLMOS_OK = 0,
  LLMOS_INVALID_ARGUMENT = 1,
  LLMOS_OUT_OF_MEMORY = 2,
  LLMOS_NOT_FOUND = 3,
  LLMOS_IO_ERROR = 4,
  LLMOS_UNSUPPORTED = 5,
  LLMOS_INTERNAL = 6,
} llmos_status_code;

typedef struct llmos_status llmos_status;

/* The code of a status; LLMOS_OK for NULL. */
llmos_status_code llmos_status_code_of(const llmos_status *status);
/* The message of a status ("" for NULL); valid until the status is freed. */
const char *llmos_status_message(const llmos_status *status);
void llmos_status_free(llmos_status *status);

/*===----------------------------------------------------------------------===*/
/* Element types (the ONNX TensorProto data type codes)                       */
/*===----------------------------------------------------------------------===*/

typedef enum llmos_dtype {
  LLMOS_DTYPE_INVALID = 0,
  LLMOS_FLOAT32 = 1,
  LLMOS_UINT8 = 2,
  LLMOS_INT8 = 3,
  LLMOS_UINT16 = 4,
  LLMOS_INT16 = 5,
  LLMOS_INT32 = 6,
  LLMOS_INT64 = 7,
  LLMOS_STRING = 8,
  LLMOS_BOOL = 9,
  LLMOS_FLOAT16 = 10,
  LLMOS_FLOAT64 = 11,
  LLMOS_UINT32 = 12,
  LLMOS_UINT64 = 13,
  LLMOS_BFLOAT16 = 16,
  /* Float8 formats (ONNX 1.14), float4 (IR 11), 4-bit integers (IR 10),
   * float8 e8m0 and 2-bit integers (IR 12). In memory each element takes a
   * byte: 4- and 2-bit values are unpacked (the low bits hold the value,
   * signed ones sign-extended), unlike ONNX files, which pack them. */
  LLMOS_FLOAT8E4M3FN = 17,
  LLMOS_FLOAT8E4M3FNUZ = 18,
  LLMOS_FLOAT8E5M2 = 19,
  LLMOS_FLOAT8E5M2FNUZ = 20,
  LLMOS_UINT4 = 21,
  LLMOS_INT4 = 22,
  LLMOS_FLOAT4E2M1 = 23,
  LLMOS_FLOAT8E8M0 = 24,
  LLMOS_UINT2 = 25,
  LLMOS_INT2 = 26,
} llmos_dtype;

/* Bytes per element; 0 for invalid and string types (string elements are
 * read with llmos_tensor_string_at). */
size_t llmos_dtype_size(llmos_dtype dtype);
/* "float32", "int64", ...; "invalid" for unknown codes. */
const char *llmos_dtype_name(llmos_dtype dtype);

/*===----------------------------------------------------------------------===*/
/* Devices                                                                    */
/*===----------------------------------------------------------------------===*/

typedef enum llmos_device_kind {
  LLMOS_DEVICE_CPU = 0,
  LLMOS_DEVICE_CUDA = 1,
} llmos_device_kind;

typedef struct llmos_device {
  llmos_device_kind kind;
  int32_t index;
} llmos_device;

/*===----------------------------------------------------------------------===*/
/* Tensors                                                                    */
/*===----------------------------------------------------------------------===*/

typedef struct llmos_tensor llmos_tensor;
typedef void (*llmos_deleter)(void *data, void *context);

/* A new tensor of zeros on `device`. `dims` has `rank` entries >= 0. */
llmos_status *llmos_tensor_create(llmos_dtype dtype, int64_t rank,
                                  const int64_t *dims, llmos_device device,
                                  llmos_tensor **out);
/* A new CPU tensor holding a copy of `bytes` bytes at `data`, which must be
 * exactly the tensor's size. */
llmos_status *llmos_tensor_create_copy(llmos_dtype dtype, int64_t rank,
                                       const int64_t *dims, const void *data,
                                       size_t bytes, llmos_tensor **out);
/* A CPU tensor over caller memory (no copy); `deleter(data, context)` runs
 * when the last reference goes (it may be NULL). `data` must be aligned to
 * the element size. */
llmos_status *llmos_tensor_wrap(llmos_dtype dtype, int64_t rank,
                                const int64_t *dims, void *data, size_t bytes,
                                llmos_deleter deleter, void *context,
                                llmos_tensor **out);
/* A new CPU tensor of strings (dtype LLMOS_STRING) holding copies of
 * `strings`, one per element in row-major order: `lengths[i]` bytes each,
 * or NUL-terminated when `lengths` is NULL. llmos_tensor_create makes
 * string tensors of empty strings; llmos_tensor_create_copy and
 * llmos_tensor_wrap take no strings. */
llmos_status *llmos_tensor_create_strings(int64_t rank, const int64_t *dims,
                                          const char *const *strings,
                                          const size_t *lengths,
                                          llmos_tensor **out);
/* Element `index` (row-major) of a string tensor: its bytes, NUL-terminated,
 * valid while the tensor lives; `length` (may be NULL) receives their
 * count. NULL when the tensor is not a string tensor or the index is out
 * of range. */
const char *llmos_tensor_string_at(const llmos_tensor *tensor, int64_t index,
                                   size_t *length);
void llmos_tensor_retain(llmos_tensor *tensor);
void llmos_tensor_release(llmos_tensor *tensor);

llmos_dtype llmos_tensor_dtype(const llmos_tensor *tensor);
int64_t llmos_tensor_rank(const llmos_tensor *tensor);
/* The dims (rank entries); valid while the tensor lives. */
const int64_t *llmos_tensor_dims(const llmos_tensor *tensor);
int64_t llmos_tensor_num_elements(const llmos_tensor *tensor);
size_t llmos_tensor_byte_size(const llmos_tensor *tensor);
void *llmos_tensor_data(llmos_tensor *tensor);
llmos_device llmos_tensor_device(const llmos_tensor *tensor);

/*===----------------------------------------------------------------------===*/
/* Values: tensors, sequences and optionals                                   */
/*===----------------------------------------------------------------------===*/

/* ONNX models may take and return sequences of tensors and optionals (a
 * tensor or a sequence, or nothing) besides tensors. A value is one of the
 * three; values are immutable and reference counted. Models whose inputs
 * and outputs are all tensors can be run with plain tensors
 * (llmos_model_run); the others take values (llmos_model_run_values). */
typedef enum llmos_value_kind {
  LLMOS_VALUE_INVALID = 0,
  LLMOS_VALUE_TENSOR = 1,
  LLMOS_VALUE_SEQUENCE = 2,
  LLMOS_VALUE_OPTIONAL = 3,
} llmos_value_kind;

typedef struct llmos_value llmos_value;

/* A tensor value; it takes a reference to `tensor`. */
llmos_status *llmos_value_create_tensor(llmos_tensor *tensor,
                                        llmos_value **out);
/* A sequence of `count` CPU tensors of `dtype` (any shapes); it takes a
 * reference to each. */
llmos_status *llmos_value_create_sequence(llmos_dtype dtype,
                                          llmos_tensor *const *tensors,
                                          size_t count, llmos_value **out);
/* An optional holding `element` (a tensor or sequence value of `dtype`; it
 * takes a reference), or an empty optional when `element` is NULL. */
llmos_status *llmos_value_create_optional(llmos_dtype dtype,
                                          llmos_value *element,
                                          llmos_value **out);
void llmos_value_retain(llmos_value *value);
void llmos_value_release(llmos_value *value);

/* LLMOS_VALUE_INVALID for NULL. */
llmos_value_kind llmos_value_kind_of(const llmos_value *value);
/* The element type of the value's tensors. */
llmos_dtype llmos_value_dtype(const llmos_value *value);
/* Tensors in a sequence, 0 or 1 for an optional, 1 for a tensor; -1 for
 * NULL. */
int64_t llmos_value_length(const llmos_value *value);
/* Tensor `index` of a sequence, or the tensor of a tensor value (index 0);
 * NULL otherwise. Valid while the value lives (no new reference). */
llmos_tensor *llmos_value_tensor(const llmos_value *value, int64_t index);
/* The element of a non-empty optional; NULL otherwise. Valid while the
 * value lives (no new reference). */
const llmos_value *llmos_value_element(const llmos_value *value);

/*===----------------------------------------------------------------------===*/
/* Options                                                                    */
/*===----------------------------------------------------------------------===*/

typedef struct llmos_options llmos_options;

llmos_status *llmos_options_create(llmos_options **out);
/* Threads a run may use, 1 or more; 0 means all cores (the default). */
llmos_status *llmos_options_set_threads(llmos_options *options,
                                        int32_t threads);
void llmos_options_free(llmos_options *options);

/*===----------------------------------------------------------------------===*/
/* Models                                                                     */
/*===----------------------------------------------------------------------===*/

/* The description a compiled model exports (see llmos_abi.h). */
typedef struct llmos_model_info llmos_model_info;
typedef struct llmos_model llmos_model;

/* A model from the description compiled into this program or library (the
 * generated header declares the function that returns it; a shared library
 * built with `llmos-compile --emit=so` also exports it as
 * llmos_model_info_get, next to this whole API). `options` may be NULL. */
llmos_status *llmos_model_create(const llmos_model_info *info,
                                 const llmos_options *options,
                                 llmos_model **out);
void llmos_model_release(llmos_model *model);

const char *llmos_model_name(const llmos_model *model);
int64_t llmos_model_num_inputs(const llmos_model *model);
int64_t llmos_model_num_outputs(const llmos_model *model);

/* Signatures of inputs (`is_output` = 0) and outputs (1). Dims are -1 where
 * dynamic; dim names are "" where the model gives none. NULL / 0 / -1 for
 * an index out of range. */
const char *llmos_model_value_name(const llmos_model *model, int is_output,
                                   int64_t index);
llmos_dtype llmos_model_value_dtype(const llmos_model *model, int is_output,
                                    int64_t index);
int64_t llmos_model_value_rank(const llmos_model *model, int is_output,
                               int64_t index);
const int64_t *llmos_model_value_dims(const llmos_model *model, int is_output,
                                      int64_t index);
const char *llmos_model_value_dim_name(const llmos_model *model,
                                       int is_output, int64_t index,
                                       int64_t dim);
/* What an input or output is, level by level from the outside: level 0 is
 * the value itself (a tensor, sequence or optional), level 1 what a
 * sequence or optional holds, and so on down to the tensor; dtype, rank,
 * dims and dim names above describe that innermost tensor (rank -1 when
 * the model does not fix it). LLMOS_VALUE_INVALID past the tensor and for
 * an index out of range. */
llmos_value_kind llmos_model_value_kind(const llmos_model *model,
                                        int is_output, int64_t index,
                                        int64_t level);

/* Runs the model. `inputs` holds one tensor per model input, in order, each
 * matching the input's dtype, rank and static dims (a symbolic dim must have
 * one size across all inputs that use it). On success `outputs` receives
 * one new tensor per output, which the caller releases. */
llmos_status *llmos_model_run(llmos_model *model,
                              llmos_tensor *const *inputs, size_t num_inputs,
                              llmos_tensor **outputs, size_t num_outputs);
/* The same with values, for models that take or return sequences or
 * optionals (any model runs this way). Each input must have the kinds of
 * llmos_model_value_kind; the tensors inside sequences may differ in the
 * dims the model leaves dynamic. On success `outputs` receives one new
 * value per output, which the caller releases. */
llmos_status *llmos_model_run_values(llmos_model *model,
                                     llmos_value *const *inputs,
                                     size_t num_inputs, llmos_value **outputs,
                                     size_t num_outputs);

/*===----------------------------------------------------------------------===*/
/* Tensor files                                                               */
/*===----------------------------------------------------------------------===*/

/* Reads an ONNX TensorProto (.pb) or NumPy (.npy) file, chosen by content.
 * `name` receives the TensorProto's name (or NULL); free it with free(). */
llmos_status *llmos_tensor_read_file(const char *path, llmos_tensor **out,
                                     char **name);
/* Writes a tensor as a TensorProto (.pb) or NumPy (.npy) file, chosen by
 * the path's extension. */
llmos_status *llmos_tensor_write_file(const char *path,
                                      const llmos_tensor *tensor,
                                      const char *name);

/* Reads a value of `kind` from an ONNX .pb file: a TensorProto (or a .npy
 * file) for a tensor, a SequenceProto of tensors, or an OptionalProto of a
 * tensor or such a sequence. `dtype` is the element type of an empty
 * sequence or optional, which the file does not say. */
llmos_status *llmos_value_read_file(const char *path, llmos_value_kind kind,
                                    llmos_dtype dtype, llmos_value **out,
                                    char **name);
/* Writes a value as the .pb of its kind (a tensor may go to .npy). */
llmos_status *llmos_value_write_file(const char *path,
                                     const llmos_value *value,
                                     const char *name);

/*===----------------------------------------------------------------------===*/
/* Command-line driver                                                        */
/*===----------------------------------------------------------------------===*/

/* The command line of executables built with `llmos-compile --emit=exe`
 * and of llmos-run: reads inputs, runs (and times) the model, compares with
 * expected outputs, writes outputs. `argv[0]` names the program; `--help`
 * lists the options. Returns the process exit status: 0 when every run
 * succeeded and every output matched, 1 otherwise, 2 for usage errors. */
int llmos_run_main(int argc, char **argv, const llmos_model_info *info);

#ifdef __cplusplus
}
#endif

#endif /* LLMOS_RUNTIME_LLMOS_RUNTIME_H */
