"""Helpers that build small ONNX models for the llmos lit tests.

Runs under /usr/bin/python3 with Debian's python3-onnx (ONNX 1.12), so
models can also use newer opsets than 1.12 knows: the checker is not run
for those.
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64
BOOL = TensorProto.BOOL


def tensor_info(name, dtype, shape):
    """A ValueInfo; shape entries may be ints, strings (symbolic) or None."""
    return helper.make_tensor_value_info(name, dtype, shape)


def const(name, array):
    """An initializer from a numpy array."""
    return numpy_helper.from_array(np.asarray(array), name)


def save(path, nodes, inputs, outputs, initializers=(), opset=17,
         value_info=(), functions=(), ir_version=8, extra_opsets=(),
         check=True):
    graph = helper.make_graph(list(nodes), "test", list(inputs),
                              list(outputs), list(initializers),
                              value_info=list(value_info))
    opsets = [helper.make_opsetid("", opset)] + [
        helper.make_opsetid(d, v) for d, v in extra_opsets]
    model = helper.make_model(graph, opset_imports=opsets,
                              producer_name="llmos-test",
                              functions=list(functions))
    model.ir_version = ir_version
    # ONNX 1.12's checker knows opsets up to 17 and insists on output shapes
    # for IR < 4 models.
    typed = all(o.type.tensor_type.HasField("shape") for o in outputs)
    if check and typed and opset <= 17 and ir_version >= 4:
        onnx.checker.check_model(model)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    return model


def out_dir():
    """The directory given on the command line (created if needed)."""
    path = sys.argv[1]
    os.makedirs(path, exist_ok=True)
    return path
