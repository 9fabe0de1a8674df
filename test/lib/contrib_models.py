"""Compiles models of ONNX Runtime's com.microsoft operators and compares
every output with a numpy reference of ONNX Runtime's documented semantics
(docs/ContribOperators.md of ONNX Runtime), written here independently of
llmos's expansions.

usage: contrib_models.py LLMOS_COMPILE WORKDIR
prints one 'ok: ...' line per operator checked; exits non-zero on the first
mismatch. Quantized outputs may differ by one step (a float sum that lands
on a rounding boundary), float outputs by rtol 1e-4 / atol 1e-5.
"""
import math
import os
import subprocess
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

F32, U8, I8, I32 = (TensorProto.FLOAT, TensorProto.UINT8, TensorProto.INT8,
                    TensorProto.INT32)
MS = "com.microsoft"


def info(name, dtype, dims):
    return helper.make_tensor_value_info(name, dtype, dims)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def build(compiler, work, name, nodes, inputs, outputs, inits):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17), helper.make_opsetid(MS, 1)])
    model.ir_version = 8
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


def fail(what):
    print(f"FAILED: {what}")
    sys.exit(1)


def check_float(what, got, want):
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-4,
                                                   atol=1e-5):
        fail(f"{what}: got {got.ravel()[:6]}, want {want.ravel()[:6]}")


def check_quant(what, got, want):
    if got.dtype != want.dtype or got.shape != want.shape or \
            np.abs(got.astype(np.int64) - want.astype(np.int64)).max() > 1:
        fail(f"{what}: got {got.ravel()[:8]}, want {want.ravel()[:8]}")


def quant(x, scale, zp, dtype):
    info_ = np.iinfo(dtype)
    q = np.round(x / scale) + zp  # numpy rounds half to even, as ORT does
    return np.clip(q, info_.min, info_.max).astype(dtype)


def dequant(q, scale, zp):
    return (q.astype(np.float64) - np.asarray(zp, np.float64)) * scale


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def gelu(x):
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)))


def main():
    compiler, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)

    # QLinearAdd, QLinearMul, QLinearSigmoid, QLinearLeakyRelu on uint8.
    sa, za, sb, zb, sc, zc = 0.05, 120, 0.03, 100, 0.08, 128
    exe = build(compiler, work, "qlinear_elementwise", [
        helper.make_node("QLinearAdd", ["a", "sa", "za", "b", "sb", "zb",
                                        "sc", "zc"], ["add"], domain=MS),
        helper.make_node("QLinearMul", ["a", "sa", "za", "b", "sb", "zb",
                                        "sc", "zc"], ["mul"], domain=MS),
        helper.make_node("QLinearSigmoid", ["a", "sa", "za", "ss", "zs"],
                         ["sig"], domain=MS),
        helper.make_node("QLinearLeakyRelu", ["a", "sa", "za", "sc", "zc"],
                         ["leaky"], alpha=0.2, domain=MS),
    ], [info("a", U8, [2, 8]), info("b", U8, [8])],
        [info(n, U8, None) for n in ("add", "mul", "sig", "leaky")],
        [const("sa", np.float32(sa)), const("za", np.uint8(za)),
         const("sb", np.float32(sb)), const("zb", np.uint8(zb)),
         const("sc", np.float32(sc)), const("zc", np.uint8(zc)),
         const("ss", np.float32(1 / 256)), const("zs", np.uint8(0))])
    a = rng.integers(0, 256, (2, 8), dtype=np.uint8)
    b = rng.integers(0, 256, 8, dtype=np.uint8)
    got = run(exe, {"a": a, "b": b})
    fa, fb = dequant(a, sa, za), dequant(b, sb, zb)
    check_quant("QLinearAdd", got["add"], quant(fa + fb, sc, zc, np.uint8))
    check_quant("QLinearMul", got["mul"], quant(fa * fb, sc, zc, np.uint8))
    check_quant("QLinearSigmoid", got["sig"],
                quant(sigmoid(fa), 1 / 256, 0, np.uint8))
    check_quant("QLinearLeakyRelu", got["leaky"],
                quant(np.where(fa > 0, fa, 0.2 * fa), sc, zc, np.uint8))
    print("ok: QLinearAdd, QLinearMul, QLinearSigmoid, QLinearLeakyRelu")

    # QLinearAveragePool, NCHW and channels_last, padded, int8.
    exe = build(compiler, work, "qlinear_pool", [
        helper.make_node("QLinearAveragePool", ["x", "s", "z", "s2", "z2"],
                         ["nchw"], kernel_shape=[2, 2], strides=[2, 2],
                         pads=[1, 1, 0, 0], count_include_pad=0, domain=MS),
        helper.make_node("QLinearAveragePool", ["xt", "s", "z", "s2", "z2"],
                         ["nhwc"], kernel_shape=[2, 2], strides=[2, 2],
                         channels_last=1, domain=MS),
    ], [info("x", I8, [1, 3, 5, 5]), info("xt", I8, [1, 4, 4, 3])],
        [info("nchw", I8, None), info("nhwc", I8, None)],
        [const("s", np.float32(0.1)), const("z", np.int8(-3)),
         const("s2", np.float32(0.07)), const("z2", np.int8(5))])
    x = rng.integers(-128, 128, (1, 3, 5, 5), dtype=np.int8)
    xt = rng.integers(-128, 128, (1, 4, 4, 3), dtype=np.int8)
    got = run(exe, {"x": x, "xt": xt})
    fx = dequant(x, 0.1, -3)
    padded = np.full((1, 3, 6, 6), np.nan)
    padded[:, :, 1:, 1:] = fx
    want = np.nanmean(padded.reshape(1, 3, 3, 2, 3, 2), axis=(3, 5))
    check_quant("QLinearAveragePool", got["nchw"], quant(want, 0.07, 5, np.int8))
    ft = dequant(xt, 0.1, -3)
    want = ft.reshape(1, 2, 2, 2, 2, 3).mean(axis=(2, 4))
    check_quant("QLinearAveragePool channels_last", got["nhwc"],
                quant(want, 0.07, 5, np.int8))
    print("ok: QLinearAveragePool")

    # QGemm: uint8 A, int8 B per column (transB), int32 bias, alpha; a
    # quantized and a float output.
    m, k, n = 3, 16, 5
    a_s, a_z = 0.02, 130
    b_s = rng.uniform(0.01, 0.03, n).astype(np.float32)
    exe = build(compiler, work, "qgemm", [
        helper.make_node("QGemm", ["a", "as", "az", "b", "bs", "bz", "c",
                                   "ys", "yz"], ["y"], alpha=0.5, transB=1,
                         domain=MS),
        helper.make_node("QGemm", ["a", "as", "az", "b", "bs", "bz", "c"],
                         ["yf"], transB=1, domain=MS),
    ], [info("a", U8, [m, k])], [info("y", U8, None), info("yf", F32, None)],
        [const("as", np.float32(a_s)), const("az", np.uint8(a_z)),
         const("b", rng.integers(-100, 100, (n, k), dtype=np.int8)),
         const("bs", b_s), const("bz", np.zeros(n, np.int8)),
         const("c", rng.integers(-2000, 2000, n, dtype=np.int32)),
         const("ys", np.float32(0.05)), const("yz", np.uint8(100))])
    av = rng.integers(0, 256, (m, k), dtype=np.uint8)
    got = run(exe, {"a": av})
    check_qgemm(work, got, av, a_s, a_z, b_s)

    # MatMulIntegerToFloat and DynamicQuantizeMatMul with per-column B.
    k, n = 12, 4
    bq = rng.integers(-128, 128, (k, n), dtype=np.int8)
    bs = rng.uniform(0.01, 0.05, n).astype(np.float32)
    bz = rng.integers(-3, 4, n, dtype=np.int8)
    bias = rng.standard_normal(n).astype(np.float32)
    exe = build(compiler, work, "integer_to_float", [
        helper.make_node("MatMulIntegerToFloat", ["a", "b", "as", "bs", "az",
                                                  "bz", "bias"], ["y"],
                         domain=MS),
        helper.make_node("DynamicQuantizeMatMul", ["af", "b", "bs", "bz",
                                                   "bias"], ["yd"], domain=MS),
    ], [info("a", U8, ["M", k]), info("af", F32, ["M", k])],
        [info("y", F32, None), info("yd", F32, None)],
        [const("b", bq), const("as", np.float32(0.04)),
         const("bs", bs), const("az", np.uint8(128)), const("bz", bz),
         const("bias", bias)])
    av = rng.integers(0, 256, (3, k), dtype=np.uint8)
    af = rng.standard_normal((3, k)).astype(np.float32)
    got = run(exe, {"a": av, "af": af})
    prod = (av.astype(np.int64) - 128) @ (bq.astype(np.int64) - bz)
    check_float("MatMulIntegerToFloat", got["y"], prod * 0.04 * bs + bias)
    lo, hi = min(0.0, af.min()), max(0.0, af.max())
    scale = np.float32((hi - lo) / 255)
    zp = np.clip(np.round(-lo / scale), 0, 255)
    aq = np.clip(np.round(af / scale) + zp, 0, 255)
    prod = (aq - zp) @ (bq.astype(np.float64) - bz)
    check_float("DynamicQuantizeMatMul", got["yd"], prod * scale * bs + bias)
    print("ok: MatMulIntegerToFloat, DynamicQuantizeMatMul")

    # MatMulNBits: 4 bits with packed zero points (K = 40 in blocks of 16,
    # the last one padded) and 8 bits without zero points.
    def nbits_case(bits, k, n, block, with_zp):
        blocks = -(-k // block)
        per = 8 // bits
        q = rng.integers(0, 1 << bits, (n, blocks * block), dtype=np.uint8)
        q[:, k:] = 0
        packed = np.zeros((n, blocks, block // per), np.uint8)
        qb = q.reshape(n, blocks, block // per, per)
        for s in range(per):
            packed |= (qb[..., s] << (s * bits)).astype(np.uint8)
        scales = rng.uniform(0.01, 0.1, n * blocks).astype(np.float32)
        zps = rng.integers(0, 1 << bits, (n, blocks), dtype=np.uint8)
        zp_bytes = -(-blocks // per)
        zpacked = np.zeros((n, zp_bytes), np.uint8)
        zpad = np.zeros((n, zp_bytes * per), np.uint8)
        zpad[:, :blocks] = zps
        for s in range(per):
            zpacked |= (zpad.reshape(n, zp_bytes, per)[..., s]
                        << (s * bits)).astype(np.uint8)
        zp_used = zps if with_zp else np.full((n, blocks), 1 << (bits - 1))
        w = (q.reshape(n, blocks, block).astype(np.float64) -
             zp_used[..., None]) * scales.reshape(n, blocks, 1)
        w = w.reshape(n, -1)[:, :k]
        return packed, scales, zpacked.reshape(-1), w

    packed4, scales4, zp4, w4 = nbits_case(4, 40, 6, 16, True)
    packed8, scales8, _, w8 = nbits_case(8, 32, 3, 16, False)
    bias = rng.standard_normal(6).astype(np.float32)
    exe = build(compiler, work, "matmul_nbits", [
        helper.make_node("MatMulNBits", ["a", "b4", "s4", "z4", "", "bias"],
                         ["y4"], K=40, N=6, bits=4, block_size=16, domain=MS),
        helper.make_node("MatMulNBits", ["a8", "b8", "s8"], ["y8"], K=32,
                         N=3, bits=8, block_size=16, domain=MS),
    ], [info("a", F32, ["M", 40]), info("a8", F32, [2, 32])],
        [info("y4", F32, None), info("y8", F32, None)],
        [const("b4", packed4), const("s4", scales4), const("z4", zp4),
         const("bias", bias), const("b8", packed8), const("s8", scales8)])
    a = rng.standard_normal((3, 40)).astype(np.float32)
    a8 = rng.standard_normal((2, 32)).astype(np.float32)
    got = run(exe, {"a": a, "a8": a8})
    check_float("MatMulNBits 4 bits", got["y4"], a @ w4.T + bias)
    check_float("MatMulNBits 8 bits", got["y8"], a8 @ w8.T)
    print("ok: MatMulNBits")

    # Gelu, BiasGelu, FastGelu, FusedMatMul, FusedConv,
    # SkipLayerNormalization.
    x = rng.standard_normal((2, 3, 8)).astype(np.float32)
    bias = rng.standard_normal(8).astype(np.float32)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    cb = rng.standard_normal(4).astype(np.float32)
    gamma = rng.standard_normal(8).astype(np.float32)
    beta = rng.standard_normal(8).astype(np.float32)
    exe = build(compiler, work, "transformer_ops", [
        helper.make_node("Gelu", ["x"], ["gelu"], domain=MS),
        helper.make_node("BiasGelu", ["x", "bias"], ["bgelu"], domain=MS),
        helper.make_node("FastGelu", ["x", "bias"], ["fgelu"], domain=MS),
        helper.make_node("FusedMatMul", ["x", "x"], ["fmm"], alpha=0.25,
                         transB=1, domain=MS),
        helper.make_node("FusedConv", ["img", "w", "cb", "z"], ["fconv"],
                         pads=[1, 1, 1, 1], activation="LeakyRelu",
                         activation_params=[0.1], domain=MS),
        helper.make_node("SkipLayerNormalization", ["x", "skip", "gamma",
                                                    "beta", "bias"],
                         ["sln", "", "", "sum"], epsilon=1e-5, domain=MS),
    ], [info("x", F32, [2, 3, 8]), info("skip", F32, [2, 3, 8]),
        info("img", F32, [1, 3, 5, 5]), info("z", F32, [1, 4, 5, 5])],
        [info(n, F32, None) for n in ("gelu", "bgelu", "fgelu", "fmm",
                                      "fconv", "sln", "sum")],
        [const("bias", bias), const("w", w), const("cb", cb),
         const("gamma", gamma), const("beta", beta)])
    skip = rng.standard_normal((2, 3, 8)).astype(np.float32)
    img = rng.standard_normal((1, 3, 5, 5)).astype(np.float32)
    z = rng.standard_normal((1, 4, 5, 5)).astype(np.float32)
    got = run(exe, {"x": x, "skip": skip, "img": img, "z": z})
    xd = x.astype(np.float64)
    check_float("Gelu", got["gelu"], gelu(xd))
    check_float("BiasGelu", got["bgelu"], gelu(xd + bias))
    check_float("FastGelu", got["fgelu"], gelu_tanh(xd + bias))
    check_float("FusedMatMul", got["fmm"], 0.25 * xd @ xd.transpose(0, 2, 1))
    pad = np.pad(img.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    conv = np.zeros((1, 4, 5, 5))
    for i in range(5):
        for j in range(5):
            conv[0, :, i, j] = np.tensordot(w, pad[0, :, i:i + 3, j:j + 3],
                                            axes=3)
    conv += cb[None, :, None, None] + z
    check_float("FusedConv", got["fconv"], np.where(conv > 0, conv, 0.1 * conv))
    s = xd + skip + bias
    mean = s.mean(-1, keepdims=True)
    var = ((s - mean) ** 2).mean(-1, keepdims=True)
    check_float("SkipLayerNormalization", got["sln"],
                (s - mean) / np.sqrt(var + 1e-5) * gamma + beta)
    check_float("SkipLayerNormalization sum", got["sum"], s)
    print("ok: Gelu, BiasGelu, FastGelu, FusedMatMul, FusedConv, "
          "SkipLayerNormalization")

    # RotaryEmbedding: 3-D input of 2 heads of 8 at positions from an offset
    # ([1] position_ids), and 4-D interleaved at explicit [B, S] positions
    # rotating the first 4 features only.
    cos_cache = rng.standard_normal((16, 4)).astype(np.float32)
    sin_cache = rng.standard_normal((16, 4)).astype(np.float32)
    cos_half = rng.standard_normal((16, 2)).astype(np.float32)
    sin_half = rng.standard_normal((16, 2)).astype(np.float32)
    exe = build(compiler, work, "rotary", [
        helper.make_node("RotaryEmbedding", ["x3", "start", "cos", "sin"],
                         ["y3"], num_heads=2, domain=MS),
        helper.make_node("RotaryEmbedding", ["x4", "pos", "cosh", "sinh"],
                         ["y4"], interleaved=1, rotary_embedding_dim=4,
                         domain=MS),
    ], [info("x3", F32, [2, "S", 16]), info("start", TensorProto.INT64, [1]),
        info("x4", F32, [2, 2, 3, 8]), info("pos", TensorProto.INT64, [2, 3])],
        [info("y3", F32, None), info("y4", F32, None)],
        [const("cos", cos_cache), const("sin", sin_cache),
         const("cosh", cos_half), const("sinh", sin_half)])
    x3 = rng.standard_normal((2, 5, 16)).astype(np.float32)
    x4 = rng.standard_normal((2, 2, 3, 8)).astype(np.float32)
    pos = rng.integers(0, 16, (2, 3)).astype(np.int64)
    got = run(exe, {"x3": x3, "start": np.array([4], np.int64), "x4": x4,
                    "pos": pos})
    h = x3.reshape(2, 5, 2, 8).astype(np.float64)
    c, s_ = cos_cache[4:9][None, :, None], sin_cache[4:9][None, :, None]
    x1, x2 = h[..., :4], h[..., 4:]
    want = np.concatenate([c * x1 - s_ * x2, s_ * x1 + c * x2], -1)
    check_float("RotaryEmbedding 3-D", got["y3"], want.reshape(2, 5, 16))
    h = x4.transpose(0, 2, 1, 3).astype(np.float64)
    c, s_ = cos_half[pos][:, :, None], sin_half[pos][:, :, None]
    x1, x2 = h[..., 0:4:2], h[..., 1:4:2]
    rot = np.stack([c * x1 - s_ * x2, s_ * x1 + c * x2], -1).reshape(2, 3, 2, 4)
    want = np.concatenate([rot, h[..., 4:]], -1).transpose(0, 2, 1, 3)
    check_float("RotaryEmbedding 4-D interleaved", got["y4"], want)
    print("ok: RotaryEmbedding")


def check_qgemm(work, got, av, a_s, a_z, b_s):
    import onnx
    model = onnx.load(os.path.join(work, "qgemm.onnx"))
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    a = dequant(av, a_s, a_z)
    b = inits["b"].astype(np.float64) * b_s[:, None]
    c = inits["c"].astype(np.float64) * a_s * b_s
    # C's scale is alpha * a_scale * b_scale (ORT: alpha / beta * ..., and
    # QGemm has no beta).
    y = 0.5 * a @ b.T + 0.5 * c
    check_quant("QGemm", got["y"], quant(y, 0.05, 100, np.uint8))
    check_float("QGemm float", got["yf"], a @ b.T + c)
    print("ok: QGemm")


if __name__ == "__main__":
    main()
