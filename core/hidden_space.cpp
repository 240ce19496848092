#include "hidden_space.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "error.hpp"
#include "features.hpp"
#include "loss.hpp"

namespace ap {

// Points go through the network this many at a time: Trainer's own chunk for full-set passes, so the
// network's workspace does not grow for the map.
static constexpr std::size_t kChunk = 256;

void validate_hidden_space(const Network& network, const HiddenSpaceSpec& spec) {
    const std::size_t layers = network.hidden_layers();
    if (layers == 0) throw ConfigError("hiddenSpace: the network has no hidden layer");
    if (spec.layer >= layers)
        throw ConfigError("hiddenSpace.layer must be 0.." + std::to_string(layers - 1) +
                          " (the network's hidden layers, from 0), got " + std::to_string(spec.layer));
    const std::size_t units = network.layers()[spec.layer].out;
    if (units < 2)
        throw ConfigError("hiddenSpace: layer " + std::to_string(spec.layer) +
                          " has one unit; the hidden space needs two");
    const auto unit = [&](const char* field, std::size_t u) {
        if (u >= units)
            throw ConfigError(std::string("hiddenSpace.") + field + " must be 0.." + std::to_string(units - 1) +
                              " (layer " + std::to_string(spec.layer) + "'s units, from 0), got " + std::to_string(u));
    };
    unit("unitX", spec.unit_x);
    unit("unitY", spec.unit_y);
    if (spec.unit_x == spec.unit_y)
        throw ConfigError("hiddenSpace.unitY must differ from unitX (both " + std::to_string(spec.unit_x) + ")");
}

// The input plane's grid lines as points, line after line (hidden_space.hpp gives the order).
static void grid_points(bool one_d, std::vector<Point>& out) {
    const auto at = [](int i, int n) { return -kPlotExtent + 2 * kPlotExtent * i / (n - 1); };
    if (one_d) {
        for (int s = 0; s < kHiddenGridSamples; ++s) out.push_back({at(s, kHiddenGridSamples), 0, 0});
        return;
    }
    for (int l = 0; l < kHiddenGridLines; ++l)
        for (int s = 0; s < kHiddenGridSamples; ++s)
            out.push_back({at(s, kHiddenGridSamples), at(l, kHiddenGridLines), 0});
    for (int l = 0; l < kHiddenGridLines; ++l)
        for (int s = 0; s < kHiddenGridSamples; ++s)
            out.push_back({at(l, kHiddenGridLines), at(s, kHiddenGridSamples), 0});
}

namespace {

// g . p + h >= 0, a half-plane of the hidden coordinates.
struct HalfPlane {
    double gx, gy, h;
};

// The part of the line nx x + ny y + c = 0 inside every half-plane (the box's four among them), as a
// segment appended to out; nothing if the line is degenerate or the part is empty.
void clip_line(double nx, double ny, double c, const std::vector<HalfPlane>& keep, std::vector<double>& out) {
    const double nn = nx * nx + ny * ny;
    if (!(nn > 0) || !std::isfinite(nn)) return;
    const double px = -c * nx / nn, py = -c * ny / nn;  // the line's point nearest the origin
    const double dx = -ny, dy = nx;                     // its direction
    double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    for (const HalfPlane& k : keep) {
        const double a = k.gx * dx + k.gy * dy, b = k.gx * px + k.gy * py + k.h;  // b + a t >= 0
        if (a == 0) {
            if (b < 0) return;
        } else if (a > 0) {
            lo = std::max(lo, -b / a);
        } else {
            hi = std::min(hi, -b / a);
        }
    }
    if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) return;
    out.insert(out.end(), {px + lo * dx, py + lo * dy, px + hi * dx, py + hi * dy});
}

}  // namespace

// The output's decision boundary in (unit_x, unit_y) coordinates, when the logits are affine in them alone.
static void decision_boundary(const Trainer& trainer, const HiddenSpaceSpec& spec, HiddenSpace& out) {
    const Network& net = trainer.network();
    const Head head = trainer.config().network.head;
    out.boundary.clear();
    out.has_boundary =
        head != Head::linear_mse && spec.layer + 1 == net.hidden_layers() && net.layers()[spec.layer].out == 2;
    if (!out.has_boundary) return;

    // The box: the mapped points' bounding box, widened by its own size (at least 1) on each side.
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
    for (std::size_t i = 0; i < out.points.size(); i += 3) {
        const double x = out.points[i], y = out.points[i + 1];
        if (!std::isfinite(x) || !std::isfinite(y)) continue;
        x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
    if (!(x0 <= x1) || !(y0 <= y1)) return;
    const double wx = std::max(1.0, x1 - x0), wy = std::max(1.0, y1 - y0);
    const std::vector<HalfPlane> box{{1, 0, -(x0 - wx)}, {-1, 0, x1 + wx}, {0, 1, -(y0 - wy)}, {0, -1, y1 + wy}};

    // logit_c = W[ux, c] a_x + W[uy, c] a_y + b[c], W (2, k) row-major by input.
    const LayerShape& o = net.layers()[spec.layer + 1];
    const auto p = net.params();
    const std::size_t k = o.out;
    const auto wx_of = [&](std::size_t c) { return p[o.w + spec.unit_x * k + c]; };
    const auto wy_of = [&](std::size_t c) { return p[o.w + spec.unit_y * k + c]; };
    const auto b_of = [&](std::size_t c) { return p[o.b + c]; };
    if (k == 1) {
        // sigmoid: P = 0.5 and tanh: 0 both at logit 0.
        clip_line(wx_of(0), wy_of(0), b_of(0), box, out.boundary);
        return;
    }
    // softmax: where classes i and j tie and no other class beats them.
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = i + 1; j < k; ++j) {
            std::vector<HalfPlane> keep = box;
            for (std::size_t m = 0; m < k; ++m)
                if (m != i && m != j) keep.push_back({wx_of(i) - wx_of(m), wy_of(i) - wy_of(m), b_of(i) - b_of(m)});
            clip_line(wx_of(i) - wx_of(j), wy_of(i) - wy_of(j), b_of(i) - b_of(j), keep, out.boundary);
        }
}

void hidden_space(Trainer& trainer, const HiddenSpaceSpec& spec, HiddenSpace& out) {
    Network& net = trainer.network();
    validate_hidden_space(net, spec);
    const Dataset& data = trainer.data();
    const bool one_d = data.input_dims == 1;

    std::vector<Point> pts;
    pts.reserve(data.train.size() + data.test.size() + 2 * kHiddenGridLines * kHiddenGridSamples);
    pts.insert(pts.end(), data.train.begin(), data.train.end());
    if (spec.test) pts.insert(pts.end(), data.test.begin(), data.test.end());
    grid_points(one_d, pts);
    out.train = data.train.size();
    out.test = spec.test ? data.test.size() : 0;
    out.lines = one_d ? 1 : 2 * kHiddenGridLines;
    out.samples = kHiddenGridSamples;

    const auto& features = trainer.config().network.features;
    const Head head = trainer.config().network.head;
    const std::size_t inputs = net.inputs(), k = net.outputs(), units = net.layers()[spec.layer].out;
    std::vector<double> X(kChunk * inputs);  // (chunk, inputs)
    std::vector<double> pred(kChunk * k);    // (chunk, k)
    out.points.resize(3 * pts.size());
    for (std::size_t start = 0; start < pts.size(); start += kChunk) {
        const std::size_t m = std::min(kChunk, pts.size() - start);
        map_features(features, pts.data() + start, m, X.data());
        const double* logits = net.forward(X.data(), m);
        const double* A = net.activations(spec.layer);  // (m, units)
        if (head != Head::softmax_ce) head_predict(head, logits, m, k, pred.data());
        for (std::size_t i = 0; i < m; ++i) {
            double* row = out.points.data() + 3 * (start + i);
            row[0] = A[i * units + spec.unit_x];
            row[1] = A[i * units + spec.unit_y];
            if (head == Head::softmax_ce) {
                // The predicted class: the first of the largest logits, as the accuracy counts it.
                std::size_t best = 0;
                for (std::size_t c = 1; c < k; ++c)
                    if (logits[i * k + c] > logits[i * k + best]) best = c;
                row[2] = static_cast<double>(best);
            } else {
                row[2] = pred[i];
            }
        }
    }
    decision_boundary(trainer, spec, out);
}

}  // namespace ap
