/* Measures the machine's peak single-precision FMA throughput (GFLOP/s) with
 * T threads: each thread runs independent chains of vector FMAs on
 * registers, long enough that the loop overhead does not matter. Build with
 * -O2 -march=native so the widest vectors of the host are used.
 *
 * usage: peak [THREADS]   (default 1); prints "peak <g> GFLOP/s (T threads, W-bit vectors)"
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#define WIDTH 16
#elif defined(__AVX__)
#define WIDTH 8
#else
#define WIDTH 4
#endif
typedef float vec __attribute__((vector_size(WIDTH * 4)));

#define CHAINS 12
#define ITERATIONS 20000000L

static void *work(void *out) {
  vec acc[CHAINS], x, y;
  for (int i = 0; i < WIDTH; ++i) {
    x[i] = 0.999999f;
    y[i] = 1e-7f;
  }
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = x * (float)c;
  for (long i = 0; i < ITERATIONS; ++i) {
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = acc[c] * x + y; /* contracted to one FMA */
    __asm__ volatile("" : "+x"(acc[0]), "+x"(acc[1]), "+x"(acc[2]),
                     "+x"(acc[3]), "+x"(acc[4]), "+x"(acc[5]));
  }
  float sum = 0;
  for (int c = 0; c < CHAINS; ++c)
    for (int i = 0; i < WIDTH; ++i)
      sum += acc[c][i];
  *(float *)out = sum;
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 256) {
    fprintf(stderr, "usage: peak [THREADS]\n");
    return 2;
  }
  pthread_t ids[256];
  float sums[256];
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int t = 0; t < threads; ++t)
    pthread_create(&ids[t], NULL, work, &sums[t]);
  for (int t = 0; t < threads; ++t)
    pthread_join(ids[t], NULL);
  clock_gettime(CLOCK_MONOTONIC, &end);
  double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) * 1e-9;
  double flops = 2.0 * WIDTH * CHAINS * (double)ITERATIONS * threads;
  printf("peak %.1f GFLOP/s (%d threads, %d-bit vectors, checksum %g)\n",
         flops / seconds / 1e9, threads, WIDTH * 32, (double)sums[0]);
  return 0;
}
