#!/usr/bin/python3
"""Writes tiny_cnn.onnx, the model the README's first command compiles.

A small convolutional classifier for 8x8 single-channel images (the shape
of scikit-learn's digits) with deterministic random weights:
Conv 3x3 (8) -> Relu -> MaxPool 2x2 -> Conv 3x3 (16) -> Relu ->
GlobalAveragePool -> Flatten -> Gemm (10) -> Softmax, with a symbolic batch.
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    rng = np.random.default_rng(2026)

    def weights(name, *shape):
        scale = 1.0 / np.sqrt(np.prod(shape[1:]))
        return numpy_helper.from_array(
            (rng.standard_normal(shape) * scale).astype(np.float32), name)

    inits = [weights("conv1.weight", 8, 1, 3, 3),
             numpy_helper.from_array(np.zeros(8, np.float32), "conv1.bias"),
             weights("conv2.weight", 16, 8, 3, 3),
             numpy_helper.from_array(np.zeros(16, np.float32), "conv2.bias"),
             weights("fc.weight", 10, 16),
             numpy_helper.from_array(np.zeros(10, np.float32), "fc.bias")]
    nodes = [
        helper.make_node("Conv", ["image", "conv1.weight", "conv1.bias"], ["c1"],
                         name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "conv2.weight", "conv2.bias"], ["c2"],
                         name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["logits"],
                         name="fc", transB=1),
        helper.make_node("Softmax", ["logits"], ["probabilities"],
                         name="softmax"),
    ]
    graph = helper.make_graph(
        nodes, "tiny_cnn",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT,
                                       ["batch", 1, 8, 8])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT,
                                       ["batch", 10])],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="llmos-examples")
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "tiny_cnn.onnx")
    onnx.save(model, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
