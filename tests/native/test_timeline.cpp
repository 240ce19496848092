// Time travel: a step recomputed from the nearest snapshot is bit for bit the step a straight run reaches,
// continuing from it is a branch that equals the straight run too, live changes are replayed exactly,
// the snapshots stay within their byte budget over long runs, and units' deaths are marked at their step.
#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "checkpoint.hpp"
#include "error.hpp"
#include "serialize.hpp"
#include "timeline.hpp"
#include "trainer.hpp"

using namespace ap;

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

bool same_bits(std::span<const double> a, std::span<const double> b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_bits(a[i], b[i])) return false;
    return true;
}

// Every bit of the state a run continues from, and the losses the page shows.
void require_same_state(Trainer& a, Trainer& b) {
    REQUIRE(a.step() == b.step());
    REQUIRE(a.epoch() == b.epoch());
    REQUIRE(a.cursor() == b.cursor());
    REQUIRE(same_bits(a.network().params(), b.network().params()));
    REQUIRE(same_bits(a.optimizer().first_moment(), b.optimizer().first_moment()));
    REQUIRE(same_bits(a.optimizer().second_moment(), b.optimizer().second_moment()));
    REQUIRE(a.optimizer().steps() == b.optimizer().steps());
    REQUIRE(same_bits(a.last_loss(), b.last_loss()));
    REQUIRE(a.config() == b.config());
    const Metrics ma = a.evaluate(), mb = b.evaluate();
    REQUIRE(same_bits(ma.train_loss, mb.train_loss));
    REQUIRE(same_bits(ma.test_loss, mb.test_loss));
}

ExperimentConfig relu_config() {
    ExperimentConfig c;
    c.seed = 11;
    c.data.kind = DatasetKind::spiral;
    c.data.num_points = 120;
    c.data.noise = 0.1;
    c.network.hidden = {{6, Activation::relu, default_params(Activation::relu)},
                        {4, Activation::leaky_relu, default_params(Activation::leaky_relu)}};
    c.training.optimizer = OptimizerKind::adam;
    c.training.learning_rate = 0.03;
    c.training.batch_size = 7;  // 60 training points: epochs end mid-batch-grid, so the cursor matters
    return c;
}

}  // namespace

TEST_CASE("seek(s) is bit for bit the run that trained straight to s", "[timeline]") {
    const ExperimentConfig c = relu_config();
    Trainer run(c);
    Timeline line(run);
    const int k = line.every();
    CHECK(k >= kMinSnapshotEvery);
    CHECK(line.train(run, 1000) == 1000);
    CHECK(line.head() == 1000);
    CHECK(line.checkpoints().size() == 1 + 1000 / k);
    for (const std::int64_t s :
         {std::int64_t{0}, std::int64_t{1}, std::int64_t{k - 1}, std::int64_t{k}, std::int64_t{k + 5},
          std::int64_t{377}, std::int64_t{999}, std::int64_t{1000}, std::int64_t{3}}) {
        INFO("step " << s);
        CHECK(line.seek(run, s) == s);
        Trainer straight(c);
        straight.train_steps(static_cast<int>(s));
        require_same_state(run, straight);
    }
    CHECK(line.head() == 1000);  // seeking keeps the later history
}

TEST_CASE("training after a seek is a branch that equals the straight run", "[timeline]") {
    const ExperimentConfig c = relu_config();
    Trainer run(c);
    Timeline line(run);
    line.train(run, 900);
    line.seek(run, 301);
    CHECK(line.train(run, 200) == 200);
    CHECK(line.head() == 501);
    for (const Checkpoint& cp : line.checkpoints()) CHECK(cp.step <= 501);
    Trainer straight(c);
    straight.train_steps(501);
    require_same_state(run, straight);
    // And the branch's own history is exact too.
    line.seek(run, 450);
    Trainer to450(c);
    to450.train_steps(450);
    require_same_state(run, to450);
    CHECK_THROWS_WITH(line.seek(run, 600), "step must be 0..501, got 600");
}

TEST_CASE("live changes are replayed: a step after a change equals a run that made the change", "[timeline]") {
    const ExperimentConfig c = relu_config();
    auto straight_to = [&](std::int64_t s) {
        Trainer t(c);
        t.train_steps(static_cast<int>(std::min<std::int64_t>(s, 130)));
        if (s < 130) return t;
        t.set_learning_rate(0.1);
        t.set_optimizer(OptimizerKind::momentum);
        t.set_parameter(3, 0.25);
        t.train_steps(static_cast<int>(s - 130));
        return t;
    };
    Trainer run(c);
    Timeline line(run);
    line.train(run, 130);  // 130 is not on the snapshot grid
    run.set_learning_rate(0.1);
    line.changed(run);
    run.set_optimizer(OptimizerKind::momentum);
    line.changed(run);
    run.set_parameter(3, 0.25);
    line.changed(run);
    line.train(run, 400);
    for (const std::int64_t s : {129, 130, 131, 200, 530, 17}) {
        INFO("step " << s);
        line.seek(run, s);
        Trainer straight = straight_to(s);
        require_same_state(run, straight);
    }
    // A change made at an earlier step is a branch too.
    line.seek(run, 60);
    run.set_learning_rate(0.001);
    line.changed(run);
    CHECK(line.head() == 60);
    line.train(run, 10);
    Trainer other(c);
    other.train_steps(60);
    other.set_learning_rate(0.001);
    other.train_steps(10);
    require_same_state(run, other);
}

TEST_CASE("snapshots stay within the byte budget over a long run, thinning to every 2K steps", "[timeline]") {
    ExperimentConfig c = relu_config();
    c.network.hidden = {{16, Activation::relu, default_params(Activation::relu)}};
    Trainer probe(c);
    const std::size_t one = capture(probe).bytes();
    const std::size_t budget = 12 * one;  // about 12 snapshots
    Trainer run(c);
    Timeline line(run, budget);
    const int k0 = line.every();
    std::size_t most = 0;
    for (int i = 0; i < 200; ++i) {
        line.train(run, 97);
        most = std::max(most, line.bytes());
        REQUIRE(line.bytes() <= budget);
    }
    CHECK(line.head() == 19400);
    CHECK(line.every() > k0);                     // it thinned
    CHECK(line.checkpoints().size() >= 6);        // and still keeps a useful number
    CHECK(line.checkpoints().front().step == 0);  // step 0 stays on every grid
    for (const Checkpoint& cp : line.checkpoints()) CHECK((cp.pinned || cp.step % line.every() == 0));
    CHECK(most > budget / 2);
    const std::int64_t s = 12345;
    line.seek(run, s);
    Trainer straight(c);
    straight.train_steps(static_cast<int>(s));
    require_same_state(run, straight);
}

// What bytes() must equal: every snapshot's bytes, the snapshot vector's spare room and the unit events'.
std::size_t recount(const Timeline& line) {
    std::size_t b = line.unit_events().capacity() * sizeof(UnitEvent) +
                    (line.checkpoints().capacity() - line.checkpoints().size()) * sizeof(Checkpoint);
    for (const Checkpoint& cp : line.checkpoints()) b += cp.bytes();
    return b;
}

TEST_CASE("the bytes held are kept as snapshots come and go: thinning, branches, changes, budget", "[timeline]") {
    // bytes() is a running total (summing every snapshot at each new one made long runs ever slower); it
    // must equal a recount after each way a snapshot enters or leaves.
    ExperimentConfig c = relu_config();
    c.network.hidden = {{16, Activation::relu, default_params(Activation::relu)}};
    Trainer probe(c);
    Trainer run(c);
    Timeline line(run, 9 * capture(probe).bytes());
    for (int i = 0; i < 60; ++i) {
        line.train(run, 211);  // thins more than once on the way
        REQUIRE(line.bytes() == recount(line));
        if (i % 7 == 3) {
            line.seek(run, line.head() - 300);  // back, then a change there: a pinned snapshot on a new branch
            run.set_learning_rate(0.01 + 0.001 * i);
            line.changed(run);
            REQUIRE(line.bytes() == recount(line));
        }
    }
    CHECK(line.every() > kMinSnapshotEvery);
}

TEST_CASE("a wide network stays within 32 MB of snapshots", "[timeline][slow]") {
    ExperimentConfig c;
    c.seed = 3;
    c.data.num_points = 40;
    c.network.hidden = {{256, Activation::relu, default_params(Activation::relu)},
                        {256, Activation::relu, default_params(Activation::relu)}};
    c.training.optimizer = OptimizerKind::adam;
    Trainer run(c);
    Timeline line(run);
    const std::size_t one = line.checkpoints().front().bytes();
    CHECK(one > 1'500'000);  // (2*256 + 256 + 256*256 + 256 + 257) params, 3 copies with Adam's moments
    for (int i = 0; i < 30; ++i) {
        line.train(run, 100);
        REQUIRE(line.bytes() <= kSnapshotBudgetBytes);
    }
    CHECK(line.every() >= 4 * kMinSnapshotEvery);
    CHECK(line.bytes() + one > kSnapshotBudgetBytes / 2);
}

TEST_CASE("a unit's death and return are marked at their steps, and a branch drops later marks", "[timeline]") {
    const ExperimentConfig c = relu_config();
    Trainer run(c);
    Timeline line(run);
    const auto& shapes = run.network().layers();
    const std::size_t bias0 = shapes[0].b;  // unit 0 of hidden layer 0
    const std::size_t before = line.unit_events().size();
    line.train(run, 40);
    const std::size_t trained = line.unit_events().size();
    run.set_parameter(static_cast<std::int64_t>(bias0), -1e4);  // z < 0 for every point: dead
    line.changed(run);
    REQUIRE(line.unit_events().size() == trained + 1);
    const UnitEvent died = line.unit_events().back();
    CHECK(died.step == 40);
    CHECK(died.unit == 0);
    CHECK(died.dead);
    line.train(run, 10);
    run.set_parameter(static_cast<std::int64_t>(bias0), 1e4);  // positive for every point: alive
    line.changed(run);
    const UnitEvent back = line.unit_events().back();
    CHECK(back.step == 50);
    CHECK(back.unit == 0);
    CHECK_FALSE(back.dead);
    // Back to step 20 and on: a new branch, where the unit never died.
    line.seek(run, 20);
    line.train(run, 5);
    for (const UnitEvent& e : line.unit_events()) CHECK(e.step <= 25);
    CHECK(line.unit_events().size() >= before);
}

TEST_CASE("seek refuses steps outside the timeline and a run from a model starts at its step", "[timeline]") {
    const ExperimentConfig c = relu_config();
    Trainer saved(c);
    saved.train_steps(300);
    auto run = model_from_json(model_to_json(saved));
    Timeline line(*run);
    CHECK(line.earliest() == 300);
    line.train(*run, 50);
    CHECK_THROWS_WITH(line.seek(*run, 299), "step must be 300..350, got 299");
    CHECK_THROWS_WITH(line.seek(*run, -5), "step must be 300..350, got -5");
    line.seek(*run, 320);
    Trainer straight(c);
    straight.train_steps(320);
    // The model file has no batch loss: compare everything else.
    CHECK(same_bits(run->network().params(), straight.network().params()));
    CHECK(run->cursor() == straight.cursor());
}

TEST_CASE("a snapshot bigger than the budget is not kept, and only the current step can be shown", "[timeline]") {
    const ExperimentConfig c = relu_config();
    Trainer run(c);
    Timeline line(run, 100);
    CHECK(line.checkpoints().empty());
    line.train(run, 100);
    CHECK(line.bytes() <= 100);
    CHECK(line.seek(run, 100) == 100);
    CHECK(line.earliest() == 100);
    CHECK_THROWS_WITH(line.seek(run, 50), "step must be 100..100, got 50");
}

TEST_CASE("a budget of 0 keeps nothing, skips the dead-unit pass, and trains as the trainer alone", "[timeline]") {
    const ExperimentConfig c = relu_config();
    Trainer run(c);
    Timeline line(run, 0);
    CHECK(line.train(run, 500) == 500);
    line.changed(run);
    CHECK(line.train(run, 300) == 300);
    CHECK(line.checkpoints().empty());
    CHECK(line.unit_events().empty());
    CHECK(line.bytes() == 0);
    CHECK(line.head() == 800);
    CHECK(line.earliest() == 800);
    CHECK_THROWS_WITH(line.seek(run, 400), "step must be 800..800, got 400");
    Trainer straight(c);
    straight.train_steps(800);
    require_same_state(run, straight);
}
