#include "serialize.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "error.hpp"

namespace ap {

namespace {

// ordered_json keeps the documented field order when writing and reports unknown fields in the order
// the user wrote them.
using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------------------
// Writing

double finite(double v, const char* field) {
    // nlohmann writes NaN and infinities as null, which would read back as a type error: refuse early.
    if (!std::isfinite(v)) throw ConfigError(std::string("cannot write ") + field + ": it is not finite");
    return v;
}

Json data_json(const DataConfig& d) {
    Json j;
    j["dataset"] = dataset_name(d.kind);
    j["num_points"] = d.num_points;
    j["noise"] = finite(d.noise, "data.noise");
    j["test_fraction"] = finite(d.test_fraction, "data.test_fraction");
    if (d.kind == DatasetKind::custom) {
        Json points = Json::array();
        points.get_ref<Json::array_t&>().reserve(d.custom_points.size());
        for (const Point& p : d.custom_points) {
            if (d.custom_dims == 1)
                points.push_back({finite(p.x1, "data.points"), finite(p.label, "data.points")});
            else
                points.push_back({finite(p.x1, "data.points"), finite(p.x2, "data.points"),
                                  finite(p.label, "data.points")});
        }
        j["points"] = std::move(points);
        j["dims"] = d.custom_dims;
        j["problem"] = problem_name(d.custom_problem);
    }
    return j;
}

Json network_json(const NetworkConfig& n) {
    Json j;
    Json features = Json::array();
    for (Feature f : n.features) features.push_back(feature_name(f));
    j["features"] = std::move(features);
    j["head"] = head_name(n.head);
    Json hidden = Json::array();
    for (const LayerConfig& l : n.hidden) {
        Json layer;
        layer["units"] = l.units;
        layer["activation"] = activation_name(l.activation);
        layer["alpha"] = finite(l.params.alpha, "network.hidden[].alpha");
        layer["beta"] = finite(l.params.beta, "network.hidden[].beta");
        layer["relu_grad_at_zero"] = finite(l.params.relu_grad_at_zero, "network.hidden[].relu_grad_at_zero");
        hidden.push_back(std::move(layer));
    }
    j["hidden"] = std::move(hidden);
    j["init"] = {{"scheme", init_name(n.init.scheme)},
                 {"uniform_range", finite(n.init.uniform_range, "network.init.uniform_range")},
                 {"bias", finite(n.init.bias, "network.init.bias")}};
    return j;
}

Json training_json(const TrainingConfig& t) {
    Json j;
    j["optimizer"] = optimizer_name(t.optimizer);
    j["learning_rate"] = finite(t.learning_rate, "training.learning_rate");
    j["batch_size"] = t.batch_size;
    j["regularization"] = regularization_name(t.regularization);
    j["regularization_rate"] = finite(t.regularization_rate, "training.regularization_rate");
    j["clip_norm"] = finite(t.clip_norm, "training.clip_norm");
    j["momentum"] = finite(t.momentum, "training.momentum");
    j["rho"] = finite(t.rho, "training.rho");
    j["beta1"] = finite(t.beta1, "training.beta1");
    j["beta2"] = finite(t.beta2, "training.beta2");
    j["epsilon"] = finite(t.epsilon, "training.epsilon");
    j["schedule"] = schedule_name(t.schedule);
    j["step_every"] = t.step_every;
    j["step_gamma"] = finite(t.step_gamma, "training.step_gamma");
    j["cosine_steps"] = t.cosine_steps;
    j["min_learning_rate"] = finite(t.min_learning_rate, "training.min_learning_rate");
    return j;
}

Json config_json(const ExperimentConfig& c) {
    // The seed travels through JS numbers and URLs, so the format keeps it to 32 bits.
    if (c.seed > kMaxSeed) throw ConfigError("seed must be 0.." + std::to_string(kMaxSeed) + ", got " + std::to_string(c.seed));
    Json j;
    j["format_version"] = kFormatVersion;
    j["seed"] = c.seed;
    j["data"] = data_json(c.data);
    j["network"] = network_json(c.network);
    j["training"] = training_json(c.training);
    return j;
}

Json numbers_json(const std::vector<double>& v, const char* field) {
    Json a = Json::array();
    a.get_ref<Json::array_t&>().reserve(v.size());
    for (double x : v) a.push_back(finite(x, field));
    return a;
}

std::string dump(const Json& j, int indent) {
    return j.dump(indent < 0 ? -1 : indent);
}

// ---------------------------------------------------------------------------------------------------------
// Reading

std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string at_index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

Json parse_text(std::string_view text, std::string_view what) {
    if (text.size() > kMaxJsonBytes)
        throw ConfigError(std::string(what) + " JSON is " + std::to_string(text.size()) + " bytes, at most " +
                          std::to_string(kMaxJsonBytes) + " (64 MiB)");
    // nlohmann's parser is iterative, but the values it builds cost memory: count them and bound the
    // nesting as they arrive, before a hostile file has been turned into a tree.
    std::size_t values = 0;
    auto guard = [&](int depth, Json::parse_event_t event, Json&) {
        using E = Json::parse_event_t;
        if (event == E::object_end || event == E::array_end) return true;
        if (++values > kMaxJsonValues)
            throw ConfigError(std::string(what) + " JSON has more than " + std::to_string(kMaxJsonValues) + " values");
        if ((event == E::object_start || event == E::array_start) && depth >= kMaxJsonDepth)
            throw ConfigError(std::string(what) + " JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
        return true;
    };
    try {
        return Json::parse(text.begin(), text.end(), guard);
    } catch (const Json::parse_error& e) {
        // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 58: <reason>";
        // keep the reason and report the byte offset, which editors and the page can jump to.
        std::string reason = e.what();
        const auto column = reason.find("column ");
        const auto colon = column == std::string::npos ? std::string::npos : reason.find(": ", column);
        if (colon != std::string::npos) reason = reason.substr(colon + 2);
        throw ConfigError(std::string(what) + " JSON is malformed at byte " + std::to_string(e.byte) + ": " + reason);
    } catch (const Json::out_of_range& e) {
        // A literal too large for a double (1e999): the parser reports it without a position, so find it.
        std::string reason = e.what();
        const auto quote = reason.find('\'');
        const std::string literal = quote == std::string::npos ? "" : reason.substr(quote + 1, reason.size() - quote - 2);
        const auto at = literal.empty() ? std::string_view::npos : text.find(literal);
        throw ConfigError(std::string(what) + " JSON has a number too large for a double" +
                          (at == std::string_view::npos ? "" : " at byte " + std::to_string(at + 1)) + ": " +
                          echo_string(literal));
    }
}

void expect_object(const Json& v, const std::string& path) {
    if (!v.is_object())
        throw ConfigError((path.empty() ? std::string("the top level") : path) + " must be an object, got " +
                          v.type_name());
}

// Typos are the most common mistake in a hand-written config; a silently ignored "hiden" would run a
// different experiment than the user meant.
void check_known(const Json& obj, const std::string& path, std::initializer_list<std::string_view> names) {
    for (const auto& [key, value] : obj.items()) {
        if (std::find(names.begin(), names.end(), key) == names.end())
            throw ConfigError("unknown field " + join(path, key.size() <= 40 ? key : key.substr(0, 40) + "..."));
    }
}

const Json* find(const Json& obj, std::string_view key) {
    const auto it = obj.find(std::string(key));
    return it == obj.end() ? nullptr : &*it;
}

double read_double(const Json& v, const std::string& path) {
    if (!v.is_number()) throw ConfigError(path + " must be a number, got " + v.type_name());
    const double x = v.get<double>();
    // Non-JSON tokens (NaN, Infinity) and literals too large for a double (1e999) fail to parse; this
    // keeps the promise of finite numbers should a parser ever let one through.
    if (!std::isfinite(x)) throw ConfigError(path + " must be a finite number, got one too large for a double");
    return x;
}

// Integers as JSON writes them (4) or as JS may (4.0, 1e3): any number with an integral value.
std::int64_t read_int64(const Json& v, const std::string& path) {
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw ConfigError(path + " is too large, got " + v.dump());
        return static_cast<std::int64_t>(u);
    }
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_float()) {
        const double x = v.get<double>();
        if (!(std::floor(x) == x)) throw ConfigError(path + " must be an integer, got " + v.dump());
        if (!(std::fabs(x) < 9.2e18)) throw ConfigError(path + " is too large, got " + v.dump());
        return static_cast<std::int64_t>(x);
    }
    throw ConfigError(path + " must be an integer, got " + v.type_name());
}

std::int64_t read_int_in(const Json& v, const std::string& path, std::int64_t lo, std::int64_t hi) {
    const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
    // A number beyond int64 (1e300) is out of this range too: say the range, not just "too large".
    const bool beyond_int64 = (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi)) ||
                              (v.is_number_float() && std::isfinite(v.get<double>()) && std::floor(v.get<double>()) == v.get<double>() &&
                               !(std::fabs(v.get<double>()) < 9.2e18));
    if (beyond_int64) throw ConfigError(path + " must be " + range + ", got " + v.dump());
    const std::int64_t x = read_int64(v, path);
    if (x < lo || x > hi) throw ConfigError(path + " must be " + range + ", got " + std::to_string(x));
    return x;
}

// Config integers whose ranges validate_config() checks; here they only have to fit in an int.
int read_int(const Json& v, const std::string& path) {
    const std::int64_t x = read_int64(v, path);
    if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
        throw ConfigError(path + " is out of range, got " + std::to_string(x));
    return static_cast<int>(x);
}

std::string_view read_string(const Json& v, const std::string& path) {
    if (!v.is_string()) throw ConfigError(path + " must be a string, got " + v.type_name());
    return v.get_ref<const std::string&>();
}

// Enum names: the allowed ones are listed in the message, so the user need not look them up.
template <typename E, typename FromName, typename Name>
E read_enum(const Json& v, const std::string& path, FromName from_name, Name name_of, int count) {
    const std::string_view s = read_string(v, path);
    if (const auto e = from_name(s)) return *e;
    std::string allowed;
    for (int i = 0; i < count; ++i) allowed += (i ? ", " : "") + std::string(name_of(static_cast<E>(i)));
    throw ConfigError(path + " must be one of " + allowed + "; got " + echo_string(s));
}

// Enumerator counts, for the lists of allowed names in messages.
constexpr int kDatasetCount = static_cast<int>(DatasetKind::custom) + 1;
constexpr int kFeatureCount = static_cast<int>(Feature::sin_x2) + 1;
constexpr int kHeadCount = static_cast<int>(Head::softmax_ce) + 1;
constexpr int kInitCount = static_cast<int>(InitScheme::zeros) + 1;
constexpr int kOptimizerCount = static_cast<int>(OptimizerKind::adam) + 1;
constexpr int kRegularizationCount = static_cast<int>(Regularization::l2) + 1;
constexpr int kScheduleCount = static_cast<int>(Schedule::cosine) + 1;

Activation read_activation(const Json& v, const std::string& path) {
    const std::string_view s = read_string(v, path);
    if (const auto a = activation_from_name(s)) return *a;
    std::string allowed;
    for (Activation a : all_activations()) allowed += (allowed.empty() ? "" : ", ") + std::string(activation_name(a));
    throw ConfigError(path + " must be one of " + allowed + "; got " + echo_string(s));
}

ProblemKind read_problem(const Json& v, const std::string& path) {
    const std::string_view s = read_string(v, path);
    if (s == "classification") return ProblemKind::classification;
    if (s == "regression") return ProblemKind::regression;
    throw ConfigError(path + " must be one of classification, regression; got " + echo_string(s));
}

const Json& expect_array(const Json& v, const std::string& path) {
    if (!v.is_array()) throw ConfigError(path + " must be an array, got " + v.type_name());
    return v;
}

void read_points(const Json& v, const std::string& path, DataConfig& d) {
    expect_array(v, path);
    if (v.size() > static_cast<std::size_t>(kMaxPoints))
        throw ConfigError(path + " has " + std::to_string(v.size()) + " points, at most " + std::to_string(kMaxPoints));
    const std::size_t dims = static_cast<std::size_t>(d.custom_dims) + 1;
    d.custom_points.clear();
    d.custom_points.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        const Json& p = v[i];
        if (!p.is_array() || p.size() != dims) {
            const std::string got = p.is_array() ? std::to_string(p.size()) + " numbers" : std::string(p.type_name());
            throw ConfigError(at_index(path, i) + " must be " + (dims == 2 ? "[x, y]" : "[x1, x2, label]") +
                              " for dims " + std::to_string(d.custom_dims) + ", got " + got);
        }
        Point q;
        q.x1 = read_double(p[0], at_index(path, i) + "[0]");
        if (dims == 3) q.x2 = read_double(p[1], at_index(path, i) + "[1]");
        q.label = read_double(p[dims - 1], at_index(path, i) + "[" + std::to_string(dims - 1) + "]");
        d.custom_points.push_back(q);
    }
}

DataConfig read_data(const Json& j, const std::string& path) {
    expect_object(j, path);
    check_known(j, path, {"dataset", "num_points", "noise", "test_fraction", "points", "dims", "problem"});
    DataConfig d;
    if (const Json* v = find(j, "dataset"))
        d.kind = read_enum<DatasetKind>(*v, join(path, "dataset"), dataset_from_name, dataset_name, kDatasetCount);
    if (const Json* v = find(j, "num_points")) d.num_points = read_int(*v, join(path, "num_points"));
    if (const Json* v = find(j, "noise")) d.noise = read_double(*v, join(path, "noise"));
    if (const Json* v = find(j, "test_fraction")) d.test_fraction = read_double(*v, join(path, "test_fraction"));
    const bool custom = d.kind == DatasetKind::custom;
    for (std::string_view key : {"points", "dims", "problem"})
        if (!custom && find(j, key))
            throw ConfigError(join(path, key) + " is only for dataset custom, not " + std::string(dataset_name(d.kind)));
    if (custom) {
        if (const Json* v = find(j, "dims")) d.custom_dims = static_cast<int>(read_int_in(*v, join(path, "dims"), 1, 2));
        // 1-D points are (x, y) pairs, always regression: a missing problem means that, not the default.
        if (d.custom_dims == 1) d.custom_problem = ProblemKind::regression;
        if (const Json* v = find(j, "problem")) d.custom_problem = read_problem(*v, join(path, "problem"));
        if (const Json* v = find(j, "points")) read_points(*v, join(path, "points"), d);
    }
    return d;
}

LayerConfig read_layer(const Json& j, const std::string& path) {
    expect_object(j, path);
    check_known(j, path, {"units", "activation", "alpha", "beta", "relu_grad_at_zero"});
    LayerConfig l;
    if (const Json* v = find(j, "units")) l.units = read_int(*v, join(path, "units"));
    if (const Json* v = find(j, "activation")) l.activation = read_activation(*v, join(path, "activation"));
    l.params = default_params(l.activation);
    if (const Json* v = find(j, "alpha")) l.params.alpha = read_double(*v, join(path, "alpha"));
    if (const Json* v = find(j, "beta")) l.params.beta = read_double(*v, join(path, "beta"));
    if (const Json* v = find(j, "relu_grad_at_zero"))
        l.params.relu_grad_at_zero = read_double(*v, join(path, "relu_grad_at_zero"));
    return l;
}

NetworkConfig read_network(const Json& j, const std::string& path) {
    expect_object(j, path);
    check_known(j, path, {"features", "head", "hidden", "init"});
    NetworkConfig n;
    if (const Json* v = find(j, "features")) {
        const std::string field = join(path, "features");
        expect_array(*v, field);
        n.features.clear();
        for (std::size_t i = 0; i < v->size(); ++i)
            n.features.push_back(read_enum<Feature>((*v)[i], at_index(field, i), feature_from_name, feature_name,
                                                    kFeatureCount));
    }
    if (const Json* v = find(j, "head"))
        n.head = read_enum<Head>(*v, join(path, "head"), head_from_name, head_name, kHeadCount);
    if (const Json* v = find(j, "hidden")) {
        const std::string field = join(path, "hidden");
        expect_array(*v, field);
        n.hidden.clear();
        for (std::size_t i = 0; i < v->size(); ++i) n.hidden.push_back(read_layer((*v)[i], at_index(field, i)));
    }
    if (const Json* v = find(j, "init")) {
        const std::string field = join(path, "init");
        expect_object(*v, field);
        check_known(*v, field, {"scheme", "uniform_range", "bias"});
        if (const Json* s = find(*v, "scheme"))
            n.init.scheme = read_enum<InitScheme>(*s, join(field, "scheme"), init_from_name, init_name, kInitCount);
        if (const Json* s = find(*v, "uniform_range")) n.init.uniform_range = read_double(*s, join(field, "uniform_range"));
        if (const Json* s = find(*v, "bias")) n.init.bias = read_double(*s, join(field, "bias"));
    }
    return n;
}

TrainingConfig read_training(const Json& j, const std::string& path) {
    expect_object(j, path);
    check_known(j, path, {"optimizer", "learning_rate", "batch_size", "regularization", "regularization_rate",
                          "clip_norm", "momentum", "rho", "beta1", "beta2", "epsilon", "schedule", "step_every",
                          "step_gamma", "cosine_steps", "min_learning_rate"});
    TrainingConfig t;
    auto number = [&](std::string_view key, double& out) {
        if (const Json* v = find(j, key)) out = read_double(*v, join(path, key));
    };
    auto integer = [&](std::string_view key, int& out) {
        if (const Json* v = find(j, key)) out = read_int(*v, join(path, key));
    };
    if (const Json* v = find(j, "optimizer"))
        t.optimizer = read_enum<OptimizerKind>(*v, join(path, "optimizer"), optimizer_from_name, optimizer_name,
                                               kOptimizerCount);
    number("learning_rate", t.learning_rate);
    integer("batch_size", t.batch_size);
    if (const Json* v = find(j, "regularization"))
        t.regularization = read_enum<Regularization>(*v, join(path, "regularization"), regularization_from_name,
                                                     regularization_name, kRegularizationCount);
    number("regularization_rate", t.regularization_rate);
    number("clip_norm", t.clip_norm);
    number("momentum", t.momentum);
    number("rho", t.rho);
    number("beta1", t.beta1);
    number("beta2", t.beta2);
    number("epsilon", t.epsilon);
    if (const Json* v = find(j, "schedule"))
        t.schedule = read_enum<Schedule>(*v, join(path, "schedule"), schedule_from_name, schedule_name, kScheduleCount);
    integer("step_every", t.step_every);
    number("step_gamma", t.step_gamma);
    integer("cosine_steps", t.cosine_steps);
    number("min_learning_rate", t.min_learning_rate);
    return t;
}

void check_version(const Json& obj, const std::string& path) {
    const Json* v = find(obj, "format_version");
    if (!v) return;  // a hand-written config may leave it out; it then means the current version
    const std::int64_t version = read_int64(*v, join(path, "format_version"));
    if (version != kFormatVersion)
        throw ConfigError(join(path, "format_version") + " " + std::to_string(version) +
                          " is not supported (this build reads " + std::to_string(kFormatVersion) + ")");
}

// path is "" for a config file and "config" inside a model file. Does not validate ranges.
ExperimentConfig read_config(const Json& j, const std::string& path) {
    expect_object(j, path);
    if (const Json* kind = find(j, "kind"))
        throw ConfigError(join(path, "kind") + " is " + (kind->is_string() ? echo_string(kind->get_ref<const std::string&>()) : kind->dump()) +
                          ": this is a saved model, not an experiment config (load it as a model)");
    check_known(j, path, {"format_version", "seed", "data", "network", "training"});
    check_version(j, path);
    ExperimentConfig c;
    if (const Json* v = find(j, "seed"))
        c.seed = static_cast<std::uint64_t>(read_int_in(*v, join(path, "seed"), 0, static_cast<std::int64_t>(kMaxSeed)));
    if (const Json* v = find(j, "data")) c.data = read_data(*v, join(path, "data"));
    if (const Json* v = find(j, "network")) c.network = read_network(*v, join(path, "network"));
    if (const Json* v = find(j, "training")) c.training = read_training(*v, join(path, "training"));
    return c;
}

std::vector<double> read_numbers(const Json& v, const std::string& path, std::size_t expected, const std::string& why) {
    expect_array(v, path);
    if (v.size() != expected)
        throw ConfigError(path + " has " + std::to_string(v.size()) + " values, but " + why + " has " +
                          std::to_string(expected));
    std::vector<double> out(expected);
    for (std::size_t i = 0; i < expected; ++i) {
        const Json& x = v[i];
        if (!x.is_number()) throw ConfigError(at_index(path, i) + " must be a number, got " + x.type_name());
        out[i] = x.get<double>();
        if (!std::isfinite(out[i]))
            throw ConfigError(at_index(path, i) + " must be a finite number, got one too large for a double");
    }
    return out;
}

const Json& require(const Json& obj, const std::string& path, std::string_view key) {
    const Json* v = find(obj, key);
    if (!v) throw ConfigError(join(path, key) + " is missing");
    return *v;
}

}  // namespace

std::string config_to_json(const ExperimentConfig& config, int indent) {
    return dump(config_json(config), indent);
}

ExperimentConfig config_from_json(std::string_view text) {
    const Json root = parse_text(text, "config");
    ExperimentConfig c = read_config(root, "");
    validate_config(c);
    return c;
}

std::string model_to_json(const Trainer& trainer, int indent) {
    Json j;
    j["format_version"] = kFormatVersion;
    j["kind"] = "model";
    j["config"] = config_json(trainer.config());
    const auto params = trainer.network().params();
    Json state;
    state["step"] = trainer.step();
    state["epoch"] = trainer.epoch();
    state["cursor"] = trainer.cursor();
    state["params"] = numbers_json(std::vector<double>(params.begin(), params.end()), "state.params");
    state["optimizer"] = {{"steps", trainer.optimizer().steps()},
                          {"m", numbers_json(trainer.optimizer().first_moment(), "state.optimizer.m")},
                          {"v", numbers_json(trainer.optimizer().second_moment(), "state.optimizer.v")}};
    j["state"] = std::move(state);
    return dump(j, indent);
}

std::unique_ptr<Trainer> model_from_json(std::string_view text) {
    const Json root = parse_text(text, "model");
    expect_object(root, "");
    const Json* found = find(root, "kind");
    if (!found)
        throw ConfigError(find(root, "network") || find(root, "data") || find(root, "training") || find(root, "seed")
                              ? "kind is missing: this is an experiment config, not a saved model"
                              : "kind is missing");
    const Json& kind = *found;
    check_known(root, "", {"format_version", "kind", "config", "state"});
    check_version(root, "");
    if (!kind.is_string() || kind.get_ref<const std::string&>() != "model")
        throw ConfigError("kind must be \"model\", got " +
                          (kind.is_string() ? echo_string(kind.get_ref<const std::string&>()) : kind.dump()));

    const ExperimentConfig config = read_config(require(root, "", "config"), "config");
    std::unique_ptr<Trainer> trainer;
    try {
        trainer = std::make_unique<Trainer>(config);  // validates the config
    } catch (const ConfigError& e) {
        // validate_config names fields from the config's root; inside a model they live under "config".
        throw ConfigError(std::string("config.") + e.what());
    }

    const Json& state = require(root, "", "state");
    expect_object(state, "state");
    check_known(state, "state", {"step", "epoch", "cursor", "params", "optimizer"});
    const std::int64_t step = read_int_in(require(state, "state", "step"), "state.step", 0, kMaxSavedStep);
    const std::int64_t epoch = read_int_in(require(state, "state", "epoch"), "state.epoch", 0, kMaxSavedStep);
    const std::size_t train = trainer->data().train.size();
    const auto cursor = static_cast<std::size_t>(read_int_in(require(state, "state", "cursor"), "state.cursor", 0,
                                                             static_cast<std::int64_t>(train) - 1));
    const std::vector<double> params =
        read_numbers(require(state, "state", "params"), "state.params", trainer->network().params().size(),
                     "the network of this config");

    const Json& opt = require(state, "state", "optimizer");
    expect_object(opt, "state.optimizer");
    check_known(opt, "state.optimizer", {"steps", "m", "v"});
    // The optimizer counts its own updates and restarts when its kind changes, so it never leads the
    // trainer; the bound also caps the work restore() spends recomputing beta^t.
    const std::int64_t opt_steps = read_int_in(require(opt, "state.optimizer", "steps"), "state.optimizer.steps", 0, step);
    const std::string optimizer = "optimizer " + std::string(optimizer_name(config.training.optimizer));
    std::vector<double> m = read_numbers(require(opt, "state.optimizer", "m"), "state.optimizer.m",
                                         trainer->optimizer().first_moment().size(), optimizer);
    std::vector<double> v = read_numbers(require(opt, "state.optimizer", "v"), "state.optimizer.v",
                                         trainer->optimizer().second_moment().size(), optimizer);
    trainer->restore(step, epoch, cursor, params, opt_steps, std::move(m), std::move(v));
    return trainer;
}

}  // namespace ap
