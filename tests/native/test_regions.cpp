// The linear-region view: the pattern hashes predict_grid fills in the same pass as the map, and the count
// of regions in view (regions.hpp). Counts are checked against geometry worked out by hand (lines in the
// plane), against the bound for n lines, at each activation's kinks, and with the first-k-layers limit.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "activation.hpp"
#include "grid.hpp"
#include "grid_check.hpp"
#include "regions.hpp"
#include "rng.hpp"
#include "trainer.hpp"

using namespace ap;

namespace {

using grid_check::config;
using grid_check::layer;

// A unit's line: z = wx x + wy y + b.
struct Line {
    double wx, wy, b;
};

// One hidden layer of the given activation whose unit j has z = lines[j]; the output's weights are 1.
Trainer lines_network(const std::vector<Line>& lines, Activation a = Activation::relu) {
    Trainer t(config(DatasetKind::circle, Head::sigmoid_bce, {layer(static_cast<int>(lines.size()), a)}));
    auto p = t.network().params();
    const LayerShape& h = t.network().layers()[0];
    for (std::size_t j = 0; j < lines.size(); ++j) {
        p[h.w + 0 * h.out + j] = lines[j].wx;
        p[h.w + 1 * h.out + j] = lines[j].wy;
        p[h.b + j] = lines[j].b;
    }
    return t;
}

// The regions in view by each path; both must agree, and the stats must be the hashes' own count.
std::size_t regions(Trainer& t, const GridSpec& g, GridPath path, std::size_t layers = kAllPatternLayers) {
    std::vector<float> out;
    std::vector<std::uint32_t> hashes;
    GridStats stats;
    predict_grid(t, g, out, &hashes, &stats, path, layers);
    REQUIRE(hashes.size() == static_cast<std::size_t>(g.width) * g.height);
    CHECK(stats.regions == count_regions(hashes));
    return stats.regions;
}

std::size_t line_bound(std::size_t n) { return 1 + n + n * (n - 1) / 2; }

}  // namespace

TEST_CASE("count_regions counts distinct hashes", "[regions]") {
    CHECK(count_regions(std::vector<std::uint32_t>{}) == 0);
    CHECK(count_regions(std::vector<std::uint32_t>{7, 7, 7}) == 1);
    CHECK(count_regions(std::vector<std::uint32_t>{3, 1, 3, 2, 1, 0}) == 4);
}

TEST_CASE("hand-set ReLU lines give the regions geometry says", "[regions]") {
    // Lines across the view [-6, 6]^2; none passes through a pixel centre (centres are at odd multiples of 0.06).
    struct Case {
        const char* name;
        std::vector<Line> lines;
        std::size_t regions;
    };
    const Case cases[] = {
        {"one line", {{1, 0, 0}}, 2},
        {"two lines crossing in view", {{1, 0, 0}, {0, 1, 0}}, 4},
        {"two lines crossing out of view", {{1, 0, 0}, {1, 0.01, -3}}, 3},  // they meet at y = 300
        {"three lines in general position", {{1, 0, 0}, {0, 1, 0}, {1, 1, -2}}, 7},
        {"three parallel lines", {{1, 0, 0}, {1, 0, -2}, {1, 0, 2}}, 4},
        {"three lines through one point", {{1, 0, 0}, {0, 1, 0}, {1, 1, 0}}, 6},
        {"a line out of view", {{1, 0, 0}, {0, 1, -10}}, 2},
        {"four lines in general position", {{1, 0, 0}, {0, 1, 0}, {1, 1, -2}, {1, -1, 3}}, 11},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        Trainer t = lines_network(c.lines);
        CHECK(regions(t, GridSpec{}, GridPath::dense) == c.regions);
        CHECK(regions(t, GridSpec{}, GridPath::adaptive) == c.regions);
    }
}

TEST_CASE("one layer of n ReLU units never cuts the plane into more than 1 + n + n(n-1)/2 regions", "[regions]") {
    // Random lines with offsets spread over the view, so most of them cross inside it; a fine grid, so thin
    // regions are seen too. The bound holds for any lines; reaching it needs every crossing in view.
    Rng rng(12);
    const GridSpec fine{400, 400, -6, 6, -6, 6};
    std::size_t reached = 0, nets = 0;
    for (std::size_t n = 1; n <= 8; ++n)
        for (int trial = 0; trial < 4; ++trial) {
            std::vector<Line> lines;
            for (std::size_t j = 0; j < n; ++j) lines.push_back({rng.normal(), rng.normal(), rng.uniform(-3, 3)});
            Trainer t = lines_network(lines);
            const std::size_t count = regions(t, fine, GridPath::dense);
            INFO("n = " << n << ", trial " << trial << ": " << count << " regions");
            CHECK(count >= 1);
            CHECK(count <= line_bound(n));
            reached += count == line_bound(n);
            ++nets;
        }
    INFO(reached << " of " << nets << " networks reach the bound");
    CHECK(reached > nets / 4);
}

TEST_CASE("every piecewise-linear activation's pattern changes exactly at its kinks", "[regions]") {
    // z = x on a row of pixels over [-8, 8]: centres at -7.95, -7.85, ..., so every kink (0, +-1, +-3, 6)
    // lies between two centres, and the hash must change there and nowhere else.
    const GridSpec row{160, 1, -8, 8, -1, 1};
    const Activation kinds[] = {Activation::relu,     Activation::leaky_relu, Activation::prelu,
                                Activation::relu6,    Activation::hard_tanh,  Activation::hard_sigmoid,
                                Activation::identity, Activation::binary_step};
    for (Activation a : kinds) {
        INFO(activation_name(a));
        Trainer t = lines_network({{1, 0, 0}}, a);
        for (GridPath path : {GridPath::dense, GridPath::adaptive}) {
            std::vector<float> out;
            std::vector<std::uint32_t> hashes;
            predict_grid(t, row, out, &hashes, nullptr, path);
            std::vector<double> changes;  // x halfway between the centres where the hash changes
            for (int c = 1; c < row.width; ++c)
                if (hashes[c] != hashes[c - 1]) changes.push_back(-8 + 0.1 * c);
            const std::vector<double> want = kinks(a, default_params(a));
            REQUIRE(changes.size() == want.size());
            for (std::size_t i = 0; i < want.size(); ++i) CHECK(changes[i] == Approx(want[i]).margin(1e-9));
        }
    }
}

TEST_CASE("two-kink units: a pattern names the linear piece, not only on or off", "[regions]") {
    // relu6 with z = x on [-8, 8]: three pieces (0, x, 6), so three regions; a 1-bit on/off code would merge
    // the flat top with the ramp.
    Trainer t = lines_network({{1, 0, 0}}, Activation::relu6);
    CHECK(regions(t, GridSpec{160, 1, -8, 8, -1, 1}, GridPath::dense) == 3);
}

TEST_CASE("the first k layers: the regions those layers alone cut", "[regions]") {
    // Layer 1: a = relu(x), b = relu(y) (lines x = 0, y = 0: 4 quadrants). Layer 2: relu(a + b - 1), whose
    // kink is x + y = 1 in the first quadrant, x = 1 in the fourth, y = 1 in the second and nowhere in the
    // third: it cuts three quadrants in two, 7 regions in all.
    Trainer t(config(DatasetKind::circle, Head::sigmoid_bce, {layer(2, Activation::relu), layer(1, Activation::relu)}));
    auto p = t.network().params();
    const LayerShape& h1 = t.network().layers()[0];
    const LayerShape& h2 = t.network().layers()[1];
    p[h1.w + 0 * h1.out + 0] = 1;
    p[h1.w + 1 * h1.out + 0] = 0;
    p[h1.w + 0 * h1.out + 1] = 0;
    p[h1.w + 1 * h1.out + 1] = 1;
    p[h1.b + 0] = 0;
    p[h1.b + 1] = 0;
    p[h2.w + 0] = 1;
    p[h2.w + 1] = 1;
    p[h2.b] = -1;
    for (GridPath path : {GridPath::dense, GridPath::adaptive}) {
        CHECK(regions(t, GridSpec{}, path, 0) == 1);
        CHECK(regions(t, GridSpec{}, path, 1) == 4);
        CHECK(regions(t, GridSpec{}, path, 2) == 7);
        CHECK(regions(t, GridSpec{}, path) == 7);
    }
}

TEST_CASE("smooth networks have no regions to count", "[regions]") {
    for (Activation a : {Activation::tanh, Activation::sigmoid, Activation::elu, Activation::gelu_tanh}) {
        INFO(activation_name(a));
        Trainer t(config(DatasetKind::circle, Head::sigmoid_bce, {layer(4, a)}));
        std::vector<float> out;
        std::vector<std::uint32_t> hashes;
        GridStats stats;
        predict_grid(t, GridSpec{}, out, &hashes, &stats);
        CHECK(stats.regions == 0);
        CHECK(count_regions(hashes) == 1);  // every pixel 0: the page shows no regions, not one
    }
}

TEST_CASE("a trained network's regions, as the wasm module must count them too", "[regions]") {
    // tests/wasm/regions.test.mjs builds the same config (grid_check::config: seed 5, circle of 200 points,
    // Adam at 0.01, biases 0.1) and asserts these counts: training is bit-identical native and wasm, and so
    // is the float map's pass.
    Trainer t(config(DatasetKind::circle, Head::sigmoid_bce, {layer(8, Activation::relu), layer(8, Activation::relu)}));
    t.train_steps(300);
    const std::size_t all = regions(t, GridSpec{}, GridPath::dense);
    const std::size_t first = regions(t, GridSpec{}, GridPath::dense, 1);
    INFO(all << " regions, " << first << " from layer 1");
    CHECK(first <= line_bound(8));
    CHECK(all > first);
    CHECK(all == 101);
    CHECK(first == 33);
}
