//===- Weights.cpp - Mapping external weight files -------------------------===//
//
// This file maps the weights file of a model compiled with
// --external-weights (format in llmos_abi.h) when the model is created, and
// unmaps it when the last model using it is released. The file is looked
// up in $LLMOS_WEIGHTS_DIR, else next to the executable or shared library
// that holds the model (found with dladdr). Its magic, size and id must
// match what the code was compiled with.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

struct Mapping {
  void *address = nullptr;
  size_t size = 0;
  int users = 0;
};

std::mutex mappingsMutex;
std::map<llmos_weights_desc *, Mapping> mappings;

std::string directoryOf(const void *address) {
  Dl_info info;
  if (!dladdr(address, &info) || !info.dli_fname)
    return ".";
  std::string path = info.dli_fname;
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

uint64_t readLE64(const unsigned char *bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i)
    value = (value << 8) | bytes[i];
  return value;
}

} // namespace

llmos_status *llmos::rt::acquireWeights(const llmos_model_info *info) {
  llmos_weights_desc *desc = info->weights;
  if (!desc)
    return nullptr;
  std::lock_guard<std::mutex> lock(mappingsMutex);
  Mapping &mapping = mappings[desc];
  if (mapping.users++ > 0)
    return nullptr;
  const char *dirEnv = std::getenv("LLMOS_WEIGHTS_DIR");
  std::string path = (dirEnv && *dirEnv ? std::string(dirEnv)
                                        : directoryOf(info)) +
                     "/" + desc->file;
  auto fail = [&](llmos_status *status) {
    mappings.erase(desc);
    return status;
  };
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(makeStatus(LLMOS_IO_ERROR,
                           "model '%s': cannot open its weights '%s': %s",
                           info->name, path.c_str(), std::strerror(errno)));
  struct stat st;
  if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != desc->size) {
    close(fd);
    return fail(makeStatus(
        LLMOS_INVALID_ARGUMENT,
        "model '%s': weights '%s' have %lld bytes, the model expects %llu",
        info->name, path.c_str(), (long long)st.st_size,
        (unsigned long long)desc->size));
  }
  void *address = mmap(nullptr, desc->size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (address == MAP_FAILED)
    return fail(makeStatus(LLMOS_IO_ERROR,
                           "model '%s': cannot map its weights '%s': %s",
                           info->name, path.c_str(), std::strerror(errno)));
  auto *header = static_cast<const unsigned char *>(address);
  if (desc->size < 64 || std::memcmp(header, "LLMOSWT1", 8) != 0 ||
      readLE64(header + 8) != desc->size || readLE64(header + 16) != desc->id) {
    munmap(address, desc->size);
    return fail(makeStatus(LLMOS_INVALID_ARGUMENT,
                           "model '%s': '%s' is not the weights file this "
                           "model was compiled with",
                           info->name, path.c_str()));
  }
  mapping.address = address;
  mapping.size = desc->size;
  desc->base = address;
  return nullptr;
}

void llmos::rt::releaseWeights(const llmos_model_info *info) {
  llmos_weights_desc *desc = info->weights;
  if (!desc)
    return;
  std::lock_guard<std::mutex> lock(mappingsMutex);
  auto it = mappings.find(desc);
  if (it == mappings.end() || --it->second.users > 0)
    return;
  munmap(it->second.address, it->second.size);
  desc->base = nullptr;
  mappings.erase(it);
}
