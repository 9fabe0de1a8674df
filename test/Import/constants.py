# Tests constant and initializer import: every Constant attribute form,
# sparse tensors, typed fields of several data types, strings, and external
# data files, including offsets beyond 2 GiB and a tensor larger than 2 GiB
# (kept as a memory map of the data file, never read by the importer).
#
# RUN: %python %s %t
# RUN: llmos-compile %t/constants.onnx --compile-to=import | FileCheck %s --check-prefix=CONST
# RUN: llmos-compile %t/external.onnx --compile-to=import | FileCheck %s --check-prefix=EXTERNAL
# RUN: llmos-compile %t/huge.onnx --summary | FileCheck %s --check-prefix=HUGE

# CONST-DAG: llmos.constant dense<2.500000e+00> : tensor<f32>
# CONST-DAG: llmos.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
# CONST-DAG: llmos.constant dense<7> : tensor<i64>
# CONST-DAG: llmos.constant dense<[3, 4]> : tensor<2xi64>
# CONST-DAG: llmos.constant dense<"hi"> : tensor<!llmos.string>
# CONST-DAG: llmos.constant dense<["a", "b"]> : tensor<2x!llmos.string>
# CONST-DAG: llmos.constant dense<{{\[}}[0.000000e+00, 5.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
# CONST-DAG: llmos.constant dense<[1.000000e+00, -2.000000e+00]> : tensor<2xf16>
# CONST-DAG: llmos.constant dense<[true, false, true]> : tensor<3xi1>
# CONST-DAG: llmos.constant dense<[1, 255]> : tensor<2xui8>
# CONST-DAG: llmos.constant dense<[0.000000e+00, 9.000000e+00]> : tensor<2xf32>

# EXTERNAL: %[[BIG:.*]] = llmos.constant dense_resource<big> : tensor<64xf32>
# EXTERNAL: %[[FAR:.*]] = llmos.constant dense<[11, 22, 33]> : tensor<3xi64>

# HUGE: parameters: 600000003 in 2 constants (2400.00 MB)

import os

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import onnxgen as g

out = g.out_dir()
F = g.FLOAT

consts = [
    helper.make_node("Constant", [], ["c0"], value_float=2.5),
    helper.make_node("Constant", [], ["c1"], value_floats=[1.0, 2.0]),
    helper.make_node("Constant", [], ["c2"], value_int=7),
    helper.make_node("Constant", [], ["c3"], value_ints=[3, 4]),
    helper.make_node("Constant", [], ["c4"], value_string="hi"),
    helper.make_node("Constant", [], ["c5"], value_strings=["a", "b"]),
    helper.make_node("Constant", [], ["c6"], sparse_value=helper.make_sparse_tensor(
        helper.make_tensor("v", F, [2], [5.0, 6.0]),
        helper.make_tensor("i", TensorProto.INT64, [2], [1, 5]), [2, 3])),
]
inits = [
    # make_tensor stores FLOAT16 values as their bits in int32_data.
    helper.make_tensor("half", TensorProto.FLOAT16, [2], [1.0, -2.0]),
    helper.make_tensor("flags", TensorProto.BOOL, [3], [True, False, True]),
    helper.make_tensor("bytes", TensorProto.UINT8, [2], [1, 255]),
]
sparse_init = helper.make_sparse_tensor(
    helper.make_tensor("sp", F, [1], [9.0]),
    helper.make_tensor("sp_i", TensorProto.INT64, [1], [1]), [2])
names = [n.output[0] for n in consts] + ["half", "flags", "bytes", "sp"]
graph = helper.make_graph(
    consts, "constants", [],
    [helper.make_value_info(n, helper.TypeProto()) for n in names], inits,
    sparse_initializer=[sparse_init])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                          producer_name="llmos-test")
model.ir_version = 8
open(f"{out}/constants.onnx", "wb").write(model.SerializeToString())


def external(name, dtype, dims, location, offset, length):
    t = TensorProto(name=name, data_type=dtype, dims=dims,
                    data_location=TensorProto.EXTERNAL)
    for k, v in (("location", location), ("offset", str(offset)),
                 ("length", str(length))):
        e = t.external_data.add()
        e.key, e.value = k, v
    return t


# A small data file: a 64-float tensor at offset 0, an int64 tensor at 256.
with open(f"{out}/weights.bin", "wb") as f:
    f.write(np.arange(64, dtype=np.float32).tobytes())
    f.write(b"\0" * (256 - 64 * 4))
    f.write(np.array([11, 22, 33], np.int64).tobytes())
g.save(f"{out}/external.onnx",
       [helper.make_node("Identity", ["big"], ["y0"]),
        helper.make_node("Identity", ["far"], ["y1"])],
       [], [g.tensor_info("y0", F, None), g.tensor_info("y1", g.INT64, None)],
       [external("big", F, [64], "weights.bin", 0, 256),
        external("far", TensorProto.INT64, [3], "weights.bin", 256, 24)],
       check=False)

# A sparse 2.4 GB file: a tensor larger than 2 GiB, and a small tensor at an
# offset beyond 2^31.
huge_elems = 600_000_000
far_offset = huge_elems * 4 + 4096
with open(f"{out}/huge.bin", "wb") as f:
    f.truncate(far_offset)
    f.seek(far_offset)
    f.write(np.array([1.0, 2.0, 3.0], np.float32).tobytes())
g.save(f"{out}/huge.onnx",
       [helper.make_node("Identity", ["huge"], ["y0"]),
        helper.make_node("Identity", ["tail"], ["y1"])],
       [], [g.tensor_info("y0", F, None), g.tensor_info("y1", F, None)],
       [external("huge", F, [huge_elems], "huge.bin", 0, huge_elems * 4),
        external("tail", F, [3], "huge.bin", far_offset, 12)],
       check=False)
