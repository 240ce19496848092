#!/usr/bin/python3
"""Writes tests/native/data/activation_reference.txt: every activation's value and derivative, correctly
rounded to double, at a few thousand points each, from a high-precision evaluation with mpmath.

    apt-get install -y python3-mpmath      (Debian's package; 1.2.1 on Debian 12)
    python3 scripts/activation-reference.py [--check]

--check evaluates every point a second time at a higher precision and stops if any rounded double differs,
which is how we know the working precision is enough. The output is deterministic (no clock, a fixed seed).

Points per case (about 2,200): a log-spaced sweep of both tails from the smallest subnormal to the largest
finite double; an even sweep of [-12, 12]; the neighbourhood of every kink, of zero and of every zero of f and
f' (the nearest doubles, then offsets 2^-j); the thresholds where the C++ switches formulas (3, 6, 20, 22, 30,
40, 700, 745, 800 and their negatives, divided by beta where beta scales x); and the points the issue named.

File format, one case per block:
    case NAME alpha beta g0
    x f df kf kd            (one line per point)
x, f and df are 16 hex digits: the IEEE-754 bits of the double (f and df correctly rounded, overflow to inf).
kf = |x f'(x) / f(x)| and kd = |x f''(x) / f'(x)| are the condition numbers, written only when above 4
(3 significant digits, rounded down) and as 0 otherwise; where f (or f') is exactly 0 they are 0.
"""
import math
import random
import struct
import sys

import mpmath
from mpmath import mp, mpf

DPS = 60
OUT = 'tests/native/data/activation_reference.txt'

# SELU's constants exactly as core/activation.cpp writes them (31 digits: more than a double holds).
SELU_LAMBDA = '1.0507009873554804934193349852946'
SELU_ALPHA = '1.6732632423543772848170429916717'


def bits(d):
    return struct.unpack('<Q', struct.pack('<d', d))[0]


def from_bits(b):
    return struct.unpack('<d', struct.pack('<Q', b))[0]


def next_up(d, k=1):
    """The double k steps above d (k may be negative), through the ordered integer line of doubles."""
    b = bits(d)
    i = b if b < 1 << 63 else -(b - (1 << 63))
    i += k
    if i < 0:
        return from_bits((-i) | (1 << 63))
    return from_bits(i)


def to_double(v):
    """v (an mpf) rounded to the nearest double, ties to even, subnormals and overflow included."""
    if v == 0:
        return 0.0
    sign = -1.0 if v < 0 else 1.0
    a = abs(v)
    if a >= mpf(2) ** 1024 - mpf(2) ** 970:  # halfway between the largest double and 2^1024
        return sign * math.inf
    if a < mpf(2) ** -1022:  # subnormal: an integer multiple of 2^-1074
        scaled = a * mpf(2) ** 1074
        n = int(mpmath.floor(scaled))
        rest = scaled - n
        if rest > 0.5 or (rest == 0.5 and n % 2 == 1):
            n += 1
        return sign * n * 5e-324
    with mp.workprec(53):
        r = +a  # mpmath rounds to nearest, ties to even
    return sign * float(r)


# ---- The functions: (f, f', f'') in mpmath, each written without cancellation at the working precision ----

def sig_parts(z):
    """sigmoid(z) and 1 - sigmoid(z), each from exp(-|z|) so neither is a difference."""
    e = mpmath.exp(-abs(z))
    if z >= 0:
        return 1 / (1 + e), e / (1 + e)
    return e / (1 + e), 1 / (1 + e)


def f_identity(x, p):
    return x, mpf(1), mpf(0)


def f_binary_step(x, p):
    return (mpf(1) if x >= 0 else mpf(0)), mpf(0), mpf(0)


def f_sigmoid(x, p):
    s, t = sig_parts(x)
    return s, s * t, s * t * (t - s)


def f_tanh(x, p):
    t = mpmath.tanh(x)
    e = mpmath.exp(-2 * abs(x))
    d = 4 * e / (1 + e) ** 2  # sech^2 x
    return t, d, -2 * t * d


def slope_around(x, c, left, at_c, right):
    return right if x > c else (left if x < c else at_c)


def f_relu(x, p):
    return (x if x > 0 else mpf(0)), slope_around(x, 0, mpf(0), p['g0'], mpf(1)), mpf(0)


def f_leaky(x, p):
    a = p['alpha']
    at0 = (1 - p['g0']) * a + p['g0']
    return (x if x > 0 else a * x), slope_around(x, 0, a, at0, mpf(1)), mpf(0)


def f_relu6(x, p):
    v = mpf(0) if x <= 0 else (mpf(6) if x >= 6 else x)
    d = mpf(1) if 0 < x < 6 else (p['g0'] if x == 0 else mpf(0))
    return v, d, mpf(0)


def f_elu(x, p):
    a = p['alpha']
    if x > 0:
        return x, mpf(1), mpf(0)
    e = mpmath.exp(x)
    return a * mpmath.expm1(x), (mpf(1) if x == 0 else a * e), (mpf(0) if x == 0 else a * e)


def f_selu(x, p):
    lam, al = mpf(SELU_LAMBDA), mpf(SELU_ALPHA)
    if x > 0:
        return lam * x, lam, mpf(0)
    e = mpmath.exp(x)
    return lam * al * mpmath.expm1(x), (lam if x == 0 else lam * al * e), (mpf(0) if x == 0 else lam * al * e)


def phi(x):
    return mpmath.exp(-x * x / 2) / mpmath.sqrt(2 * mpmath.pi)


def Phi(x):
    if abs(x) > 1e10:  # mpmath's erfc overflows a float here; the asymptotic series is exact to 1e-60
        tail = phi(x) / abs(x) * (1 - 1 / x ** 2 + 3 / x ** 4 - 15 / x ** 6)
        return tail if x < 0 else 1 - tail
    return mpmath.erfc(-x / mpmath.sqrt(2)) / 2


def f_gelu_erf(x, p):
    P, q = Phi(x), phi(x)
    return x * P, P + x * q, q * (2 - x * x)


def f_gelu_tanh(x, p):
    k = mpmath.sqrt(2 / mpmath.pi)
    c = mpf('0.044715')  # the published constant, not its double
    u = k * (x + c * x ** 3)
    du = k * (1 + 3 * c * x * x)
    ddu = k * 6 * c * x
    s, t = sig_parts(2 * u)  # (1 + tanh u) / 2 = sigmoid(2u)
    st = s * t
    d = s + x * st * 2 * du
    dd = 2 * st * 2 * du + x * (st * (t - s) * (2 * du) ** 2 + st * 2 * ddu)
    return x * s, d, dd


def f_silu(x, p):
    b = p['beta']
    z = b * x
    s, t = sig_parts(z)
    return x * s, s + z * s * t, b * s * t * (2 + z * (t - s))


def softplus_exact(z):
    return z + mpmath.log1p(mpmath.exp(-z)) if z > 0 else mpmath.log1p(mpmath.exp(z))


def f_mish(x, p):
    sp = softplus_exact(x)
    t = mpmath.tanh(sp)
    sech2 = mpmath.sech(sp) ** 2
    s, u = sig_parts(x)
    return x * t, t + x * sech2 * s, sech2 * (2 * s + x * (s * u - 2 * t * s * s))


def f_softplus(x, p):
    b = p['beta']
    z = b * x
    s, t = sig_parts(z)
    return softplus_exact(z) / b, s, b * s * t


def f_softsign(x, p):
    d = 1 + abs(x)
    return x / d, 1 / d ** 2, -2 * mpmath.sign(x) / d ** 3


def f_hard_sigmoid(x, p):
    v = mpf(0) if x <= -3 else (mpf(1) if x >= 3 else (x + 3) / 6)
    return v, (mpf(1) / 6 if -3 < x < 3 else mpf(0)), mpf(0)


def f_hard_tanh(x, p):
    v = mpf(-1) if x <= -1 else (mpf(1) if x >= 1 else x)
    return v, (mpf(1) if -1 < x < 1 else mpf(0)), mpf(0)


FUNCS = {
    'identity': f_identity, 'binary_step': f_binary_step, 'sigmoid': f_sigmoid, 'tanh': f_tanh,
    'relu': f_relu, 'leaky_relu': f_leaky, 'prelu': f_leaky, 'relu6': f_relu6, 'elu': f_elu,
    'selu': f_selu, 'gelu_erf': f_gelu_erf, 'gelu_tanh': f_gelu_tanh, 'silu': f_silu, 'mish': f_mish,
    'softplus': f_softplus, 'softsign': f_softsign, 'hard_sigmoid': f_hard_sigmoid, 'hard_tanh': f_hard_tanh,
}

# Defaults as core/activation.cpp's default_params: alpha 0.01 (prelu 0.25, elu 1), beta 1, g0 0.
DEFAULTS = {'alpha': 0.01, 'beta': 1.0, 'g0': 0.0}


def defaults(name):
    d = dict(DEFAULTS)
    if name == 'prelu':
        d['alpha'] = 0.25
    if name == 'elu':
        d['alpha'] = 1.0
    return d


# Two non-default settings for every activation that reads a parameter (the others have none to vary).
VARIANTS = {
    'relu': [{'g0': 0.5}, {'g0': 1.0}],
    'leaky_relu': [{'alpha': 0.3}, {'alpha': 0.2, 'g0': 0.5}],
    'prelu': [{'alpha': 0.1}, {'alpha': -0.5, 'g0': 1.0}],
    'relu6': [{'g0': 0.5}, {'g0': 1.0}],
    'elu': [{'alpha': 2.0}, {'alpha': 0.5}],
    'silu': [{'beta': 2.5}, {'beta': 0.3}],
    'softplus': [{'beta': 0.5}, {'beta': 5.0}],
}

KINKS = {
    'binary_step': [0.0], 'relu': [0.0], 'leaky_relu': [0.0], 'prelu': [0.0], 'relu6': [0.0, 6.0],
    'elu': [0.0], 'selu': [0.0], 'hard_sigmoid': [-3.0, 3.0], 'hard_tanh': [-1.0, 1.0],
}

# Where the C++ switches formulas (scaled by 1/beta for silu and softplus), and where an issue measured.
THRESHOLDS = [0.5, 0.84375, 1.0, 1.25, 2.0, 2.857, 3.0, 4.0, 6.0, 20.0, 22.0, 30.0, 37.0, 40.0, 700.0, 709.78,
              745.13, 800.0]
NAMED = [-3 + 2 ** -10, -2.75, -2.5, -6.5, -10.0, -0.9, -2.0, -1.0, -25.0, -35.0, -38.5]


def zeros_of(name, p, fd):
    """The zeros of f' (found by mpmath), besides x = 0 which every case gets."""
    if name in ('silu', 'mish', 'gelu_erf', 'gelu_tanh'):
        guess = {'silu': -1.28 / p['beta'], 'mish': -1.19, 'gelu_erf': -0.75, 'gelu_tanh': -0.75}[name]
        return [mpmath.findroot(lambda t: fd(t, p)[1], guess)]
    return []


def neighbourhood(c, out):
    """c (a double) and the doubles around it: the nearest 8 on each side, then c +- 2^-j |c| (or 2^-j)."""
    for k in range(-8, 9):
        out.append(next_up(c, k))
    scale = abs(c) if c != 0 else 1.0
    for j in range(1, 61, 2):
        out.append(c + scale * 2.0 ** -j)
        out.append(c - scale * 2.0 ** -j)
    if c == 0:
        for j in range(61, 1075, 16):
            out.append(2.0 ** -j)
            out.append(-(2.0 ** -j))


def points_for(name, p):
    rng = random.Random(name + repr(sorted(p.items())))
    xs = [0.0, 5e-324, -5e-324, 2.0 ** -1022, -(2.0 ** -1022), next_up(2.0 ** -1022, -1),
          -next_up(2.0 ** -1022, -1), 1.7976931348623157e308, -1.7976931348623157e308, 1e300, -1e300, 1e308,
          -1e308]
    # Log-spaced sweep of both tails over every binade, subnormals included, with random mantissas.
    for i in range(520):
        e = -1074 + (1023 + 1074) * i / 519
        m = 1 + rng.random()
        v = m * 2.0 ** min(e, 1023) if e > -1022 else rng.randint(1, 2 ** 52 - 1) * 5e-324
        if e < -1062:
            v = max(v, 5e-324)
        xs.append(v)
        xs.append(-v)
    # An even sweep of the interesting middle, plus the points named in issue 14.
    for i in range(481):
        xs.append(-12 + 24 * i / 480 + rng.uniform(-0.02, 0.02))
    xs.extend(NAMED)
    # Thresholds and their neighbours.
    scale = 1.0 / p['beta'] if name in ('silu', 'softplus') else 1.0
    for t in THRESHOLDS:
        for c in (t * scale, -t * scale):
            for k in range(-2, 3):
                xs.append(next_up(c, k))
            for j in range(3, 40, 6):
                xs.append(c * (1 + 2.0 ** -j))
                xs.append(c * (1 - 2.0 ** -j))
    # Kinks, zero, and the zeros of f'.
    for c in KINKS.get(name, []) + [0.0]:
        neighbourhood(c, xs)
    for r in zeros_of(name, p, FUNCS[name]):
        neighbourhood(to_double(r), xs)
    uniq = sorted(set(x for x in xs if math.isfinite(x)), key=lambda v: (v, math.copysign(1, v)))
    return [x for x in uniq if not (x == 0 and math.copysign(1, x) < 0)]


def kappa(x, v, d):
    if v == 0 or x == 0:
        return 0.0
    k = abs(x * d / v)
    return float(k) if k < mpf('1e300') else 1e300


def kappa_text(k):
    if k <= 4:
        return '0'
    s = '%.3g' % k
    if float(s) > k:  # round down, so the tolerance never grows past 2 + kappa
        s = '%.3g' % (k * (1 - 5e-3))
    return s.replace('e+0', 'e').replace('e+', 'e')


def evaluate(name, p, x):
    mp_p = {'alpha': mpf(p['alpha']), 'beta': mpf(p['beta']), 'g0': mpf(p['g0'])}
    v, d, dd = FUNCS[name](mpf(x), mp_p)
    return to_double(v), to_double(d), kappa(mpf(x), v, d), kappa(mpf(x), d, dd)


def main():
    check = '--check' in sys.argv
    mp.dps = DPS
    cases = []
    for name in FUNCS:
        cases.append((name, defaults(name)))
        for change in VARIANTS.get(name, []):
            q = defaults(name)
            q.update(change)
            cases.append((name, q))
    lines = ['# Generated by scripts/activation-reference.py with mpmath %s at %d digits: do not edit.' %
             (mpmath.__version__, DPS),
             '# case NAME alpha beta g0, then per point: x f df (IEEE bits in hex) kf kd (0 when <= 4)']
    total = 0
    for name, p in cases:
        pts = points_for(name, p)
        total += len(pts)
        lines.append('case %s %r %r %r' % (name, p['alpha'], p['beta'], p['g0']))
        for x in pts:
            fx, dfx, kf, kd = evaluate(name, p, x)
            if check:
                with mp.workdps(2 * DPS):
                    again = evaluate(name, p, x)
                if bits(again[0]) != bits(fx) or bits(again[1]) != bits(dfx):
                    sys.exit('precision too low: %s %r at x = %r' % (name, p, x))
            lines.append('%016x %016x %016x %s %s' % (bits(x), bits(fx) & ~(1 << 63) if fx == 0 else bits(fx),
                                                       bits(dfx) & ~(1 << 63) if dfx == 0 else bits(dfx),
                                                       kappa_text(kf), kappa_text(kd)))
        print('%-12s %-40s %5d points' % (name, p, len(pts)), file=sys.stderr)
    with open(OUT, 'w') as out:
        out.write('\n'.join(lines) + '\n')
    print('wrote %s: %d cases, %d points' % (OUT, len(cases), total), file=sys.stderr)


if __name__ == '__main__' and '--taylor' not in sys.argv:
    main()


def taylor_main():
    """--taylor: the C++ constants core/activation.cpp uses next to the zeros of f' (silu, mish, gelu_erf,
    gelu_tanh): the zero r as a double pair hi + lo, and c_k with f'(r + d) = sum_k c_k d^k (k = 1..N)."""
    mp.dps = 80
    n = 24
    p = {'alpha': mpf(0.01), 'beta': mpf(1), 'g0': mpf(0)}
    for name in ('silu', 'mish', 'gelu_erf', 'gelu_tanh'):
        fd = lambda t: FUNCS[name](t, p)[1]
        r = zeros_of(name, {'beta': 1.0}, FUNCS[name])[0]
        r = mpmath.findroot(fd, r, tol=mpf(10) ** -75)
        hi = to_double(r)
        lo = to_double(r - mpf(hi))
        coeffs = mpmath.taylor(fd, r, n)
        # Check the polynomial against f' itself over the window the C++ uses.
        worst = max(abs(mpmath.polyval(coeffs[::-1], d) - fd(r + d)) / abs(fd(r + d))
                    for d in (mpf(k) / 64 for k in range(-24, 25) if k != 0))
        print('// %s: f\'(x) = 0 at %s; Taylor degree %d, worst relative error %s over |d| <= 3/8' %
              (name, mpmath.nstr(r, 25), n, mpmath.nstr(worst, 3)))
        print('constexpr double k%sZeroHi = %r, k%sZeroLo = %r;' % (name.title().replace('_', ''), hi,
                                                                   name.title().replace('_', ''), lo))
        print('constexpr Taylor24 k%sTaylor = {{' % name.title().replace('_', ''))
        print(',\n'.join('    %r' % to_double(c) for c in coeffs[1:]) + '}};')


if __name__ == '__main__' and '--taylor' in sys.argv:
    taylor_main()
    sys.exit(0)
