"""Regenerates the reference outputs that ../shared/testdata/onnx-1.23-node-tests.tgz
lacks.

The generator that made that archive (../shared/testdata/gen_node_tests.py)
wrote each expected output with numpy_helper.from_array and left the file
empty when that raised: for outputs onnx's test cases give as TensorProtos
(float8, float4, 4-bit and 2-bit types, whose numpy form onnx cannot
serialize) and for sequences. This script writes those outputs as the test
cases define them (a TensorProto as is, a sequence with from_list), for every
case named in a list (those whose archive copy has an empty output file), into the backend-test
layout: OUT/node/<case>/test_data_set_N/output_M.pb.

It needs onnx 1.23 (the GPU machine's Python has it):
    find newnode/node -name 'output_*.pb' -size 0 | cut -d/ -f3 | sort -u > cases.txt
    python3 regen_node_outputs.py OUT cases.txt
where newnode/node is the unpacked archive; OUT is packed as
newer-node-tests-outputs.tgz beside this script.
"""
import os
import sys

import onnx
import onnx.backend.test.case.node as node
from onnx import numpy_helper


def serialize(value, name):
    if isinstance(value, onnx.TensorProto):
        value.name = name
        return value.SerializeToString()
    if isinstance(value, list):
        return numpy_helper.from_list(value, name).SerializeToString()
    return numpy_helper.from_array(value, name).SerializeToString()


def main():
    out, names = sys.argv[1], open(sys.argv[2]).read().split()
    print("onnx", onnx.__version__, flush=True)
    cases = {c.name: c for c in node.collect_testcases(None)}
    written = 0
    for name in names:
        case = cases.get(name)
        if case is None:
            print("missing case", name)
            continue
        for i, (_, outputs) in enumerate(case.data_sets):
            target = os.path.join(out, "node", name, f"test_data_set_{i}")
            os.makedirs(target, exist_ok=True)
            for j, value in enumerate(outputs):
                data = serialize(value, case.model.graph.output[j].name)
                with open(os.path.join(target, f"output_{j}.pb"), "wb") as f:
                    f.write(data)
        written += 1
    print("cases with regenerated outputs:", written)


if __name__ == "__main__":
    main()
