//===- Gemm.cpp - Single-precision matrix multiply microkernel ------------===//
//
// This file implements llmos_rt_matmul_f32, C += A * B on row- or
// column-strided f32 matrices, which generated code calls for the
// contractions it outlines (the generated loops remain the path for every
// other case). It follows the usual blocked scheme: B is packed into panels
// of NR-wide column slivers, A into blocks of MR-row slivers, and an MR x NR
// register-blocked kernel accumulates over a KC-deep slice. The AVX2+FMA
// kernel (6 x 16) is chosen at run time when the CPU has it; a portable
// kernel covers the rest. Work is split over columns (or rows, when C is
// taller than wide) on the run's thread pool.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"
#include "ThreadPool.h"
#include "llmos/Runtime/llmos_abi.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

constexpr int64_t MR = 6, NR = 16;
constexpr int64_t KC = 256, MC = 120, NC = 1024;

/// A strided matrix: element (i, j) at data[i * rs + j * cs].
struct Matrix {
  const float *data;
  int64_t rs, cs;
  float at(int64_t i, int64_t j) const { return data[i * rs + j * cs]; }
};

using Kernel = void (*)(int64_t k, const float *a, const float *b, float *c,
                        int64_t ldc, int64_t rows, int64_t cols);

/// Adds an MR x NR tile held in `tile` to C (rows x cols of it).
inline void addTile(const float *tile, float *c, int64_t ldc, int64_t rows,
                    int64_t cols) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      c[i * ldc + j] += tile[i * NR + j];
}

void kernelPortable(int64_t k, const float *a, const float *b, float *c,
                    int64_t ldc, int64_t rows, int64_t cols) {
  float tile[MR * NR] = {};
  for (int64_t p = 0; p < k; ++p)
    for (int64_t i = 0; i < MR; ++i) {
      float av = a[p * MR + i];
      for (int64_t j = 0; j < NR; ++j)
        tile[i * NR + j] += av * b[p * NR + j];
    }
  addTile(tile, c, ldc, rows, cols);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) void
kernelAvx2(int64_t k, const float *a, const float *b, float *c, int64_t ldc,
           int64_t rows, int64_t cols) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int64_t p = 0; p < k; ++p) {
    __m256 b0 = _mm256_load_ps(b + p * NR);
    __m256 b1 = _mm256_load_ps(b + p * NR + 8);
    const float *ap = a + p * MR;
    __m256 av = _mm256_broadcast_ss(ap + 0);
    c00 = _mm256_fmadd_ps(av, b0, c00);
    c01 = _mm256_fmadd_ps(av, b1, c01);
    av = _mm256_broadcast_ss(ap + 1);
    c10 = _mm256_fmadd_ps(av, b0, c10);
    c11 = _mm256_fmadd_ps(av, b1, c11);
    av = _mm256_broadcast_ss(ap + 2);
    c20 = _mm256_fmadd_ps(av, b0, c20);
    c21 = _mm256_fmadd_ps(av, b1, c21);
    av = _mm256_broadcast_ss(ap + 3);
    c30 = _mm256_fmadd_ps(av, b0, c30);
    c31 = _mm256_fmadd_ps(av, b1, c31);
    av = _mm256_broadcast_ss(ap + 4);
    c40 = _mm256_fmadd_ps(av, b0, c40);
    c41 = _mm256_fmadd_ps(av, b1, c41);
    av = _mm256_broadcast_ss(ap + 5);
    c50 = _mm256_fmadd_ps(av, b0, c50);
    c51 = _mm256_fmadd_ps(av, b1, c51);
  }
  __m256 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21},
                       {c30, c31}, {c40, c41}, {c50, c51}};
  if (rows == MR && cols == NR) {
    for (int64_t i = 0; i < MR; ++i) {
      float *row = c + i * ldc;
      _mm256_storeu_ps(row, _mm256_add_ps(_mm256_loadu_ps(row), acc[i][0]));
      _mm256_storeu_ps(row + 8,
                       _mm256_add_ps(_mm256_loadu_ps(row + 8), acc[i][1]));
    }
    return;
  }
  alignas(32) float tile[MR * NR];
  for (int64_t i = 0; i < MR; ++i) {
    _mm256_store_ps(tile + i * NR, acc[i][0]);
    _mm256_store_ps(tile + i * NR + 8, acc[i][1]);
  }
  addTile(tile, c, ldc, rows, cols);
}
#endif

Kernel selectKernel() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return kernelAvx2;
#endif
  return kernelPortable;
}

const Kernel kernel = selectKernel();

/// Packs rows [i0, i0 + m) x cols [p0, p0 + k) of A into MR-row slivers,
/// zero-padded: sliver s holds a[i0 + s*MR + r][p0 + p] at s*k*MR + p*MR + r.
void packA(const Matrix &a, int64_t i0, int64_t m, int64_t p0, int64_t k,
           float *out) {
  for (int64_t s = 0; s < m; s += MR) {
    int64_t rows = std::min(MR, m - s);
    for (int64_t p = 0; p < k; ++p) {
      for (int64_t r = 0; r < rows; ++r)
        out[p * MR + r] = a.at(i0 + s + r, p0 + p);
      for (int64_t r = rows; r < MR; ++r)
        out[p * MR + r] = 0;
    }
    out += k * MR;
  }
}

/// Packs rows [p0, p0 + k) x cols [j0, j0 + n) of B into NR-wide slivers.
void packB(const Matrix &b, int64_t p0, int64_t k, int64_t j0, int64_t n,
           float *out) {
  for (int64_t s = 0; s < n; s += NR) {
    int64_t cols = std::min(NR, n - s);
    for (int64_t p = 0; p < k; ++p) {
      const float *src = b.data + (p0 + p) * b.rs + (j0 + s) * b.cs;
      float *dst = out + p * NR;
      if (b.cs == 1 && cols == NR) {
        std::memcpy(dst, src, NR * sizeof(float));
      } else {
        for (int64_t c = 0; c < cols; ++c)
          dst[c] = src[c * b.cs];
        for (int64_t c = cols; c < NR; ++c)
          dst[c] = 0;
      }
    }
    out += k * NR;
  }
}

/// Per-thread packing buffers, reused across calls.
struct Buffers {
  std::vector<float> a, b;
  float *alignedA(size_t n) { return aligned(a, n); }
  float *alignedB(size_t n) { return aligned(b, n); }
  static float *aligned(std::vector<float> &v, size_t n) {
    if (v.size() < n + 16)
      v.resize(n + 16);
    auto address = reinterpret_cast<uintptr_t>(v.data());
    return v.data() + ((64 - address % 64) % 64) / sizeof(float);
  }
};
thread_local Buffers buffers;

/// C[i0:i1, j0:j1] += A[i0:i1, :] * B[:, j0:j1] on one thread.
void gemmBlock(const Matrix &a, const Matrix &b, float *c, int64_t ldc,
               int64_t k, int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  float *packedB = buffers.alignedB(KC * NC);
  float *packedA = buffers.alignedA(MC * KC);
  for (int64_t jc = j0; jc < j1; jc += NC) {
    int64_t nc = std::min(NC, j1 - jc);
    for (int64_t pc = 0; pc < k; pc += KC) {
      int64_t kc = std::min(KC, k - pc);
      packB(b, pc, kc, jc, nc, packedB);
      for (int64_t ic = i0; ic < i1; ic += MC) {
        int64_t mc = std::min(MC, i1 - ic);
        packA(a, ic, mc, pc, kc, packedA);
        for (int64_t jr = 0; jr < nc; jr += NR) {
          const float *bs = packedB + (jr / NR) * kc * NR;
          for (int64_t ir = 0; ir < mc; ir += MR) {
            const float *as = packedA + (ir / MR) * kc * MR;
            kernel(kc, as, bs, c + (ic + ir) * ldc + jc + jr, ldc,
                   std::min(MR, mc - ir), std::min(NR, nc - jr));
          }
        }
      }
    }
  }
}

struct GemmTask {
  Matrix a, b;
  float *c;
  int64_t ldc, m, n, k, block;
  bool splitColumns;
};

void runTasks(void *context, int64_t lo, int64_t hi) {
  auto *task = static_cast<GemmTask *>(context);
  for (int64_t t = lo; t < hi; ++t) {
    int64_t from = t * task->block;
    if (task->splitColumns)
      gemmBlock(task->a, task->b, task->c, task->ldc, task->k, 0, task->m,
                from, std::min(task->n, from + task->block));
    else
      gemmBlock(task->a, task->b, task->c, task->ldc, task->k, from,
                std::min(task->m, from + task->block), 0, task->n);
  }
}

} // namespace

/// An MLIR memref descriptor of rank 2 (see llmos_abi.h).
struct llmos_memref2d_f32 {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
};

extern "C" void llmos_rt_sgemm(int64_t m, int64_t n, int64_t k,
                               const float *a, int64_t lda_row,
                               int64_t lda_col, const float *b,
                               int64_t ldb_row, int64_t ldb_col, float *c,
                               int64_t ldc) {
  if (m <= 0 || n <= 0 || k <= 0)
    return;
  GemmTask task{{a, lda_row, lda_col}, {b, ldb_row, ldb_col}, c, ldc, m, n,
                k, 0, n >= m};
  llmos::rt::ThreadPool *pool = llmos::rt::currentPool();
  int64_t threads = pool ? pool->getNumThreads() : 1;
  // Blocks of whole slivers, a few per thread; small problems stay whole.
  int64_t extent = task.splitColumns ? n : m;
  int64_t unit = task.splitColumns ? NR : MR;
  int64_t flops = 2 * m * n * k;
  int64_t pieces = flops < (1 << 20) ? 1 : std::min<int64_t>(2 * threads,
                                                  (extent + unit - 1) / unit);
  int64_t block = (extent + pieces - 1) / pieces;
  task.block = (block + unit - 1) / unit * unit;
  int64_t tasks = (extent + task.block - 1) / task.block;
  llmos_rt_parallel_for(0, tasks, runTasks, &task);
}

extern "C" void _mlir_ciface_llmos_rt_matmul_f32(llmos_memref2d_f32 *a,
                                                  llmos_memref2d_f32 *b,
                                                  llmos_memref2d_f32 *c) {
  llmos_rt_sgemm(c->sizes[0], c->sizes[1], a->sizes[1],
                 a->aligned + a->offset, a->strides[0], a->strides[1],
                 b->aligned + b->offset, b->strides[0], b->strides[1],
                 c->aligned + c->offset, c->strides[0]);
}
