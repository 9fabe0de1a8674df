// digits_classify: one held-out image through the digits CNN, from C++.
//
//   digits_classify DATA_DIR INDEX
//
// Draws image INDEX of the held-out split, runs the model compiled into
// this program on it and prints the three likeliest digits. The C API is
// used through std::unique_ptr with the API's release functions and one
// exception type for failed statuses. Exit status: 0 when the prediction
// equals PyTorch's for that image, 1 otherwise or on an error, 2 for bad
// usage.

#include "digits_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct TensorRelease {
  void operator()(llmos_tensor *tensor) const { llmos_tensor_release(tensor); }
};
struct ModelRelease {
  void operator()(llmos_model *model) const { llmos_model_release(model); }
};
using Tensor = std::unique_ptr<llmos_tensor, TensorRelease>;
using Model = std::unique_ptr<llmos_model, ModelRelease>;

// Throws the status's message (and frees it) when a call failed.
void check(llmos_status *status, const std::string &what) {
  if (!status)
    return;
  std::string message = what + ": " + llmos_status_message(status);
  llmos_status_free(status);
  throw std::runtime_error(message);
}

Tensor readTensor(const std::string &path, llmos_dtype dtype) {
  llmos_tensor *raw = nullptr;
  check(llmos_tensor_read_file(path.c_str(), &raw, nullptr), path);
  Tensor tensor(raw);
  if (llmos_tensor_dtype(raw) != dtype)
    throw std::runtime_error(path + ": expected " + llmos_dtype_name(dtype) +
                             " data");
  return tensor;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: digits_classify DATA_DIR INDEX\n");
    return 2;
  }
  const std::string dir = argv[1];
  char *end;
  const long index = std::strtol(argv[2], &end, 10);
  if (*end || index < 0) {
    std::fprintf(stderr, "digits_classify: bad index '%s'\n", argv[2]);
    return 2;
  }
  try {
    Tensor images = readTensor(dir + "/test_images.npy", LLMOS_FLOAT32);
    Tensor labels = readTensor(dir + "/test_labels.npy", LLMOS_INT64);
    Tensor torch = readTensor(dir + "/torch_predictions.npy", LLMOS_INT64);
    const int64_t *dims = llmos_tensor_dims(images.get());
    if (llmos_tensor_rank(images.get()) != 4 || index >= dims[0] ||
        llmos_tensor_num_elements(labels.get()) != dims[0] ||
        llmos_tensor_num_elements(torch.get()) != dims[0])
      throw std::runtime_error(dir + ": no image " + std::to_string(index) +
                               " with a label and a PyTorch prediction");

    llmos_model *rawModel = nullptr;
    check(llmos_model_create(digits_model_info(), nullptr, &rawModel),
          "creating the model");
    Model model(rawModel);

    // A batch of one: a copy of the image (the model input is [batch,1,8,8]).
    const int64_t pixels = dims[1] * dims[2] * dims[3];
    const float *image =
        static_cast<const float *>(llmos_tensor_data(images.get())) +
        index * pixels;
    const int64_t one[4] = {1, dims[1], dims[2], dims[3]};
    llmos_tensor *rawInput = nullptr;
    check(llmos_tensor_create_copy(LLMOS_FLOAT32, 4, one, image,
                                   sizeof(float) * pixels, &rawInput),
          "copying the image");
    Tensor input(rawInput);

    llmos_tensor *inputs[] = {input.get()};
    llmos_tensor *rawLogits = nullptr;
    check(llmos_model_run(model.get(), inputs, 1, &rawLogits, 1),
          "running the model");
    Tensor logits(rawLogits);

    // Softmax of the logits, then the three likeliest classes.
    const auto *scores = static_cast<const float *>(llmos_tensor_data(rawLogits));
    const int64_t classes = llmos_tensor_dims(rawLogits)[1];
    const float top = *std::max_element(scores, scores + classes);
    std::vector<double> p(scores, scores + classes);
    double sum = 0;
    for (double &v : p)
      sum += v = std::exp(v - top);
    for (double &v : p)
      v /= sum;
    std::vector<int> order(classes);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      return p[a] > p[b] || (p[a] == p[b] && a < b); // argmax's tie order
    });

    const char *shades = " .:-=+*#%@";
    for (int64_t y = 0; y < dims[2]; ++y) {
      std::printf("  ");
      for (int64_t x = 0; x < dims[3]; ++x) {
        int shade = static_cast<int>(image[y * dims[3] + x] * 9.0f + 0.5f);
        std::printf("%c%c", shades[std::clamp(shade, 0, 9)],
                    shades[std::clamp(shade, 0, 9)]);
      }
      std::printf("\n");
    }
    const int64_t label = static_cast<const int64_t *>(
        llmos_tensor_data(labels.get()))[index];
    const int64_t expected = static_cast<const int64_t *>(
        llmos_tensor_data(torch.get()))[index];
    std::printf("image %ld: label %lld; llmos predicts %d", index,
                static_cast<long long>(label), order[0]);
    for (int k = 0; k < 3 && k < classes; ++k)
      std::printf("%s %d (p = %.4f)", k ? "," : ":", order[k], p[order[k]]);
    std::printf("; PyTorch predicted %lld\n",
                static_cast<long long>(expected));
    return order[0] == expected ? 0 : 1;
  } catch (const std::exception &error) {
    std::fprintf(stderr, "digits_classify: %s\n", error.what());
    return 1;
  }
}
