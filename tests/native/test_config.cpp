// validate_config at the edges: every out-of-range field is rejected with a message that names it, the
// boundaries themselves are accepted, and every name table round-trips.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "config.hpp"
#include "error.hpp"

using namespace ap;
using Catch::Matchers::Contains;

namespace {

// The message validate_config throws, or "" when the config is accepted.
std::string rejection(const ExperimentConfig& c) {
    try {
        validate_config(c);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

ExperimentConfig with_hidden(std::size_t layers, int units) {
    ExperimentConfig c;
    c.network.hidden.assign(layers, LayerConfig{units, Activation::relu, default_params(Activation::relu)});
    return c;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST_CASE("the default config is valid", "[config]") {
    CHECK(rejection(ExperimentConfig{}).empty());
}

TEST_CASE("network shape: units 1..256, at most 12 hidden layers", "[config]") {
    CHECK(rejection(with_hidden(1, 1)).empty());
    CHECK(rejection(with_hidden(1, 256)).empty());
    CHECK(rejection(with_hidden(12, 4)).empty());
    CHECK(rejection(with_hidden(0, 4)).empty());  // no hidden layer: logistic regression on the features

    ExperimentConfig c = with_hidden(3, 4);
    c.network.hidden[1].units = 0;
    CHECK_THAT(rejection(c), Contains("network.hidden[1].units") && Contains("1..256") && Contains("got 0"));
    c.network.hidden[1].units = 300;
    CHECK_THAT(rejection(c), Contains("network.hidden[1].units") && Contains("got 300"));
    CHECK_THAT(rejection(with_hidden(13, 4)), Contains("network.hidden (layers)") && Contains("got 13"));
}

TEST_CASE("activation parameters", "[config]") {
    ExperimentConfig c = with_hidden(2, 4);
    c.network.hidden[1].activation = Activation::leaky_relu;
    c.network.hidden[1].params.alpha = 11.0;
    CHECK_THAT(rejection(c), Contains("network.hidden[1].alpha"));
    c.network.hidden[1].params.alpha = kNaN;
    CHECK_THAT(rejection(c), Contains("network.hidden[1].alpha"));
    c.network.hidden[1].params.alpha = 0.2;
    CHECK(rejection(c).empty());
    c.network.hidden[0].activation = Activation::silu;
    c.network.hidden[0].params.beta = 0.0;
    CHECK_THAT(rejection(c), Contains("network.hidden[0].beta"));
    c.network.hidden[0].params.beta = 1.0;
    c.network.hidden[0].params.relu_grad_at_zero = 0.3;
    CHECK_THAT(rejection(c), Contains("network.hidden[0].relu_grad_at_zero"));
    c.network.hidden[0].params.relu_grad_at_zero = 0.5;
    CHECK(rejection(c).empty());
}

TEST_CASE("features: 1..7 distinct columns for 2-D data, ignored for 1-D data", "[config]") {
    ExperimentConfig c;
    c.network.features = {Feature::x1, Feature::x1_squared, Feature::x1};
    CHECK_THAT(rejection(c), Contains("network.features") && Contains("x1 twice"));
    c.network.features = {};
    CHECK_THAT(rejection(c), Contains("network.features (count)"));
    c.data.kind = DatasetKind::sine;  // 1-D: the input is x, whatever the features say
    c.network.head = Head::linear_mse;
    CHECK(rejection(c).empty());
}

TEST_CASE("the head must fit the data", "[config]") {
    ExperimentConfig c;
    c.data.kind = DatasetKind::circle;
    c.network.head = Head::linear_mse;
    CHECK_THAT(rejection(c), Contains("network.head linear_mse") && Contains("classification"));
    c.data.kind = DatasetKind::sine;
    c.network.head = Head::sigmoid_bce;
    CHECK_THAT(rejection(c), Contains("network.head sigmoid_bce") && Contains("linear_mse"));
    c.data.kind = DatasetKind::spiral3;
    c.network.head = Head::tanh_mse;
    CHECK_THAT(rejection(c), Contains("network.head tanh_mse") && Contains("3 classes need softmax_ce"));
    c.network.head = Head::softmax_ce;
    CHECK(rejection(c).empty());
    c.data.kind = DatasetKind::xor_;  // softmax over two classes is allowed
    CHECK(rejection(c).empty());
}

TEST_CASE("data ranges", "[config]") {
    ExperimentConfig c;
    c.data.num_points = 9;
    CHECK_THAT(rejection(c), Contains("data.num_points") && Contains("got 9"));
    c.data.num_points = kMaxPoints + 1;
    CHECK_THAT(rejection(c), Contains("data.num_points"));
    c.data.num_points = 10;
    CHECK(rejection(c).empty());
    c.data.noise = 0.6;
    CHECK_THAT(rejection(c), Contains("data.noise"));
    c.data.noise = 0.5;
    c.data.test_fraction = 0.05;
    CHECK_THAT(rejection(c), Contains("data.test_fraction"));
    c.data.test_fraction = kNaN;
    CHECK_THAT(rejection(c), Contains("data.test_fraction"));
}

TEST_CASE("custom points", "[config]") {
    ExperimentConfig c;
    c.data.kind = DatasetKind::custom;
    c.data.custom_points = {{0, 0, 0}, {1, 1, 1}, {2, 0, 0}, {0, 2, 1}};
    CHECK(rejection(c).empty());
    CHECK(classes_of(c.data) == 2);
    for (double bad : {6.0, 2.5, -1.0, kNaN}) {
        c.data.custom_points[2].label = bad;
        CHECK_THAT(rejection(c), Contains("data.points[2].label must be an integer 0..5"));
    }
    c.data.custom_points[2].label = 2;
    CHECK(classes_of(c.data) == 3);
    CHECK_THAT(rejection(c), Contains("3 classes need softmax_ce"));
    // The highest label names the count: a label 4 makes five classes (labels 2 and 3 empty), 5 makes six.
    c.data.custom_points[2].label = 4;
    CHECK(classes_of(c.data) == 5);
    c.data.custom_points[2].label = 5;
    CHECK(classes_of(c.data) == kMaxClasses);
    CHECK_THAT(rejection(c), Contains("6 classes need softmax_ce"));
    c.network.head = Head::softmax_ce;
    CHECK(rejection(c).empty());
    c.network.head = Head::sigmoid_bce;
    c.data.custom_points.resize(3);
    CHECK_THAT(rejection(c), Contains("data.points") && Contains("got 3"));
    c.data.custom_points = {{0, 0, 0}, {1, 1, 1}, {2, 0, 0}, {0, 2, 1}};
    c.data.custom_points[1].x2 = kNaN;
    CHECK_THAT(rejection(c), Contains("data.points[1].x2"));
    c.data.custom_points[1].x2 = 1;
    c.data.custom_dims = 1;  // (x, y) points are regression only
    CHECK_THAT(rejection(c), Contains("data.dims"));
    c.data.custom_problem = ProblemKind::regression;
    c.network.head = Head::linear_mse;
    CHECK(rejection(c).empty());
    CHECK(input_dims_of(c.data) == 1);
    CHECK(classes_of(c.data) == 0);
}

TEST_CASE("blobs: 2..kMaxClasses classes, more than two need softmax_ce", "[config]") {
    ExperimentConfig c;
    c.data.kind = DatasetKind::blobs;
    c.network.head = Head::softmax_ce;
    for (int k = 2; k <= kMaxClasses; ++k) {
        c.data.classes = k;
        CHECK(classes_of(c.data) == k);
        CHECK(rejection(c).empty());
    }
    for (int k : {1, 0, -3, kMaxClasses + 1}) {
        c.data.classes = k;
        CHECK_THAT(rejection(c), Contains("data.classes must be 2..6"));
    }
    c.data.classes = 3;
    c.network.head = Head::sigmoid_bce;
    CHECK_THAT(rejection(c), Contains("3 classes need softmax_ce"));
    c.data.classes = 2;
    CHECK(rejection(c).empty());
    // Other data sets ignore the field: their class count is their own.
    c.data.kind = DatasetKind::circle;
    c.data.classes = 99;
    CHECK(rejection(c).empty());
    CHECK(classes_of(c.data) == 2);
}

TEST_CASE("training ranges", "[config]") {
    auto rejected = [](auto change) {
        ExperimentConfig c;
        change(c.training);
        return rejection(c);
    };
    CHECK_THAT(rejected([](TrainingConfig& t) { t.learning_rate = kNaN; }), Contains("training.learning_rate"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.learning_rate = -0.1; }), Contains("training.learning_rate"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.learning_rate = 2e6; }), Contains("training.learning_rate"));
    CHECK(rejected([](TrainingConfig& t) { t.learning_rate = 1e6; }).empty());
    CHECK_THAT(rejected([](TrainingConfig& t) { t.batch_size = 0; }), Contains("training.batch_size") && Contains("got 0"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.batch_size = kMaxBatch + 1; }), Contains("training.batch_size"));
    CHECK(rejected([](TrainingConfig& t) { t.batch_size = kMaxBatch; }).empty());
    CHECK_THAT(rejected([](TrainingConfig& t) { t.regularization_rate = -1; }), Contains("training.regularization_rate"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.clip_norm = -1; }), Contains("training.clip_norm"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.momentum = 1.0; }), Contains("training.momentum"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.rho = 1.0; }), Contains("training.rho"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.beta1 = 1.0; }), Contains("training.beta1"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.beta2 = kNaN; }), Contains("training.beta2"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.epsilon = 0.0; }), Contains("training.epsilon"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.step_every = 0; }), Contains("training.step_every"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.step_gamma = 1.5; }), Contains("training.step_gamma"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.cosine_steps = 0; }), Contains("training.cosine_steps"));
    CHECK_THAT(rejected([](TrainingConfig& t) { t.min_learning_rate = t.learning_rate * 2; }),
               Contains("training.min_learning_rate"));
}

TEST_CASE("init ranges", "[config]") {
    ExperimentConfig c;
    c.network.init.uniform_range = -1;
    CHECK_THAT(rejection(c), Contains("network.init.uniform_range"));
    c.network.init.uniform_range = 0.5;
    c.network.init.bias = kNaN;
    CHECK_THAT(rejection(c), Contains("network.init.bias"));
}

TEST_CASE("ConfigError is an invalid_argument, so callers can catch either", "[config]") {
    ExperimentConfig c;
    c.training.batch_size = 0;
    CHECK_THROWS_AS(validate_config(c), ConfigError);
    CHECK_THROWS_AS(validate_config(c), std::invalid_argument);
}

TEST_CASE("name tables round-trip and reject unknown names", "[config]") {
    for (int i = 0; i <= static_cast<int>(DatasetKind::custom); ++i) {
        const auto v = static_cast<DatasetKind>(i);
        CHECK(dataset_from_name(dataset_name(v)) == v);
    }
    for (int i = 0; i <= static_cast<int>(Feature::sin_x2); ++i) {
        const auto v = static_cast<Feature>(i);
        CHECK(feature_from_name(feature_name(v)) == v);
    }
    for (int i = 0; i <= static_cast<int>(Head::softmax_ce); ++i) {
        const auto v = static_cast<Head>(i);
        CHECK(head_from_name(head_name(v)) == v);
    }
    for (int i = 0; i <= static_cast<int>(InitScheme::zeros); ++i) {
        const auto v = static_cast<InitScheme>(i);
        CHECK(init_from_name(init_name(v)) == v);
    }
    for (int i = 0; i <= static_cast<int>(OptimizerKind::adam); ++i) {
        const auto v = static_cast<OptimizerKind>(i);
        CHECK(optimizer_from_name(optimizer_name(v)) == v);
    }
    for (int i = 0; i <= static_cast<int>(Regularization::l2); ++i) {
        const auto v = static_cast<Regularization>(i);
        CHECK(regularization_from_name(regularization_name(v)) == v);
    }
    for (int i = 0; i <= static_cast<int>(Schedule::cosine); ++i) {
        const auto v = static_cast<Schedule>(i);
        CHECK(schedule_from_name(schedule_name(v)) == v);
    }
    CHECK(dataset_name(DatasetKind::xor_) == "xor");
    CHECK(feature_name(Feature::x1_times_x2) == "x1*x2");
    CHECK_FALSE(dataset_from_name("xor_").has_value());
    CHECK_FALSE(optimizer_from_name("Adam").has_value());
    CHECK_FALSE(head_from_name("").has_value());
}

TEST_CASE("problem kind, input dimensions and classes of each dataset", "[config]") {
    struct Row { DatasetKind kind; ProblemKind problem; int dims; int classes; };
    const Row rows[] = {
        {DatasetKind::circle, ProblemKind::classification, 2, 2},
        {DatasetKind::xor_, ProblemKind::classification, 2, 2},
        {DatasetKind::gaussians, ProblemKind::classification, 2, 2},
        {DatasetKind::blobs, ProblemKind::classification, 2, 4},
        {DatasetKind::spiral, ProblemKind::classification, 2, 2},
        {DatasetKind::spiral3, ProblemKind::classification, 2, 3},
        {DatasetKind::moons, ProblemKind::classification, 2, 2},
        {DatasetKind::checkerboard, ProblemKind::classification, 2, 2},
        {DatasetKind::sine, ProblemKind::regression, 1, 0},
        {DatasetKind::abs, ProblemKind::regression, 1, 0},
        {DatasetKind::step, ProblemKind::regression, 1, 0},
        {DatasetKind::cubic, ProblemKind::regression, 1, 0},
        {DatasetKind::plane, ProblemKind::regression, 2, 0},
        {DatasetKind::multi_gaussian, ProblemKind::regression, 2, 0},
    };
    for (const Row& r : rows) {
        DataConfig d;
        d.kind = r.kind;
        INFO(dataset_name(r.kind));
        CHECK(problem_of(d) == r.problem);
        CHECK(input_dims_of(d) == r.dims);
        CHECK(classes_of(d) == r.classes);
    }
}
