//===- MiniFloat.cpp - float8 / float4 / e8m0 conversions ----------------===//
//
// LLVM has no arithmetic on the float8 formats, float4 e2m1 or float8 e8m0:
// their values live as bytes (the LLVM type converter turns them into
// integers of their width), and a conversion to or from them is computed
// here from the bits, through f32, with the rounding and the special values
// of ONNX's Cast:
//
//   * rounding to nearest, ties to even;
//   * saturate = 1: out-of-range values and infinities become the largest
//     finite value of their sign; saturate = 0: infinity where the format
//     has one (e5m2), else NaN;
//   * NaN: the format's NaN (e4m3fn 0x7F, e5m2 0x7E, the FNUZ formats 0x80);
//     float4 has none, NaN becomes 0x8 as in onnx's reference;
//   * the FNUZ formats have no negative zero; e8m0 (a power of two) rounds
//     its exponent up, down or to nearest (Cast's round_mode).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

/// A sign-exponent-mantissa format of at most 8 bits.
struct MiniFormat {
  unsigned width, mantissaBits;
  int bias;
  /// The code of NaN (positive) and whether a NaN keeps its sign.
  unsigned nan;
  bool signedNan;
  /// The largest finite magnitude and its code.
  float maxValue;
  unsigned maxCode;
  /// The code of +infinity, or 0 when the format has none.
  unsigned inf;
  /// Whether -0 exists (0 is the sign bit alone).
  bool negativeZero;
  /// Whether the all-ones exponent holds NaN / infinity (IEEE-like e5m2).
  bool ieeeSpecials;
  /// Whether the magnitude 0x7F is NaN (e4m3fn).
  bool topIsNan;
  /// Whether the code with only the sign bit set is NaN (FNUZ).
  bool signOnlyIsNan;
};

std::optional<MiniFormat> formatOf(Type type) {
  if (isa<Float8E4M3FNType>(type))
    return MiniFormat{8, 3, 7, 0x7F, true, 448.0f, 0x7E, 0, true, false,
                      true, false};
  if (isa<Float8E4M3FNUZType>(type))
    return MiniFormat{8, 3, 8, 0x80, false, 240.0f, 0x7F, 0, false, false,
                      false, true};
  if (isa<Float8E5M2Type>(type))
    return MiniFormat{8, 2, 15, 0x7E, true, 57344.0f, 0x7B, 0x7C, true, true,
                      false, false};
  if (isa<Float8E5M2FNUZType>(type))
    return MiniFormat{8, 2, 16, 0x80, false, 57344.0f, 0x7F, 0, false, false,
                      false, true};
  if (isa<Float4E2M1FNType>(type))
    return MiniFormat{4, 1, 1, 0x8, false, 6.0f, 0x7, 0, true, false, false,
                      false};
  return std::nullopt;
}

struct Ops {
  OpBuilder &b;
  Location loc;
  Type i32, f32;

  Ops(OpBuilder &b, Location loc)
      : b(b), loc(loc), i32(b.getI32Type()), f32(b.getF32Type()) {}
  Value c(int64_t v) { return arith::ConstantIntOp::create(b, loc, i32, v); }
  Value f(float v) {
    return arith::ConstantFloatOp::create(b, loc, cast<FloatType>(f32),
                                          APFloat(v));
  }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value orI(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, loc, x, y); }
  Value shr(Value x, Value y) { return arith::ShRUIOp::create(b, loc, x, y); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value cmpF(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value sel(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  Value toF32(Value bits) { return arith::BitcastOp::create(b, loc, f32, bits); }
  Value toI32(Value x) { return arith::BitcastOp::create(b, loc, i32, x); }
  /// 2^e as f32 for an i32 e in [-126, 127].
  Value pow2(Value e) { return toF32(shl(add(e, c(127)), c(23))); }
  Value mulF(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
};

/// The code (an i32) of the byte-sized value `code` widened from its storage
/// integer.
Value widenCode(Ops &o, Value code, unsigned width) {
  Type storage = o.b.getIntegerType(width);
  Value bits = arith::BitcastOp::create(o.b, o.loc, storage, code);
  return arith::ExtUIOp::create(o.b, o.loc, o.i32, bits);
}

Value narrowCode(Ops &o, Value code, Type to, unsigned width) {
  Value bits = arith::TruncIOp::create(o.b, o.loc, o.b.getIntegerType(width),
                                       code);
  return arith::BitcastOp::create(o.b, o.loc, to, bits);
}

Value decode(Ops &o, Value code, const MiniFormat &fmt) {
  using P = arith::CmpIPredicate;
  unsigned signBit = 1u << (fmt.width - 1);
  Value sign = o.andI(code, o.c(signBit));
  Value magnitude = o.andI(code, o.c(signBit - 1));
  Value exponent = o.shr(magnitude, o.c(fmt.mantissaBits));
  Value mantissa = o.andI(magnitude, o.c((1 << fmt.mantissaBits) - 1));
  // Normal: the f32 with the exponent rebiased and the mantissa moved up.
  Value normalBits =
      o.orI(o.shl(o.add(exponent, o.c(127 - fmt.bias)), o.c(23)),
            o.shl(mantissa, o.c(23 - fmt.mantissaBits)));
  // Subnormal: mantissa * 2^(1 - bias - mantissaBits), exact in f32.
  Value subnormal = o.mulF(
      arith::UIToFPOp::create(o.b, o.loc, o.f32, mantissa),
      o.f(std::ldexp(1.0f, 1 - fmt.bias - static_cast<int>(fmt.mantissaBits))));
  Value value = o.sel(o.cmp(P::eq, exponent, o.c(0)), subnormal,
                      o.toF32(normalBits));
  // The sign goes to bit 31.
  Value signed32 = o.orI(o.toI32(value), o.shl(sign, o.c(32 - fmt.width)));
  Value result = o.toF32(signed32);
  Value nan = o.f(std::numeric_limits<float>::quiet_NaN());
  if (fmt.signOnlyIsNan)
    result = o.sel(o.cmp(P::eq, code, o.c(signBit)), nan, result);
  if (fmt.topIsNan)
    result = o.sel(o.cmp(P::eq, magnitude, o.c(signBit - 1)), nan, result);
  if (fmt.ieeeSpecials) {
    unsigned maxExponent = (1u << (fmt.width - 1 - fmt.mantissaBits)) - 1;
    Value special = o.cmp(P::eq, exponent, o.c(maxExponent));
    Value inf = o.toF32(o.orI(o.c(0x7F800000), o.shl(sign, o.c(32 - fmt.width))));
    Value infOrNan = o.sel(o.cmp(P::eq, mantissa, o.c(0)), inf, nan);
    result = o.sel(special, infOrNan, result);
  }
  return result;
}

Value encode(Ops &o, Value x, const MiniFormat &fmt, bool saturate) {
  using P = arith::CmpIPredicate;
  using FP = arith::CmpFPredicate;
  int emin = 1 - fmt.bias;
  int m = static_cast<int>(fmt.mantissaBits);
  Value bits = o.toI32(x);
  Value sign = o.shr(bits, o.c(31));
  Value absBits = o.andI(bits, o.c(0x7FFFFFFF));
  Value absX = o.toF32(absBits);
  // Round |x| to a multiple of the format's quantum at its exponent:
  // q = max(e, emin) - m, n = roundeven(|x| / 2^q), v = n * 2^q.
  // (Exponents past 64 overflow every format; clamping them keeps 2^-q a
  // normal f32 for infinities too.)
  Value e = arith::MinSIOp::create(
      o.b, o.loc, o.sub(o.shr(absBits, o.c(23)), o.c(127)), o.c(64));
  Value q = o.sub(arith::MaxSIOp::create(o.b, o.loc, e, o.c(emin)), o.c(m));
  Value n = math::RoundEvenOp::create(o.b, o.loc,
                                      o.mulF(absX, o.pow2(o.sub(o.c(0), q))));
  Value v = o.mulF(n, o.pow2(q));
  // Its code: normal when its exponent reaches emin, else subnormal.
  Value vBits = o.toI32(v);
  Value ev = o.sub(o.shr(vBits, o.c(23)), o.c(127));
  Value normalCode =
      o.orI(o.shl(o.add(ev, o.c(fmt.bias)), o.c(m)),
            o.andI(o.shr(vBits, o.c(23 - m)), o.c((1 << m) - 1)));
  Value subnormalCode = arith::FPToUIOp::create(
      o.b, o.loc, o.i32, o.mulF(v, o.f(std::ldexp(1.0f, m - emin))));
  Value magnitude =
      o.sel(o.cmp(P::sge, ev, o.c(emin)), normalCode, subnormalCode);
  // Out of range (infinities included).
  Value overflow = o.cmpF(FP::OGT, v, o.f(fmt.maxValue));
  unsigned overflowCode =
      saturate ? fmt.maxCode : (fmt.inf ? fmt.inf : fmt.nan);
  bool overflowIsNan = !saturate && !fmt.inf;
  magnitude = o.sel(overflow, o.c(overflowCode), magnitude);
  // The sign, except on zero without negative zero and on NaN codes that
  // carry none.
  Value signed8 = o.orI(magnitude, o.shl(sign, o.c(fmt.width - 1)));
  Value code = signed8;
  if (!fmt.negativeZero)
    code = o.sel(o.cmp(P::eq, magnitude, o.c(0)), magnitude, code);
  if (overflowIsNan && !fmt.signedNan)
    code = o.sel(overflow, o.c(fmt.nan), code);
  Value isNan = o.cmpF(FP::UNO, x, x);
  return o.sel(isNan, o.c(fmt.nan), code);
}

/// e8m0: 2^(code - 127), 0xFF is NaN.
Value decodeE8M0(Ops &o, Value code) {
  using P = arith::CmpIPredicate;
  // code 0 is 2^-127, an f32 subnormal (bit 22).
  Value bits = o.sel(o.cmp(P::eq, code, o.c(0)), o.c(0x400000),
                     o.shl(code, o.c(23)));
  Value nan = o.f(std::numeric_limits<float>::quiet_NaN());
  return o.sel(o.cmp(P::eq, code, o.c(0xFF)), nan, o.toF32(bits));
}

/// |x| to a power of two, its exponent rounded by `roundMode`.
Value encodeE8M0(Ops &o, Value x, StringRef roundMode, bool saturate) {
  using P = arith::CmpIPredicate;
  Value absBits = o.andI(o.toI32(x), o.c(0x7FFFFFFF));
  Value exponent = o.shr(absBits, o.c(23));
  Value mantissa = o.andI(absBits, o.c(0x7FFFFF));
  Value up;
  if (roundMode == "up")
    up = o.cmp(P::ne, mantissa, o.c(0));
  else if (roundMode == "nearest")
    up = o.cmp(P::uge, mantissa, o.c(0x400000));
  Value code = exponent;
  if (up) {
    // An f32 subnormal is below 2^-126: it rounds to code 0 or 1.
    Value isSubnormal = o.cmp(P::eq, exponent, o.c(0));
    Value subnormalUp =
        roundMode == "up" ? o.cmp(P::ugt, mantissa, o.c(0x400000))
                          : o.cmp(P::uge, mantissa, o.c(0x600000));
    Value bump = o.sel(isSubnormal, subnormalUp, up);
    code = o.add(code, arith::ExtUIOp::create(o.b, o.loc, o.i32, bump));
  }
  // Past 2^127 (and infinity): the largest value, or NaN.
  Value tooBig = o.cmp(P::uge, code, o.c(0xFF));
  code = o.sel(tooBig, o.c(saturate ? 0xFE : 0xFF), code);
  Value isNan = o.cmp(P::ugt, absBits, o.c(0x7F800000));
  return o.sel(isNan, o.c(0xFF), code);
}

} // namespace

bool mlir::llmos::lowering::isMiniFloat(Type type) {
  return formatOf(type).has_value() || isa<Float8E8M0FNUType>(type);
}

Value mlir::llmos::lowering::miniFloatToF32(OpBuilder &b, Location loc,
                                            Value value) {
  Ops o(b, loc);
  Type type = value.getType();
  if (isa<Float8E8M0FNUType>(type))
    return decodeE8M0(o, widenCode(o, value, 8));
  MiniFormat fmt = *formatOf(type);
  return decode(o, widenCode(o, value, fmt.width), fmt);
}

Value mlir::llmos::lowering::f64ToF32RoundToOdd(OpBuilder &b, Location loc,
                                                Value x) {
  // Round to nearest, step back toward zero when that rounded away, and
  // set the last bit when anything was lost: a later rounding to a format of
  // fewer bits then sees the value on the right side of every midpoint
  // (rounding twice to nearest would not).
  Ops o(b, loc);
  Value nearest = arith::TruncFOp::create(b, loc, o.f32, x);
  Value back = arith::ExtFOp::create(b, loc, b.getF64Type(), nearest);
  Value absX = math::AbsFOp::create(b, loc, x);
  Value absBack = math::AbsFOp::create(b, loc, back);
  Value bits = o.toI32(nearest);
  Value away = o.cmpF(arith::CmpFPredicate::OGT, absBack, absX);
  bits = o.sel(away, o.sub(bits, o.c(1)), bits);
  Value inexact = o.cmpF(arith::CmpFPredicate::ONE, back, x);
  bits = o.sel(inexact, o.orI(bits, o.c(1)), bits);
  // NaN stays the rounded NaN.
  Value isNan = o.cmpF(arith::CmpFPredicate::UNO, x, x);
  return o.sel(isNan, nearest, o.toF32(bits));
}

Value mlir::llmos::lowering::f32ToMiniFloat(OpBuilder &b, Location loc,
                                            Value x, Type to, bool saturate,
                                            StringRef roundMode) {
  Ops o(b, loc);
  if (isa<Float8E8M0FNUType>(to))
    return narrowCode(o, encodeE8M0(o, x, roundMode, saturate), to, 8);
  MiniFormat fmt = *formatOf(to);
  // ONNX's saturate concerns the float8 types; float4 always saturates.
  if (fmt.width == 4)
    saturate = true;
  return narrowCode(o, encode(o, x, fmt, saturate), to, fmt.width);
}
