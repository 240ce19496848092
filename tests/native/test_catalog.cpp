// The catalog against the core it describes: every name reads back as the value it names, every dataset's
// problem, dims and classes are the ones make_dataset produces, and each limit is the one validation applies.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "catalog.hpp"
#include "dataset.hpp"
#include "error.hpp"

using namespace ap;

namespace {

const NamedRange& range(const char* name) {
    const auto& r = catalog().ranges;
    const auto it = std::find_if(r.begin(), r.end(), [&](const NamedRange& x) { return x.name == name; });
    REQUIRE(it != r.end());
    return *it;
}

double limit(const char* name) {
    const auto& l = catalog().limits;
    const auto it = std::find_if(l.begin(), l.end(), [&](const NamedValue& x) { return x.name == name; });
    REQUIRE(it != l.end());
    return it->value;
}

}  // namespace

TEST_CASE("catalog names read back as the values they name, each once", "[catalog]") {
    const Catalog& c = catalog();
    CHECK(c.activations.size() == all_activations().size());
    for (const auto& a : c.activations) CHECK(activation_from_name(a.name).has_value());
    for (const auto& f : c.features) CHECK(feature_from_name(f).has_value());
    for (const auto& h : c.heads) CHECK(head_from_name(h).has_value());
    for (const auto& i : c.inits) CHECK(init_from_name(i).has_value());
    for (const auto& o : c.optimizers) CHECK(optimizer_from_name(o).has_value());
    for (const auto& r : c.regularizations) CHECK(regularization_from_name(r).has_value());
    for (const auto& s : c.schedules) CHECK(schedule_from_name(s).has_value());
    std::set<std::string> limit_names, range_names;
    for (const auto& l : c.limits) CHECK(limit_names.insert(l.name).second);
    for (const auto& r : c.ranges) {
        CHECK(range_names.insert(r.name).second);
        CHECK(r.min <= r.max);
    }
    CHECK(&catalog() == &c);  // built once
}

TEST_CASE("each dataset's problem, dims and classes are what make_dataset gives", "[catalog]") {
    for (const DatasetInfo& info : catalog().datasets) {
        INFO(info.name);
        const DatasetKind kind = *dataset_from_name(info.name);
        if (kind == DatasetKind::custom) {
            CHECK(info.problem.empty());
            continue;
        }
        DataConfig d;
        d.kind = kind;
        const Dataset data = make_dataset(d, 1);
        CHECK(info.problem == (data.problem == ProblemKind::regression ? "regression" : "classification"));
        CHECK(info.dims == data.input_dims);
        CHECK(info.classes == data.classes);
        for (const Point& p : data.train) {
            CHECK(std::abs(p.x1) <= catalog().plot_extent);
            CHECK(std::abs(p.x2) <= catalog().plot_extent);
        }
    }
}

TEST_CASE("the catalog's limits and ranges are the ones validation applies", "[catalog]") {
    ExperimentConfig c;
    c.training.learning_rate = range("learningRate").max;
    CHECK_NOTHROW(validate_config(c));
    c.training.learning_rate = range("learningRate").max * 1.000001;
    CHECK_THROWS_AS(validate_config(c), ConfigError);
    c = {};
    c.training.batch_size = static_cast<int>(limit("maxBatch"));
    CHECK_NOTHROW(validate_config(c));
    c.training.batch_size += 1;
    CHECK_THROWS_WITH(validate_config(c), "training.batch_size must be 1..4096, got 4097");
    c = {};
    c.network.hidden.assign(static_cast<std::size_t>(limit("maxHiddenLayers")), LayerConfig{});
    CHECK_NOTHROW(validate_config(c));
    c.network.hidden.push_back({});
    CHECK_THROWS_AS(validate_config(c), ConfigError);
    c = {};
    c.network.hidden = {LayerConfig{static_cast<int>(limit("maxUnits")) + 1}};
    CHECK_THROWS_WITH(validate_config(c), "network.hidden[0].units must be 1..256, got 257");
    c = {};
    c.network.hidden = {LayerConfig{4, Activation::leaky_relu, {range("alpha").min, 1.0, 0.0}}};
    CHECK_NOTHROW(validate_config(c));
    c.network.hidden[0].params.alpha = range("alpha").min - 0.001;
    CHECK_THROWS_WITH(validate_config(c), Catch::Contains("network.hidden[0].alpha must be -10..10"));
    c = {};
    c.data.noise = range("noise").max;
    CHECK_NOTHROW(validate_config(c));
    c.data.noise = range("noise").max + 0.001;
    CHECK_THROWS_WITH(validate_config(c), Catch::Contains("data.noise must be 0..0.5"));
    CHECK(catalog().learning_rates.front() == 0.00001);
    CHECK(catalog().learning_rates.back() == 10);
    for (double lr : catalog().learning_rates) {
        c = {};
        c.training.learning_rate = lr;
        CHECK_NOTHROW(validate_config(c));
    }
}
