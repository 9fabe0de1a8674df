//===- Linker.cpp - Link compiled models with the runtime -----------------===//
//
// This file links an object file with the llmos runtime into a shared
// library or an executable, through the system's C compiler driver.
//
//===----------------------------------------------------------------------===//

#include "llmos/Codegen/Emit.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::llmos;

std::string mlir::llmos::findRuntimeDir(const char *argv0, void *mainAddress) {
  if (std::optional<std::string> dir =
          llvm::sys::Process::GetEnv("LLMOS_RUNTIME_DIR"))
    return *dir;
  llvm::SmallString<256> path(
      llvm::sys::fs::getMainExecutable(argv0, mainAddress));
  llvm::sys::path::remove_filename(path); // bin/
  llvm::sys::path::remove_filename(path); // prefix/
  llvm::sys::path::append(path, "lib");
  return std::string(path);
}

namespace {

/// The C compiler driver to link with.
std::optional<std::string> findLinkerDriver() {
  if (std::optional<std::string> cc = llvm::sys::Process::GetEnv("LLMOS_CC"))
    return *cc;
  for (const char *name : {"clang-22", "clang", "cc", "gcc"})
    if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(name))
      return *path;
  return std::nullopt;
}

} // namespace

LogicalResult mlir::llmos::linkArtifact(LinkKind kind, StringRef objectPath,
                                        StringRef runtimeDir, StringRef path,
                                        StringRef sanitizers,
                                        std::string &error) {
  std::optional<std::string> driver = findLinkerDriver();
  if (!driver) {
    error = "no C compiler driver to link with (looked for $LLMOS_CC, "
            "clang-22, clang, cc, gcc)";
    return failure();
  }
  auto library = [&](StringRef name) {
    llvm::SmallString<256> file(runtimeDir);
    llvm::sys::path::append(file, name);
    return std::string(file);
  };
  std::string runtime = library("libllmos_runtime.a");
  if (!llvm::sys::fs::exists(runtime)) {
    error = "the runtime library '" + runtime +
            "' does not exist (set LLMOS_RUNTIME_DIR to the directory that "
            "holds libllmos_runtime.a)";
    return failure();
  }
  std::vector<std::string> args{*driver, "-o", path.str(), objectPath.str()};
  llvm::SmallString<128> versionScript;
  if (kind == LinkKind::SharedLibrary) {
    // Export the C API only: llmos_* (the runtime and the model getter).
    int fd;
    if (llvm::sys::fs::createTemporaryFile("llmos-exports", "map", fd,
                                           versionScript)) {
      error = "cannot create a temporary file";
      return failure();
    }
    llvm::raw_fd_ostream script(fd, /*shouldClose=*/true);
    script << "{ global: llmos_*; local: *; };\n";
    script.close();
    args.insert(args.begin() + 1, "-shared");
    args.push_back("-Wl,--whole-archive");
    args.push_back(runtime);
    args.push_back("-Wl,--no-whole-archive");
    args.push_back("-Wl,--version-script=" + versionScript.str().str());
  } else {
    args.push_back(library("libllmos_main.a"));
    args.push_back(runtime);
  }
  for (const char *system : {"-lstdc++", "-lm", "-lpthread"})
    args.push_back(system);
  // The sanitizers' runtimes: for instrumented model code, and for a
  // runtime library built with sanitizers.
  std::string sanitize = sanitizers.str();
#ifdef LLMOS_SANITIZE
  sanitize += std::string(sanitize.empty() ? "" : ",") + LLMOS_SANITIZE;
#endif
  if (!sanitize.empty())
    args.push_back("-fsanitize=" + sanitize);
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*driver, argRefs, std::nullopt, {},
                                         0, 0, &message);
  if (!versionScript.empty())
    llvm::sys::fs::remove(versionScript);
  if (status != 0) {
    std::string command;
    for (const std::string &arg : args)
      command += (command.empty() ? "" : " ") + arg;
    error = "linking failed" +
            (message.empty() ? std::string() : ": " + message) + " (" +
            command + ")";
    return failure();
  }
  return success();
}
