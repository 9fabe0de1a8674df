"""Writes a NonMaxSuppression model whose boxes and scores have dims of
different symbolic names, and inputs whose batch and box counts disagree
(which ONNX forbids but a caller can pass), to check that the compiled model
reads neither tensor out of bounds.

usage: mismatched_nms.py WORKDIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    F = TensorProto.FLOAT
    graph = helper.make_graph(
        [helper.make_node("NonMaxSuppression", ["boxes", "scores", "m"], ["y"])],
        "nms",
        [helper.make_tensor_value_info("boxes", F, ["a", "b", 4]),
         helper.make_tensor_value_info("scores", F, ["c", "d", "e"]),
         helper.make_tensor_value_info("m", TensorProto.INT64, [1])],
        [helper.make_tensor_value_info("y", TensorProto.INT64, None)])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)]),
              os.path.join(work, "model.onnx"))
    rng = np.random.default_rng(0)
    # `boxes` has more batches and far more boxes than `scores`.
    inputs = {"boxes": rng.random((4, 200000, 4)).astype(np.float32),
              "scores": rng.random((1, 2, 3)).astype(np.float32),
              "m": np.array([5], np.int64)}
    for name, array in inputs.items():
        with open(os.path.join(work, name + ".pb"), "wb") as f:
            f.write(numpy_helper.from_array(array, name).SerializeToString())
    return 0


if __name__ == "__main__":
    sys.exit(main())
