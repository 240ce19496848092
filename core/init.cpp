#include "init.hpp"

#include <cassert>
#include <cmath>

namespace ap {

namespace {

void fill_uniform(Rng& rng, double* w, std::size_t n, double a) {
    for (std::size_t i = 0; i < n; ++i) w[i] = rng.uniform(-a, a);
}

// Plain normal, not truncated: Keras truncates at 2 sd (and rescales the sd to match), but the untruncated
// draw keeps the stated sd exact and the occasional large weight is part of what the page shows.
void fill_normal(Rng& rng, double* w, std::size_t n, double sd) {
    for (std::size_t i = 0; i < n; ++i) w[i] = rng.normal(0.0, sd);
}

}  // namespace

void init_layer(const InitConfig& config, Rng& rng, double* w, std::size_t fan_in, std::size_t fan_out,
                double* b) {
    assert(fan_in > 0 && fan_out > 0);
    const std::size_t n = fan_in * fan_out;  // w: (fan_in, fan_out)
    const double in = static_cast<double>(fan_in);
    const double fans = static_cast<double>(fan_in + fan_out);
    switch (config.scheme) {
        case InitScheme::uniform: fill_uniform(rng, w, n, config.uniform_range); break;
        // Glorot keeps the variance of activations and of gradients about equal in both directions (tanh).
        case InitScheme::glorot_uniform: fill_uniform(rng, w, n, std::sqrt(6.0 / fans)); break;
        case InitScheme::glorot_normal: fill_normal(rng, w, n, std::sqrt(2.0 / fans)); break;
        // He doubles the forward variance because ReLU zeroes half of its inputs.
        case InitScheme::he_uniform: fill_uniform(rng, w, n, std::sqrt(6.0 / in)); break;
        case InitScheme::he_normal: fill_normal(rng, w, n, std::sqrt(2.0 / in)); break;
        // LeCun's variance 1/fan_in is the fixed point SELU's self-normalisation assumes.
        case InitScheme::lecun_normal: fill_normal(rng, w, n, std::sqrt(1.0 / in)); break;
        // Every unit of a layer then computes the same function and gets the same gradient: symmetry
        // never breaks, which is the point of offering it.
        case InitScheme::zeros:
            for (std::size_t i = 0; i < n; ++i) w[i] = 0.0;
            break;
    }
    for (std::size_t j = 0; j < fan_out; ++j) b[j] = config.bias;  // b: (fan_out)
}

}  // namespace ap
