"""Numbers as V8 computes them: lunr.js's BM25 weights depend on ``Math.log`` and
``Math.round``, and a weight the Python side stores must be the one lunr.js would compute."""

from __future__ import annotations

import math
import struct

_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_TWO54 = 1.80143985094819840000e16
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01


def js_math_log(x: float) -> float:
    """V8's ``Math.log`` (fdlibm's __ieee754_log), bit for bit.

    Python's math.log (the C library's) differs from V8's in the last bit for about one
    argument in thirteen, which after lunr's rounding to 0.001 can change a stored weight.
    """
    bits = struct.unpack("<q", struct.pack("<d", x))[0]
    hx = bits >> 32  # signed high word
    k = 0
    if hx < 0x00100000:  # x < 2**-1022
        if ((hx & 0x7FFFFFFF) | (bits & 0xFFFFFFFF)) == 0:
            return float("-inf")
        if hx < 0:
            return float("nan")
        k -= 54
        x *= _TWO54  # subnormal: scale up
        bits = struct.unpack("<q", struct.pack("<d", x))[0]
        hx = bits >> 32
    if hx >= 0x7FF00000:
        return x + x
    k += (hx >> 20) - 1023
    hx &= 0x000FFFFF
    i = (hx + 0x95F64) & 0x100000
    bits = ((hx | (i ^ 0x3FF00000)) << 32) | (bits & 0xFFFFFFFF)  # normalise x or x/2
    x = struct.unpack("<d", struct.pack("<q", bits))[0]
    k += i >> 20
    f = x - 1.0
    if (0x000FFFFF & (2 + hx)) < 3:  # -2**-20 <= f < 2**-20
        if f == 0.0:
            if k == 0:
                return 0.0
            dk = float(k)
            return dk * _LN2_HI + dk * _LN2_LO
        r = f * f * (0.5 - 0.33333333333333333 * f)
        if k == 0:
            return f - r
        dk = float(k)
        return dk * _LN2_HI - ((r - dk * _LN2_LO) - f)
    s = f / (2.0 + f)
    dk = float(k)
    z = s * s
    i = hx - 0x6147A
    w = z * z
    j = 0x6B851 - hx
    t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
    t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
    i |= j
    r = t2 + t1
    if i > 0:
        hfsq = 0.5 * f * f
        if k == 0:
            return f - (hfsq - s * (hfsq + r))
        return dk * _LN2_HI - ((hfsq - (s * (hfsq + r) + dk * _LN2_LO)) - f)
    if k == 0:
        return f - s * (f - r)
    return dk * _LN2_HI - ((s * (f - r) - dk * _LN2_LO) - f)


def js_math_round(x: float) -> float:
    """ECMAScript ``Math.round``: nearest integer, halves toward +infinity (not to even)."""
    r = float(math.floor(x))
    return r + 1.0 if x - r >= 0.5 else r
