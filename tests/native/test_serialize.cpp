// The JSON formats: exact round trips (every enum name, custom points, doubles bit for bit), models that
// continue exactly as the run they were saved from, and malformed input rejected with the field named.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "error.hpp"
#include "rng.hpp"
#include "serialize.hpp"
#include "trainer.hpp"

using namespace ap;
using Json = nlohmann::json;

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

void require_same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("index " << i << ": " << a[i] << " vs " << b[i]);
        REQUIRE(same_bits(a[i], b[i]));
    }
}

std::vector<double> params_of(const Trainer& t) {
    const auto p = t.network().params();
    return {p.begin(), p.end()};
}

ExperimentConfig round_trip(const ExperimentConfig& c) {
    return config_from_json(config_to_json(c));
}

// The message of the ConfigError that reading `text` throws ("" when nothing is thrown).
template <typename F>
std::string error_of(F&& read) {
    try {
        read();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

std::string config_error(const std::string& text) { return error_of([&] { config_from_json(text); }); }
std::string model_error(const std::string& text) { return error_of([&] { model_from_json(text); }); }

// A small, quick experiment: 2 features -> 3 relu units -> 1 sigmoid output has 2*3 + 3 + 3*1 + 1 = 13
// parameters.
ExperimentConfig small_config() {
    ExperimentConfig c;
    c.seed = 7;
    c.data.num_points = 60;
    c.data.noise = 0.1;
    c.network.hidden = {{3, Activation::relu, default_params(Activation::relu)}};
    c.training.batch_size = 7;
    return c;
}

}  // namespace

// ---- Config round trips ----

TEST_CASE("the default config round-trips and lists the documented fields in order", "[serialize]") {
    const ExperimentConfig c{};
    const std::string text = config_to_json(c, -1);
    CHECK(round_trip(c) == c);
    // The documented order, which the page and users read: version and seed first, then the three parts.
    const auto at = [&](const char* key) { return text.find(std::string("\"") + key + "\""); };
    CHECK(text.rfind("{\"format_version\":1,\"seed\":1,\"data\":{", 0) == 0);
    CHECK(at("data") < at("network"));
    CHECK(at("network") < at("training"));
    CHECK(text.find("\"dataset\":\"circle\"") != std::string::npos);
    CHECK(text.find("\"features\":[\"x1\",\"x2\"]") != std::string::npos);
    // Only custom data carries points, dims and problem.
    CHECK(at("points") == std::string::npos);
    CHECK(at("dims") == std::string::npos);
    // An empty object is the default config: every missing field takes config.hpp's default.
    CHECK(config_from_json("{}") == c);
    // Pretty-printing changes the layout only.
    CHECK(config_from_json(config_to_json(c, 4)) == c);
}

TEST_CASE("every enum value round-trips under its documented name", "[serialize]") {
    SECTION("datasets, each with a head that fits it") {
        const std::pair<const char*, Head> datasets[] = {
            {"circle", Head::sigmoid_bce}, {"xor", Head::tanh_mse},          {"gaussians", Head::softmax_ce},
            {"blobs", Head::softmax_ce},
            {"spiral", Head::sigmoid_bce}, {"spiral3", Head::softmax_ce},    {"moons", Head::sigmoid_bce},
            {"checkerboard", Head::sigmoid_bce}, {"sine", Head::linear_mse}, {"abs", Head::linear_mse},
            {"step", Head::linear_mse},    {"cubic", Head::linear_mse},      {"plane", Head::linear_mse},
            {"multi_gaussian", Head::linear_mse},
        };
        for (const auto& [name, head] : datasets) {
            INFO(name);
            const std::string text = std::string(R"({"data":{"dataset":")") + name +
                                     R"("},"network":{"head":")" + std::string(head_name(head)) + R"("}})";
            const ExperimentConfig c = config_from_json(text);
            CHECK(dataset_name(c.data.kind) == name);
            CHECK(round_trip(c) == c);
            CHECK(config_to_json(c, -1).find(std::string("\"dataset\":\"") + name + "\"") != std::string::npos);
        }
    }
    SECTION("features, heads and init schemes") {
        ExperimentConfig c;
        c.network.features = {Feature::x1, Feature::x2, Feature::x1_squared, Feature::x2_squared,
                              Feature::x1_times_x2, Feature::sin_x1, Feature::sin_x2};
        const std::string text = config_to_json(c, -1);
        CHECK(text.find(R"j("features":["x1","x2","x1^2","x2^2","x1*x2","sin(x1)","sin(x2)"])j") != std::string::npos);
        CHECK(round_trip(c) == c);
        for (const char* scheme : {"uniform", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
                                   "lecun_normal", "zeros"}) {
            INFO(scheme);
            const ExperimentConfig s =
                config_from_json(std::string(R"({"network":{"init":{"scheme":")") + scheme + R"(","bias":0.1}}})");
            CHECK(init_name(s.network.init.scheme) == scheme);
            CHECK(round_trip(s) == s);
        }
        for (const char* head : {"sigmoid_bce", "tanh_mse", "softmax_ce"}) {
            const ExperimentConfig h = config_from_json(std::string(R"({"network":{"head":")") + head + R"("}})");
            CHECK(head_name(h.network.head) == head);
            CHECK(round_trip(h) == h);
        }
    }
    SECTION("every activation, with parameters that differ from the defaults") {
        ExperimentConfig c;
        c.network.hidden.clear();
        for (Activation a : all_activations()) {
            ActivationParams p = default_params(a);
            p.alpha = -0.25;
            p.beta = 2.5;
            p.relu_grad_at_zero = 0.5;
            c.network.hidden.push_back({3, a, p});
            if (c.network.hidden.size() == static_cast<std::size_t>(kMaxHiddenLayers)) {
                CHECK(round_trip(c) == c);
                c.network.hidden.clear();
            }
        }
        if (!c.network.hidden.empty()) CHECK(round_trip(c) == c);
    }
    SECTION("optimizers, regularisations and schedules") {
        for (const char* opt : {"sgd", "momentum", "nesterov", "rmsprop", "adam"})
            for (const char* reg : {"none", "l1", "l2"})
                for (const char* sched : {"constant", "step", "cosine"}) {
                    INFO(opt << " " << reg << " " << sched);
                    const std::string text = std::string(R"({"training":{"optimizer":")") + opt +
                                             R"(","regularization":")" + reg + R"(","schedule":")" + sched +
                                             R"(","regularization_rate":0.001}})";
                    const ExperimentConfig c = config_from_json(text);
                    CHECK(optimizer_name(c.training.optimizer) == opt);
                    CHECK(regularization_name(c.training.regularization) == reg);
                    CHECK(schedule_name(c.training.schedule) == sched);
                    CHECK(round_trip(c) == c);
                }
    }
}

TEST_CASE("every training and data number round-trips", "[serialize]") {
    ExperimentConfig c;
    c.seed = 4294967295u;  // the largest seed the format allows
    c.data.noise = 0.35;
    c.data.test_fraction = 0.2;
    c.data.num_points = 1234;
    c.network.init = {InitScheme::uniform, 0.75, -0.125};
    c.training = {OptimizerKind::adam, 0.07, 33, Regularization::l2, 0.003, 2.5, 0.8, 0.85,
                  0.8, 0.99, 1e-7, Schedule::cosine, 250, 0.3, 777, 0.001};
    CHECK(round_trip(c) == c);
    CHECK(config_from_json(config_to_json(c, -1)) == c);
}

TEST_CASE("blobs carry their class count; other data sets refuse the field", "[serialize]") {
    ExperimentConfig c;
    c.data.kind = DatasetKind::blobs;
    c.data.classes = 6;
    c.network.head = Head::softmax_ce;
    const std::string text = config_to_json(c, -1);
    CHECK(text.find(R"("dataset":"blobs","num_points":500,"noise":0.0,"test_fraction":0.5,"classes":6)") != std::string::npos);
    CHECK(round_trip(c) == c);
    // A missing count is the default (4); on another data set the field is refused, naming why.
    CHECK(config_from_json(R"({"data":{"dataset":"blobs"},"network":{"head":"softmax_ce"}})").data.classes == 4);
    CHECK(config_to_json(ExperimentConfig{}, -1).find("classes") == std::string::npos);
    CHECK(config_error(R"({"data":{"dataset":"circle","classes":3}})") ==
          "data.classes is only for dataset blobs, not circle");
}

TEST_CASE("custom points round-trip in both shapes", "[serialize]") {
    SECTION("2-D classification: [x1, x2, label]") {
        ExperimentConfig c;
        c.data.kind = DatasetKind::custom;
        c.data.custom_dims = 2;
        c.data.custom_problem = ProblemKind::classification;
        c.data.custom_points = {{0.5, -1.25, 0}, {1e-3, 2, 1}, {-3, 0.1, 2}, {4, 4, 1}, {-0.0, 5.5, 0}};
        c.network.head = Head::softmax_ce;  // labels up to 2: three classes
        const std::string text = config_to_json(c, -1);
        CHECK(text.find(R"("points":[[0.5,-1.25,0.0],[0.001,2.0,1.0],[-3.0,0.1,2.0],)") != std::string::npos);
        CHECK(text.find(R"("dims":2,"problem":"classification")") != std::string::npos);
        const ExperimentConfig back = round_trip(c);
        CHECK(back == c);
        CHECK(std::signbit(back.data.custom_points[4].x1));
    }
    SECTION("1-D regression: [x, y], and a missing problem means regression") {
        ExperimentConfig c;
        c.data.kind = DatasetKind::custom;
        c.data.custom_dims = 1;
        c.data.custom_problem = ProblemKind::regression;
        c.data.custom_points = {{-2, 0, 4}, {-1, 0, 1}, {0, 0, 0}, {1, 0, 1}, {2, 0, 4}};
        c.network.head = Head::linear_mse;
        const std::string text = config_to_json(c, -1);
        CHECK(text.find(R"("points":[[-2.0,4.0],[-1.0,1.0],[0.0,0.0],[1.0,1.0],[2.0,4.0]])") != std::string::npos);
        CHECK(round_trip(c) == c);
        const ExperimentConfig inferred = config_from_json(
            R"({"data":{"dataset":"custom","dims":1,"points":[[-2,4],[-1,1],[0,0],[1,1],[2,4]]},)"
            R"("network":{"head":"linear_mse"}})");
        CHECK(inferred.data.custom_problem == ProblemKind::regression);
        CHECK(inferred.data.custom_points == c.data.custom_points);
    }
}

TEST_CASE("missing hidden-layer parameters take the activation's defaults", "[serialize]") {
    const ExperimentConfig c = config_from_json(
        R"({"network":{"hidden":[{"activation":"elu"},{"units":6,"activation":"leaky_relu","beta":3}]}})");
    REQUIRE(c.network.hidden.size() == 2);
    CHECK(c.network.hidden[0].units == 4);  // LayerConfig's default
    CHECK(c.network.hidden[0].params == default_params(Activation::elu));
    CHECK(c.network.hidden[0].params.alpha == 1.0);  // ELU's usual alpha (Clevert et al.), not leaky's 0.01
    CHECK(c.network.hidden[1].params.alpha == 0.01);  // leaky_relu's usual slope
    CHECK(c.network.hidden[1].params.beta == 3.0);
    // Integral numbers written as JS may write them are integers.
    CHECK(config_from_json(R"({"training":{"batch_size":2.0e1}})").training.batch_size == 20);
}

TEST_CASE("doubles survive writing and reading bit for bit", "[serialize]") {
    const double specials[] = {0.1, 1.0 / 3.0, -0.0, 0.0, 5e-324, 2.2250738585072009e-308 /* largest subnormal */,
                               std::numeric_limits<double>::min(), 1e-300, 0.03, std::nextafter(0.03, 1.0), 0.5,
                               1e-8, 4.9406564584124654e-320};
    SECTION("in config fields") {
        for (double v : specials) {
            if (v < 0 || v > 0.5) continue;  // keep within noise's range 0..0.5
            INFO(v);
            ExperimentConfig c;
            c.data.noise = v;
            c.network.init.bias = -v;
            c.training.learning_rate = v;
            c.training.regularization_rate = v;
            const ExperimentConfig back = round_trip(c);
            CHECK(same_bits(back.data.noise, v));
            CHECK(same_bits(back.network.init.bias, -v));
            CHECK(same_bits(back.training.learning_rate, v));
            CHECK(same_bits(back.training.regularization_rate, v));
        }
    }
    SECTION("in model parameters, including 1e300, the extremes and random bit patterns") {
        ExperimentConfig c = small_config();
        c.network.hidden[0].units = 8;  // 2*8 + 8 + 8*1 + 1 = 33 parameters
        Trainer t(c);
        auto p = t.network().params();
        std::vector<double> values(std::begin(specials), std::end(specials));
        for (double v : {1e300, -1e300, std::numeric_limits<double>::max(), -std::numeric_limits<double>::denorm_min()})
            values.push_back(v);
        REQUIRE(values.size() <= p.size());
        std::vector<double> want(p.begin(), p.end());
        std::copy(values.begin(), values.end(), want.begin());
        std::copy(want.begin(), want.end(), p.begin());
        const auto back = model_from_json(model_to_json(t));
        require_same_bits(params_of(*back), want);

        // Random finite doubles over the whole exponent range, 33 at a time.
        Rng rng(2024);
        for (int round = 0; round < 200; ++round) {
            for (double& x : want) {
                double y;
                do y = std::bit_cast<double>(rng.next_u64());
                while (!std::isfinite(y));
                x = y;
            }
            std::copy(want.begin(), want.end(), p.begin());
            require_same_bits(params_of(*model_from_json(model_to_json(t))), want);
        }
    }
}

// ---- Models ----

TEST_CASE("a saved model continues exactly as the run it was saved from", "[serialize]") {
    const std::pair<OptimizerKind, Schedule> runs[] = {
        {OptimizerKind::sgd, Schedule::constant},      {OptimizerKind::momentum, Schedule::step},
        {OptimizerKind::nesterov, Schedule::cosine},   {OptimizerKind::rmsprop, Schedule::constant},
        {OptimizerKind::adam, Schedule::step},         {OptimizerKind::adam, Schedule::cosine},
    };
    for (const auto& [optimizer, schedule] : runs) {
        INFO(optimizer_name(optimizer) << " " << schedule_name(schedule));
        ExperimentConfig c = small_config();
        c.training.optimizer = optimizer;
        c.training.schedule = schedule;
        c.training.learning_rate = optimizer == OptimizerKind::sgd ? 0.1 : 0.01;
        c.training.step_every = 20;
        c.training.step_gamma = 0.7;
        c.training.cosine_steps = 150;
        c.training.regularization = Regularization::l2;
        c.training.regularization_rate = 0.001;
        Trainer original(c);
        // 37 steps of batches of 7 over 30 training points: epoch 8, mid-way through an epoch.
        REQUIRE(original.train_steps(37) == 37);
        REQUIRE(original.cursor() != 0);

        const std::string saved = model_to_json(original);
        const std::unique_ptr<Trainer> restored = model_from_json(saved);
        CHECK(restored->config() == original.config());
        CHECK(restored->step() == original.step());
        CHECK(restored->epoch() == original.epoch());
        CHECK(restored->cursor() == original.cursor());
        CHECK(restored->optimizer().steps() == original.optimizer().steps());
        require_same_bits(params_of(*restored), params_of(original));
        require_same_bits(restored->optimizer().first_moment(), original.optimizer().first_moment());
        require_same_bits(restored->optimizer().second_moment(), original.optimizer().second_moment());
        CHECK(model_to_json(*restored) == saved);

        // 120 more steps, over several epoch boundaries and schedule steps: the same loss at every step.
        for (int i = 0; i < 120; ++i) {
            INFO("step " << original.step());
            REQUIRE(same_bits(restored->learning_rate_now(), original.learning_rate_now()));
            REQUIRE(original.train_steps(1) == 1);
            REQUIRE(restored->train_steps(1) == 1);
            REQUIRE(same_bits(restored->last_loss(), original.last_loss()));
        }
        require_same_bits(params_of(*restored), params_of(original));
        const Metrics a = original.evaluate(), b = restored->evaluate();
        CHECK(same_bits(a.train_loss, b.train_loss));
        CHECK(same_bits(a.test_loss, b.test_loss));
    }
}

TEST_CASE("the model format: kind, version and state fields", "[serialize]") {
    Trainer t(small_config());
    t.train_steps(5);
    const Json j = Json::parse(model_to_json(t));
    CHECK(j["format_version"] == 1);
    CHECK(j["kind"] == "model");
    CHECK(j["config"]["seed"] == 7);
    CHECK(j["state"]["step"] == 5);
    CHECK(j["state"]["params"].size() == 13);  // 2*3 + 3 + 3*1 + 1, see small_config
    CHECK(j["state"]["optimizer"]["m"].empty());  // plain sgd keeps no moments
    CHECK(j["state"]["optimizer"]["steps"] == 5);
    // 1-D data: the trainer drops the unused features, and the model still round-trips.
    ExperimentConfig sine;
    sine.data.kind = DatasetKind::sine;
    sine.network.head = Head::linear_mse;
    Trainer s(sine);
    s.train_steps(3);
    const auto back = model_from_json(model_to_json(s));
    CHECK(back->config() == s.config());
    require_same_bits(params_of(*back), params_of(s));
}

// The state part byte for byte, as every saved model so far has it: keys in the order written, integers as
// integers, doubles in nlohmann's shortest form. A change of writer must not change a file.
TEST_CASE("the model's state part, written exactly", "[serialize]") {
    ExperimentConfig c = small_config();
    c.training.optimizer = OptimizerKind::adam;
    Trainer t(c);
    std::vector<double> params;
    for (int k = 0; k < 13; ++k) params.push_back(0.25 * k - 1.5);
    t.restore(5, 1, 3, params, 4, std::vector<double>(13, 0.125), std::vector<double>(13, 0.0625));
    const std::string text = model_to_json(t);
    const std::string m = "[0.125,0.125,0.125,0.125,0.125,0.125,0.125,0.125,0.125,0.125,0.125,0.125,0.125]";
    const std::string v =
        "[0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625]";
    const std::string p = "[-1.5,-1.25,-1.0,-0.75,-0.5,-0.25,0.0,0.25,0.5,0.75,1.0,1.25,1.5]";
    const auto at = text.find("\"state\":");
    REQUIRE(at != std::string::npos);
    CHECK(text.substr(at) == "\"state\":{\"step\":5,\"epoch\":1,\"cursor\":3,\"params\":" + p +
                                 ",\"optimizer\":{\"steps\":4,\"m\":" + m + ",\"v\":" + v + "}}}");
    // And it reads back to the same text.
    CHECK(model_to_json(*model_from_json(text)) == text);
}

// ---- Rejections ----

TEST_CASE("malformed or out-of-range configs are rejected naming the field", "[serialize]") {
    struct Bad {
        const char* text;
        const char* field;  // must appear in the message
    };
    const Bad cases[] = {
        {R"({"seed":"1"})", "seed must be an integer, got string"},
        {R"({"seed":-1})", "seed must be 0..4294967295"},
        {R"({"seed":4294967296})", "seed must be 0..4294967295"},
        {R"({"seed":1e300})", "seed must be 0..4294967295, got 1e+300"},
        {R"({"seed":18446744073709551615})", "seed must be 0..4294967295, got 18446744073709551615"},
        {R"({"seed":1.5})", "seed must be an integer"},
        {R"({"network":{"hiden":[]}})", "unknown field network.hiden"},
        {R"({"sead":3})", "unknown field sead"},
        {R"({"network":{"hidden":[{"units":4},{"units":"8"}]}})", "network.hidden[1].units must be an integer, got string"},
        {R"({"network":{"hidden":[{"units":300}]}})", "network.hidden[0].units"},
        {R"({"network":{"hidden":[{"units":1e10}]}})", "network.hidden[0].units"},
        {R"({"network":{"hidden":[{"units":4,"activation":"relux"}]}})", "network.hidden[0].activation"},
        {R"({"network":{"hidden":[{"activation":"leaky_relu","alpha":20}]}})", "network.hidden[0].alpha"},
        {R"({"network":{"hidden":[{"relu_grad_at_zero":0.3}]}})", "network.hidden[0].relu_grad_at_zero"},
        {R"({"network":{"hidden":[{"units":4,"dropout":0.5}]}})", "unknown field network.hidden[0].dropout"},
        {R"({"network":{"hidden":{"units":4}}})", "network.hidden must be an array, got object"},
        {R"({"network":{"features":["x1","x3"]}})", "network.features[1]"},
        {R"({"network":{"features":"x1"}})", "network.features must be an array"},
        {R"({"network":{"features":["x1","x1"]}})", "network.features"},
        {R"({"network":{"head":"softmax"}})", "network.head"},
        {R"({"network":{"init":{"scheme":"xavier"}}})", "network.init.scheme"},
        {R"({"network":{"init":{"uniform_range":-1}}})", "network.init.uniform_range"},
        {R"({"data":{"dataset":"spirals"}})", "data.dataset"},
        {R"({"data":{"num_points":5}})", "data.num_points"},
        {R"({"data":{"noise":0.7}})", "data.noise"},
        {R"({"data":{"test_fraction":"half"}})", "data.test_fraction must be a number, got string"},
        {R"({"data":{"points":[[0,0,1]]}})", "data.points is only for dataset custom"},
        {R"({"data":{"dataset":"custom","points":[[0,0,1],[1,1],[0,1,0],[1,0,1]]}})", "data.points[1]"},
        {R"({"data":{"dataset":"custom","points":[[0,0,6],[1,1,0],[0,1,0],[1,0,1]]}})", "data.points[0].label"},
        {R"({"data":{"dataset":"custom","points":[[0,"a",1],[1,1,0],[0,1,0],[1,0,1]]}})", "data.points[0][1]"},
        {R"({"data":{"dataset":"custom","dims":3}})", "data.dims"},
        {R"({"data":{"dataset":"custom","problem":"clustering"}})", "data.problem"},
        {R"({"data":{"dataset":"sine"},"network":{"head":"sigmoid_bce"}})", "network.head"},
        {R"({"training":{"learning_rate":-0.1}})", "training.learning_rate"},
        {R"({"training":{"optimizer":"adamw"}})", "training.optimizer"},
        {R"({"training":{"batch_size":0}})", "training.batch_size"},
        {R"({"training":{"batch_size":1e20}})", "training.batch_size"},
        {R"({"training":{"beta2":1}})", "training.beta2"},
        {R"({"training":{"schedule":"linear"}})", "training.schedule"},
        {R"({"training":{"regularization":"l3"}})", "training.regularization"},
        {R"({"training":{"min_learning_rate":1}})", "training.min_learning_rate"},
        {R"({"training":{"epsilon":null}})", "training.epsilon must be a number, got null"},
        {R"({"training":5})", "training must be an object, got number"},
        {R"({"format_version":"1"})", "format_version must be an integer, got string"},
        {R"([1,2])", "the top level must be an object, got array"},
        {R"({"kind":"model"})", "kind"},
    };
    STATIC_REQUIRE(std::size(cases) >= 20);
    for (const Bad& b : cases) {
        INFO(b.text);
        const std::string message = config_error(b.text);
        INFO(message);
        CHECK(message.find(b.field) != std::string::npos);
    }
    // An unknown enum name lists the names that are allowed.
    CHECK(config_error(R"({"training":{"optimizer":"adamw"}})") ==
          "training.optimizer must be one of sgd, momentum, nesterov, rmsprop, adam; got 'adamw'");
}

TEST_CASE("non-JSON tokens and broken syntax report the byte where parsing failed", "[serialize]") {
    // {"seed": NaN} : '{' '"' 's' 'e' 'e' 'd' '"' ':' ' ' is 9 bytes, so N is byte 10.
    const std::string nan = config_error(R"({"seed": NaN})");
    CHECK(nan.rfind("config JSON is malformed at byte 10: ", 0) == 0);
    // {"data":{"noise": Infinity}} : {"data":{ is 9 bytes, "noise": and a space 9 more, so I is byte 19.
    CHECK(config_error(R"({"data":{"noise": Infinity}})").rfind("config JSON is malformed at byte 19: ", 0) == 0);
    CHECK(config_error(R"({"seed": -Infinity})").find("malformed") != std::string::npos);
    // A literal too large for a double would be infinity: refused, with where it is.
    // {"training":{"momentum": 1e999}} : {"training":{ is 13 bytes, "momentum": and a space 12 more.
    CHECK(config_error(R"({"training":{"momentum": 1e999}})") ==
          "config JSON has a number too large for a double at byte 26: '1e999'");
    CHECK(config_error(R"({"seed": 1,})").find("malformed") != std::string::npos);
    CHECK(config_error(R"({"seed": 1)").find("malformed") != std::string::npos);
    CHECK(config_error("").find("malformed at byte") != std::string::npos);
    CHECK(model_error("{ nope").rfind("model JSON is malformed at byte", 0) == 0);
    // NaN inside model parameters is refused the same way.
    Trainer t(small_config());
    std::string text = model_to_json(t);
    const auto params = text.find("\"params\":[") + 10;
    text.replace(params, text.find(',', params) - params, "NaN");
    CHECK(model_error(text).find("malformed") != std::string::npos);
}

TEST_CASE("unsupported versions and the wrong kind of file are rejected", "[serialize]") {
    CHECK(config_error(R"({"format_version":7})") == "format_version 7 is not supported (this build reads 1)");
    Trainer t(small_config());
    Json j = Json::parse(model_to_json(t));
    j["format_version"] = 2;
    CHECK(model_error(j.dump()) == "format_version 2 is not supported (this build reads 1)");
    j["format_version"] = 1;
    j["config"]["format_version"] = 3;
    CHECK(model_error(j.dump()).find("config.format_version 3 is not supported") != std::string::npos);

    j = Json::parse(model_to_json(t));
    j["kind"] = "config";
    CHECK(model_error(j.dump()) == "kind must be \"model\", got 'config'");
    j.erase("kind");
    CHECK(model_error(j.dump()) == "kind is missing");
    // A config given where a model is expected, and the other way round.
    CHECK(model_error(config_to_json(small_config())) ==
          "kind is missing: this is an experiment config, not a saved model");
    CHECK(config_error(model_to_json(t)).find("kind") != std::string::npos);
    CHECK(config_error(model_to_json(t)).find("saved model") != std::string::npos);
}

TEST_CASE("a model's state must fit its config", "[serialize]") {
    ExperimentConfig c = small_config();
    c.training.optimizer = OptimizerKind::adam;
    Trainer t(c);
    t.train_steps(6);
    const Json good = Json::parse(model_to_json(t));
    auto with = [&](auto&& change) {
        Json j = good;
        change(j);
        return model_error(j.dump());
    };
    CHECK(model_error(good.dump()).empty());

    const std::string fewer = with([](Json& j) { j["state"]["params"].erase(0); });
    CHECK(fewer.find("state.params") != std::string::npos);
    CHECK(fewer.find("12") != std::string::npos);  // what the file has
    CHECK(fewer.find("13") != std::string::npos);  // what the network needs

    CHECK(with([](Json& j) { j["state"]["params"].push_back(0.5); }).find("state.params has 14 values") != std::string::npos);
    CHECK(with([](Json& j) { j["state"]["params"][3] = "w"; }) == "state.params[3] must be a number, got string");
    CHECK(with([](Json& j) { j["state"]["optimizer"]["m"].erase(0); }).find("state.optimizer.m") != std::string::npos);
    CHECK(with([](Json& j) { j["state"]["optimizer"]["v"] = Json::array(); }).find("state.optimizer.v has 0 values") !=
          std::string::npos);
    CHECK(with([](Json& j) { j["state"]["optimizer"]["steps"] = 7; }).find("state.optimizer.steps must be 0..6") !=
          std::string::npos);
    // 60 points, half for training: the cursor is 0..29.
    CHECK(with([](Json& j) { j["state"]["cursor"] = 30; }) == "state.cursor must be 0..29, got 30");
    CHECK(with([](Json& j) { j["state"]["step"] = -1; }).find("state.step") != std::string::npos);
    CHECK(with([](Json& j) { j["state"]["epoch"] = "2"; }) == "state.epoch must be an integer, got string");
    CHECK(with([](Json& j) { j["state"].erase("params"); }) == "state.params is missing");
    CHECK(with([](Json& j) { j["state"]["lr"] = 1; }) == "unknown field state.lr");
    CHECK(with([](Json& j) { j.erase("state"); }) == "state is missing");
    CHECK(with([](Json& j) { j["config"]["training"]["batch_size"] = 0; }).find("config.training.batch_size") !=
          std::string::npos);
    CHECK(with([](Json& j) { j["config"]["netwrk"] = Json::object(); }) == "unknown field config.netwrk");
    CHECK(with([](Json& j) { j["config"]["training"]["optimizer"] = "sgd"; }).find("state.optimizer.m has 13 values") !=
          std::string::npos);
}

TEST_CASE("oversized and deeply nested input is refused before it costs memory", "[serialize]") {
    // One point more than kMaxPoints.
    std::string points = R"({"data":{"dataset":"custom","points":[)";
    for (int i = 0; i <= kMaxPoints; ++i) points += i ? ",[0,0,1]" : "[0,0,1]";
    points += "]}}";
    const std::string many = config_error(points);
    CHECK(many.find("data.points has 100001 points, at most 100000") != std::string::npos);

    std::string deep(100000, '[');
    deep += std::string(100000, ']');
    CHECK(config_error(deep).find("nests deeper than") != std::string::npos);

    std::string values = "[0";
    values.reserve(2 * kMaxJsonValues + 8);
    for (std::size_t i = 0; i < kMaxJsonValues; ++i) values += ",0";
    values += "]";
    CHECK(config_error(values).find("more than") != std::string::npos);

    const std::string huge(kMaxJsonBytes + 1, ' ');
    CHECK(config_error(huge).find("at most 67108864") != std::string::npos);
    CHECK(model_error(huge).rfind("model JSON is", 0) == 0);
}

TEST_CASE("writing refuses values that could not be read back", "[serialize]") {
    ExperimentConfig c;
    c.data.noise = std::nan("");
    CHECK(error_of([&] { config_to_json(c); }).find("data.noise") != std::string::npos);
    c = ExperimentConfig{};
    c.seed = 4294967296u;
    CHECK(error_of([&] { config_to_json(c); }).find("seed must be 0..4294967295") != std::string::npos);
}
