// The trainer: bit-identical runs from one seed, learning XOR and the circle with ReLU (and not learning the
// circle without any activation), divergence caught with the last finite weights kept, learning-rate
// schedules against hand values, live changes, and no heap allocation in the training loop.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <limits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <string>
#include <vector>

#include "error.hpp"
#include "serialize.hpp"
#include "trainer.hpp"

// Counts every heap allocation of this test binary, so a test can assert that a stretch of training
// allocates nothing. Every non-aligned form is replaced, all over malloc and free, so each new meets its
// own delete (AddressSanitizer checks that pairing; it supplies the forms a program leaves out).
namespace {
std::atomic<long> g_allocations{0};
void* counted_malloc(std::size_t n) noexcept {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n == 0 ? 1 : n);
}
}  // namespace
void* operator new(std::size_t n) {
    if (void* p = counted_malloc(n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
    if (void* p = counted_malloc(n)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace ap;

namespace {

LayerConfig layer(int units, Activation a) { return {units, a, default_params(a)}; }

std::vector<double> params_of(const Trainer& t) { return {t.network().params().begin(), t.network().params().end()}; }

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool all_finite(std::span<const double> v) {
    for (double x : v) if (!std::isfinite(x)) return false;
    return true;
}

// The run the learning tests use: TF Playground's defaults where they have one (x1, x2 features, 500
// points, half for testing, batch 10), two ReLU layers of 8 and Adam at 0.01.
ExperimentConfig learning_config(DatasetKind kind, Activation act) {
    ExperimentConfig c;
    c.seed = 1;
    c.data.kind = kind;
    c.data.num_points = 500;
    c.data.noise = 0.0;
    c.data.test_fraction = 0.5;
    c.network.features = {Feature::x1, Feature::x2};
    c.network.hidden = {layer(8, act), layer(8, act)};
    c.network.head = Head::sigmoid_bce;
    c.network.init.bias = 0.1;
    c.training.optimizer = OptimizerKind::adam;
    c.training.learning_rate = 0.01;
    c.training.batch_size = 10;
    return c;
}

constexpr int kEvaluateEvery = 10;
constexpr int kLearningBudget = 2000;

// Steps until the test accuracy first reaches the target, checked every kEvaluateEvery steps; -1 if the
// budget runs out.
int steps_to_accuracy(Trainer& t, double target) {
    while (t.step() < kLearningBudget) {
        t.train_steps(kEvaluateEvery);
        REQUIRE_FALSE(t.diverged());
        if (t.evaluate().test_accuracy >= target) return static_cast<int>(t.step());
    }
    return -1;
}

ExperimentConfig small_config(OptimizerKind opt = OptimizerKind::sgd) {
    ExperimentConfig c;
    c.seed = 5;
    c.data.kind = DatasetKind::circle;
    c.data.num_points = 100;
    c.network.hidden = {layer(4, Activation::tanh), layer(3, Activation::relu)};
    c.training.optimizer = opt;
    c.training.learning_rate = 0.1;
    c.training.batch_size = 10;
    return c;
}

}  // namespace

TEST_CASE("same config and seed: bit-identical weights and losses over 1,000 steps", "[trainer][determinism]") {
    ExperimentConfig c = learning_config(DatasetKind::spiral, Activation::relu);
    c.data.noise = 0.2;
    c.network.hidden = {layer(8, Activation::gelu_tanh), layer(6, Activation::prelu), layer(4, Activation::sigmoid)};
    c.training.regularization = Regularization::l2;
    c.training.regularization_rate = 0.001;
    c.training.clip_norm = 5.0;
    c.training.schedule = Schedule::cosine;
    c.training.cosine_steps = 800;
    Trainer a(c), b(c);
    REQUIRE(same_bits(params_of(a), params_of(b)));
    int mismatched_losses = 0;
    for (int i = 0; i < 1000; ++i) {
        a.train_steps(1);
        b.train_steps(1);
        if (!same_bits(a.last_loss(), b.last_loss())) ++mismatched_losses;
    }
    CHECK(a.step() == 1000);
    CHECK(mismatched_losses == 0);
    CHECK(same_bits(params_of(a), params_of(b)));
    CHECK(same_bits(a.optimizer().first_moment(), b.optimizer().first_moment()));
    CHECK(same_bits(a.optimizer().second_moment(), b.optimizer().second_moment()));

    c.seed = 2;
    Trainer other(c);
    other.train_steps(1000);
    CHECK_FALSE(same_bits(params_of(a), params_of(other)));
    CHECK_FALSE(same_bits(a.last_loss(), other.last_loss()));
}

TEST_CASE("restoring a saved state continues the run bit for bit", "[trainer][determinism]") {
    ExperimentConfig c = small_config(OptimizerKind::adam);
    c.training.schedule = Schedule::step;
    c.training.step_every = 20;
    Trainer a(c);
    a.train_steps(57);  // mid-epoch: 70 training points, batches of 10
    Trainer b(c);
    b.restore(a.step(), a.epoch(), a.cursor(), params_of(a), a.optimizer().steps(), a.optimizer().first_moment(),
              a.optimizer().second_moment());
    CHECK(b.learning_rate_now() == a.learning_rate_now());
    a.train_steps(100);
    b.train_steps(100);
    CHECK(same_bits(params_of(a), params_of(b)));
    CHECK(same_bits(a.last_loss(), b.last_loss()));
}

TEST_CASE("an epoch is one pass over the training set", "[trainer]") {
    ExperimentConfig c = small_config();
    c.training.batch_size = 7;
    Trainer t(c);
    const std::size_t train = t.data().train.size();
    // ceil(train / 7) batches, the last one smaller; the cursor wraps to 0.
    CHECK(t.train_epochs(1) == static_cast<int>((train + 6) / 7));
    CHECK(t.epoch() == 1);
    CHECK(t.cursor() == 0);
    t.train_steps(3);
    CHECK(t.cursor() == 21);
}

TEST_CASE("ReLU learns XOR and the circle, a network without activations cannot learn the circle",
          "[trainer][learning]") {
    // Each target is reported by the test's INFO when it fails; measured steps are in the report.
    Trainer xor_run(learning_config(DatasetKind::xor_, Activation::relu));
    const int xor_steps = steps_to_accuracy(xor_run, 0.95);
    INFO("xor reached 95% test accuracy after " << xor_steps << " steps");
    CHECK(xor_steps > 0);

    Trainer circle_run(learning_config(DatasetKind::circle, Activation::relu));
    const int circle_steps = steps_to_accuracy(circle_run, 0.95);
    INFO("circle reached 95% test accuracy after " << circle_steps << " steps");
    CHECK(circle_steps > 0);
    circle_run.train_steps(kLearningBudget - static_cast<int>(circle_run.step()));
    const double relu_accuracy = circle_run.evaluate().test_accuracy;

    // The same network with identity activations is one linear map of (x1, x2): its decision boundary is
    // a line, and no line separates a disc from the ring around it (the article's point: without
    // activations a deep network is a linear model). Trained for the same budget it stays near chance.
    Trainer linear_run(learning_config(DatasetKind::circle, Activation::identity));
    linear_run.train_steps(kLearningBudget);
    REQUIRE_FALSE(linear_run.diverged());
    const Metrics m = linear_run.evaluate();
    INFO("linear network's test accuracy on the circle: " << m.test_accuracy);
    CHECK(m.test_accuracy <= 0.65);
    CHECK(relu_accuracy - m.test_accuracy >= 0.3);
    // Its logit is an affine function of (x1, x2): f(a) + f(b) = f(a + b) + f(0), up to rounding.
    const std::vector<double> X{1.0, 2.0, 3.0, -1.0, 4.0, 1.0, 0.0, 0.0};  // (4, 2): a, b, a + b, 0
    const double* f = linear_run.network().forward(X.data(), 4);
    CHECK(f[0] + f[1] == Approx(f[2] + f[3]).epsilon(1e-12).margin(1e-12));
    // The ReLU network's is not.
    const double* g = circle_run.network().forward(X.data(), 4);
    CHECK(std::fabs((g[0] + g[1]) - (g[2] + g[3])) > 0.1);
}

namespace {

ExperimentConfig diverging_config() {
    // ReLU [8, 8] on a regression: the squared error's gradient grows with the error, so at lr 1e6 each
    // update overshoots by more than the last until something overflows. (A classification head's gradient
    // is bounded, and at this rate its ReLU units mostly die before anything overflows.)
    ExperimentConfig c;
    c.seed = 1;
    c.data.kind = DatasetKind::sine;
    c.network.hidden = {layer(8, Activation::relu), layer(8, Activation::relu)};
    c.network.head = Head::linear_mse;
    c.training.optimizer = OptimizerKind::sgd;
    c.training.learning_rate = 1e6;
    return c;
}

}  // namespace

TEST_CASE("divergence stops training with a reason and keeps finite weights", "[trainer][divergence]") {
    const ExperimentConfig c = diverging_config();
    Trainer t(c);
    const std::vector<double> initial = params_of(t);
    const int done = t.train_steps(1000);
    REQUIRE(done < 1000);
    REQUIRE(t.diverged());
    CHECK(t.step() == done);
    INFO("reason: " << t.divergence_reason());
    CHECK_THAT(t.divergence_reason(), Catch::Matchers::EndsWith(" at step " + std::to_string(done + 1)));
    CHECK(all_finite(t.network().params()));

    // Nothing moves while the divergence stands.
    const std::vector<double> kept = params_of(t);
    CHECK(t.train_steps(10) == 0);
    CHECK(t.train_epochs(1) == 0);
    CHECK(t.step() == done);
    CHECK(same_bits(params_of(t), kept));

    SECTION("clear_divergence lets it try again") {
        std::copy(initial.begin(), initial.end(), t.network().params().begin());
        t.clear_divergence();
        CHECK_FALSE(t.diverged());
        // From the initial weights the first update is finite (a moderate gradient times 1e6).
        CHECK(t.train_steps(1) == 1);
        CHECK(t.step() == done + 1);
    }
    SECTION("a sensible learning rate through set_training trains on") {
        TrainingConfig sane = c.training;
        sane.learning_rate = 0.01;
        t.set_training(sane);
        CHECK_FALSE(t.diverged());
        CHECK(same_bits(params_of(t), kept));  // set_training keeps the weights
        std::copy(initial.begin(), initial.end(), t.network().params().begin());
        CHECK(t.train_steps(50) == 50);
        CHECK_FALSE(t.diverged());
    }
}

TEST_CASE("momentum and nesterov runs diverge too, keeping finite weights and moments", "[trainer][divergence]") {
    for (OptimizerKind opt : {OptimizerKind::momentum, OptimizerKind::nesterov}) {
        ExperimentConfig c = diverging_config();
        c.data.kind = DatasetKind::plane;
        c.training.optimizer = opt;
        Trainer t(c);
        const int done = t.train_steps(1000);
        INFO(optimizer_name(opt) << ": " << t.divergence_reason());
        REQUIRE(t.diverged());
        CHECK_THAT(t.divergence_reason(), Catch::Matchers::EndsWith(" at step " + std::to_string(done + 1)));
        CHECK(all_finite(t.network().params()));
        CHECK(all_finite(t.optimizer().first_moment()));
    }
}

TEST_CASE("step schedule: lr gamma^floor(step / step_every)", "[trainer][schedule]") {
    ExperimentConfig c = small_config();
    c.training.schedule = Schedule::step;
    c.training.learning_rate = 0.1;
    c.training.step_every = 10;
    c.training.step_gamma = 0.5;
    Trainer t(c);
    // step 0..9: 0.1; 10..19: 0.05; 20..29: 0.025; 30: 0.0125
    CHECK(t.learning_rate_now() == 0.1);
    t.train_steps(9);
    CHECK(t.learning_rate_now() == 0.1);
    t.train_steps(1);
    CHECK(t.learning_rate_now() == 0.05);
    t.train_steps(15);
    CHECK(t.learning_rate_now() == 0.025);
    t.train_steps(5);
    CHECK(t.learning_rate_now() == 0.0125);

    // A live change of gamma at step 30 recomputes: 0.1 * 0.1^3 = 1e-4.
    TrainingConfig tc = t.config().training;
    tc.step_gamma = 0.1;
    t.set_training(tc);
    CHECK(t.learning_rate_now() == Approx(1e-4).epsilon(1e-14));

    // And a change within the first interval (step 5: k = 0) gives the undecayed rate.
    Trainer early(c);
    early.train_steps(5);
    tc = early.config().training;
    tc.learning_rate = 0.2;
    early.set_training(tc);
    CHECK(early.learning_rate_now() == 0.2);
    early.train_steps(5);
    CHECK(early.learning_rate_now() == 0.1);
}

TEST_CASE("the first step uses the schedule's rate at step 0", "[trainer][schedule]") {
    // With step_every 1 the rate halves after every step, but the first update is at the full 0.1: one
    // step of this sgd run equals one step of a constant-rate run.
    ExperimentConfig constant = small_config();
    ExperimentConfig stepped = constant;
    stepped.training.schedule = Schedule::step;
    stepped.training.step_every = 1;
    stepped.training.step_gamma = 0.5;
    Trainer a(constant), b(stepped);
    a.train_steps(1);
    b.train_steps(1);
    CHECK(same_bits(params_of(a), params_of(b)));
    CHECK(b.learning_rate_now() == 0.05);
}

TEST_CASE("cosine schedule: min + (lr - min)(1 + cos(pi t / T)) / 2, then flat", "[trainer][schedule]") {
    ExperimentConfig c = small_config();
    c.training.schedule = Schedule::cosine;
    c.training.learning_rate = 0.1;
    c.training.min_learning_rate = 0.01;
    c.training.cosine_steps = 100;
    Trainer t(c);
    CHECK(t.learning_rate_now() == Approx(0.1).epsilon(1e-14));
    t.train_steps(25);
    // 0.01 + 0.045 (1 + cos(pi / 4)) = 0.01 + 0.045 * 1.7071067811865476 = 0.0868198051533946
    CHECK(t.learning_rate_now() == Approx(0.0868198051533946386).epsilon(1e-14));
    t.train_steps(25);
    // 0.01 + 0.045 (1 + cos(pi / 2)) = 0.055
    CHECK(t.learning_rate_now() == Approx(0.055).epsilon(1e-14));
    t.train_steps(50);
    CHECK(t.learning_rate_now() == Approx(0.01).epsilon(1e-14));
    t.train_steps(50);
    CHECK(t.learning_rate_now() == Approx(0.01).epsilon(1e-14));
}

TEST_CASE("set_training: a new rate applies to the next step, the weights stay", "[trainer][live]") {
    Trainer a(small_config()), b(small_config());
    a.train_steps(20);
    b.train_steps(20);
    const std::vector<double> before = params_of(a);
    TrainingConfig tc = b.config().training;
    tc.learning_rate = 0.2;
    b.set_training(tc);
    CHECK(b.step() == 20);
    CHECK(same_bits(params_of(b), before));
    CHECK(b.learning_rate_now() == 0.2);
    // Same weights, same next batch, plain sgd: b's update is exactly twice a's, up to rounding.
    a.train_steps(1);
    b.train_steps(1);
    const std::vector<double> pa = params_of(a), pb = params_of(b);
    for (std::size_t i = 0; i < before.size(); ++i) {
        INFO("parameter " << i);
        CHECK(pb[i] - before[i] == Approx(2 * (pa[i] - before[i])).epsilon(0).margin(1e-12));
    }
}

TEST_CASE("set_training: a new optimizer kind starts afresh, new hyper-parameters keep the state", "[trainer][live]") {
    Trainer t(small_config(OptimizerKind::momentum));
    t.train_steps(10);
    const std::vector<double> v = t.optimizer().first_moment();
    bool moved = false;
    for (double x : v) moved = moved || x != 0.0;
    REQUIRE(moved);
    const std::vector<double> weights = params_of(t);

    TrainingConfig tc = t.config().training;
    tc.momentum = 0.5;
    t.set_training(tc);
    CHECK(t.optimizer().kind() == OptimizerKind::momentum);
    CHECK(t.optimizer().steps() == 10);
    CHECK(same_bits(t.optimizer().first_moment(), v));

    tc.optimizer = OptimizerKind::adam;
    t.set_training(tc);
    CHECK(t.optimizer().kind() == OptimizerKind::adam);
    CHECK(t.optimizer().steps() == 0);
    CHECK(t.optimizer().first_moment() == std::vector<double>(weights.size(), 0.0));
    CHECK(t.optimizer().second_moment() == std::vector<double>(weights.size(), 0.0));
    CHECK(same_bits(params_of(t), weights));
    CHECK(t.step() == 10);  // the trainer's own count goes on
}

TEST_CASE("set_training rejects out-of-range values and changes nothing then", "[trainer][live]") {
    Trainer t(small_config());
    t.train_steps(3);
    TrainingConfig bad = t.config().training;
    bad.batch_size = 0;
    CHECK_THROWS_AS(t.set_training(bad), ConfigError);
    CHECK(t.config().training.batch_size == 10);
    bad = t.config().training;
    bad.learning_rate = std::nan("");
    CHECK_THROWS_WITH(t.set_training(bad), Catch::Matchers::Contains("training.learning_rate"));
    CHECK(t.learning_rate_now() == 0.1);
    CHECK_THROWS_AS(t.set_activation_params(7, {}), ConfigError);
}

TEST_CASE("evaluate: accuracies for classification, NaN for regression", "[trainer]") {
    Trainer cls(small_config());
    const Metrics m = cls.evaluate();
    CHECK((m.train_accuracy >= 0 && m.train_accuracy <= 1));
    CHECK((m.test_accuracy >= 0 && m.test_accuracy <= 1));
    CHECK(m.train_loss > 0);
    ExperimentConfig r;
    r.data.kind = DatasetKind::sine;
    r.network.head = Head::linear_mse;
    Trainer reg(r);
    const Metrics mr = reg.evaluate();
    CHECK(std::isnan(mr.train_accuracy));
    CHECK(std::isnan(mr.test_accuracy));
    CHECK(std::isfinite(mr.test_loss));
}

TEST_CASE("training allocates nothing per step", "[trainer][allocation]") {
    {
        // The counter itself works: a vector's buffer is one allocation.
        const long before = g_allocations.load();
        std::vector<double> v(10);
        CHECK(g_allocations.load() - before == 1);
    }
    for (OptimizerKind opt : {OptimizerKind::sgd, OptimizerKind::momentum, OptimizerKind::nesterov,
                              OptimizerKind::rmsprop, OptimizerKind::adam}) {
        ExperimentConfig c = learning_config(DatasetKind::spiral3, Activation::prelu);
        c.network.head = Head::softmax_ce;
        c.training.optimizer = opt;
        c.training.regularization = Regularization::l1;
        c.training.regularization_rate = 0.001;
        c.training.clip_norm = 1.0;
        c.training.schedule = Schedule::step;
        c.training.step_every = 30;
        Trainer t(c);
        t.train_steps(200);  // warm-up: every buffer has grown to its size
        const long before = g_allocations.load();
        // 100 steps cross four epoch boundaries (250 training points in batches of 10) and three schedule steps.
        const int done = t.train_steps(100);
        const long allocations = g_allocations.load() - before;
        INFO("optimizer " << optimizer_name(opt));
        REQUIRE(done == 100);
        CHECK(allocations == 0);
    }
}

TEST_CASE("clipping scales the update to clip_norm, in the same direction", "[trainer]") {
    // Plain sgd, one step from the same weights on the same batch: the clipped update is the unclipped one
    // times clip_norm / |g|, where |g| = |update| / lr.
    ExperimentConfig c = small_config();
    Trainer free_run(c);
    c.training.clip_norm = 0.01;
    Trainer clipped(c);
    const std::vector<double> p0 = params_of(free_run);
    free_run.train_steps(1);
    clipped.train_steps(1);
    double sq = 0;
    for (std::size_t i = 0; i < p0.size(); ++i) sq += (free_run.network().params()[i] - p0[i]) * (free_run.network().params()[i] - p0[i]);
    const double grad_norm = std::sqrt(sq) / c.training.learning_rate;
    REQUIRE(grad_norm > 0.01);  // otherwise nothing is clipped
    const double scale = 0.01 / grad_norm;
    for (std::size_t i = 0; i < p0.size(); ++i) {
        INFO("parameter " << i);
        CHECK(clipped.network().params()[i] - p0[i] ==
              Approx(scale * (free_run.network().params()[i] - p0[i])).epsilon(0).margin(1e-13));
    }
}

TEST_CASE("clipping starts just above clip_norm: a gradient 4/3 of it is scaled by 3/4", "[trainer]") {
    // The threshold is |g| > c itself, not some multiple: with c = 0.75 |g| the step is 0.75 of the free one.
    ExperimentConfig c = small_config();
    Trainer free_run(c);
    const std::vector<double> p0 = params_of(free_run);
    free_run.train_steps(1);
    double sq = 0;
    for (std::size_t i = 0; i < p0.size(); ++i) sq += (free_run.network().params()[i] - p0[i]) * (free_run.network().params()[i] - p0[i]);
    const double grad_norm = std::sqrt(sq) / c.training.learning_rate;
    REQUIRE(grad_norm > 0);
    c.training.clip_norm = 0.75 * grad_norm;
    Trainer clipped(c);
    clipped.train_steps(1);
    for (std::size_t i = 0; i < p0.size(); ++i) {
        INFO("parameter " << i);
        CHECK(clipped.network().params()[i] - p0[i] ==
              Approx(0.75 * (free_run.network().params()[i] - p0[i])).epsilon(0).margin(1e-13));
    }
}

TEST_CASE("regularisation pulls weights only, not biases or PReLU slopes", "[trainer]") {
    // One sgd step with and without the penalty from the same weights on the same batch: the difference is
    // -lr r w for L2 and -lr r sign(w) for L1 on every weight, and exactly 0 on biases and slopes.
    for (Regularization reg : {Regularization::l1, Regularization::l2}) {
        ExperimentConfig c = small_config();
        c.network.hidden = {{4, Activation::prelu, default_params(Activation::prelu)}, layer(3, Activation::relu)};
        c.network.init.bias = 0.5;  // biases of 0 would hide a pull on them (r * 0 = 0)
        Trainer plain(c);
        c.training.regularization = reg;
        c.training.regularization_rate = 0.3;
        Trainer pulled(c);
        const std::vector<double> p0 = params_of(plain);
        plain.train_steps(1);
        pulled.train_steps(1);
        std::vector<bool> is_weight(p0.size(), false);
        for (const LayerShape& s : plain.network().layers())
            for (std::size_t i = s.w; i < s.w + s.in * s.out; ++i) is_weight[i] = true;
        const double lr = c.training.learning_rate, r = 0.3;
        for (std::size_t i = 0; i < p0.size(); ++i) {
            INFO(regularization_name(reg) << ", parameter " << i);
            const double diff = pulled.network().params()[i] - plain.network().params()[i];
            const double pull = reg == Regularization::l2 ? r * p0[i] : (p0[i] > 0 ? r : -r);
            if (is_weight[i]) CHECK(diff == Approx(-lr * pull).epsilon(0).margin(1e-13));
            else CHECK(diff == 0.0);
        }
    }
}

TEST_CASE("full-set passes are chunked without changing the answer", "[trainer]") {
    // 600 points: the training set (300) and the 256-point chunks do not line up.
    ExperimentConfig c = small_config();
    c.data.num_points = 600;
    Trainer t(c);
    const auto& train = t.data().train;
    REQUIRE(train.size() > 256);
    // objective() in chunks against compute_gradients() in one pass (no penalty here).
    const double chunked = t.objective(train.data(), train.size());
    const double whole = t.compute_gradients(train.data(), train.size());
    CHECK(chunked == Approx(whole).epsilon(1e-13));
    CHECK(t.evaluate().train_loss == Approx(whole).epsilon(1e-13));
    // predict() in chunks against one point at a time.
    std::vector<double> all(train.size());
    t.predict(train.data(), train.size(), all.data());
    for (std::size_t i : {0u, 255u, 256u, 299u}) {
        double one = 0;
        t.predict(&train[i], 1, &one);
        CHECK(same_bits(one, all[i]));
        CHECK((one > 0 && one < 1));  // sigmoid head: a probability
    }
}

TEST_CASE("1-D data: the input is x alone", "[trainer]") {
    ExperimentConfig c;
    c.data.kind = DatasetKind::sine;
    c.network.head = Head::linear_mse;
    c.network.features = {Feature::x1, Feature::x2, Feature::sin_x1};  // ignored for 1-D data
    Trainer t(c);
    CHECK(t.network().inputs() == 1);
    CHECK(t.config().network.features.empty());
    CHECK(t.train_steps(20) == 20);
}

TEST_CASE("set_activation_params changes the function live and records it", "[trainer][live]") {
    ExperimentConfig c = small_config();
    c.network.hidden = {layer(4, Activation::leaky_relu)};
    Trainer t(c);
    const std::vector<double> weights = params_of(t);
    const Point p{-3.0, 2.0, 0.0};
    const double before = t.objective(&p, 1);
    ActivationParams ap = default_params(Activation::leaky_relu);
    ap.alpha = 0.9;
    t.set_activation_params(0, ap);
    CHECK(t.config().network.hidden[0].params.alpha == 0.9);
    CHECK(same_bits(params_of(t), weights));
    CHECK(t.objective(&p, 1) != before);
    ap.alpha = 50.0;  // out of range: rejected, nothing changes
    CHECK_THROWS_WITH(t.set_activation_params(0, ap), Catch::Matchers::Contains("network.hidden[0].alpha"));
    CHECK(t.config().network.hidden[0].params.alpha == 0.9);
}

// ---- Typed live changes: one setter per setting the page changes while training ----

namespace {

// Everything a trainer would save, bit for bit (doubles survive the JSON), plus what a save leaves out.
std::string state_of(const Trainer& t) {
    return model_to_json(t) + "|" + t.divergence_reason() + "|" + std::to_string(t.last_loss());
}

ExperimentConfig live_config() {
    ExperimentConfig c = small_config(OptimizerKind::momentum);
    c.network.hidden = {layer(4, Activation::leaky_relu), layer(3, Activation::relu)};
    return c;
}

struct LiveCase {
    const char* name;
    std::function<void(Trainer&)> set;                // an accepted value
    std::function<void(ExperimentConfig&)> same;      // the same value written into a config
    std::function<void(Trainer&)> refused;            // a value the core refuses
    const char* field;                                // what the refusal names
};

std::vector<LiveCase> live_cases() {
    return {
        {"learning rate", [](Trainer& t) { t.set_learning_rate(0.3); },
         [](ExperimentConfig& c) { c.training.learning_rate = 0.3; },
         [](Trainer& t) { t.set_learning_rate(-1); }, "training.learning_rate must be 0..1000000, got -1"},
        {"batch size", [](Trainer& t) { t.set_batch_size(7); }, [](ExperimentConfig& c) { c.training.batch_size = 7; },
         [](Trainer& t) { t.set_batch_size(kMaxBatch + 1); }, "training.batch_size must be 1..4096, got 4097"},
        {"optimizer", [](Trainer& t) { t.set_optimizer(OptimizerKind::adam); },
         [](ExperimentConfig& c) { c.training.optimizer = OptimizerKind::adam; },
         [](Trainer& t) { t.set_optimizer(optimizer_named("training.optimizer", "adamw")); },
         "training.optimizer must be one of sgd, momentum, nesterov, rmsprop, adam; got 'adamw'"},
        {"regularization", [](Trainer& t) { t.set_regularization(Regularization::l2, 0.01); },
         [](ExperimentConfig& c) { c.training.regularization = Regularization::l2; c.training.regularization_rate = 0.01; },
         [](Trainer& t) { t.set_regularization(Regularization::l1, 11); }, "training.regularization_rate must be 0..10, got 11"},
        {"clip norm", [](Trainer& t) { t.set_clip_norm(0.05); }, [](ExperimentConfig& c) { c.training.clip_norm = 0.05; },
         [](Trainer& t) { t.set_clip_norm(std::nan("")); }, "training.clip_norm must be 0..1000000, got nan"},
        {"momentum", [](Trainer& t) { t.set_optimizer_param("momentum", 0.5); },
         [](ExperimentConfig& c) { c.training.momentum = 0.5; },
         [](Trainer& t) { t.set_optimizer_param("momentum", 1.0); }, "training.momentum must be 0..0.999999, got 1"},
        {"unknown optimizer parameter", [](Trainer& t) { t.set_optimizer_param("rho", 0.5); },
         [](ExperimentConfig& c) { c.training.rho = 0.5; },
         [](Trainer& t) { t.set_optimizer_param("gamma", 0.5); },
         "optimizer parameter must be one of momentum, rho, beta1, beta2, epsilon; got 'gamma'"},
        {"beta2", [](Trainer& t) { t.set_optimizer_param("beta2", 0.99); }, [](ExperimentConfig& c) { c.training.beta2 = 0.99; },
         [](Trainer& t) { t.set_optimizer_param("beta2", -0.1); }, "training.beta2 must be 0..0.999999, got -0.1"},
        {"epsilon", [](Trainer& t) { t.set_optimizer_param("epsilon", 1e-4); },
         [](ExperimentConfig& c) { c.training.epsilon = 1e-4; },
         [](Trainer& t) { t.set_optimizer_param("epsilon", 0); }, "training.epsilon must be 1e-300..1, got 0"},
        {"activation parameters", [](Trainer& t) { t.set_activation_params(0, {0.3, 1.0, 0.0}); },
         [](ExperimentConfig& c) { c.network.hidden[0].params.alpha = 0.3; },
         [](Trainer& t) { t.set_activation_params(0, {50.0, 1.0, 0.0}); }, "network.hidden[0].alpha must be -10..10, got 50"},
        {"f'(0)", [](Trainer& t) { t.set_relu_grad_at_zero(1.0); },
         [](ExperimentConfig& c) { for (auto& l : c.network.hidden) l.params.relu_grad_at_zero = 1.0; },
         [](Trainer& t) { t.set_relu_grad_at_zero(0.3); }, "network.hidden[*].relu_grad_at_zero must be 0, 0.5 or 1, got 0.3"},
    };
}

}  // namespace

TEST_CASE("typed setters: set before the first step, a run equals one configured with the value", "[trainer][live]") {
    for (const LiveCase& lc : live_cases()) {
        INFO(lc.name);
        ExperimentConfig c = live_config();
        Trainer a(c);
        lc.set(a);
        lc.same(c);
        Trainer b(c);
        CHECK(a.config() == b.config());
        a.train_steps(40);
        b.train_steps(40);
        CHECK(same_bits(params_of(a), params_of(b)));
        CHECK(same_bits(a.last_loss(), b.last_loss()));
    }
}

TEST_CASE("typed setters: mid-run, the next step uses the value and the weights stay", "[trainer][live]") {
    for (const LiveCase& lc : live_cases()) {
        INFO(lc.name);
        Trainer a(live_config()), b(live_config());
        a.train_steps(15);
        b.train_steps(15);
        const std::vector<double> weights = params_of(a);
        lc.set(a);
        ExperimentConfig c = b.config();
        lc.same(c);
        b.set_training(c.training);  // the whole-config path the setter replaces
        for (std::size_t l = 0; l < c.network.hidden.size(); ++l) b.set_activation_params(l, c.network.hidden[l].params);
        CHECK(a.config() == b.config());
        CHECK(same_bits(params_of(a), weights));
        CHECK(a.step() == 15);
        a.train_steps(10);
        b.train_steps(10);
        CHECK(same_bits(params_of(a), params_of(b)));
    }
}

TEST_CASE("typed setters: a refused value names the field and leaves the trainer bit-identical", "[trainer][live]") {
    for (const LiveCase& lc : live_cases()) {
        INFO(lc.name);
        Trainer t(live_config()), twin(live_config());
        t.train_steps(12);
        twin.train_steps(12);
        const std::string before = state_of(t);
        CHECK_THROWS_WITH(lc.refused(t), lc.field);
        CHECK(state_of(t) == before);
        CHECK(t.config() == twin.config());
        // ... and it trains on exactly as if nothing had been tried.
        t.train_steps(10);
        twin.train_steps(10);
        CHECK(same_bits(params_of(t), params_of(twin)));
    }
}

TEST_CASE("the next step after a setter differs from a run without it", "[trainer][live]") {
    // f'(0) is left out: a pre-activation of exactly 0 is too rare for 5 steps to show it.
    for (const LiveCase& lc : live_cases()) {
        if (std::string(lc.name) == "f'(0)") continue;
        INFO(lc.name);
        ExperimentConfig c = live_config();
        if (std::string(lc.name) == "beta2" || std::string(lc.name) == "epsilon" || std::string(lc.name) == "unknown optimizer parameter")
            c.training.optimizer = std::string(lc.name) == "unknown optimizer parameter" ? OptimizerKind::rmsprop : OptimizerKind::adam;
        Trainer a(c), b(c);
        a.train_steps(5);
        b.train_steps(5);
        lc.set(a);
        a.train_steps(5);
        b.train_steps(5);
        CHECK_FALSE(same_bits(params_of(a), params_of(b)));
    }
}

TEST_CASE("set_optimizer: the same kind keeps its state, another starts afresh", "[trainer][live]") {
    Trainer t(small_config(OptimizerKind::adam));
    t.train_steps(10);
    const std::vector<double> m = t.optimizer().first_moment();
    t.set_optimizer(OptimizerKind::adam);
    CHECK(t.optimizer().steps() == 10);
    CHECK(same_bits(t.optimizer().first_moment(), m));
    t.set_optimizer(OptimizerKind::rmsprop);
    CHECK(t.optimizer().steps() == 0);
    for (double x : t.optimizer().first_moment()) CHECK(x == 0.0);
    for (double x : t.optimizer().second_moment()) CHECK(x == 0.0);
}

TEST_CASE("set_parameter edits one weight; a bad index or value is refused", "[trainer][live]") {
    Trainer a(small_config()), b(small_config());
    a.train_steps(5);
    b.train_steps(5);
    a.set_parameter(3, 0.25);
    b.network().params()[3] = 0.25;
    CHECK(same_bits(params_of(a), params_of(b)));
    a.train_steps(20);
    b.train_steps(20);
    CHECK(same_bits(params_of(a), params_of(b)));

    const std::string before = state_of(a);
    const auto n = static_cast<std::int64_t>(a.network().params().size());
    CHECK_THROWS_WITH(a.set_parameter(n, 1.0), "params index must be 0.." + std::to_string(n - 1) + ", got " + std::to_string(n));
    CHECK_THROWS_WITH(a.set_parameter(-1, 1.0), "params index must be 0.." + std::to_string(n - 1) + ", got -1");
    CHECK_THROWS_WITH(a.set_parameter(2, std::nan("")), "params[2] must be finite, got NaN");
    CHECK_THROWS_WITH(a.set_parameter(2, HUGE_VAL), "params[2] must be finite, got infinite");
    CHECK(state_of(a) == before);
}

TEST_CASE("set_activation_params refuses a layer beyond the network", "[trainer][live]") {
    Trainer t(live_config());
    CHECK_THROWS_WITH(t.set_activation_params(2, {}), "layer must be 0..1, got 2");
    ExperimentConfig c = live_config();
    c.network.hidden.clear();
    Trainer none(c);
    CHECK_THROWS_WITH(none.set_activation_params(0, {}), "layer 0: the network has no hidden layer");
    none.set_relu_grad_at_zero(0.5);  // no layer to change, nothing to refuse
    CHECK_THROWS_WITH(none.set_relu_grad_at_zero(2), Catch::Matchers::Contains("relu_grad_at_zero must be 0, 0.5 or 1"));
}

TEST_CASE("progress() is evaluate() without the full-set pass", "[trainer]") {
    Trainer t(small_config());
    t.train_steps(12);
    const Metrics p = t.progress(), m = t.evaluate();
    CHECK(p.step == 12);
    CHECK(p.epoch == m.epoch);
    CHECK(same_bits(p.batch_loss, t.last_loss()));
    CHECK(same_bits(p.learning_rate, t.learning_rate_now()));
    CHECK(same_bits(p.batch_loss, m.batch_loss));
    CHECK(std::isnan(p.train_loss));
    CHECK(std::isnan(p.test_accuracy));
    CHECK(std::isfinite(m.train_loss));
}

// ---- The overflow guard, the parameter bound and L1 at zero: each a line a slip could silently break ----

namespace {

// A ReLU unit whose bias is so negative that it never fires: its output is 0 for every point, its gradient
// is 0, and the loss stays finite however large the bias is. Returns the bias's index in the arena.
std::size_t dead_bias(const Trainer& t) { return t.network().layers()[0].b; }

}  // namespace

TEST_CASE("a weight that overflows is rolled back: parameters and optimizer state as before the step",
          "[trainer][divergence]") {
    // Momentum's velocity on the dead unit's bias (restored from a saved state) is 1e300: the step adds
    // lr * 0.9e300 = 9e305 to a bias of -1.79e308, which overflows to -inf while the loss (the unit is
    // dead) and the gradient stay finite. Only the check after the update can catch it.
    ExperimentConfig c = small_config(OptimizerKind::momentum);
    c.network.hidden = {layer(4, Activation::relu)};
    c.training.learning_rate = 1e6;
    Trainer t(c);
    std::vector<double> p = params_of(t);
    const std::size_t b = dead_bias(t);
    p[b] = -1.79e308;
    std::vector<double> m(p.size(), 0.0);
    m[b] = 1e300;
    t.restore(0, 0, 0, p, 0, m, {});
    const std::vector<double> m_before(t.optimizer().first_moment().begin(), t.optimizer().first_moment().end());

    CHECK(t.train_steps(5) == 0);
    REQUIRE(t.diverged());
    CHECK(t.divergence_reason() == "a weight became infinite at step 1");
    CHECK(t.step() == 0);
    CHECK(same_bits(params_of(t), p));  // every parameter, the overflowing one included, as before
    const std::vector<double> m_after(t.optimizer().first_moment().begin(), t.optimizer().first_moment().end());
    CHECK(same_bits(m_after, m_before));
    CHECK(t.optimizer().steps() == 0);

    // A small weight overflows too when the velocity is huge (1e308 * 0.9 * lr): the parameter bound is then
    // far below the fast path's limit, so only sending every non-SGD step through the check catches it.
    std::vector<double> q = params_of(t);
    q[b] = -1.0;
    m[b] = 1e308;
    t.restore(0, 0, 0, q, 0, m, {});
    t.clear_divergence();
    CHECK(t.train_steps(5) == 0);
    CHECK(t.divergence_reason() == "a weight became infinite at step 1");
    CHECK(same_bits(params_of(t), q));

    // Without the push the same state trains: it was the overflow, not the huge bias, that stopped it.
    m[b] = 0.0;
    t.restore(0, 0, 0, p, 0, m, {});
    t.clear_divergence();
    CHECK(t.train_steps(3) == 3);
    CHECK_FALSE(t.diverged());
}

TEST_CASE("SGD's fast path trusts the parameter bound: a non-finite weight set from outside is caught",
          "[trainer][divergence]") {
    // A bias of -inf (the page's weight editor can set one) keeps its ReLU unit dead: loss and gradient stay
    // finite, and SGD's p - lr g leaves it -inf. start_training's bound (NaN here) must send the step down
    // the checked path, which reports it and restores the parameters; a bound of 0 would let it through.
    ExperimentConfig c = small_config(OptimizerKind::sgd);
    c.network.hidden = {layer(4, Activation::relu)};
    Trainer t(c);
    std::vector<double> p = params_of(t);
    p[dead_bias(t)] = -std::numeric_limits<double>::infinity();
    std::copy(p.begin(), p.end(), t.network().params().begin());
    CHECK(t.train_steps(1) == 0);
    REQUIRE(t.diverged());
    CHECK(t.divergence_reason() == "a weight became infinite at step 1");
    CHECK(same_bits(params_of(t), p));
}

TEST_CASE("L1's subgradient at exactly w = 0 is 0, elsewhere it is r sign(w)", "[trainer]") {
    ExperimentConfig c = small_config();
    Trainer plain(c);
    c.training.regularization = Regularization::l1;
    c.training.regularization_rate = 0.25;
    Trainer pulled(c);
    std::vector<double> p = params_of(plain);
    const LayerShape& s = plain.network().layers()[0];
    p[s.w] = 0.0;
    p[s.w + 1] = -0.0;
    p[s.w + 2] = 0x1p-1074;  // the smallest positive weight still gets the full pull
    std::copy(p.begin(), p.end(), plain.network().params().begin());
    std::copy(p.begin(), p.end(), pulled.network().params().begin());
    const auto& pts = plain.data().train;
    const double plain_loss = plain.compute_gradients(pts.data(), pts.size());
    const double pulled_loss = pulled.compute_gradients(pts.data(), pts.size());
    const auto g0 = plain.network().grads(), g1 = pulled.network().grads();
    CHECK(g1[s.w] - g0[s.w] == 0.0);
    CHECK(g1[s.w + 1] - g0[s.w + 1] == 0.0);
    CHECK(g1[s.w + 2] - g0[s.w + 2] == Approx(0.25).epsilon(1e-12));
    CHECK(g1[s.w + 3] - g0[s.w + 3] == Approx(p[s.w + 3] > 0 ? 0.25 : -0.25).epsilon(1e-12));
    // The penalty is r sum |w| over weights only (0 and -0 add nothing), and the objective includes it.
    double sum = 0.0;
    for (const LayerShape& l : plain.network().layers())
        for (std::size_t i = l.w; i < l.w + l.in * l.out; ++i) sum += std::fabs(p[i]);
    CHECK(pulled_loss - plain_loss == Approx(0.25 * sum).epsilon(1e-12));
}

TEST_CASE("the L2 penalty is (r / 2) sum w^2 over weights and its gradient r w", "[trainer]") {
    ExperimentConfig c = small_config();
    Trainer plain(c);
    c.training.regularization = Regularization::l2;
    c.training.regularization_rate = 0.5;
    Trainer pulled(c);
    const std::vector<double> p = params_of(plain);
    const auto& pts = plain.data().train;
    const double plain_loss = plain.compute_gradients(pts.data(), pts.size());
    const double pulled_loss = pulled.compute_gradients(pts.data(), pts.size());
    double sum = 0.0;
    for (const LayerShape& l : plain.network().layers())
        for (std::size_t i = l.w; i < l.w + l.in * l.out; ++i) {
            sum += p[i] * p[i];
            CHECK(pulled.network().grads()[i] - plain.network().grads()[i] == Approx(0.5 * p[i]).margin(1e-15));
        }
    CHECK(pulled_loss - plain_loss == Approx(0.25 * sum).epsilon(1e-12));
}
