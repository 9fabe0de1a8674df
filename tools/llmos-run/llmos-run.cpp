//===- llmos-run.cpp - Run a compiled model or an ONNX file ---------------===//
//
// This file implements llmos-run: it loads a shared library built by
// `llmos-compile --emit=so` (or compiles an .onnx file into one first) and
// hands the run options to the library's own llmos_run_main, so the run
// uses the runtime that was linked into the artifact.
//
//===----------------------------------------------------------------------===//

#include "llmos/Driver/Compiler.h"
#include "llmos/Support/Diagnostics.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>

#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::llmos;

namespace {

const char *kTool = "llmos-run";

void usage() {
  llvm::outs()
      << "usage: llmos-run ARTIFACT.so|MODEL.onnx [options]\n\n"
         "Runs a model compiled with `llmos-compile --emit=so`, or compiles\n"
         "an ONNX model on the fly and runs it.\n\n"
         "Compile options (for an .onnx model):\n"
         "  -O<n>                 optimization level 0..3 (default 2)\n"
         "  --cpu=NAME            the CPU to generate code for (default "
         "native)\n"
         "  --input-shape=NAME=DxD..  pin an input's shape (repeatable)\n"
         "  --keep=FILE           keep the compiled shared library as FILE\n"
         "  -v                    report the compile phases on stderr\n\n"
         "Run options:\n"
         "  --inputs DIR          read inputs from DIR: input_<i>.pb (the "
         "ONNX\n"
         "                        backend test layout), or <name>.pb / "
         "<name>.npy\n"
         "  --input NAME=FILE     read one input from a .pb or .npy file\n"
         "  --random              fill inputs not given with random values\n"
         "  --shape NAME=DxD..    the shape of a random input\n"
         "  --expected DIR        compare outputs with output_<i>.pb or\n"
         "                        <name>.pb / <name>.npy in DIR\n"
         "  --rtol R --atol A     tolerances (default 1e-3, 1e-7: the ONNX\n"
         "                        backend tests')\n"
         "  --outputs DIR         write outputs to DIR (created if missing)\n"
         "                        as output_<i>.pb\n"
         "  --npy                 write outputs as <name>.npy instead\n"
         "  --repeat N            time N runs after a warm-up run and print\n"
         "                        'median <t> ms (min <t>, max <t>, N runs)'\n"
         "  --threads T           threads per run (default: all cores)\n"
         "  --concurrent N        also run from N threads at once and check\n"
         "                        that every output is bit-identical\n"
         "  --quiet               print only errors and timings\n\n"
         "Exit status: 0 when every output matches (or none was compared),\n"
         "1 when an output differs or the model fails, 2 for bad usage.\n";
}

int fail(const llvm::Twine &message, int status = 1) {
  llvm::errs() << kTool << ": error: " << message << "\n";
  return status;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  std::string artifact, keep;
  CompileOptions compile;
  compile.emit = EmitKind::SharedLibrary;
  compile.writeHeader = false;
#ifdef LLMOS_SANITIZE
  // llmos's sanitizer build checks the models' code too.
  compile.sanitizeAddress = true;
#endif
  // Everything that is not ours goes to the artifact's llmos_run_main.
  std::vector<char *> runArgs{argv[0]};
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg == "--help" || arg == "-h") {
      usage();
      return 0;
    }
    if (arg.consume_front("-O") && arg.size() == 1 && arg[0] >= '0' &&
        arg[0] <= '3') {
      compile.optLevel = arg[0] - '0';
    } else if (llvm::StringRef(argv[i]).starts_with("-O")) {
      return fail("'" + llvm::Twine(argv[i]) + "' is not a level (use -O0 "
                  "to -O3)", 2);
    } else if (arg.consume_front("--cpu=")) {
      compile.cpu = arg.str();
    } else if (arg.consume_front("--keep=")) {
      keep = arg.str();
    } else if (arg == "-v") {
      compile.verbose = true;
    } else if (arg.consume_front("--input-shape=")) {
      llvm::StringRef name, shape = arg;
      if (arg.contains('='))
        std::tie(name, shape) = arg.rsplit('=');
      std::optional<SmallVector<int64_t>> dims = parseShapeSpec(shape);
      if (!dims)
        return fail("invalid --input-shape '" + arg + "'", 2);
      compile.import.inputShapes[name] = *dims;
    } else if (artifact.empty() && !arg.starts_with("-")) {
      artifact = arg.str();
    } else {
      runArgs.push_back(argv[i]);
    }
  }
  if (artifact.empty())
    return fail("no model given (see --help)", 2);
  if (!llvm::sys::fs::exists(artifact))
    return fail("'" + artifact + "': no such file");

  // An ONNX model is compiled into a temporary shared library first.
  std::string library = artifact;
  SmallString<128> temporary;
  std::optional<llvm::FileRemover> remover;
  if (llvm::sys::path::extension(artifact) == ".onnx") {
    if (!keep.empty()) {
      library = keep;
    } else {
      if (llvm::sys::fs::createTemporaryFile("llmos-run", "so", temporary))
        return fail("cannot create a temporary file");
      remover.emplace(temporary);
      library = std::string(temporary);
    }
    compile.inputFile = artifact;
    compile.outputFile = library;
    compile.runtimeDir =
        findRuntimeDir(argv[0], reinterpret_cast<void *>(&usage));
    DialectRegistry registry;
    registerCompilerDialects(registry);
    MLIRContext context(registry);
    context.loadAllAvailableDialects();
    context.printOpOnDiagnostic(false);
    DiagnosticPrinter diagnostics(&context);
    if (failed(compileModel(context, compile, kTool)))
      return 1;
  }

  // Load it: its runtime runs it.
  std::string path = library;
  if (path.find('/') == std::string::npos)
    path = "./" + path;
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return fail("cannot load '" + library + "': " + dlerror());
  using InfoFn = const void *(*)();
  using RunMainFn = int (*)(int, char **, const void *);
  auto getInfo = reinterpret_cast<InfoFn>(dlsym(handle, "llmos_model_info_get"));
  auto runMain = reinterpret_cast<RunMainFn>(dlsym(handle, "llmos_run_main"));
  if (!getInfo || !runMain)
    return fail("'" + library + "' is not a model library built by "
                "llmos-compile --emit=so (llmos_model_info_get or "
                "llmos_run_main missing)");
  runArgs.push_back(nullptr);
  int status = runMain(static_cast<int>(runArgs.size() - 1), runArgs.data(),
                       getInfo());
  // Leave the library loaded: the runtime's threads may still be winding
  // down and the process exits next anyway.
  return status;
}
