# Tests the basic import: inputs with symbolic dims, initializers (small ones
# dense, large ones zero-copy dense_resource), value_info, output names,
# --input-shape, and the import and graph phases.
#
# RUN: %python %s %t
# RUN: llmos-compile %t/mlp.onnx --compile-to=import | FileCheck %s --check-prefix=IMPORT
# RUN: llmos-compile %t/mlp.onnx --input-shape x=4x16 | FileCheck %s --check-prefix=PINNED
# RUN: llmos-compile %t/mlp.onnx --input-shape 2x16 --compile-to=import | FileCheck %s --check-prefix=UNNAMED
# RUN: llmos-compile %t/mlp.onnx --summary -O0 | FileCheck %s --check-prefix=SUMMARY
# RUN: llmos-compile %t/mlp.onnx -o %t/out.mlir && llmos-opt %t/out.mlir | FileCheck %s --check-prefix=ROUNDTRIP
# RUN: llmos-compile %t/value_info.onnx --compile-to=import | FileCheck %s --check-prefix=VALUEINFO

# IMPORT: module attributes {llmos.ir_version = 8 : i64, llmos.opsets = {ai.onnx = 17 : i64}, llmos.producer = "llmos-test"
# IMPORT: func.func @main(%arg0: tensor<?x16xf32> {llmos.dim_names = ["batch", ""], llmos.name = "x"}) -> (tensor<?x4xf32> {llmos.name = "y"})
# IMPORT-DAG: llmos.constant dense_resource<w1> : tensor<16x32xf32>
# IMPORT-DAG: llmos.constant dense<{{.*}}> : tensor<32xf32>
# IMPORT: llmos.gemm %arg0, %{{.*}}, %{{.*}} : (tensor<?x16xf32>, tensor<16x32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
# IMPORT: llmos.relu %{{.*}} : (tensor<?x32xf32>) -> tensor<?x32xf32>
# IMPORT: llmos.gemm {{.*}} {transB = 1 : i64} : (tensor<?x32xf32>, tensor<4x32xf32>, tensor<4xf32>) -> tensor<?x4xf32>
# IMPORT: return %{{.*}} : tensor<?x4xf32>
# IMPORT: dialect_resources
# IMPORT: w1: "0x

# PINNED: func.func @main(%arg0: tensor<4x16xf32> {llmos.name = "x"}) -> (tensor<4x4xf32> {llmos.name = "y"})

# UNNAMED: func.func @main(%arg0: tensor<2x16xf32>

# SUMMARY: model:      {{.*}}mlp.onnx
# SUMMARY: producer:   llmos-test
# SUMMARY: input  x: tensor<?x16xf32>  dims [batch, -]
# SUMMARY: output y: tensor<?x4xf32>
# SUMMARY: parameters: 676 in 4 constants (0.00 MB)
# SUMMARY: ops:        7
# SUMMARY-DAG: llmos.constant 4
# SUMMARY-DAG: llmos.gemm 2

# ROUNDTRIP: llmos.fused_matmul

# The model declares the Relu output static: the declared type refines the
# inferred one.
# VALUEINFO: func.func {{.*}} -> (tensor<3x8xf32>
# VALUEINFO: llmos.relu %arg0 : (tensor<?x8xf32>) -> tensor<3x8xf32>

import numpy as np
from onnx import helper

import onnxgen as g

out = g.out_dir()
rng = np.random.default_rng(0)
w1 = rng.standard_normal((16, 32)).astype(np.float32)
b1 = rng.standard_normal((32,)).astype(np.float32)
w2 = rng.standard_normal((4, 32)).astype(np.float32)
b2 = rng.standard_normal((4,)).astype(np.float32)
g.save(f"{out}/mlp.onnx",
       [helper.make_node("Gemm", ["x", "w1", "b1"], ["h"]),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["y"], transB=1)],
       [g.tensor_info("x", g.FLOAT, ["batch", 16])],
       [g.tensor_info("y", g.FLOAT, ["batch", 4])],
       [g.const("w1", w1), g.const("b1", b1), g.const("w2", w2),
        g.const("b2", b2)])

g.save(f"{out}/value_info.onnx",
       [helper.make_node("Relu", ["x"], ["y"])],
       [g.tensor_info("x", g.FLOAT, [None, 8])],
       [g.tensor_info("y", g.FLOAT, [None, 8])],
       value_info=[g.tensor_info("y", g.FLOAT, [3, 8])])
