#include "grid.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "error.hpp"
#include "features.hpp"
#include "grid_forward.hpp"
#include "loss.hpp"
#include "regions.hpp"

namespace ap {

void validate_grid(const GridSpec& g) {
    auto side = [](const char* field, int v) {
        if (v < 1 || v > kMaxGridSide)
            throw ConfigError(std::string("grid.") + field + " must be 1.." + std::to_string(kMaxGridSide) +
                              ", got " + std::to_string(v));
    };
    side("width", g.width);
    side("height", g.height);
    auto range = [](const char* field, double lo, double hi) {
        if (!(lo < hi) || !(hi - lo < 1e12) || !(lo > -1e6) || !(hi < 1e6))
            throw ConfigError(std::string("grid.") + field + " must be an increasing range inside -1e6..1e6");
    };
    range("x range", g.x_min, g.x_max);
    range("y range", g.y_min, g.y_max);
}

std::size_t total_hidden_units(const Network& network) {
    std::size_t n = 0;
    for (std::size_t l = 0; l < network.hidden_layers(); ++l) n += network.layers()[l].out;
    return n;
}

namespace {

// The network's input features at each pixel, kGridBlock pixels at a time (unit-major, as GridForward
// reads them). Coordinates and features are computed in double exactly as the double path computes them
// (pixel centres per GridSpec, map_features' formulas), then rounded to float; sines are taken once per
// column or row rather than once per pixel.
class GridInputs {
public:
    GridInputs(const Trainer& trainer, const GridSpec& g)
        : features_(trainer.config().network.features), width_(static_cast<std::size_t>(g.width)) {
        const double dx = (g.x_max - g.x_min) / g.width, dy = (g.y_max - g.y_min) / g.height;
        for (int c = 0; c < g.width; ++c) xs_.push_back(g.x_min + (static_cast<double>(c) + 0.5) * dx);
        for (int r = 0; r < g.height; ++r) ys_.push_back(g.y_max - (static_cast<double>(r) + 0.5) * dy);
        for (double x : xs_) sin_xs_.push_back(feature_value(Feature::sin_x1, x, 0.0));
        for (double y : ys_) sin_ys_.push_back(feature_value(Feature::sin_x2, 0.0, y));
    }

    std::size_t inputs() const { return features_.empty() ? 1 : features_.size(); }

    // The features of one pixel in double, as Trainer::predict computes them: row (inputs).
    void fill_double(std::size_t p, double* row) const {
        const std::size_t r = p / width_, c = p % width_;
        if (features_.empty()) {
            row[0] = xs_[c];
            return;
        }
        for (std::size_t f = 0; f < features_.size(); ++f) row[f] = value(features_[f], r, c);
    }

    // Every feature an affine function of the point (x1 or x2, 2-D data): then so is the network within
    // one activation pattern, as the adaptive path needs.
    bool linear() const {
        return !features_.empty() && std::all_of(features_.begin(), features_.end(),
                                                 [](Feature f) { return f == Feature::x1 || f == Feature::x2; });
    }

    // X (inputs, kGridBlock) for pixels p0 .. p0 + n - 1; lanes past n repeat the last pixel.
    void fill(std::size_t p0, std::size_t n, float* X) const {
        std::size_t pixels[kGridBlock];
        for (std::size_t lane = 0; lane < kGridBlock; ++lane) pixels[lane] = p0 + std::min(lane, n - 1);
        fill_pixels(pixels, X);
    }

    // X (inputs, kGridBlock) for the kGridBlock pixels listed (row-major pixel numbers).
    void fill_pixels(const std::size_t* pixels, float* X) const {
        for (std::size_t lane = 0; lane < kGridBlock; ++lane) {
            const std::size_t p = pixels[lane];
            const std::size_t r = p / width_, c = p % width_;
            if (features_.empty()) {
                X[lane] = static_cast<float>(xs_[c]);  // 1-D data: the input is x
                continue;
            }
            for (std::size_t f = 0; f < features_.size(); ++f)
                X[f * kGridBlock + lane] = static_cast<float>(value(features_[f], r, c));
        }
    }

private:
    double value(Feature f, std::size_t r, std::size_t c) const {
        if (f == Feature::sin_x1) return sin_xs_[c];
        if (f == Feature::sin_x2) return sin_ys_[r];
        return feature_value(f, xs_[c], ys_[r]);
    }

    std::vector<Feature> features_;
    std::size_t width_;
    std::vector<double> xs_, ys_, sin_xs_, sin_ys_;  // (width) and (height)
};

constexpr std::size_t kMaxInputs = 8;  // 7 features at most, or x alone

}  // namespace

namespace {

// A 32-bit hash of a pattern's words (splitmix64's finaliser over a running mix), for the linear-region view.
std::uint32_t pattern_hash(const std::uint64_t* words, std::size_t n) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= words[i] + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
        h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
        h ^= h >> 31;
    }
    return static_cast<std::uint32_t>(h >> 32);
}

// The head over logits (pixels, k) in double, as Trainer::predict applies it, into out (pixels, k).
void apply_head(Head head, const double* logits, std::size_t pixels, std::size_t k, float* out) {
    constexpr std::size_t kRun = 256;
    double y[kRun * kMaxClasses];  // (run, k)
    for (std::size_t p0 = 0; p0 < pixels; p0 += kRun) {
        const std::size_t n = std::min(kRun, pixels - p0);
        head_predict(head, logits + p0 * k, n, k, y);
        for (std::size_t i = 0; i < n * k; ++i) out[p0 * k + i] = static_cast<float>(y[i]);
    }
}

// Pixels r0..r1 x c0..c1 (inclusive): corners (r0, c0), (r0, c1), (r1, c0), (r1, c1).
struct Cell {
    int r0, c0, r1, c1;
};

constexpr int kFirstCell = 16;  // side of the quadtree's first cells, in pixels

// The pattern bits of one unit's z, split as activation.cpp's value functions split it: for one kink at 0,
// z > 0 (binary step: z >= 0, its jump belongs to the upper step); for two kinks lo < hi, z > lo and z >= hi.
// Where two pieces meet (z = 0 for ReLU) both give the same value, so the choice there is free.
unsigned unit_pattern(Activation kind, double z) {
    switch (kind) {
        case Activation::binary_step: return z >= 0.0;
        case Activation::relu:
        case Activation::leaky_relu:
        case Activation::prelu: return z > 0.0;
        case Activation::relu6: return (z > 0.0) | (unsigned{z >= 6.0} << 1);
        case Activation::hard_tanh: return (z > -1.0) | (unsigned{z >= 1.0} << 1);
        case Activation::hard_sigmoid: return (z > -3.0) | (unsigned{z >= 3.0} << 1);
        default: return 0;
    }
}

// The quadtree. The network runs in double (a copy of the trainer's, so its buffers are ours) at the
// corners, which gives exact patterns and logits to double precision; interpolated logits are then within
// ~1e-15 of the dense double evaluation, and the head's float output within float rounding of it.
class AdaptiveGrid {
public:
    AdaptiveGrid(const GridInputs& inputs, const Network& network, const GridSpec& g, std::size_t k,
                 std::size_t pattern_layers)
        : inputs_(inputs), net_(network), width_(static_cast<std::size_t>(g.width)), height_(static_cast<std::size_t>(g.height)),
          k_(k) {
        std::size_t bits = 0;
        for (std::size_t l = 0; l < net_.hidden_layers(); ++l) {
            const std::size_t width = static_cast<std::size_t>(pattern_bits(net_.layers()[l].activation));
            if (width == 2) bits += bits % 2;  // a unit's 2 bits never straddle two words
            layer_bit_.push_back(bits);
            if (l == pattern_layers) hashed_bits_ = bits;
            bits += net_.layers()[l].out * width;
        }
        if (pattern_layers >= net_.hidden_layers()) hashed_bits_ = bits;
        words_ = std::max<std::size_t>((bits + 63) / 64, 1);
        const std::size_t pixels = width_ * height_;
        state_.assign(pixels, kUnknown);
        logits_.assign(pixels * k, 0.0);
        pattern_.assign(pixels * words_, 0);
        hash_.assign(pixels, 0);
    }

    // Fills logits() and hashes() and returns true; or returns false early, when fewer than half of the
    // first 16-pixel cells have one pattern at their corners: then the regions are too small for the grid
    // (the bench's trained 6 x 8 and 3 x 64 ReLU networks have 700 and 3,000+ regions on 100 x 100, and
    // the quadtree would end up evaluating 75% and 99% of the pixels, scattered, at more cost than the
    // dense pass), and the caller takes the dense path, having spent the first cells' corners (~0.5%).
    // With insist, it never gives up.
    bool run(bool insist) {
        std::vector<Cell> cells, next;
        const int w = static_cast<int>(width_), h = static_cast<int>(height_);
        for (int r0 = 0; r0 == 0 || r0 < h - 1; r0 += kFirstCell)
            for (int c0 = 0; c0 == 0 || c0 < w - 1; c0 += kFirstCell)
                cells.push_back({r0, c0, std::min(r0 + kFirstCell, h - 1), std::min(c0 + kFirstCell, w - 1)});
        bool first = true;
        while (!cells.empty()) {
            for (const Cell& cell : cells)
                for (std::size_t p : corners(cell)) want(p);
            evaluate_wanted();
            if (first && !insist) {
                const auto uniform = std::count_if(cells.begin(), cells.end(), [&](const Cell& c) { return same_pattern(c); });
                if (2 * static_cast<std::size_t>(uniform) < cells.size()) return false;
            }
            first = false;
            next.clear();
            for (const Cell& cell : cells) {
                if (same_pattern(cell)) {
                    interpolate(cell);
                } else if (cell.r1 - cell.r0 > 1 || cell.c1 - cell.c0 > 1) {
                    const int rm = (cell.r0 + cell.r1) / 2, cm = (cell.c0 + cell.c1) / 2;
                    const bool split_r = cell.r1 - cell.r0 > 1, split_c = cell.c1 - cell.c0 > 1;
                    if (split_r && split_c) {
                        next.push_back({cell.r0, cell.c0, rm, cm});
                        next.push_back({cell.r0, cm, rm, cell.c1});
                        next.push_back({rm, cell.c0, cell.r1, cm});
                        next.push_back({rm, cm, cell.r1, cell.c1});
                    } else if (split_r) {
                        next.push_back({cell.r0, cell.c0, rm, cell.c1});
                        next.push_back({rm, cell.c0, cell.r1, cell.c1});
                    } else {
                        next.push_back({cell.r0, cell.c0, cell.r1, cm});
                        next.push_back({cell.r0, cm, cell.r1, cell.c1});
                    }
                }
                // else: a cell one pixel apart whose corners differ: its only pixels are its corners, evaluated.
            }
            cells.swap(next);
        }
        return true;
    }

    std::size_t evaluated() const { return evaluated_; }
    const std::vector<double>& logits() const { return logits_; }
    const std::vector<std::uint32_t>& hashes() const { return hash_; }

private:
    enum : unsigned char { kUnknown, kWanted, kInterpolated, kEvaluated };
    static constexpr std::size_t kChunk = 256;  // points per forward pass

    std::array<std::size_t, 4> corners(const Cell& c) const {
        return {at(c.r0, c.c0), at(c.r0, c.c1), at(c.r1, c.c0), at(c.r1, c.c1)};
    }
    std::size_t at(int r, int c) const { return static_cast<std::size_t>(r) * width_ + static_cast<std::size_t>(c); }

    void want(std::size_t p) {
        if (state_[p] == kEvaluated || state_[p] == kWanted) return;
        state_[p] = kWanted;
        wanted_.push_back(p);
    }

    // The network at every wanted pixel, kChunk at a time: logits and pattern words per pixel.
    void evaluate_wanted() {
        const std::size_t inputs = net_.inputs();
        X_.resize(kChunk * inputs);
        for (std::size_t i0 = 0; i0 < wanted_.size(); i0 += kChunk) {
            const std::size_t n = std::min(kChunk, wanted_.size() - i0);
            for (std::size_t i = 0; i < n; ++i) inputs_.fill_double(wanted_[i0 + i], X_.data() + i * inputs);
            const double* z = net_.forward(X_.data(), n);  // (n, k)
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t p = wanted_[i0 + i];
                std::copy_n(z + i * k_, k_, logits_.data() + p * k_);
                std::uint64_t* words = pattern_.data() + p * words_;
                for (std::size_t l = 0; l < net_.hidden_layers(); ++l) {
                    const LayerShape& s = net_.layers()[l];
                    const std::size_t width = static_cast<std::size_t>(pattern_bits(s.activation));
                    const double* zl = net_.pre_activations(l) + i * s.out;
                    std::size_t bit = layer_bit_[l];
                    for (std::size_t u = 0; u < s.out && width > 0; ++u, bit += width)
                        words[bit / 64] |= static_cast<std::uint64_t>(unit_pattern(s.activation, zl[u])) << (bit % 64);
                }
                hash_[p] = prefix_hash(words);
                state_[p] = kEvaluated;
            }
        }
        evaluated_ += wanted_.size();
        wanted_.clear();
    }

    // The hash of the pattern's first hashed_bits_ bits (the first pattern_layers layers), the rest as 0:
    // cells still split on the whole pattern, which the interpolation needs.
    std::uint32_t prefix_hash(const std::uint64_t* words) {
        prefix_.assign(words, words + words_);
        const std::size_t full = hashed_bits_ / 64, rest = hashed_bits_ % 64;
        if (full < words_) {
            prefix_[full] &= rest == 0 ? 0 : ~std::uint64_t{0} >> (64 - rest);
            std::fill(prefix_.begin() + static_cast<std::ptrdiff_t>(full) + 1, prefix_.end(), std::uint64_t{0});
        }
        return pattern_hash(prefix_.data(), words_);
    }

    bool same_pattern(const Cell& cell) const {
        const auto q = corners(cell);
        const std::uint64_t* a = pattern_.data() + q[0] * words_;
        for (int i = 1; i < 4; ++i)
            if (!std::equal(a, a + words_, pattern_.data() + q[i] * words_)) return false;
        return true;
    }

    // The cell's pixels not yet known from its corners: bilinear in the pixel's position, exact for the
    // affine function the logits are on this cell (pixel centres are affine in (r, c), and so are x1, x2).
    void interpolate(const Cell& cell) {
        const auto q = corners(cell);
        const double dr = cell.r1 - cell.r0, dc = cell.c1 - cell.c0;
        for (int r = cell.r0; r <= cell.r1; ++r) {
            const double v = dr > 0 ? (r - cell.r0) / dr : 0.0;
            for (int c = cell.c0; c <= cell.c1; ++c) {
                const std::size_t p = at(r, c);
                if (state_[p] != kUnknown) continue;
                const double u = dc > 0 ? (c - cell.c0) / dc : 0.0;
                for (std::size_t o = 0; o < k_; ++o) {
                    const double top = (1.0 - u) * logits_[q[0] * k_ + o] + u * logits_[q[1] * k_ + o];
                    const double bottom = (1.0 - u) * logits_[q[2] * k_ + o] + u * logits_[q[3] * k_ + o];
                    logits_[p * k_ + o] = (1.0 - v) * top + v * bottom;
                }
                hash_[p] = hash_[q[0]];
                state_[p] = kInterpolated;
            }
        }
    }

    const GridInputs& inputs_;
    Network net_;
    std::size_t width_, height_, k_, words_ = 1;
    std::size_t hashed_bits_ = 0;          // bits of a pattern its hash covers
    std::vector<std::uint64_t> prefix_;    // (words) a pattern masked to hashed_bits_
    std::vector<std::size_t> layer_bit_;   // (hidden layers) where each layer's units start in a pattern
    std::vector<unsigned char> state_;     // (pixels)
    std::vector<double> logits_;           // (pixels, k)
    std::vector<std::uint64_t> pattern_;   // (pixels, words) for evaluated pixels
    std::vector<std::uint32_t> hash_;      // (pixels)
    std::vector<std::size_t> wanted_;      // pixels to evaluate at the next batch
    std::vector<double> X_;                // (chunk, inputs)
    std::size_t evaluated_ = 0;
};

// Patterns for every pixel of the adaptive path: bounded so a huge network on a 512 x 512 grid does not
// take hundreds of MiB (12 layers of 256 two-kink units are 96 words a pixel); such grids stay dense.
constexpr std::size_t kMaxPatternWords = std::size_t{1} << 22;

}  // namespace

void predict_grid_dense(Trainer& trainer, const GridSpec& grid, std::vector<float>& out,
                        std::vector<std::uint32_t>* patterns, std::size_t pattern_layers) {
    validate_grid(grid);
    const std::size_t k = trainer.outputs();
    const std::size_t width = static_cast<std::size_t>(grid.width), height = static_cast<std::size_t>(grid.height);
    out.resize(width * height * k);
    const GridInputs inputs(trainer, grid);
    GridForward net(trainer.network());
    const bool want_patterns = patterns != nullptr && net.piecewise_linear();
    if (patterns) patterns->assign(width * height, 0);
    std::vector<std::uint64_t> pat(want_patterns ? kGridBlock * net.pattern_words() : 0);  // (block, words)
    float X[kMaxInputs * kGridBlock];    // (inputs, block)
    float Y[kMaxClasses * kGridBlock];  // (k, block)
    std::size_t pixels[kGridBlock];
    // Blocks are 4 x 4 tiles of pixels (rows of 16 for a 1-D curve): a ReLU unit is more often 0 across a
    // compact tile than across a strip of the same size, which lets GridForward skip it.
    const std::size_t th = height == 1 ? 1 : 4, tw = kGridBlock / th;
    for (std::size_t r0 = 0; r0 < height; r0 += th)
        for (std::size_t c0 = 0; c0 < width; c0 += tw) {
            std::size_t n = 0;
            for (std::size_t r = r0; r < std::min(r0 + th, height); ++r)
                for (std::size_t c = c0; c < std::min(c0 + tw, width); ++c) pixels[n++] = r * width + c;
            for (std::size_t lane = n; lane < kGridBlock; ++lane) pixels[lane] = pixels[n - 1];
            inputs.fill_pixels(pixels, X);
            net.run(X, want_patterns ? pat.data() : nullptr, pattern_layers);
            std::copy_n(net.logits(), k * kGridBlock, Y);
            head_predict_f32(trainer.config().network.head, Y, k);
            for (std::size_t lane = 0; lane < n; ++lane) {
                for (std::size_t c = 0; c < k; ++c) out[pixels[lane] * k + c] = Y[c * kGridBlock + lane];
                if (want_patterns)
                    (*patterns)[pixels[lane]] = pattern_hash(pat.data() + lane * net.pattern_words(), net.pattern_words());
            }
        }
}

void predict_grid(Trainer& trainer, const GridSpec& grid, std::vector<float>& out, std::vector<std::uint32_t>* patterns,
                  GridStats* stats, GridPath path, std::size_t pattern_layers) {
    validate_grid(grid);
    const std::size_t k = trainer.outputs();
    const std::size_t pixels = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
    const GridInputs inputs(trainer, grid);
    const Network& network = trainer.network();
    bool piecewise_linear = true;
    std::size_t bits = 0;
    for (std::size_t l = 0; l < network.hidden_layers(); ++l) {
        piecewise_linear = piecewise_linear && is_piecewise_linear(network.layers()[l].activation);
        bits += 2 * network.layers()[l].out;
    }
    GridStats s{false, pixels, 0, 0};
    const bool applicable = piecewise_linear && inputs.linear() && pixels * (bits / 64 + 1) <= kMaxPatternWords;
    bool done = false;
    if (path == GridPath::adaptive && applicable) {
        AdaptiveGrid adaptive(inputs, network, grid, k, pattern_layers);
        done = adaptive.run(true);
        if (done) {
            out.resize(pixels * k);
            apply_head(trainer.config().network.head, adaptive.logits().data(), pixels, k, out.data());
            if (patterns) *patterns = adaptive.hashes();
            s = GridStats{true, adaptive.evaluated(), pixels - adaptive.evaluated(), 0};
        } else {
            s.evaluated += adaptive.evaluated();
        }
    }
    if (!done) predict_grid_dense(trainer, grid, out, patterns, pattern_layers);
    // The count comes from the pattern grid just filled: the view's number is the pixels' own.
    if (patterns && piecewise_linear) s.regions = count_regions(*patterns);
    if (stats) *stats = s;
}

void hidden_unit_grids(Trainer& trainer, const GridSpec& grid, std::vector<float>& out) {
    validate_grid(grid);
    const Network& network = trainer.network();
    const std::size_t pixels = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
    const std::size_t units = total_hidden_units(network);
    if (units * pixels > kMaxUnitGridValues)
        throw ConfigError("unit grids: " + std::to_string(units) + " hidden units x " + std::to_string(pixels) +
                          " pixels is more than " + std::to_string(kMaxUnitGridValues) +
                          " values (kMaxUnitGridValues); use a smaller grid");
    out.resize(units * pixels);
    const GridInputs inputs(trainer, grid);
    GridForward net(network);
    float X[kMaxInputs * kGridBlock];  // (inputs, block)
    for (std::size_t p0 = 0; p0 < pixels; p0 += kGridBlock) {
        const std::size_t n = std::min(kGridBlock, pixels - p0);
        inputs.fill(p0, n, X);
        net.run(X);
        std::size_t unit = 0;
        for (std::size_t l = 0; l < network.hidden_layers(); ++l)
            for (std::size_t u = 0; u < net.units(l); ++u, ++unit)
                std::copy_n(net.activations(l) + u * kGridBlock, n, out.data() + unit * pixels + p0);
    }
}

}  // namespace ap
