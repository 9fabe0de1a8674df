"""What the backend-test-data checks share: the expected-failure list and
the cases of the four ONNX backend test folders."""

import os

FOLDERS = ("node", "pytorch-converted", "pytorch-operator", "simple")


def read_expected_failures(path):
    """The case names in an expected-failure file ('#' starts a comment)."""
    names = set()
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.add(line)
    return names


def list_cases(testdata):
    """(folder/name, case directory) of every case that has a model.onnx,
    in folder and name order. Folders a test set lacks are skipped (onnx
    1.23's newer node tests have only node/)."""
    cases = []
    for folder in FOLDERS:
        root = os.path.join(testdata, folder)
        if not os.path.isdir(root):
            continue
        for name in sorted(os.listdir(root)):
            case_dir = os.path.join(root, name)
            if os.path.exists(os.path.join(case_dir, "model.onnx")):
                cases.append((f"{folder}/{name}", case_dir))
    return cases
