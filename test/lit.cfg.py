# -*- Python -*-
# lit configuration of the llmos tests (IR, importer, end-to-end).

import os
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "llmos"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".py", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.llmos_obj_root, "test")
config.excludes = ["Inputs", "lib", "lit.cfg.py", "lit.site.cfg.py", "make_seeds.py",
                   "regen_node_outputs.py",
                   "CMakeLists.txt", "README.md"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment(
    "PYTHONPATH", os.path.join(config.test_source_root, "lib"),
    append_path=True)

tool_dirs = [config.llmos_tools_dir, config.llvm_tools_dir]
tools = ["llmos-opt", "llmos-compile", "llmos-run", "FileCheck", "not", "count"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Models are built by Python scripts with Debian's python3-onnx.
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%llmos_src", config.llmos_src_root))
config.substitutions.append(("%llmos_tools", config.llmos_tools_dir))
config.substitutions.append(("%llmos_obj", config.llmos_obj_root))

# Outside projects (test/CMake) are configured with llmos's own CMake, Ninja
# and compilers.
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%ctest", config.ctest_command))
config.substitutions.append(("%cc", config.c_compiler))
config.substitutions.append(
    ("%configure", f"{config.cmake_command} -G Ninja "
     f"-DCMAKE_MAKE_PROGRAM={config.make_program} "
     f"-DCMAKE_C_COMPILER={config.c_compiler} "
     f"-DCMAKE_CXX_COMPILER={config.cxx_compiler} -DCMAKE_BUILD_TYPE=Release"))

testdata = "/usr/share/libonnx-testdata/data"
if os.path.isdir(testdata):
    config.available_features.add("onnx-testdata")
    config.substitutions.append(("%testdata", testdata))


# The project's shared data (models quantized by ONNX Runtime, onnx 1.23's
# backend node tests) sits beside the checkout, as on the developers' machines
# and in CI; LLMOS_SHARED_DIR names another place.
shared = os.environ.get("LLMOS_SHARED_DIR") or os.path.join(
    config.llmos_src_root, "..", "shared")
shared = os.path.abspath(shared)
if os.path.isdir(os.path.join(shared, "models", "quantized")):
    config.available_features.add("quantized-models")
    config.substitutions.append(
        ("%quantized_models", os.path.join(shared, "models", "quantized")))
newer_tests = os.path.join(shared, "testdata", "onnx-1.23-node-tests.tgz")
if os.path.isfile(newer_tests):
    config.available_features.add("onnx-1.23-testdata")
    config.substitutions.append(("%onnx123_tests", newer_tests))


def python_has(modules):
    try:
        subprocess.run([config.python_executable, "-c", "import " + modules],
                       check=True, capture_output=True, timeout=120)
        return True
    except Exception:
        return False


if python_has("torch, torchvision"):
    config.available_features.add("torch")

fuzzer = os.path.join(config.llmos_tools_dir, "llmos-import-fuzzer")
if config.llmos_enable_fuzzing and os.path.exists(fuzzer):
    config.available_features.add("fuzzer")
compile_fuzzer = os.path.join(config.llmos_tools_dir, "llmos-compile-fuzzer")
if config.llmos_enable_fuzzing and os.path.exists(compile_fuzzer):
    config.available_features.add("compile-fuzzer")
