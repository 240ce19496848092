// Diagnostics on constructed cases: a unit killed by its bias, a layer saturated by huge weights, gradients
// that vanish through ten sigmoid layers, and the full-set gradient against independent computations.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

#include "diagnostics.hpp"
#include "error.hpp"
#include "features.hpp"

using namespace ap;

namespace {

ExperimentConfig config_with(std::vector<LayerConfig> hidden, std::uint64_t seed = 7) {
    ExperimentConfig c;
    c.seed = seed;
    c.data.kind = DatasetKind::circle;
    c.data.num_points = 400;
    c.network.hidden = std::move(hidden);
    c.network.head = Head::sigmoid_bce;
    return c;
}

LayerConfig layer(int units, Activation a) { return {units, a, default_params(a)}; }

// Every layer's Z over the training set, forwarded here in one batch, independently of the chunked passes.
std::vector<std::vector<double>> all_pre_activations(Trainer& t) {
    const auto& train = t.data().train;
    Network& net = t.network();
    std::vector<double> X(train.size() * net.inputs());
    map_features(t.config().network.features, train.data(), train.size(), X.data());
    net.forward(X.data(), train.size());
    std::vector<std::vector<double>> zs;
    for (std::size_t l = 0; l < net.layers().size(); ++l) {
        const double* z = net.pre_activations(l);
        zs.emplace_back(z, z + train.size() * net.layers()[l].out);
    }
    return zs;
}

double weight_grad_norm(const Network& net, std::span<const double> g, std::size_t l) {
    const LayerShape& s = net.layers()[l];
    double sq = 0;
    for (std::size_t i = s.w; i < s.w + s.in * s.out; ++i) sq += g[i] * g[i];
    return std::sqrt(sq);
}

bool same_bits(std::span<const double> a, std::span<const double> b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("a unit with a large negative bias is dead, and only that one", "[diagnostics]") {
    Trainer t(config_with({layer(8, Activation::relu), layer(4, Activation::relu)}));
    const LayerShape& s = t.network().layers()[0];
    // Inputs lie in [-6, 6]^2 and Glorot weights of an 8-unit layer are below 1 in size, so unit 3's
    // pre-activation is at most -1000 + 2 * 6 * 1 = -988 on every point.
    t.network().params()[s.b + 3] = -1000.0;

    const Diagnostics d = compute_diagnostics(t);
    REQUIRE(d.layers.size() == 3);
    const LayerDiagnostics& l0 = d.layers[0];
    CHECK(l0.units == 8);
    CHECK(l0.dead_units == 1);
    for (std::size_t j = 0; j < 8; ++j) CHECK(l0.dead[j] == (j == 3 ? 1 : 0));
    CHECK(l0.sparsity >= 1.0 / 8.0);
    CHECK(l0.saturated_units == 0);  // relu is not a saturating activation
    // Nothing flows through a dead unit: its outgoing weights get no gradient from the data (no
    // regularisation here), so its column of the next layer's dW is exactly zero.
    const LayerShape& s1 = t.network().layers()[1];
    const auto g = t.network().grads();
    for (std::size_t j = 0; j < s1.out; ++j) CHECK(g[s1.w + 3 * s1.out + j] == 0.0);
    // The output layer is the identity: never dead, never saturated.
    CHECK(d.layers[2].dead_units == 0);
    CHECK(d.layers[2].saturated_units == 0);
}

TEST_CASE("bias -1000 kills no unit of a non-relu-family layer", "[diagnostics]") {
    // PReLU still passes alpha * z, and tanh is saturating rather than dead: at z <= -988, tanh' =
    // 1 - tanh^2 underflows to 0, below 0.01 on every point.
    Trainer prelu(config_with({layer(4, Activation::prelu)}));
    prelu.network().params()[prelu.network().layers()[0].b + 1] = -1000.0;
    const Diagnostics dp = compute_diagnostics(prelu);
    CHECK(dp.layers[0].dead_units == 0);
    CHECK(dp.layers[0].saturated_units == 0);

    Trainer tanh(config_with({layer(4, Activation::tanh)}));
    tanh.network().params()[tanh.network().layers()[0].b + 1] = -1000.0;
    const Diagnostics dt = compute_diagnostics(tanh);
    CHECK(dt.layers[0].dead_units == 0);
    CHECK(dt.layers[0].saturated_units == 1);
    CHECK(dt.layers[0].saturated == std::vector<std::uint8_t>{0, 1, 0, 0});
}

TEST_CASE("a sigmoid layer with huge weights is saturated", "[diagnostics]") {
    Trainer t(config_with({layer(4, Activation::sigmoid)}));
    const Diagnostics before = compute_diagnostics(t);
    // Glorot weights (|w| <= 1 for fan-in 2, fan-out 4) keep most |z| small: sigmoid' = 0.25 at 0.
    CHECK(before.layers[0].saturated_units == 0);

    const LayerShape& s = t.network().layers()[0];
    auto p = t.network().params();
    for (std::size_t i = s.w; i < s.w + s.in * s.out; ++i) p[i] *= 1000.0;
    // sigmoid'(z) < 0.01 once |z| > 4.6, so a unit stays unsaturated only on the points with
    // |w . x| < 0.0046: a strip too thin to hold 5% of the points.
    const Diagnostics after = compute_diagnostics(t);
    CHECK(after.layers[0].saturated_units == 4);
    CHECK(after.layers[0].saturated == std::vector<std::uint8_t>{1, 1, 1, 1});
    CHECK(after.layers[0].dead_units == 0);
    CHECK(after.layers[0].weight_norm == Approx(1000.0 * before.layers[0].weight_norm).epsilon(1e-12));
}

TEST_CASE("gradients vanish through ten sigmoid layers but not through ten relu layers", "[diagnostics]") {
    auto deep = [](Activation a) {
        std::vector<LayerConfig> hidden(10, layer(8, a));
        ExperimentConfig c = config_with(hidden, 3);
        c.network.init.scheme = InitScheme::he_normal;
        return c;
    };
    Trainer sigmoid(deep(Activation::sigmoid));
    Trainer relu(deep(Activation::relu));
    const double g_sigmoid = compute_diagnostics(sigmoid).layers[0].grad_norm;
    const double g_relu = compute_diagnostics(relu).layers[0].grad_norm;
    INFO("first-layer grad norm: sigmoid " << g_sigmoid << ", relu " << g_relu << ", ratio "
                                           << g_relu / g_sigmoid);
    // sigmoid' <= 1/4 at every layer: ten layers scale the backward signal by at most 4^-10 ~ 1e-6 times
    // the weights' gains, while relu' is 1 on the active half.
    CHECK(g_sigmoid > 0.0);
    CHECK(g_relu > 100.0 * g_sigmoid);
}

TEST_CASE("tanh outputs are almost never exactly zero, relu outputs often are", "[diagnostics]") {
    Trainer tanh(config_with({layer(8, Activation::tanh)}));
    Trainer relu(config_with({layer(8, Activation::relu)}));
    const double s_tanh = compute_diagnostics(tanh).layers[0].sparsity;
    const double s_relu = compute_diagnostics(relu).layers[0].sparsity;
    INFO("sparsity: tanh " << s_tanh << ", relu " << s_relu);
    CHECK(s_tanh < 1e-3);
    // With zero biases each relu unit is zero on the half-plane w . x <= 0: about half the points of
    // data spread around the origin.
    CHECK(s_relu > 0.25);
    CHECK(s_relu < 0.75);
}

TEST_CASE("histograms hold every pre-activation within their bounds", "[diagnostics]") {
    ExperimentConfig c = config_with({layer(6, Activation::relu), layer(3, Activation::tanh)});
    c.data.num_points = 1000;  // 500 training points: two chunks
    Trainer t(c);
    t.train_steps(30);
    const std::size_t bins = GENERATE(1, 7, 40);
    const Diagnostics d = compute_diagnostics(t, bins);
    const auto zs = all_pre_activations(t);
    const std::size_t n = t.data().train.size();
    for (std::size_t l = 0; l < d.layers.size(); ++l) {
        const Histogram& h = d.layers[l].pre_activations;
        REQUIRE(h.counts.size() == bins);
        const auto total = std::accumulate(h.counts.begin(), h.counts.end(), std::uint64_t{0});
        CHECK(total == n * d.layers[l].units);
        const auto [lo, hi] = std::minmax_element(zs[l].begin(), zs[l].end());
        CHECK(h.lo == *lo);
        CHECK(h.hi == *hi);
    }
}

TEST_CASE("histogram bins count the values that fall in them", "[diagnostics]") {
    // 1-D data and one unit with w = 1, b = 0: the unit's Z is the point's x itself, so the expected counts
    // come straight from the data.
    ExperimentConfig c;
    c.seed = 11;
    c.data.kind = DatasetKind::sine;
    c.data.num_points = 300;
    c.network.hidden = {layer(1, Activation::relu)};
    c.network.head = Head::linear_mse;
    Trainer t(c);
    const LayerShape& s = t.network().layers()[0];
    t.network().params()[s.w] = 1.0;
    t.network().params()[s.b] = 0.0;

    const std::size_t bins = 5;
    const Diagnostics d = compute_diagnostics(t, bins);
    const Histogram& h = d.layers[0].pre_activations;
    std::vector<double> xs;
    for (const Point& p : t.data().train) xs.push_back(p.x1);
    const auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
    REQUIRE(h.lo == *lo);
    REQUIRE(h.hi == *hi);
    const double width = (h.hi - h.lo) / bins;
    std::vector<std::uint32_t> expected(bins, 0);
    for (double x : xs) {
        std::size_t k = 0;
        while (k + 1 < bins && x >= h.lo + static_cast<double>(k + 1) * width) ++k;
        ++expected[k];
    }
    CHECK(h.counts == expected);
    // relu zeroes the points with x <= 0: the sparsity is their share.
    const double nonpositive = static_cast<double>(std::count_if(xs.begin(), xs.end(), [](double x) { return x <= 0; }));
    CHECK(d.layers[0].sparsity == Approx(nonpositive / static_cast<double>(xs.size())).epsilon(1e-12));
}

TEST_CASE("a constant pre-activation gets a range of +-1 around it", "[diagnostics]") {
    ExperimentConfig c = config_with({layer(3, Activation::tanh)});
    c.network.init.scheme = InitScheme::zeros;
    Trainer t(c);
    // Zero weights and biases: every Z of every layer is exactly 0, so each range is [-1, 1] and, with 4 bins
    // of width 0.5, 0 lands at the start of bin 2.
    const Diagnostics d = compute_diagnostics(t, 4);
    const std::size_t n = t.data().train.size();
    for (const auto& ld : d.layers) {
        CHECK(ld.pre_activations.lo == -1.0);
        CHECK(ld.pre_activations.hi == 1.0);
        CHECK(ld.pre_activations.counts == std::vector<std::uint32_t>{0, 0, static_cast<std::uint32_t>(n * ld.units), 0});
        CHECK(ld.weight_norm == 0.0);
    }
    // tanh(0) = 0: every output is exactly zero, yet tanh units are never "dead".
    CHECK(d.layers[0].sparsity == 1.0);
    CHECK(d.layers[0].dead_units == 0);
}

TEST_CASE("grad_norm is the norm of the full-training-set gradient of the objective", "[diagnostics]") {
    const Regularization reg = GENERATE(Regularization::none, Regularization::l1, Regularization::l2);
    ExperimentConfig c = config_with({layer(5, Activation::tanh), layer(4, Activation::elu)});
    c.data.num_points = 1000;
    c.data.test_fraction = 0.3;  // 700 training points: chunks of 256, 256 and 188
    c.training.regularization = reg;
    c.training.regularization_rate = reg == Regularization::none ? 0.0 : 0.01;
    Trainer t(c);
    t.train_steps(20);
    const Diagnostics d = compute_diagnostics(t);
    const std::vector<double> left(t.network().grads().begin(), t.network().grads().end());

    // Reference: one call over the whole set (the trainer grows its buffers to fit).
    const auto& train = t.data().train;
    REQUIRE(train.size() == 700);
    t.compute_gradients(train.data(), train.size());
    const auto g = t.network().grads();
    const Network& net = t.network();
    for (std::size_t l = 0; l < net.layers().size(); ++l) {
        const LayerShape& s = net.layers()[l];
        double abs_sum = 0, w_sq = 0;
        for (std::size_t i = s.w; i < s.w + s.in * s.out; ++i) {
            abs_sum += std::fabs(g[i]);
            w_sq += net.params()[i] * net.params()[i];
        }
        CHECK(d.layers[l].grad_norm == Approx(weight_grad_norm(net, g, l)).epsilon(1e-12));
        CHECK(d.layers[l].grad_mean_abs == Approx(abs_sum / static_cast<double>(s.in * s.out)).epsilon(1e-12));
        CHECK(d.layers[l].weight_norm == Approx(std::sqrt(w_sq)).epsilon(1e-14));
    }
    // The full-set gradient is what compute_diagnostics leaves in grads().
    for (std::size_t i = 0; i < g.size(); ++i) CHECK(left[i] == Approx(g[i]).epsilon(1e-10).margin(1e-15));

    // And against central differences of the objective on a few weights of the first and last layers
    // (away from L1's kink at 0).
    auto p = t.network().params();
    for (std::size_t l : {std::size_t{0}, net.layers().size() - 1}) {
        const LayerShape& s = net.layers()[l];
        for (std::size_t i : {s.w, s.w + s.in * s.out - 1}) {
            const double saved = p[i];
            const double h = 1e-5;
            p[i] = saved + h;
            const double up = t.objective(train.data(), train.size());
            p[i] = saved - h;
            const double down = t.objective(train.data(), train.size());
            p[i] = saved;
            const double numeric = (up - down) / (2 * h);
            INFO("layer " << l << " param " << i << ": analytic " << left[i] << ", numeric " << numeric);
            CHECK(std::fabs(left[i] - numeric) <= 1e-6 * std::max(1e-3, std::fabs(numeric)));
        }
    }
}

TEST_CASE("diagnostics change neither the parameters nor the course of training", "[diagnostics]") {
    ExperimentConfig c = config_with({layer(6, Activation::relu), layer(4, Activation::sigmoid)});
    c.training.optimizer = OptimizerKind::adam;
    c.training.learning_rate = 0.01;
    c.training.regularization = Regularization::l2;
    c.training.regularization_rate = 0.001;
    Trainer with(c), without(c);
    with.train_steps(37);
    without.train_steps(37);

    const std::vector<double> params(with.network().params().begin(), with.network().params().end());
    const std::vector<double> m = with.optimizer().first_moment(), v = with.optimizer().second_moment();
    const auto step = with.step(), epoch = with.epoch(), opt_steps = with.optimizer().steps();
    const auto cursor = with.cursor();
    const double last = with.last_loss();

    const Diagnostics d = compute_diagnostics(with);
    CHECK(d.step == 37);
    const Metrics reference = without.evaluate();
    CHECK(d.metrics.train_loss == reference.train_loss);
    CHECK(d.metrics.test_accuracy == reference.test_accuracy);

    CHECK(same_bits(with.network().params(), params));
    CHECK(same_bits(with.optimizer().first_moment(), m));
    CHECK(same_bits(with.optimizer().second_moment(), v));
    CHECK(with.step() == step);
    CHECK(with.epoch() == epoch);
    CHECK(with.cursor() == cursor);
    CHECK(with.optimizer().steps() == opt_steps);
    const double last_after = with.last_loss();
    CHECK(std::memcmp(&last, &last_after, sizeof last) == 0);

    for (int i = 0; i < 60; ++i) {
        if (i % 20 == 0) compute_diagnostics(with);
        REQUIRE(with.train_steps(1) == 1);
        REQUIRE(without.train_steps(1) == 1);
        const double a = with.last_loss(), b = without.last_loss();
        REQUIRE(std::memcmp(&a, &b, sizeof a) == 0);
    }
    CHECK(same_bits(with.network().params(), without.network().params()));
}

TEST_CASE("histogram_bins is validated", "[diagnostics]") {
    Trainer t(config_with({layer(2, Activation::relu)}));
    CHECK_THROWS_AS(compute_diagnostics(t, 0), ConfigError);
    CHECK_THROWS_WITH(compute_diagnostics(t, 0), Catch::Contains("histogram_bins"));
    CHECK_NOTHROW(compute_diagnostics(t, 1));
}

TEST_CASE("pre-activations exactly at ReLU's kink are counted: all of them when every weight and bias is 0",
          "[diagnostics]") {
    ap::ExperimentConfig c;
    c.data.kind = ap::DatasetKind::circle;
    c.data.num_points = 40;
    c.network.hidden = {{3, ap::Activation::relu, ap::default_params(ap::Activation::relu)}};
    c.network.init.scheme = ap::InitScheme::zeros;  // z = 0 x + 0 = 0 exactly for every point and unit
    ap::Trainer zeros(c);
    const auto d = ap::compute_diagnostics(zeros);
    CHECK(d.layers[0].zero_pre_activations == zeros.data().train.size() * 3);

    c.network.init.scheme = ap::InitScheme::he_normal;  // random weights: z == 0 exactly almost never
    ap::Trainer random(c);
    CHECK(ap::compute_diagnostics(random).layers[0].zero_pre_activations == 0);
}

TEST_CASE("saturated means flat on at least 95% of the training points, counted exactly", "[diagnostics]") {
    // One hard_tanh unit with z = a x1 + b, placed so that exactly k training points land inside (-1, 1)
    // (slope 1) and the rest outside (slope 0, flat): the k with the smallest x1. With n points, k = n / 20
    // is flat on exactly 95% (saturated), k = n / 20 + 1 on less (not), and k = n / 2 on half (not).
    ExperimentConfig c;
    c.seed = 3;
    c.data.kind = DatasetKind::circle;
    c.data.num_points = 400;
    c.data.test_fraction = 0.5;
    c.network.features = {Feature::x1, Feature::x2};
    c.network.hidden = {{1, Activation::hard_tanh, default_params(Activation::hard_tanh)}};
    Trainer t(c);
    const auto& train = t.data().train;
    const std::size_t n = train.size();
    REQUIRE(n % 20 == 0);
    std::vector<double> x1;
    for (const Point& p : train) x1.push_back(p.x1);
    std::sort(x1.begin(), x1.end());
    REQUIRE(std::adjacent_find(x1.begin(), x1.end()) == x1.end());  // distinct, so every k is reachable

    auto saturated_with_inside = [&](std::size_t k) {
        const double lo = x1[0] - 1.0, hi = 0.5 * (x1[k - 1] + x1[k]);
        const double a = 2.0 / (hi - lo), b = -1.0 - a * lo;  // z(lo) = -1, z(hi) = 1
        const LayerShape& s = t.network().layers()[0];
        auto p = t.network().params();
        p[s.w] = a;       // from x1
        p[s.w + 1] = 0.0; // from x2
        p[s.b] = b;
        const Diagnostics d = compute_diagnostics(t);
        return d.layers[0].saturated_units;
    };
    CHECK(saturated_with_inside(n / 20) == 1);      // flat on 95% exactly: saturated
    CHECK(saturated_with_inside(n / 20 + 1) == 0);  // flat on 95% minus one point: not
    CHECK(saturated_with_inside(n / 2) == 0);       // flat on half: not
    CHECK(saturated_with_inside(1) == 1);
}
