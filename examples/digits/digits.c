/* digits: the accuracy and latency of the digits CNN compiled by llmos.
 *
 * Reads the held-out split that train.py wrote (test_images.npy,
 * test_labels.npy and PyTorch's predictions, torch_predictions.npy), runs
 * the model compiled into this program on all of it at once and on each
 * image alone, and prints the accuracy, how many predictions agree with
 * PyTorch's, the latency of one image and the throughput of the batch.
 *
 * Exit status: 0 when every prediction equals PyTorch's (and the batch and
 * one-image runs agree), 1 otherwise or on an error, 2 for bad usage.
 *
 * Everything here is the C API of llmos_runtime.h plus the generated
 * header digits_model.h, which declares digits_model_info(). */

#define _POSIX_C_SOURCE 199309L

#include "digits_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Prints a failed status with what was being done, frees it, returns 1. */
static int failed(llmos_status *status, const char *what) {
  fprintf(stderr, "digits: %s: %s\n", what, llmos_status_message(status));
  llmos_status_free(status);
  return 1;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The class with the largest logit (the first one on a tie, as argmax). */
static int64_t argmax(const float *logits, int64_t classes) {
  int64_t best = 0;
  for (int64_t c = 1; c < classes; ++c)
    if (logits[c] > logits[best])
      best = c;
  return best;
}

/* Reads `dir`/`file` and checks its dtype and rank. */
static int read_tensor(const char *dir, const char *file, llmos_dtype dtype,
                       int64_t rank, llmos_tensor **out) {
  char path[4096];
  snprintf(path, sizeof(path), "%s/%s", dir, file);
  llmos_status *status = llmos_tensor_read_file(path, out, NULL);
  if (status)
    return failed(status, path);
  if (llmos_tensor_dtype(*out) != dtype || llmos_tensor_rank(*out) != rank) {
    fprintf(stderr, "digits: %s: expected a %s tensor of rank %lld\n", path,
            llmos_dtype_name(dtype), (long long)rank);
    llmos_tensor_release(*out);
    *out = NULL;
    return 1;
  }
  return 0;
}

static void usage(FILE *to) {
  fprintf(to,
          "usage: digits DATA_DIR [--threads N] [--passes N]\n"
          "  DATA_DIR     holds test_images.npy, test_labels.npy and "
          "torch_predictions.npy\n"
          "  --threads N  threads per run (default 1; 0 means all cores)\n"
          "  --passes N   timed passes over the set, one image per run "
          "(default 5)\n");
}

int main(int argc, char **argv) {
  const char *dir = NULL;
  int threads = 1, passes = 5;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      usage(stdout);
      return 0;
    }
    int *setting = !strcmp(argv[i], "--threads")  ? &threads
                   : !strcmp(argv[i], "--passes") ? &passes
                                                  : NULL;
    if (setting && i + 1 < argc) {
      char *end;
      long value = strtol(argv[i + 1], &end, 10);
      if (*end || value < 0 || value > 1024 ||
          (value == 0 && setting == &passes)) {
        fprintf(stderr, "digits: bad value '%s' for %s\n", argv[i + 1],
                argv[i]);
        return 2;
      }
      *setting = (int)value;
      ++i;
    } else if (argv[i][0] != '-' && !dir) {
      dir = argv[i];
    } else {
      fprintf(stderr, "digits: unexpected argument '%s'\n", argv[i]);
      usage(stderr);
      return 2;
    }
  }
  if (!dir) {
    usage(stderr);
    return 2;
  }

  int status_code = 1;
  llmos_tensor *images = NULL, *labels = NULL, *reference = NULL;
  llmos_tensor *logits = NULL;
  llmos_options *options = NULL;
  llmos_model *model = NULL;
  int64_t *predictions = NULL;
  double *latencies = NULL;
  llmos_status *status;

  if (read_tensor(dir, "test_images.npy", LLMOS_FLOAT32, 4, &images) ||
      read_tensor(dir, "test_labels.npy", LLMOS_INT64, 1, &labels) ||
      read_tensor(dir, "torch_predictions.npy", LLMOS_INT64, 1, &reference))
    goto done;
  const int64_t *dims = llmos_tensor_dims(images);
  const int64_t count = dims[0];
  const int64_t image_elements = dims[1] * dims[2] * dims[3];
  if (count == 0 || llmos_tensor_dims(labels)[0] != count ||
      llmos_tensor_dims(reference)[0] != count) {
    fprintf(stderr, "digits: %s: the images, labels and predictions differ "
                    "in number (or there are none)\n", dir);
    goto done;
  }

  if ((status = llmos_options_create(&options)) ||
      (status = llmos_options_set_threads(options, threads)) ||
      (status = llmos_model_create(digits_model_info(), options, &model))) {
    status_code = failed(status, "creating the model");
    goto done;
  }
  const int64_t *input_dims = llmos_model_value_dims(model, 0, 0);
  printf("model \"%s\": input \"%s\" %s [%s, %lld, %lld, %lld], "
         "output \"%s\"\n",
         llmos_model_name(model), llmos_model_value_name(model, 0, 0),
         llmos_dtype_name(llmos_model_value_dtype(model, 0, 0)),
         llmos_model_value_dim_name(model, 0, 0, 0), (long long)input_dims[1],
         (long long)input_dims[2], (long long)input_dims[3],
         llmos_model_value_name(model, 1, 0));

  /* The whole held-out set in one run. */
  double start = now_ms();
  status = llmos_model_run(model, &images, 1, &logits, 1);
  double batch_ms = now_ms() - start;
  if (status) {
    status_code = failed(status, "running the model on the held-out set");
    goto done;
  }
  const int64_t classes = llmos_tensor_dims(logits)[1];
  const float *scores = llmos_tensor_data(logits);
  const int64_t *truth = llmos_tensor_data(labels);
  const int64_t *torch = llmos_tensor_data(reference);
  predictions = malloc(sizeof(int64_t) * count);
  latencies = malloc(sizeof(double) * count * (passes ? passes : 1));
  if (!predictions || !latencies) {
    fprintf(stderr, "digits: out of memory\n");
    goto done;
  }
  int64_t correct = 0, torch_correct = 0, agree = 0;
  for (int64_t i = 0; i < count; ++i) {
    predictions[i] = argmax(scores + i * classes, classes);
    correct += predictions[i] == truth[i];
    torch_correct += torch[i] == truth[i];
    agree += predictions[i] == torch[i];
  }
  /* Nine more batch runs: the throughput is their median. */
  double batch_runs[10] = {batch_ms};
  for (int r = 1; r < 10; ++r) {
    llmos_tensor *again = NULL;
    start = now_ms();
    status = llmos_model_run(model, &images, 1, &again, 1);
    batch_runs[r] = now_ms() - start;
    if (status) {
      status_code = failed(status, "running the model on the held-out set");
      goto done;
    }
    llmos_tensor_release(again);
  }
  qsort(batch_runs, 10, sizeof(double), compare_doubles);
  batch_ms = batch_runs[5];

  /* One image per run: the latency a single request sees. */
  float *pixels = llmos_tensor_data(images);
  const int64_t one_dims[4] = {1, dims[1], dims[2], dims[3]};
  const size_t one_bytes = sizeof(float) * (size_t)image_elements;
  int64_t runs = 0, disagree = 0;
  for (int pass = -1; pass < passes; ++pass) { /* pass -1 warms up */
    for (int64_t i = 0; i < count; ++i) {
      llmos_tensor *image = NULL, *out = NULL;
      if ((status = llmos_tensor_wrap(LLMOS_FLOAT32, 4, one_dims,
                                      pixels + i * image_elements, one_bytes,
                                      NULL, NULL, &image))) {
        status_code = failed(status, "wrapping an image");
        goto done;
      }
      start = now_ms();
      status = llmos_model_run(model, &image, 1, &out, 1);
      double ms = now_ms() - start;
      llmos_tensor_release(image);
      if (status) {
        status_code = failed(status, "running the model on one image");
        goto done;
      }
      if (pass >= 0)
        latencies[runs++] = ms;
      disagree += argmax(llmos_tensor_data(out), classes) != predictions[i];
      llmos_tensor_release(out);
    }
  }

  printf("held-out set: %lld images from %s\n", (long long)count, dir);
  printf("accuracy: %lld/%lld = %.2f%% (PyTorch: %lld/%lld = %.2f%%); "
         "same prediction as PyTorch on %lld of %lld images\n",
         (long long)correct, (long long)count, 100.0 * correct / count,
         (long long)torch_correct, (long long)count,
         100.0 * torch_correct / count, (long long)agree, (long long)count);
  if (runs > 0) {
    qsort(latencies, runs, sizeof(double), compare_doubles);
    printf("latency, one image per run: median %.4f ms, p99 %.4f ms "
           "(%lld runs, %d thread%s)\n",
           latencies[runs / 2], latencies[(runs * 99) / 100], (long long)runs,
           threads, threads == 1 ? "" : "s");
  }
  printf("throughput, %lld images per run: median %.3f ms per run, %.0f "
         "images/s (10 runs)\n",
         (long long)count, batch_ms, count / (batch_ms * 1e-3));
  if (disagree)
    fprintf(stderr, "digits: %lld one-image runs disagree with the batch "
                    "run\n", (long long)disagree);
  if (agree != count)
    fprintf(stderr, "digits: %lld predictions differ from PyTorch's\n",
            (long long)(count - agree));
  status_code = (agree == count && disagree == 0) ? 0 : 1;

done:
  free(latencies);
  free(predictions);
  llmos_tensor_release(logits);
  llmos_model_release(model);
  llmos_options_free(options);
  llmos_tensor_release(reference);
  llmos_tensor_release(labels);
  llmos_tensor_release(images);
  return status_code;
}
