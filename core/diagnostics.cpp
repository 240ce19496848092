#include "diagnostics.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <string>

#include "activation.hpp"
#include "error.hpp"
#include "features.hpp"

namespace ap {

// Points per pass through the network: the Trainer's own chunk, so the network's buffers, already grown to
// it by evaluate(), never grow for diagnostics whatever the size of the training set.
static constexpr std::size_t kChunk = 256;

namespace {

// Per-layer tallies over the training set, allocated once per call.
struct LayerTally {
    std::vector<std::size_t> nonzero;  // (units) points where the unit's output is not exactly 0
    std::vector<std::size_t> flat;     // (units) points where |f'(z)| < kSaturatedSlope
    std::size_t zeros = 0;             // outputs exactly 0, over all units and points
    std::size_t kinks_hit = 0;         // pre-activations exactly 0: where ReLU's derivative is a convention
    double z_min = std::numeric_limits<double>::infinity();   // over finite Z only
    double z_max = -std::numeric_limits<double>::infinity();
};

// Runs the network forward over the training set kChunk points at a time, calling per_chunk(m) after each
// chunk's forward, while its Z and A are in the network.
template <typename F>
void forward_training_set(Trainer& trainer, F&& per_chunk) {
    Network& net = trainer.network();
    const std::vector<Point>& train = trainer.data().train;
    const std::size_t n = train.size();
    const std::span<const Feature> features = trainer.config().network.features;
    std::vector<double> X(std::min(kChunk, n) * net.inputs());  // (chunk, inputs)
    for (std::size_t start = 0; start < n; start += kChunk) {
        const std::size_t m = std::min(kChunk, n - start);
        map_features(features, train.data() + start, m, X.data());
        net.forward(X.data(), m);
        per_chunk(m);
    }
}

void tally_chunk(const LayerShape& s, const double* Z, const double* A, std::size_t m, LayerTally& t) {
    const bool saturating = is_saturating(s.activation);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < s.out; ++j) {
            const double z = Z[i * s.out + j];
            if (A[i * s.out + j] == 0.0) ++t.zeros;
            else ++t.nonzero[j];
            if (z == 0.0) ++t.kinks_hit;
            if (std::isfinite(z)) {
                t.z_min = std::min(t.z_min, z);
                t.z_max = std::max(t.z_max, z);
            }
            if (saturating && std::fabs(activate_derivative(s.activation, s.params, z)) < kSaturatedSlope) ++t.flat[j];
        }
}

// Bins are [lo + k w, lo + (k+1) w); hi falls in the last bin, and anything outside the range (infinite
// or NaN pre-activations of a network about to diverge) in the nearer end bin, so counts always sum to
// points * units. Halving before subtracting keeps the width finite even for a range near +-DBL_MAX.
void bin_chunk(const double* Z, std::size_t count, Histogram& h) {
    const std::size_t bins = h.counts.size();
    const double half_lo = 0.5 * h.lo;
    const double scale = static_cast<double>(bins) / (0.5 * h.hi - half_lo);
    for (std::size_t i = 0; i < count; ++i) {
        const double t = (0.5 * Z[i] - half_lo) * scale;
        std::size_t k = 0;
        if (t >= static_cast<double>(bins)) k = bins - 1;
        else if (t > 0) k = static_cast<std::size_t>(t);
        ++h.counts[k];
    }
}

}  // namespace

Diagnostics compute_diagnostics(Trainer& trainer, std::size_t histogram_bins) {
    if (histogram_bins < 1 || histogram_bins > static_cast<std::size_t>(kMaxHistogramBins))
        throw ConfigError("histogram_bins must be 1.." + std::to_string(kMaxHistogramBins) + ", got " +
                          std::to_string(histogram_bins));

    Diagnostics d;
    d.step = trainer.step();
    d.metrics = trainer.evaluate();

    Network& net = trainer.network();
    const std::vector<LayerShape>& shapes = net.layers();
    const std::vector<Point>& train = trainer.data().train;
    const std::size_t n = train.size();

    std::vector<LayerTally> tallies(shapes.size());
    for (std::size_t l = 0; l < shapes.size(); ++l) {
        tallies[l].nonzero.assign(shapes[l].out, 0);
        tallies[l].flat.assign(shapes[l].out, 0);
    }

    // Pass 1: the full-set gradient and the per-unit tallies. compute_gradients returns its chunk's mean
    // gradient plus the regularisation gradient; weighting each chunk by its size m and dividing by n at
    // the end gives the data gradient over the whole set plus the regularisation gradient once, since the
    // weights m/n sum to 1. Its forward leaves the chunk's Z and A in the network (backward only writes
    // gradients), so the tallies read them from there without a second forward.
    std::vector<double> dparams(net.params().size(), 0.0);  // (params) sum over chunks of m * chunk gradient
    for (std::size_t start = 0; start < n; start += kChunk) {
        const std::size_t m = std::min(kChunk, n - start);
        trainer.compute_gradients(train.data() + start, m);
        const auto g = net.grads();
        const double weight = static_cast<double>(m);
        for (std::size_t i = 0; i < dparams.size(); ++i) dparams[i] += weight * g[i];
        for (std::size_t l = 0; l < shapes.size(); ++l)
            tally_chunk(shapes[l], net.pre_activations(l), net.activations(l), m, tallies[l]);
    }
    if (n > 0)
        for (double& v : dparams) v /= static_cast<double>(n);
    // Leave the full-set gradient behind rather than the last chunk's, which would mean nothing.
    std::copy(dparams.begin(), dparams.end(), net.grads().begin());

    const auto p = net.params();
    d.layers.resize(shapes.size());
    for (std::size_t l = 0; l < shapes.size(); ++l) {
        const LayerShape& s = shapes[l];
        const LayerTally& t = tallies[l];
        LayerDiagnostics& ld = d.layers[l];
        ld.units = s.out;

        double g_sq = 0, g_abs = 0, w_sq = 0;
        for (std::size_t i = s.w; i < s.w + s.in * s.out; ++i) {
            g_sq += dparams[i] * dparams[i];
            g_abs += std::fabs(dparams[i]);
            w_sq += p[i] * p[i];
        }
        ld.grad_norm = std::sqrt(g_sq);
        ld.grad_mean_abs = g_abs / static_cast<double>(s.in * s.out);
        ld.weight_norm = std::sqrt(w_sq);

        const std::size_t outputs = n * s.out;
        ld.sparsity = outputs > 0 ? static_cast<double>(t.zeros) / static_cast<double>(outputs) : 0.0;
        ld.zero_pre_activations = t.kinks_hit;

        // The output layer is the identity: neither test applies to it.
        const bool hidden = l + 1 < shapes.size();
        const bool can_die = hidden && is_relu_family(s.activation) && n > 0;
        const bool can_saturate = hidden && is_saturating(s.activation) && n > 0;
        ld.dead.assign(s.out, 0);
        ld.saturated.assign(s.out, 0);
        for (std::size_t j = 0; j < s.out; ++j) {
            if (can_die && t.nonzero[j] == 0) {
                ld.dead[j] = 1;
                ++ld.dead_units;
            }
            // flat / n >= 95%, in integers: 20 flat >= 19 n.
            if (can_saturate && 20 * t.flat[j] >= 19 * n) {
                ld.saturated[j] = 1;
                ++ld.saturated_units;
            }
        }

        Histogram& h = ld.pre_activations;
        h.lo = t.z_min <= t.z_max ? t.z_min : 0.0;
        h.hi = t.z_min <= t.z_max ? t.z_max : 0.0;
        if (h.lo == h.hi) {
            h.lo -= 1.0;
            h.hi += 1.0;
        }
        h.counts.assign(histogram_bins, 0);
    }

    // Pass 2: the histograms, now that every layer's range is known.
    forward_training_set(trainer, [&](std::size_t m) {
        for (std::size_t l = 0; l < shapes.size(); ++l)
            bin_chunk(net.pre_activations(l), m * shapes[l].out, d.layers[l].pre_activations);
    });
    return d;
}

std::vector<std::uint8_t> dead_units(Trainer& trainer) {
    Network& net = trainer.network();
    const std::vector<LayerShape>& shapes = net.layers();
    const std::size_t n = trainer.data().train.size();
    std::vector<std::size_t> first(shapes.size(), 0);  // (layers) each hidden layer's first unit in the result
    std::size_t units = 0;
    bool any = false;
    for (std::size_t l = 0; l + 1 < shapes.size(); ++l) {
        first[l] = units;
        units += shapes[l].out;
        any = any || is_relu_family(shapes[l].activation);
    }
    // Every unit that can die starts dead and comes alive at its first nonzero output.
    std::vector<std::uint8_t> dead(units, 0);
    if (!any || n == 0) return dead;
    for (std::size_t l = 0; l + 1 < shapes.size(); ++l)
        if (is_relu_family(shapes[l].activation)) std::fill_n(dead.begin() + static_cast<std::ptrdiff_t>(first[l]), shapes[l].out, 1);
    forward_training_set(trainer, [&](std::size_t m) {
        for (std::size_t l = 0; l + 1 < shapes.size(); ++l) {
            const std::size_t out = shapes[l].out;
            const double* A = net.activations(l);
            for (std::size_t i = 0; i < m; ++i)
                for (std::size_t j = 0; j < out; ++j)
                    if (A[i * out + j] != 0.0) dead[first[l] + j] = 0;
        }
    });
    return dead;
}

}  // namespace ap
