/*===- llmos_abi.h - Between compiled models and the runtime --------*- C -*-===*\
|*                                                                            *|
|* What a model compiled by llmos exports and imports. Users do not need this *|
|* header; llmos-compile and the runtime do.                                  *|
|*                                                                            *|
|* Exported: `const llmos_model_info *<symbol>(void)` (the generated header   *|
|* names the symbol; shared libraries also export `llmos_model_info_get`).    *|
|*                                                                            *|
|* The entry function takes one pointer per input and then one per output,   *|
|* each to an MLIR memref descriptor of the value's rank r:                   *|
|*   { void *allocated; void *aligned; int64_t offset;                        *|
|*     int64_t sizes[r]; int64_t strides[r]; }                                *|
|* Inputs are filled by the runtime; outputs are filled by the model, whose   *|
|* output buffers come from llmos_rt_alloc (or alias inputs or constants).    *|
|*                                                                            *|
|* Imported from the runtime: the allocation functions MLIR's memref lowering *|
|* calls, llmos_rt_parallel_for, and the microkernels (llmos_rt_matmul_f32).  *|
\*===----------------------------------------------------------------------===*/

#ifndef LLMOS_RUNTIME_LLMOS_ABI_H
#define LLMOS_RUNTIME_LLMOS_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LLMOS_ABI_VERSION 4

/* An input or output. `containers` spells what holds the tensor, from the
 * outside in: "" for a plain tensor, "s" for a sequence of tensors, "o" for
 * an optional tensor, "os" for an optional sequence. dtype, rank, dims and
 * dim_names describe the tensor (rank -1: not fixed). A value with
 * containers is passed as a rank-0 int64 memref holding its handle (the
 * address of its llmos_value, or 0 for an empty sequence or optional). */
typedef struct llmos_value_info {
  const char *name;
  int32_t dtype; /* llmos_dtype */
  int32_t rank;
  const int64_t *dims;         /* -1 where dynamic */
  const char *const *dim_names; /* "" where none */
  const char *containers;
} llmos_value_info;

typedef void (*llmos_entry_fn)(void **descriptors);

/* Weights kept in a file next to the artifact (llmos-compile
 * --external-weights). The file starts with a 64-byte header: the magic
 * "LLMOSWT1", then the file size and `id` as little-endian uint64; the
 * generated code reads each weight at base + its offset in the file. The
 * runtime maps the file when a model is created and sets `base`; it looks
 * for `file` in $LLMOS_WEIGHTS_DIR, else in the directory of the artifact
 * (the executable or shared library) that holds this description. */
typedef struct llmos_weights_desc {
  const char *file;
  uint64_t size;
  uint64_t id;
  const void *base;
} llmos_weights_desc;

struct llmos_model_info {
  uint32_t abi_version;
  const char *name;
  int32_t num_inputs;
  int32_t num_outputs;
  const llmos_value_info *inputs;
  const llmos_value_info *outputs;
  llmos_entry_fn entry;
  llmos_weights_desc *weights; /* NULL when the weights are embedded */
};

/* Memory for buffers the generated code allocates (MLIR's generic memref
 * allocation functions). */
void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *ptr);

/* Runs body(context, lo, hi) over [begin, end) split into chunks on the
 * run's thread pool; returns when every chunk is done. */
void llmos_rt_parallel_for(int64_t begin, int64_t end,
                           void (*body)(void *context, int64_t lo,
                                        int64_t hi),
                           void *context);

/* A fresh 64-bit key for a random generator op without a seed: differs
 * between calls and between processes. */
int64_t llmos_rt_random_seed(void);

/* C[m x n] += A[m x k] * B[k x n] in f32 (C = A * B when `accumulate` is
 * 0: C is not read). Element (i, j) of A is at
 * a[i * a_row_stride + j * a_col_stride] (likewise B); C is row-major with
 * leading dimension ldc. Runs on the current run's thread pool. */
void llmos_rt_sgemm(int64_t m, int64_t n, int64_t k, const float *a,
                    int64_t a_row_stride, int64_t a_col_stride,
                    const float *b, int64_t b_row_stride,
                    int64_t b_col_stride, float *c, int64_t ldc,
                    int32_t accumulate);

/* The same on rank-2 memref descriptors (the C interface of
 * `func.func private @llmos_rt_matmul_f32(memref<?x?xf32, strided<[?, ?],
 * offset: ?>> x 3) attributes {llvm.emit_c_interface}`); C's last stride
 * must be 1. */
struct llmos_memref2d_f32;
void _mlir_ciface_llmos_rt_matmul_f32(struct llmos_memref2d_f32 *a,
                                      struct llmos_memref2d_f32 *b,
                                      struct llmos_memref2d_f32 *c);
/* C = A * B (llmos_rt_matmul_f32_store): C's old contents are not read. */
void _mlir_ciface_llmos_rt_matmul_f32_store(struct llmos_memref2d_f32 *a,
                                            struct llmos_memref2d_f32 *b,
                                            struct llmos_memref2d_f32 *c);

/* String tensors. Generated code holds a string element as a 64-bit handle:
 * the address of a record { int64_t size; char bytes[size + 1]; } or 0 for
 * "". Handles move like int64 elements; these functions look inside. Each
 * takes buffers as unranked memrefs (rank, then a pointer to the ranked
 * descriptor) of contiguous data; strings they make belong to the run. */
/* llmos_rt_string_from_<type>: dst[i] = the text of src[i], a number of
 * that type (f32, f64, i8, u8, i16, u16, i32, u32, i64, u64, bool): the
 * shortest digits that read back the same, "NaN", "INF", "-INF"; bools "0"
 * and "1". llmos_rt_string_to_<type> parses text (blanks around it
 * ignored; 0 where it is not a number of that type). */
#define LLMOS_DECLARE_STRING_CASTS(type)                                       \
  void llmos_rt_string_from_##type(int64_t src_rank, void *src,               \
                                   int64_t dst_rank, void *dst);              \
  void llmos_rt_string_to_##type(int64_t src_rank, void *src,                 \
                                 int64_t dst_rank, void *dst);
LLMOS_DECLARE_STRING_CASTS(f32)
LLMOS_DECLARE_STRING_CASTS(f64)
LLMOS_DECLARE_STRING_CASTS(i8)
LLMOS_DECLARE_STRING_CASTS(u8)
LLMOS_DECLARE_STRING_CASTS(i16)
LLMOS_DECLARE_STRING_CASTS(u16)
LLMOS_DECLARE_STRING_CASTS(i32)
LLMOS_DECLARE_STRING_CASTS(u32)
LLMOS_DECLARE_STRING_CASTS(i64)
LLMOS_DECLARE_STRING_CASTS(u64)
LLMOS_DECLARE_STRING_CASTS(bool)
#undef LLMOS_DECLARE_STRING_CASTS
/* StringNormalizer: copies src's strings that are not in `stop` (compared
 * case-insensitively unless `case_sensitive`) to dst, case changed
 * (`case_action` 0 none, 1 lower, 2 upper); returns how many. When none is
 * left, dst[0] is "". */
int64_t llmos_rt_string_normalize(int64_t src_rank, void *src,
                                  int64_t dst_rank, void *dst,
                                  int64_t stop_rank, void *stop,
                                  int32_t case_action, int32_t case_sensitive);
/* dst[i] = lhs[i] + rhs[i] (same element counts). */
void llmos_rt_string_concat(int64_t lhs_rank, void *lhs, int64_t rhs_rank,
                            void *rhs, int64_t dst_rank, void *dst);
/* dst[i] = (lhs[i] == rhs[i]) as bools (same element counts). */
void llmos_rt_string_equal(int64_t lhs_rank, void *lhs, int64_t rhs_rank,
                           void *rhs, int64_t dst_rank, void *dst);

/* dst[i] = whether all of src[i] matches the RE2-syntax `pattern` (a
 * string handle; see llmos_regex.h for the syntax supported). */
void llmos_rt_regex_full_match(int64_t src_rank, void *src, int64_t pattern,
                               int64_t dst_rank, void *dst);
/* dst[i] = the position of src[i] in `table`, or -1 (TfIdfVectorizer over a
 * string pool maps its tokens to integers with it). */
void llmos_rt_string_lookup(int64_t src_rank, void *src, int64_t table_rank,
                            void *table, int64_t dst_rank, void *dst);
/* StringSplit in two steps: the most pieces any element of src splits into
 * at `delimiter` (a handle; "" splits at runs of blanks and drops empty
 * pieces), at most `maxsplit` splits when >= 0; then the pieces, each row
 * padded with "" to the buffer's width, and each element's count. */
int64_t llmos_rt_string_split_count(int64_t src_rank, void *src,
                                    int64_t delimiter, int64_t maxsplit);
void llmos_rt_string_split(int64_t src_rank, void *src, int64_t delimiter,
                           int64_t maxsplit, int64_t pieces_rank,
                           void *pieces, int64_t counts_rank, void *counts);

/* Sequences and optionals. Generated code holds them as 64-bit handles (see
 * llmos_value_info); 0 is an empty sequence or optional. An optional of a
 * tensor is handled like a sequence of at most one tensor. Values these
 * functions make belong to the run. Positions may be negative (counted
 * from the back); out-of-range positions are clamped into range, and
 * reading from an empty sequence leaves the destination as it was. */
/* llmos_rt_seq_insert_<t>: a new `kind` (2 sequence, 3 optional) of
 * `dtype` holding seq's tensors and a copy of `tensor` (an unranked memref
 * of element type <t>: i1, i8, i16, i32, i64, f16, bf16, f32, f64; string
 * tensors are i64 handles) inserted at `position` (at the back when
 * `has_position` is 0). llmos_rt_seq_read_<t> copies the tensor at
 * `position` into `dst` (an unranked memref of its shape, contiguous). */
#define LLMOS_DECLARE_SEQ_BUFFERS(t)                                           \
  int64_t llmos_rt_seq_insert_##t(int64_t seq, int32_t kind, int32_t dtype,    \
                                  int64_t position, int32_t has_position,      \
                                  int64_t tensor_rank, void *tensor);          \
  void llmos_rt_seq_read_##t(int64_t seq, int64_t position, int64_t dst_rank, \
                             void *dst);
LLMOS_DECLARE_SEQ_BUFFERS(i1)
LLMOS_DECLARE_SEQ_BUFFERS(i8)
LLMOS_DECLARE_SEQ_BUFFERS(i16)
LLMOS_DECLARE_SEQ_BUFFERS(i32)
LLMOS_DECLARE_SEQ_BUFFERS(i64)
LLMOS_DECLARE_SEQ_BUFFERS(f16)
LLMOS_DECLARE_SEQ_BUFFERS(bf16)
LLMOS_DECLARE_SEQ_BUFFERS(f32)
LLMOS_DECLARE_SEQ_BUFFERS(f64)
#undef LLMOS_DECLARE_SEQ_BUFFERS
/* A new optional of `dtype` holding the sequence `element`. */
int64_t llmos_rt_seq_wrap(int64_t element, int32_t dtype);
/* A new sequence without the tensor at `position` (the last one when
 * `has_position` is 0). */
int64_t llmos_rt_seq_erase(int64_t seq, int64_t position,
                           int32_t has_position);
/* The number of elements. */
int64_t llmos_rt_seq_length(int64_t seq);
/* The handle of element `position` (an optional's sequence). */
int64_t llmos_rt_seq_element(int64_t seq, int64_t position);
/* Size `dim` of the tensor at `position` (0 past its rank). */
int64_t llmos_rt_seq_dim(int64_t seq, int64_t position, int64_t dim);

#ifdef __cplusplus
}
#endif

#endif /* LLMOS_RUNTIME_LLMOS_ABI_H */
