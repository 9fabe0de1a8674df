#!/usr/bin/env python3
"""Compiles every ONNX backend test model to a native executable with
llmos-compile, runs it on test_data_set_0 and compares the outputs with the
expected ones, then checks the results against a list of expected failures.

usage: conformance.py LLMOS_COMPILE TESTDATA_DIR XFAIL_FILE [--jobs N]
                      [--work DIR] [--only SUBSTRING] [--every N]
                      [--report FILE] [--threads T] [--random-outputs FILE]

A case passes when the model compiles (exit 0) and the executable's outputs
match within the ONNX backend tolerances (rtol 1e-3, atol 1e-7). Every case
on the expected-failure list must fail (compile error or mismatch); every
other one must pass. Cases on the --random-outputs list draw unseeded
random numbers, so whether they match is chance: they must compile and run,
but their outputs are not compared. A crash of the compiler or of the
compiled model (a signal), or a hang, is always reported. Prints a summary line and the
unexpected results; exits non-zero when there are any.
"""

import argparse
import concurrent.futures
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from backend_testdata import list_cases, read_expected_failures


def describe(returncode):
    if returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    return f"exit {returncode}"


def run_case(tool, case_dir, work, compile_timeout, run_timeout, threads,
             opt_level="2"):
    """Returns (kind, detail): kind is pass, compile-error, mismatch,
    crash or timeout."""
    exe = os.path.join(work, "model")
    try:
        proc = subprocess.run([tool, os.path.join(case_dir, "model.onnx"),
                               "-o", exe, "-O" + opt_level],
                              capture_output=True, text=True,
                              timeout=compile_timeout)
    except subprocess.TimeoutExpired:
        return "timeout", "compile timed out"
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        if proc.returncode != 1:
            return "crash", f"compiler {describe(proc.returncode)}: " + \
                " | ".join(lines[-3:])
        return "compile-error", " | ".join(lines[:2])
    data = os.path.join(case_dir, "test_data_set_0")
    try:
        proc = subprocess.run([exe, "--inputs", data, "--expected", data,
                               "--quiet", "--threads", str(threads)],
                              capture_output=True, text=True,
                              timeout=run_timeout)
    except subprocess.TimeoutExpired:
        return "timeout", "run timed out"
    if proc.returncode == 0:
        return "pass", ""
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    if proc.returncode != 1:
        return "crash", f"model {describe(proc.returncode)}: " + \
            " | ".join(lines[-3:])
    return "mismatch", " | ".join(lines[:2])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tool")
    parser.add_argument("testdata")
    parser.add_argument("xfail")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--work", help="scratch directory (default: temp)")
    parser.add_argument("--only", help="run the cases whose name contains it")
    parser.add_argument("--every", type=int, default=1,
                        help="run every N-th case only (a sample for slow "
                             "builds such as the sanitizer build)")
    parser.add_argument("--report", help="write every case's result here")
    parser.add_argument("--opt-level", default="2",
                        help="llmos-compile's -O level (default 2)")
    parser.add_argument("--compile-timeout", type=int, default=600)
    parser.add_argument("--run-timeout", type=int, default=120)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per model run (default 1)")
    parser.add_argument("--random-outputs",
                        help="cases with unseeded random outputs: they must "
                             "compile and run; outputs are not compared")
    args = parser.parse_args()

    expected_failures = read_expected_failures(args.xfail)
    random_outputs = (read_expected_failures(args.random_outputs)
                      if args.random_outputs else set())

    all_cases = list_cases(args.testdata)
    cases = all_cases
    if args.only:
        cases = [c for c in cases if args.only in c[0]]
    cases = cases[::max(args.every, 1)]

    work_root = args.work or tempfile.mkdtemp(prefix="llmos-conformance-")
    os.makedirs(work_root, exist_ok=True)

    def one(index_case):
        index, (case, case_dir) = index_case
        work = os.path.join(work_root, str(index))
        os.makedirs(work, exist_ok=True)
        try:
            return run_case(args.tool, case_dir, work, args.compile_timeout,
                            args.run_timeout, args.threads, args.opt_level)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(one, enumerate(cases)))
    if not args.work:
        shutil.rmtree(work_root, ignore_errors=True)

    passed = 0
    counts = {}
    problems = []
    for index, ((case, _), (kind, detail)) in enumerate(zip(cases, results)):
        if case in random_outputs:
            if kind in ("pass", "mismatch"):
                kind = "random output (not compared)"
                results[index] = (kind, detail)
                counts[kind] = counts.get(kind, 0) + 1
            else:
                problems.append(f"{kind.upper()}: {case} (random outputs: "
                                f"must compile and run): {detail}")
            continue
        counts[kind] = counts.get(kind, 0) + 1
        expect_fail = case in expected_failures
        if kind == "pass":
            passed += 1
            if expect_fail:
                problems.append(f"UNEXPECTED PASS: {case} (remove it from "
                                f"the expected failures)")
        elif kind in ("crash", "timeout"):
            problems.append(f"{kind.upper()}: {case}: {detail}")
        elif not expect_fail:
            problems.append(f"UNEXPECTED FAIL ({kind}): {case}: {detail}")
    if not args.only:
        for case in sorted((expected_failures | random_outputs) -
                           {c for c, _ in all_cases}):
            problems.append(f"STALE: {case} is listed but does not exist")
        for case in sorted(expected_failures & random_outputs):
            problems.append(f"STALE: {case} is on both lists")

    if args.report:
        with open(args.report, "w") as f:
            for (case, _), (kind, detail) in zip(cases, results):
                f.write(f"{case}\t{kind}\t{detail}\n")

    total = len(cases)
    breakdown = ", ".join(f"{counts[k]} {k}" for k in sorted(counts)
                          if k != "pass")
    print(f"conformance: {passed} of {total} backend test cases pass "
          f"({100.0 * passed / max(total, 1):.1f}%); {breakdown or 'none failed'}; "
          f"{len(expected_failures)} expected failures listed")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
