#!/usr/bin/env python3
"""Imports every ONNX backend test model with llmos-compile and checks the
result against a list of expected failures.

usage: import_testdata.py LLMOS_COMPILE TESTDATA_DIR XFAIL_FILE [--phase P]

A model "passes" when llmos-compile exits 0 at the requested phase. Every
model on the expected-failure list must fail with a clear error (exit 1);
every other model must pass. A crash (a signal, or an exit status other
than 0 and 1) or a hang always fails. Prints a summary line and the
unexpected results; exits non-zero when there are any.
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys

from backend_testdata import list_cases, read_expected_failures


def run_one(tool, model, phase):
    try:
        proc = subprocess.run([tool, model, "--compile-to", phase, "-o",
                               os.devnull], capture_output=True, text=True,
                              timeout=120)
        return proc.returncode, proc.stderr.strip().splitlines()[:3]
    except subprocess.TimeoutExpired:
        return "timeout", []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tool")
    parser.add_argument("testdata")
    parser.add_argument("xfail")
    parser.add_argument("--phase", default="graph")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    expected_failures = read_expected_failures(args.xfail)

    cases = [(name, os.path.join(case_dir, "model.onnx"))
             for name, case_dir in list_cases(args.testdata)]

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda c: run_one(args.tool, c[1], args.phase),
                                cases))

    passed = failed = 0
    problems = []
    for (case, _), (status, stderr) in zip(cases, results):
        expect_fail = case in expected_failures
        if status == 0:
            passed += 1
            if expect_fail:
                problems.append(f"UNEXPECTED PASS: {case} (remove it from "
                                f"the expected failures)")
        else:
            failed += 1
            if status != 1:
                problems.append(f"CRASH ({status}): {case}: "
                                + " | ".join(stderr))
            elif not expect_fail:
                problems.append(f"UNEXPECTED FAIL: {case}: "
                                + " | ".join(stderr))
    unknown = expected_failures - {case for case, _ in cases}
    for case in sorted(unknown):
        problems.append(f"STALE: {case} is listed but does not exist")

    total = len(cases)
    print(f"imported {passed} of {total} backend test models "
          f"({100.0 * passed / total:.1f}%) at --compile-to={args.phase}; "
          f"{failed} failed with an error, {len(expected_failures)} expected")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
