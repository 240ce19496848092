#include "grid_forward.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "simd.hpp"

namespace ap {

namespace {

using simd::v4f;
using simd::v4i;
using simd::select;
using simd::splat4;

// ---- Float functions on 4 lanes ----

v4f abs4(v4f x) { return simd::from_bits(simd::bits(x) & 0x7fffffff); }
v4f min4(v4f a, v4f b) { return select(a < b, a, b); }
v4f max4(v4f a, v4f b) { return select(a > b, a, b); }
// x <= 0 ? 0 : x, as the double path (NaN stays NaN).
v4f relu4(v4f x, v4f zero) { return select(x <= 0.0f, zero, x); }

// e^x, Cephes' expf: x = n ln2 + r with |r| <= ln2 / 2, e^r by a degree-7 polynomial, 2^n through the
// exponent bits. About 2 ulp; the clamp keeps 2^n a normal float (the result's extremes are the float's).
v4f exp4(v4f x) {
    x = min4(max4(x, splat4(-87.3365f)), splat4(88.3762f));
    const v4f fx = x * 1.44269504088896341f + 0.5f;
    v4i n = __builtin_convertvector(fx, v4i);  // truncates; floor below
    v4f nf = __builtin_convertvector(n, v4f);
    const v4i too_big = nf > fx;  // -1 where truncation went up (negative fx)
    nf = select(too_big, nf - 1.0f, nf);
    n = n + too_big;
    const v4f r = (x - nf * 0.693359375f) - nf * -2.12194440e-4f;  // ln2 in two parts, the first exact
    v4f p = 1.9875691500e-4f * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const v4f er = p * (r * r) + r + 1.0f;
    return er * simd::from_bits((n + 127) << 23);
}

// tanh: an odd polynomial near 0 (Cephes' tanhf, |x| < 0.625), where 1 - 2 / (e^2|x| + 1) would cancel;
// that formula with x's sign elsewhere (e^2|x| saturates at e^88, giving exactly +-1 far out).
v4f tanh4(v4f x) {
    const v4f ax = abs4(x);
    const v4f z = x * x;
    v4f p = -5.70498872745e-3f * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    const v4f small = p * z * x + x;
    const v4f large_abs = 1.0f - 2.0f / (exp4(ax + ax) + 1.0f);
    const v4f large = simd::from_bits(simd::bits(large_abs) | (simd::bits(x) & static_cast<int>(0x80000000u)));
    return select(ax < 0.625f, small, large);
}

// 1 / (1 + e^-x): e^-x saturates rather than overflowing, so the tails are 0 and 1 (to float's range).
v4f sigmoid4(v4f x) { return 1.0f / (1.0f + exp4(-x)); }

template <class F>
void apply4(float* z, std::size_t n, F f) {
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) simd::store4(z + i, f(simd::load4(z + i)));
    if (i < n) {
        float tail[4] = {0, 0, 0, 0};
        std::memcpy(tail, z + i, (n - i) * sizeof(float));
        simd::store4(tail, f(simd::load4(tail)));
        std::memcpy(z + i, tail, (n - i) * sizeof(float));
    }
}

// The exact double path, for the activations without a float version here, and for the user's own formula
// (its bytecode runs in double only): z is widened, f is the network's own, and the result is rounded to
// float. tests/native/test_formula.cpp holds formula grids to Trainer::predict within the grid tests' 1e-4.
void through_double(Activation kind, const ActivationParams& params, float* z, std::size_t n) {
    double buf[256];  // (run)
    for (std::size_t i0 = 0; i0 < n; i0 += 256) {
        const std::size_t m = std::min<std::size_t>(256, n - i0);
        for (std::size_t i = 0; i < m; ++i) buf[i] = z[i0 + i];
        activation_forward(kind, params, buf, buf, m);
        for (std::size_t i = 0; i < m; ++i) z[i0 + i] = static_cast<float>(buf[i]);
    }
}

// ---- The layer ----

// J units of one block: J x 4 independent sums in flight; only the inputs live in this block are read.
// kRelu: the sums leave through ReLU (as activation_forward_f32 computes it), and alive[r] says whether unit
// r is not zero across the block, which saves two passes over Z (the ReLU's and the next layer's liveness
// scan, 6-8% of a ReLU grid).
template <int J, bool kRelu = false>
void units_block(const float* wt, std::size_t in, const float* b, const unsigned* live, std::size_t m,
                 const float* A, float* Z, unsigned char* alive = nullptr) {
    v4f acc[J][4];
    for (int r = 0; r < J; ++r)
        for (int q = 0; q < 4; ++q) acc[r][q] = splat4(b[r]);
    for (std::size_t t = 0; t < m; ++t) {
        const std::size_t k = live[t];
        const float* a = A + k * kGridBlock;
        const v4f a0 = simd::load4(a), a1 = simd::load4(a + 4), a2 = simd::load4(a + 8), a3 = simd::load4(a + 12);
        for (int r = 0; r < J; ++r) {
            const v4f w = splat4(wt[r * in + k]);
            acc[r][0] += w * a0;
            acc[r][1] += w * a1;
            acc[r][2] += w * a2;
            acc[r][3] += w * a3;
        }
    }
    for (int r = 0; r < J; ++r) {
        if constexpr (kRelu) {
            v4i any = {0, 0, 0, 0};
            for (int q = 0; q < 4; ++q) {
                const v4f v = relu4(acc[r][q], splat4(0.0f));
                any |= simd::bits(v);
                simd::store4(Z + r * kGridBlock + 4 * q, v);
            }
            alive[r] = (any[0] | any[1] | any[2] | any[3]) != 0;
        } else {
            for (int q = 0; q < 4; ++q) simd::store4(Z + r * kGridBlock + 4 * q, acc[r][q]);
        }
    }
}

// All of a layer's units, two at a time (see units_block).
template <bool kRelu>
void all_units(const float* wt, std::size_t in, std::size_t out, const float* b, const unsigned* live, std::size_t m,
               const float* A, float* Z, unsigned char* alive) {
    std::size_t j = 0;
    for (; j + 2 <= out; j += 2)
        units_block<2, kRelu>(wt + j * in, in, b + j, live, m, A, Z + j * kGridBlock, kRelu ? alive + j : nullptr);
    if (j < out) units_block<1, kRelu>(wt + j * in, in, b + j, live, m, A, Z + j * kGridBlock, kRelu ? alive + j : nullptr);
}

// The indices of the inputs flagged alive.
std::size_t flagged_inputs(const unsigned char* alive, std::size_t in, unsigned* live) {
    std::size_t m = 0;
    for (std::size_t k = 0; k < in; ++k) {
        live[m] = static_cast<unsigned>(k);
        m += alive[k];
    }
    return m;
}

// Indices of the inputs that are not +0 in every lane of the block (a -0 or NaN counts as live).
std::size_t live_inputs(const float* A, std::size_t in, unsigned* live) {
    std::size_t m = 0;
    for (std::size_t k = 0; k < in; ++k) {
        const float* a = A + k * kGridBlock;
        const v4i any = simd::bits(simd::load4(a)) | simd::bits(simd::load4(a + 4)) |
                        simd::bits(simd::load4(a + 8)) | simd::bits(simd::load4(a + 12));
        live[m] = static_cast<unsigned>(k);
        m += (any[0] | any[1] | any[2] | any[3]) != 0;
    }
    return m;
}

}  // namespace

void activation_forward_f32(Activation kind, const ActivationParams& params, float* z, std::size_t n) {
    const float alpha = static_cast<float>(params.alpha);
    const v4f zero = splat4(0.0f);
    switch (kind) {
        case Activation::identity: return;
        case Activation::relu: return apply4(z, n, [&](v4f x) { return relu4(x, zero); });
        case Activation::leaky_relu:
        case Activation::prelu:
            return apply4(z, n, [&](v4f x) { return select(x > 0.0f, x, alpha * x); });
        case Activation::relu6:
            return apply4(z, n, [&](v4f x) { return select(x <= 0.0f, zero, select(x >= 6.0f, splat4(6.0f), x)); });
        case Activation::binary_step:
            return apply4(z, n, [&](v4f x) { return select(x >= 0.0f, splat4(1.0f), zero); });
        case Activation::hard_sigmoid:
            return apply4(z, n, [&](v4f x) {
                return select(x <= -3.0f, zero, select(x >= 3.0f, splat4(1.0f), x / 6.0f + 0.5f));
            });
        case Activation::hard_tanh: return apply4(z, n, [&](v4f x) { return min4(max4(x, splat4(-1.0f)), splat4(1.0f)); });
        case Activation::softsign: return apply4(z, n, [&](v4f x) { return x / (1.0f + abs4(x)); });
        case Activation::tanh: return apply4(z, n, tanh4);
        case Activation::sigmoid: return apply4(z, n, sigmoid4);
        default: return through_double(kind, params, z, n);
    }
}

void head_predict_f32(Head head, float* z, std::size_t k) {
    switch (head) {
        case Head::linear_mse: return;
        case Head::tanh_mse: return apply4(z, kGridBlock, tanh4);
        case Head::sigmoid_bce: return apply4(z, kGridBlock, sigmoid4);
        case Head::softmax_ce:
            // Per point: e^(z_c - max) / sum, the max subtracted so nothing overflows.
            for (std::size_t q = 0; q < kGridBlock; q += 4) {
                v4f m = simd::load4(z + q);
                for (std::size_t c = 1; c < k; ++c) m = max4(m, simd::load4(z + c * kGridBlock + q));
                v4f sum = splat4(0.0f);
                for (std::size_t c = 0; c < k; ++c) {
                    const v4f e = exp4(simd::load4(z + c * kGridBlock + q) - m);
                    simd::store4(z + c * kGridBlock + q, e);
                    sum += e;
                }
                for (std::size_t c = 0; c < k; ++c) simd::store4(z + c * kGridBlock + q, simd::load4(z + c * kGridBlock + q) / sum);
            }
            return;
    }
}

bool is_piecewise_linear(Activation kind) { return kind == Activation::identity || pattern_bits(kind) > 0; }

int pattern_bits(Activation kind) {
    switch (kind) {
        case Activation::binary_step:
        case Activation::relu:
        case Activation::leaky_relu:
        case Activation::prelu: return 1;
        case Activation::relu6:
        case Activation::hard_tanh:
        case Activation::hard_sigmoid: return 2;
        default: return 0;
    }
}

namespace {

// The pattern bits of one unit's z in one lane, as activation_forward_f32 splits z: for one kink at 0,
// z > 0 (binary step: z >= 0, its jump belongs to the upper step); for two kinks lo < hi, z > lo and z >= hi.
// Where pieces meet (z = 0 for ReLU) both give the same value, so the split point may go either way.
unsigned unit_pattern(Activation kind, float z) {
    switch (kind) {
        case Activation::binary_step: return z >= 0.0f;
        case Activation::relu:
        case Activation::leaky_relu:
        case Activation::prelu: return z > 0.0f;
        case Activation::relu6: return (z > 0.0f) | (unsigned{z >= 6.0f} << 1);
        case Activation::hard_tanh: return (z > -1.0f) | (unsigned{z >= 1.0f} << 1);
        case Activation::hard_sigmoid: return (z > -3.0f) | (unsigned{z >= 3.0f} << 1);
        default: return 0;
    }
}

}  // namespace

GridForward::GridForward(const Network& network) {
    const auto p = network.params();
    std::size_t widest = 0, widest_out = 0;
    for (const LayerShape& s : network.layers()) {
        Layer l;
        l.in = s.in;
        l.out = s.out;
        l.activation = s.activation;
        l.params = s.params;
        l.wt.resize(s.out * s.in);
        for (std::size_t k = 0; k < s.in; ++k)
            for (std::size_t j = 0; j < s.out; ++j) l.wt[j * s.in + k] = static_cast<float>(p[s.w + k * s.out + j]);
        l.b.assign(p.begin() + static_cast<std::ptrdiff_t>(s.b), p.begin() + static_cast<std::ptrdiff_t>(s.b + s.out));
        if (s.has_alpha)
            l.alpha.assign(p.begin() + static_cast<std::ptrdiff_t>(s.alpha),
                           p.begin() + static_cast<std::ptrdiff_t>(s.alpha + s.out));
        widest = std::max(widest, s.in);
        widest_out = std::max(widest_out, s.out);
        act_.emplace_back(s.out * kGridBlock);
        layers_.push_back(std::move(l));
    }
    live_.resize(widest);
    alive_.resize(widest_out);
    // Each layer's bits start at a multiple of its width, so a unit's 2 bits never straddle two words.
    std::size_t bits = 0;
    for (std::size_t l = 0; l + 1 < layers_.size(); ++l) {
        piecewise_linear_ = piecewise_linear_ && is_piecewise_linear(layers_[l].activation);
        const std::size_t width = static_cast<std::size_t>(pattern_bits(layers_[l].activation));
        if (width == 2) bits += bits % 2;
        layers_[l].pattern_bit = bits;
        bits += layers_[l].out * width;
    }
    pattern_words_ = (bits + 63) / 64;
}

bool GridForward::layer_forward(const Layer& l, const float* A, float* Z, std::uint64_t* pattern, bool flagged) {
    const std::size_t m = flagged ? flagged_inputs(alive_.data(), l.in, live_.data()) : live_inputs(A, l.in, live_.data());
    if (!pattern && l.alpha.empty() && l.activation == Activation::relu) {
        all_units<true>(l.wt.data(), l.in, l.out, l.b.data(), live_.data(), m, A, Z, alive_.data());
        return true;
    }
    all_units<false>(l.wt.data(), l.in, l.out, l.b.data(), live_.data(), m, A, Z, nullptr);
    if (pattern) {
        const unsigned width = static_cast<unsigned>(pattern_bits(l.activation));
        std::size_t bit = l.pattern_bit;
        for (std::size_t u = 0; u < l.out && width > 0; ++u, bit += width) {
            const std::size_t word = bit / 64, shift = bit % 64;
            for (std::size_t lane = 0; lane < kGridBlock; ++lane)
                pattern[lane * pattern_words_ + word] |=
                    static_cast<std::uint64_t>(unit_pattern(l.activation, Z[u * kGridBlock + lane])) << shift;
        }
    }
    if (!l.alpha.empty()) {
        for (std::size_t u = 0; u < l.out; ++u) {
            ActivationParams p = l.params;
            p.alpha = l.alpha[u];
            activation_forward_f32(Activation::prelu, p, Z + u * kGridBlock, kGridBlock);
        }
    } else {
        activation_forward_f32(l.activation, l.params, Z, l.out * kGridBlock);
    }
    return false;
}

void GridForward::run(const float* X, std::uint64_t* pattern, std::size_t pattern_layers) {
    assert(pattern == nullptr || piecewise_linear_);
    if (pattern) std::fill_n(pattern, kGridBlock * pattern_words_, std::uint64_t{0});
    const float* A = X;
    bool flagged = false;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const bool hashed = l + 1 < layers_.size() && l < pattern_layers;
        flagged = layer_forward(layers_[l], A, act_[l].data(), hashed ? pattern : nullptr, flagged);
        A = act_[l].data();
    }
}

}  // namespace ap
