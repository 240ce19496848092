// Tracing one point: every number equals the trainer's own forward and backward on a batch of that point,
// bit for bit (for every head, for ReLU, tanh, PReLU and GELU layers, for 1-D and 2-D data), dW agrees with
// central differences of the point's loss, regularisation is left out, the trainer is left untouched, and
// a bad point is refused with a message naming the field.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "error.hpp"
#include "features.hpp"
#include "gradcheck.hpp"
#include "loss.hpp"
#include "trace.hpp"
#include "trainer.hpp"

using namespace ap;

namespace {

LayerConfig layer(int units, Activation a) { return {units, a, default_params(a)}; }

bool same_bits(const double* a, const double* b, std::size_t n) { return std::memcmp(a, b, n * sizeof(double)) == 0; }
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

struct Case {
    const char* name;
    DatasetKind data;
    Head head;
    std::vector<LayerConfig> hidden;
    std::vector<Feature> features{Feature::x1, Feature::x2};
};

std::vector<Case> cases() {
    return {
        {"circle, relu [4, 3], sigmoid", DatasetKind::circle, Head::sigmoid_bce,
         {layer(4, Activation::relu), layer(3, Activation::relu)}},
        {"xor, tanh [5], tanh head, five features", DatasetKind::xor_, Head::tanh_mse, {layer(5, Activation::tanh)},
         {Feature::x1, Feature::x2, Feature::x1_squared, Feature::x1_times_x2, Feature::sin_x2}},
        {"blobs, prelu [6] gelu [3], softmax", DatasetKind::blobs, Head::softmax_ce,
         {layer(6, Activation::prelu), layer(3, Activation::gelu_erf)}},
        {"sine (1-D), leaky relu [8], linear", DatasetKind::sine, Head::linear_mse, {layer(8, Activation::leaky_relu)}},
        {"circle, no hidden layer", DatasetKind::circle, Head::sigmoid_bce, {}},
    };
}

ExperimentConfig config_of(const Case& c) {
    ExperimentConfig cfg;
    cfg.seed = 7;
    cfg.data.kind = c.data;
    cfg.data.num_points = 100;
    cfg.data.classes = 3;
    cfg.network.hidden = c.hidden;
    cfg.network.head = c.head;
    cfg.network.features = c.features;
    cfg.training.learning_rate = 0.1;
    return cfg;
}

}  // namespace

TEST_CASE("a trace equals the trainer's forward and backward on a batch of that one point, bit for bit") {
    for (const Case& c : cases()) {
        SECTION(c.name) {
            Trainer trainer(config_of(c));
            trainer.train_steps(40);
            const std::vector<double> grads_before(trainer.network().grads().begin(), trainer.network().grads().end());
            for (std::size_t i = 0; i < trainer.data().train.size(); i += 7) {
                const Point p = trainer.data().train[i];
                const Trace t = trace_point(trainer, p);
                // The trainer is untouched: same step, and its gradient buffer is still its last step's.
                CHECK(t.step == 40);
                CHECK(trainer.step() == 40);
                CHECK(same_bits(trainer.network().grads().data(), grads_before.data(), grads_before.size()));

                // The reference: a copy of the trainer computing the gradient of a batch of just this point.
                Trainer ref = trainer;
                const double loss = ref.compute_gradients(&p, 1);
                const Network& net = ref.network();
                CHECK(same_bits(t.loss, loss));
                std::vector<double> X(net.inputs());
                map_features(ref.config().network.features, &p, 1, X.data());
                CHECK(same_bits(t.values.data() + t.features, X.data(), X.size()));
                REQUIRE(t.layers.size() == net.layers().size());
                const auto g = net.grads();
                for (std::size_t l = 0; l < t.layers.size(); ++l) {
                    const TraceLayer& tl = t.layers[l];
                    const LayerShape& s = net.layers()[l];
                    REQUIRE(tl.in == s.in);
                    REQUIRE(tl.out == s.out);
                    CHECK(tl.activation == s.activation);
                    const double* v = t.values.data();
                    CHECK(same_bits(v + tl.z, net.pre_activations(l), s.out));
                    CHECK(same_bits(v + tl.a, net.activations(l), s.out));
                    CHECK(same_bits(v + tl.dw, g.data() + s.w, s.in * s.out));
                    CHECK(same_bits(v + tl.db, g.data() + s.b, s.out));
                    for (std::size_t j = 0; j < s.out; ++j) {
                        // One point: dW[i][j] = a_prev[i] dz[j] and db[j] = dz[j] (equal values; the sums start
                        // at +0, so a product of -0 is stored as +0).
                        const double* prev = l == 0 ? v + t.features : v + t.layers[l - 1].a;
                        for (std::size_t i = 0; i < s.in; ++i) CHECK(v[tl.dw + i * s.out + j] == prev[i] * v[tl.dz + j]);
                        CHECK(v[tl.db + j] == v[tl.dz + j]);
                        // dz = da f'(z), and on means the slope passes gradient.
                        CHECK(v[tl.dz + j] == Approx(v[tl.da + j] * v[tl.slope + j]).margin(1e-300));
                        CHECK(v[tl.on + j] == (std::fabs(v[tl.slope + j]) > 0.01 ? 1.0 : 0.0));
                        if (s.activation == Activation::relu) CHECK(v[tl.on + j] == (v[tl.z + j] > 0 ? 1.0 : 0.0));
                        if (l + 1 == t.layers.size()) {
                            CHECK(v[tl.slope + j] == 1.0);  // the output layer is linear
                            CHECK(same_bits(v[tl.da + j], v[tl.dz + j]));
                        } else {
                            // da = W_next dz_next.
                            const TraceLayer& next = t.layers[l + 1];
                            const double* W = net.params().data() + net.layers()[l + 1].w;
                            double sum = 0;
                            for (std::size_t k = 0; k < next.out; ++k) sum += W[j * next.out + k] * v[next.dz + k];
                            CHECK(v[tl.da + j] == Approx(sum).margin(1e-15));
                        }
                    }
                }
                std::vector<double> prediction(t.outputs);
                ref.predict(&p, 1, prediction.data());
                CHECK(same_bits(t.values.data() + t.prediction, prediction.data(), t.outputs));
            }
        }
    }
}

TEST_CASE("a trace's dW and db agree with central differences of the loss on that one point") {
    // Smooth activations only, so no step crosses a kink; the ReLU cases are covered bit for bit above.
    Case c{"spiral, tanh [5] gelu [4] softplus [3], sigmoid", DatasetKind::spiral, Head::sigmoid_bce,
           {layer(5, Activation::tanh), layer(4, Activation::gelu_tanh), layer(3, Activation::softplus)}};
    Trainer trainer(config_of(c));
    trainer.train_steps(30);
    Network net = trainer.network();
    for (std::size_t i = 0; i < 3; ++i) {
        const Point p = trainer.data().train[i * 11];
        const Trace t = trace_point(trainer, p);
        std::vector<double> X(net.inputs());
        map_features(trainer.config().network.features, &p, 1, X.data());
        auto loss = [&] {
            const double* logits = net.forward(X.data(), 1);
            return head_loss(Head::sigmoid_bce, logits, &p, 1, net.outputs(), nullptr);
        };
        for (std::size_t l = 0; l < t.layers.size(); ++l) {
            const TraceLayer& tl = t.layers[l];
            const LayerShape& s = net.layers()[l];
            for (std::size_t e = 0; e < s.in * s.out; ++e) {
                const double fd = test::central_difference(net.params().data() + s.w + e, loss);
                CHECK(test::grad_error(t.values[tl.dw + e], fd) < test::kGradTolerance);
            }
            for (std::size_t j = 0; j < s.out; ++j) {
                const double fd = test::central_difference(net.params().data() + s.b + j, loss);
                CHECK(test::grad_error(t.values[tl.db + j], fd) < test::kGradTolerance);
            }
        }
    }
}

TEST_CASE("a trace leaves regularisation out: dW is the data loss's gradient alone") {
    Case c = cases()[0];
    ExperimentConfig with = config_of(c);
    with.training.regularization = Regularization::l2;
    with.training.regularization_rate = 0.3;
    Trainer trainer(with);
    trainer.train_steps(25);
    ExperimentConfig without = with;
    without.training.regularization = Regularization::none;
    without.training.regularization_rate = 0;
    Trainer plain(without);
    plain.set_parameters(trainer.network().params());
    const Point p = trainer.data().train[3];
    const Trace t = trace_point(trainer, p);
    plain.compute_gradients(&p, 1);
    const auto g = plain.network().grads();
    for (std::size_t l = 0; l < t.layers.size(); ++l) {
        const LayerShape& s = plain.network().layers()[l];
        CHECK(same_bits(t.values.data() + t.layers[l].dw, g.data() + s.w, s.in * s.out));
    }
}

TEST_CASE("a point that is not finite or whose label is not a class is refused, naming the field") {
    Trainer trainer(config_of(cases()[0]));
    CHECK_THROWS_WITH(trace_point(trainer, Point{NAN, 0, 0}), "point.x1 must be finite");
    CHECK_THROWS_WITH(trace_point(trainer, Point{0, INFINITY, 0}), "point.x2 must be finite");
    CHECK_THROWS_WITH(trace_point(trainer, Point{0, 0, 2}), Catch::Contains("point.label must be a class 0..1"));
    CHECK_THROWS_WITH(trace_point(trainer, Point{0, 0, 0.5}), Catch::Contains("point.label"));
    Trainer sine(config_of(cases()[3]));
    CHECK(std::isfinite(trace_point(sine, Point{1.5, 0, 0.25}).loss));  // regression: any finite target
}
