"""Runs ONNX Attention (opsets 23-25) models with symbolic batch and
sequence dims at two run-time shapes each from one artifact, and compares
every output with a float64 numpy reference written from the operator's
specification (not from llmos's expansion).

usage: attention_models.py LLMOS_COMPILE WORKDIR
prints one 'ok: ...' line per model and shape; exits non-zero on the first
mismatch.
"""
import os
import subprocess
import sys

import numpy as np
from onnx import TensorProto, helper

F32 = TensorProto.FLOAT


def reference(q, k, v, mask=None, past_k=None, past_v=None, nonpad=None,
              scale=None, is_causal=0, q_heads=None, kv_heads=None,
              softcap=0.0, left=-1, right=-1, mode=0):
    """Attention as the ONNX specification describes it, in float64."""
    q, k, v = (x.astype(np.float64) for x in (q, k, v))
    three_d = q.ndim == 3
    if three_d:
        def split(x, h):
            b, s, _ = x.shape
            return x.reshape(b, s, h, -1).transpose(0, 2, 1, 3)
        q, k, v = split(q, q_heads), split(k, kv_heads), split(v, kv_heads)
    if past_k is not None:
        k = np.concatenate([past_k, k], axis=2)
        v = np.concatenate([past_v, v], axis=2)
    present_k, present_v = k, v
    batch, hq, sq, d = q.shape
    hkv, skv = k.shape[1], k.shape[2]
    if scale is None:
        scale = 1.0 / np.sqrt(d)
    k = np.repeat(k, hq // hkv, axis=1)
    v = np.repeat(v, hq // hkv, axis=1)
    scores = (q @ k.transpose(0, 1, 3, 2)) * scale
    qk0 = scores.copy()
    if softcap > 0:
        scores = softcap * np.tanh(scores / softcap)
    qk1 = scores.copy()
    bias = np.zeros((batch, 1, sq, skv))
    if mask is not None:
        m = mask if mask.dtype != bool else np.where(mask, 0.0, -np.inf)
        pad = skv - m.shape[-1]
        if pad:
            m = np.concatenate(
                [m, np.full(m.shape[:-1] + (pad,), -np.inf)], axis=-1)
        bias = bias + m
    if past_k is not None:
        offset = np.full(batch, past_k.shape[2])
    elif nonpad is not None:
        offset = nonpad - sq
    else:
        offset = np.zeros(batch, dtype=np.int64)
    i = np.arange(sq)[None, :, None] + offset[:, None, None]
    j = np.arange(skv)[None, None, :]
    allowed = np.ones((batch, sq, skv), dtype=bool)
    if is_causal:
        allowed &= j <= i
    if left >= 0:
        allowed &= i - j <= left
    if right >= 0:
        allowed &= j - i <= right
    if nonpad is not None:
        allowed &= j < nonpad[:, None, None]
    bias = bias + np.where(allowed, 0.0, -np.inf)[:, None]
    scores = scores + bias
    qk2 = scores.copy()
    with np.errstate(invalid="ignore"):
        e = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = e / e.sum(axis=-1, keepdims=True)
    probs = np.where(np.isneginf(bias).all(axis=-1, keepdims=True), 0.0,
                     probs)
    y = probs @ v
    if three_d:
        y = y.transpose(0, 2, 1, 3).reshape(batch, sq, -1)
    return y, present_k, present_v, [qk0, qk1, qk2, probs][mode]


def compile_model(compiler, work, name, node, inputs, outputs, opset):
    graph = helper.make_graph([node], name, inputs, outputs)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 10
    path = os.path.join(work, name + ".onnx")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    exe = os.path.join(work, name)
    subprocess.run([compiler, path, "-o", exe], check=True)
    return exe


def run(exe, feeds):
    out = exe + "_out"
    args = [exe, "--outputs", out, "--npy"]
    for name, array in feeds.items():
        path = f"{exe}_{name}.npy"
        np.save(path, array)
        args += ["--input", f"{name}={path}"]
    subprocess.run(args, check=True, capture_output=True)
    return {f[:-4]: np.load(os.path.join(out, f)) for f in os.listdir(out)}


def check(name, got, want):
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-4,
                                                   atol=1e-5):
        diff = np.abs(got - want).max() if got.shape == want.shape else None
        print(f"FAILED: {name}: shape {got.shape} vs {want.shape}, "
              f"largest difference {diff}")
        sys.exit(1)


def info(name, dims, dtype=F32):
    return helper.make_tensor_value_info(name, dtype, dims)


def main():
    compiler, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)

    def rand(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    # 3-D grouped-query attention (6 query heads on 2 key/value heads of
    # size 4), causal, with a K/V cache and softcap: batch, sequence and
    # cache length are symbolic.
    exe = compile_model(
        compiler, work, "gqa_cache",
        helper.make_node("Attention", ["Q", "K", "V", "", "past_key",
                                       "past_value"],
                         ["Y", "present_key", "present_value"], is_causal=1,
                         q_num_heads=6, kv_num_heads=2, softcap=3.0),
        [info("Q", ["B", "S", 24]), info("K", ["B", "S", 8]),
         info("V", ["B", "S", 8]), info("past_key", ["B", 2, "P", 4]),
         info("past_value", ["B", 2, "P", 4])],
        [info("Y", None), info("present_key", None),
         info("present_value", None)], 23)
    for batch, seq, past in [(1, 3, 2), (2, 5, 4)]:
        feeds = {"Q": rand(batch, seq, 24), "K": rand(batch, seq, 8),
                 "V": rand(batch, seq, 8),
                 "past_key": rand(batch, 2, past, 4),
                 "past_value": rand(batch, 2, past, 4)}
        got = run(exe, feeds)
        y, pk, pv, _ = reference(feeds["Q"], feeds["K"], feeds["V"],
                                 past_k=feeds["past_key"],
                                 past_v=feeds["past_value"], is_causal=1,
                                 q_heads=6, kv_heads=2, softcap=3.0)
        check("gqa_cache Y", got["Y"], y)
        check("gqa_cache present_key", got["present_key"], pk)
        check("gqa_cache present_value", got["present_value"], pv)
        print(f"ok: gqa_cache at batch {batch}, sequence {seq}, cache {past}")

    # 4-D with a boolean mask shorter than the keys (padded with -inf), a
    # local window, an explicit scale and the scores after the bias; rows
    # the mask hides everywhere give zeros.
    exe = compile_model(
        compiler, work, "window_mask",
        helper.make_node("Attention", ["Q", "K", "V", "mask"],
                         ["Y", "", "", "qk"], left_window_size=1,
                         right_window_size=2, scale=0.3,
                         qk_matmul_output_mode=2),
        [info("Q", ["B", 2, "S", 4]), info("K", ["B", 2, "T", 4]),
         info("V", ["B", 2, "T", 3]),
         info("mask", ["S", "M"], TensorProto.BOOL)],
        [info("Y", None), info("qk", None)], 25)
    for batch, seq, total, visible in [(1, 2, 4, 3), (3, 4, 6, 6)]:
        mask = rng.random((seq, visible)) > 0.3
        mask[0, :] = False
        feeds = {"Q": rand(batch, 2, seq, 4), "K": rand(batch, 2, total, 4),
                 "V": rand(batch, 2, total, 3), "mask": mask}
        got = run(exe, feeds)
        y, _, _, qk = reference(feeds["Q"], feeds["K"], feeds["V"], mask=mask,
                                scale=0.3, left=1, right=2, mode=2)
        check("window_mask Y", got["Y"], y)
        finite = np.isfinite(qk)
        if not (np.array_equal(finite, np.isfinite(got["qk"])) and
                np.allclose(got["qk"][finite], qk[finite], rtol=1e-4,
                            atol=1e-5)):
            print("FAILED: window_mask qk")
            sys.exit(1)
        print(f"ok: window_mask at batch {batch}, sequence {seq}, keys {total}")

    # Opset 24's nonpad_kv_seqlen: a static cache of run-time length, each
    # batch entry with its own number of valid keys, causal from the end.
    exe = compile_model(
        compiler, work, "nonpad",
        helper.make_node("Attention", ["Q", "K", "V", "", "", "",
                                       "lengths"], ["Y"], is_causal=1),
        [info("Q", ["B", 2, "S", 4]), info("K", ["B", 2, "T", 4]),
         info("V", ["B", 2, "T", 4]),
         info("lengths", ["B"], TensorProto.INT64)],
        [info("Y", None)], 24)
    for batch, seq, total in [(2, 1, 5), (3, 2, 8)]:
        lengths = rng.integers(seq, total + 1, size=batch).astype(np.int64)
        feeds = {"Q": rand(batch, 2, seq, 4), "K": rand(batch, 2, total, 4),
                 "V": rand(batch, 2, total, 4), "lengths": lengths}
        got = run(exe, feeds)
        y, _, _, _ = reference(feeds["Q"], feeds["K"], feeds["V"],
                               nonpad=lengths, is_causal=1)
        check("nonpad Y", got["Y"], y)
        print(f"ok: nonpad at batch {batch}, sequence {seq}, cache {total}")


if __name__ == "__main__":
    main()
