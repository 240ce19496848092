// The network: its arena layout, a forward and backward pass worked out by hand, and a whole-network
// gradient check by central differences on every parameter, for every activation, head, regularisation
// and three architectures (no hidden layer, [5, 3], six layers of 4).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "error.hpp"
#include "features.hpp"
#include "gradcheck.hpp"
#include "loss.hpp"
#include "network.hpp"
#include "trainer.hpp"

using namespace ap;

namespace {

LayerConfig layer(int units, Activation a) { return {units, a, default_params(a)}; }

Network make_net(std::vector<LayerConfig> hidden, std::size_t inputs, std::size_t outputs) {
    NetworkConfig c;
    c.hidden = std::move(hidden);
    Rng rng(3);
    return Network(c, inputs, outputs, rng);
}

// ---- Whole-network gradient check ----

struct HeadCase {
    const char* name;
    DatasetKind data;
    Head head;
    int classes = 4;  // blobs only
};

const std::vector<std::vector<int>> kArchitectures{{}, {5, 3}, {4, 4, 4, 4, 4, 4}};

// A pre-activation closer than this to a kink is not used: the largest change a step of 1e-6 makes to any
// pre-activation here is ~1e-5 (weights and inputs are O(1)..O(10)), and the check below asserts that no
// perturbation moves any pre-activation across a kink anyway.
constexpr double kKinkMargin = 1e-3;
// L1's |w| has a kink at 0: weights are moved at least this far from it (far more than the FD step).
constexpr double kL1Floor = 0.05;
constexpr double kRegularizationRate = 0.05;
constexpr std::size_t kCheckPoints = 8;

// Which side of each kink every hidden pre-activation of the last forward lies on.
struct KinkGuard {
    std::vector<std::vector<double>> kinks;  // per hidden layer

    explicit KinkGuard(const Network& net) {
        for (std::size_t l = 0; l < net.hidden_layers(); ++l)
            kinks.push_back(ap::kinks(net.layers()[l].activation, net.layers()[l].params));
    }

    double margin(const Network& net) const {
        double m = INFINITY;
        for (std::size_t l = 0; l < kinks.size(); ++l) {
            const double* z = net.pre_activations(l);
            for (std::size_t i = 0; i < net.batch() * net.layers()[l].out; ++i)
                for (double k : kinks[l]) m = std::min(m, std::fabs(z[i] - k));
        }
        return m;
    }

    std::vector<bool> sides(const Network& net) const {
        std::vector<bool> s;
        for (std::size_t l = 0; l < kinks.size(); ++l) {
            const double* z = net.pre_activations(l);
            for (std::size_t i = 0; i < net.batch() * net.layers()[l].out; ++i)
                for (double k : kinks[l]) s.push_back(z[i] > k);
        }
        return s;
    }
};

ExperimentConfig gradcheck_config(const HeadCase& hc, const std::vector<int>& arch, Activation act,
                                  Regularization reg) {
    ExperimentConfig c;
    c.seed = 11;
    c.data.kind = hc.data;
    c.data.classes = hc.classes;
    c.data.num_points = 100;
    c.data.noise = 0.1;
    c.network.head = hc.head;
    ActivationParams p = default_params(act);
    // Slopes and saturation values away from 1 make the kinks at 0 real kinks (and PReLU's alpha
    // gradient a visible one).
    if (act == Activation::leaky_relu || act == Activation::prelu) p.alpha = 0.2;
    if (act == Activation::elu) p.alpha = 0.5;
    c.network.hidden.clear();
    for (int units : arch) c.network.hidden.push_back({units, act, p});
    // A small positive bias keeps a layer fed only by steps (all 0) off binary_step's jump at exactly 0.
    c.network.init.bias = 0.1;
    c.training.regularization = reg;
    c.training.regularization_rate = reg == Regularization::none ? 0.0 : kRegularizationRate;
    return c;
}

struct GradcheckResult {
    double worst_error = 0;     // the largest grad_error over every parameter
    double largest_gradient = 0;
    std::size_t parameters = 0, points = 0, kink_crossings = 0;
    std::size_t nonzero_before_step = 0;  // binary_step: gradients upstream of a step that are not exactly 0
};

GradcheckResult run_gradcheck(const ExperimentConfig& c) {
    Trainer t(c);
    Network& net = t.network();
    const auto params = net.params();
    if (c.training.regularization == Regularization::l1)
        for (const LayerShape& s : net.layers())
            for (std::size_t i = s.w; i < s.w + s.in * s.out; ++i)
                if (std::fabs(params[i]) < kL1Floor) params[i] = params[i] < 0 ? -kL1Floor : kL1Floor;

    const KinkGuard guard(net);
    std::vector<Point> pts;
    for (const Point& p : t.data().train) {
        t.objective(&p, 1);
        if (guard.margin(net) > kKinkMargin) pts.push_back(p);
        if (pts.size() == kCheckPoints) break;
    }
    GradcheckResult r;
    r.points = pts.size();
    if (pts.size() < kCheckPoints / 2) return r;
    const std::size_t n = pts.size();

    const double value = t.compute_gradients(pts.data(), n);
    const std::vector<double> g(net.grads().begin(), net.grads().end());
    const double objective = t.objective(pts.data(), n);
    const std::vector<bool> base = guard.sides(net);
    CHECK(value == Approx(objective).epsilon(1e-12));

    // Parameters upstream of the last hidden layer's activation: everything but the output layer.
    const std::size_t output_start = net.layers().back().w;
    const bool step_net = net.hidden_layers() > 0 && net.layers()[0].activation == Activation::binary_step;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const double fd = test::central_difference(&params[i], [&] {
            const double v = t.objective(pts.data(), n);
            if (guard.sides(net) != base) ++r.kink_crossings;
            return v;
        });
        r.worst_error = std::max(r.worst_error, test::grad_error(g[i], fd));
        r.largest_gradient = std::max(r.largest_gradient, std::fabs(g[i]));
        // No gradient flows through a step, and a small nudge upstream of it changes no output at all: both
        // the backward pass and the finite difference must be exactly 0 (the penalty's share aside).
        if (step_net && i < output_start && c.training.regularization == Regularization::none && (g[i] != 0.0 || fd != 0.0))
            ++r.nonzero_before_step;
    }
    r.parameters = params.size();
    return r;
}

void gradcheck_head(const HeadCase& hc) {
    double worst = 0;
    for (Activation act : all_activations())
        for (const auto& arch : kArchitectures)
            for (Regularization reg : {Regularization::none, Regularization::l1, Regularization::l2}) {
                const ExperimentConfig c = gradcheck_config(hc, arch, act, reg);
                std::string shape = "[";
                for (int u : arch) shape += (shape.size() > 1 ? "," : "") + std::to_string(u);
                shape += "]";
                INFO(hc.name << ", " << activation_name(act) << " " << shape << ", regularization "
                             << regularization_name(reg));
                const GradcheckResult r = run_gradcheck(c);
                INFO("points " << r.points << ", worst error " << r.worst_error);
                REQUIRE(r.points >= kCheckPoints / 2);
                CHECK(r.kink_crossings == 0);
                CHECK(r.worst_error <= test::kGradTolerance);
                CHECK(r.nonzero_before_step == 0);
                // Not a vacuous check: the output layer always gets a gradient of the loss's order.
                CHECK(r.largest_gradient > 1e-4);
                worst = std::max(worst, r.worst_error);
            }
    // Reported with -s: the worst relative error over this head's 162 checks.
    CHECK(worst <= test::kGradTolerance);
}

bool same_bits(const double* a, const double* b, std::size_t n) { return std::memcmp(a, b, n * sizeof(double)) == 0; }

}  // namespace

TEST_CASE("arena layout: W (in, out), then b, then PReLU slopes, layer by layer", "[network]") {
    Network net = make_net({{3, Activation::prelu, {0.3, 1.0, 0.0}}, layer(2, Activation::relu)}, 2, 1);
    // layer 0: W 2x3 at 0, b at 6, alpha at 9; layer 1: W 3x2 at 12, b at 18; output: W 2x1 at 20, b at 22.
    const auto& L = net.layers();
    REQUIRE(L.size() == 3);
    CHECK(net.hidden_layers() == 2);
    CHECK((L[0].w == 0 && L[0].b == 6 && L[0].has_alpha && L[0].alpha == 9));
    CHECK((L[1].w == 12 && L[1].b == 18 && !L[1].has_alpha));
    CHECK((L[2].w == 20 && L[2].b == 22 && L[2].in == 2 && L[2].out == 1));
    CHECK(L[2].activation == Activation::identity);
    CHECK(net.params().size() == 23);
    CHECK(net.grads().size() == 23);
    // PReLU's learned slopes start at the configured alpha.
    for (std::size_t j = 0; j < 3; ++j) CHECK(net.params()[9 + j] == 0.3);
    CHECK(net.inputs() == 2);
    CHECK(net.outputs() == 1);
}

TEST_CASE("forward and backward by hand: 2 -> 2 relu -> 1", "[network]") {
    Network net = make_net({layer(2, Activation::relu)}, 2, 1);
    auto p = net.params();
    // W1 (2, 2) = [[1, -1], [2, 0.5]], b1 = [0.5, -1]; W2 (2, 1) = [2, 3], b2 = 0.25
    const std::vector<double> values{1, -1, 2, 0.5, 0.5, -1, 2, 3, 0.25};
    REQUIRE(p.size() == values.size());
    std::copy(values.begin(), values.end(), p.begin());

    // x = [1, 2]:  z1 = [0.5 + 1 + 4, -1 - 1 + 1] = [5.5, -1]; a1 = [5.5, 0]; z2 = 0.25 + 11 = 11.25
    // x = [-1, 0]: z1 = [0.5 - 1, -1 + 1] = [-0.5, 0]; a1 = [0, 0] (relu(0) = 0); z2 = 0.25
    const std::vector<double> X{1, 2, -1, 0};
    const double* logits = net.forward(X.data(), 2);
    CHECK(logits[0] == 11.25);
    CHECK(logits[1] == 0.25);
    const double* z1 = net.pre_activations(0);
    CHECK((z1[0] == 5.5 && z1[1] == -1 && z1[2] == -0.5 && z1[3] == 0));
    CHECK(net.activations(0)[1] == 0.0);

    // dlogits = [1, 0.5]:
    //   dW2 = a1^T dlogits = [5.5 * 1 + 0, 0] = [5.5, 0]; db2 = 1.5
    //   da1 = dlogits W2^T = [[2, 3], [1, 1.5]]; dz1 = da1 * relu'(z1) = [[2, 0], [0, 0]]
    //     (relu'(0) = 0 for the second point's second unit)
    //   dW1 = X^T dz1 = [[1 * 2, 0], [2 * 2, 0]] = [2, 0, 4, 0]; db1 = [2, 0]
    const std::vector<double> dlogits{1.0, 0.5};
    net.backward(X.data(), dlogits.data());
    const std::vector<double> want{2, 0, 4, 0, 2, 0, 5.5, 0, 1.5};
    const auto g = net.grads();
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("parameter " << i);
        CHECK(g[i] == want[i]);
    }
    // backward overwrites the gradient: a second call gives the same, not twice it.
    net.backward(X.data(), dlogits.data());
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(net.grads()[i] == want[i]);
}

TEST_CASE("PReLU by hand: the slope is learned per unit", "[network]") {
    Network net = make_net({{1, Activation::prelu, {0.25, 1.0, 0.0}}}, 1, 1);
    auto p = net.params();
    // W1 = [2], b1 = 0, alpha = 0.25; W2 = [3], b2 = 1
    REQUIRE(p.size() == 5);
    p[0] = 2; p[1] = 0; p[2] = 0.25; p[3] = 3; p[4] = 1;
    // x = -1: z = -2, a = 0.25 * -2 = -0.5, logit = 1 + 3 * -0.5 = -0.5
    const double x = -1;
    CHECK(net.forward(&x, 1)[0] == -0.5);
    // dlogit = 1: dW2 = a = -0.5, db2 = 1; da = W2 = 3; dz = 3 * alpha = 0.75; dalpha = da * z = -6;
    // dW1 = x dz = -0.75; db1 = 0.75
    const double d = 1;
    net.backward(&x, &d);
    const auto g = net.grads();
    CHECK(g[0] == -0.75);
    CHECK(g[1] == 0.75);
    CHECK(g[2] == -6.0);
    CHECK(g[3] == -0.5);
    CHECK(g[4] == 1.0);
    // x = +1: z = 2 > 0, a = 2; the slope gets no gradient on the positive side.
    const double x2 = 1;
    CHECK(net.forward(&x2, 1)[0] == 7.0);
    net.backward(&x2, &d);
    CHECK(net.grads()[2] == 0.0);
}

TEST_CASE("a row's output does not depend on the rest of the batch", "[network]") {
    Network net = make_net({layer(6, Activation::tanh), layer(5, Activation::relu)}, 3, 2);
    const std::vector<double> X{0.5, -1.0, 2.0, 3.0, 0.25, -0.75, -4.0, 1.5, 0.0, 1.0, 1.0, 1.0};  // (4, 3)
    const double* all = net.forward(X.data(), 4);
    const std::vector<double> batch(all, all + 8);
    for (std::size_t i = 0; i < 4; ++i) {
        const double* one = net.forward(X.data() + 3 * i, 1);
        CHECK(same_bits(one, batch.data() + 2 * i, 2));
    }
    // A batch larger than any before grows the workspace and still gives the same rows.
    std::vector<double> big;
    for (int r = 0; r < 300; ++r) big.insert(big.end(), X.begin(), X.end());
    const double* many = net.forward(big.data(), 1200);
    CHECK(same_bits(many + 2 * 1196, batch.data(), 8));
}

TEST_CASE("set_activation_params changes the function, not the weights", "[network]") {
    Network net = make_net({{3, Activation::leaky_relu, {0.01, 1.0, 0.0}}}, 2, 1);
    const std::vector<double> before(net.params().begin(), net.params().end());
    net.set_activation_params(0, {0.5, 1.0, 0.0});
    CHECK(std::equal(before.begin(), before.end(), net.params().begin()));
    CHECK(net.layers()[0].params.alpha == 0.5);
    // Unit 0 with z = -2 now gives -1 rather than -0.02.
    auto p = net.params();
    std::fill(p.begin(), p.end(), 0.0);
    p[0] = 1.0;      // W[0][0]: z0 = x0
    p[9 + 0] = 1.0;  // output W[0]: logit = a0
    const std::vector<double> x{-2.0, 0.0};
    CHECK(net.forward(x.data(), 1)[0] == -1.0);
}

TEST_CASE("every input feature reaches the gradient correctly", "[network][gradcheck]") {
    // All seven feature columns (squares, products, sines) in front of a tanh layer, with a softmax head.
    ExperimentConfig c = gradcheck_config({"softmax_ce on spiral3", DatasetKind::spiral3, Head::softmax_ce},
                                          {6}, Activation::tanh, Regularization::l2);
    c.network.features = {Feature::x1, Feature::x2, Feature::x1_squared, Feature::x2_squared,
                          Feature::x1_times_x2, Feature::sin_x1, Feature::sin_x2};
    const GradcheckResult r = run_gradcheck(c);
    REQUIRE(r.points == kCheckPoints);
    CHECK(r.parameters == 7 * 6 + 6 + 6 * 3 + 3);
    CHECK(r.worst_error <= test::kGradTolerance);
}

// Central differences on every weight, bias and PReLU slope through Trainer::objective (data loss plus
// the regularisation penalty), against Trainer::compute_gradients. Bound: |g - fd| <= 1e-6 max(1, |g|, |fd|)
// at the step h = 1e-6 max(1, |p|) (gradcheck.hpp says why that bound is both safe and sharp).
// Each head case runs 18 activations x 3 architectures x 3 regularisations.
TEST_CASE("gradient check: linear_mse on 2-D regression (plane)", "[network][gradcheck]") {
    gradcheck_head({"linear_mse on plane", DatasetKind::plane, Head::linear_mse});
}
TEST_CASE("gradient check: linear_mse on 1-D regression (sine)", "[network][gradcheck]") {
    gradcheck_head({"linear_mse on sine", DatasetKind::sine, Head::linear_mse});
}
TEST_CASE("gradient check: sigmoid_bce on 2 classes (circle)", "[network][gradcheck]") {
    gradcheck_head({"sigmoid_bce on circle", DatasetKind::circle, Head::sigmoid_bce});
}
TEST_CASE("gradient check: tanh_mse on 2 classes (xor)", "[network][gradcheck]") {
    gradcheck_head({"tanh_mse on xor", DatasetKind::xor_, Head::tanh_mse});
}
TEST_CASE("gradient check: softmax_ce on 3 classes (spiral3)", "[network][gradcheck]") {
    gradcheck_head({"softmax_ce on spiral3", DatasetKind::spiral3, Head::softmax_ce});
}
TEST_CASE("gradient check: softmax_ce on kMaxClasses classes (blobs)", "[network][gradcheck]") {
    gradcheck_head({"softmax_ce on 6 blobs", DatasetKind::blobs, Head::softmax_ce, kMaxClasses});
}
