#include "serialize.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "error.hpp"

namespace ap {

namespace {

// ordered_json keeps the documented field order when writing and reports unknown fields in the order
// the user wrote them.
using Json = nlohmann::ordered_json;

std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string at_index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// ---------------------------------------------------------------------------------------------------------
// Parsing text, and the checks every reader shares

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

const Json& expect_array(const Json& v, const std::string& path) {
    if (!v.is_array()) throw ConfigError(path + " must be an array, got " + v.type_name());
    return v;
}

// Typos are the most common mistake in a hand-written config; a silently ignored "hiden" would run a
// different experiment than the user meant.
template <typename Names>
void check_known(const Json& obj, const std::string& path, const Names& names) {
    for (const auto& [key, value] : obj.items()) {
        if (std::find(std::begin(names), std::end(names), key) == std::end(names))
            throw ConfigError("unknown field " + join(path, key.size() <= 40 ? key : key.substr(0, 40) + "..."));
    }
}
void check_known(const Json& obj, const std::string& path, std::initializer_list<std::string_view> names) {
    check_known<std::initializer_list<std::string_view>>(obj, path, names);
}

const Json* find(const Json& obj, std::string_view key) {
    const auto it = obj.find(std::string(key));
    return it == obj.end() ? nullptr : &*it;
}

const Json& require(const Json& obj, const std::string& path, std::string_view key) {
    const Json* v = find(obj, key);
    if (!v) throw ConfigError(join(path, key) + " is missing");
    return *v;
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

std::string_view read_string(const Json& v, const std::string& path) {
    if (!v.is_string()) throw ConfigError(path + " must be a string, got " + v.type_name());
    return v.get_ref<const std::string&>();
}

// ---------------------------------------------------------------------------------------------------------
// Values: one write_value / read_value pair per kind of value; structs are read and written by their field
// tables below.

// The structs with a field table (below), and every overload, declared before any is used.
template <typename S> constexpr bool kHasFields = false;
template <> constexpr bool kHasFields<DataConfig> = true;
template <> constexpr bool kHasFields<LayerConfig> = true;
template <> constexpr bool kHasFields<InitConfig> = true;
template <> constexpr bool kHasFields<NetworkConfig> = true;
template <> constexpr bool kHasFields<TrainingConfig> = true;
template <> constexpr bool kHasFields<ExperimentConfig> = true;

// A saved model's training state, as Trainer::restore() takes it. `expect` is not in the file: it is what
// the model's own config makes of the state (sizes, the last cursor), set before reading.
struct OptimizerState {
    std::int64_t steps = 0;
    std::vector<double> m, v;  // (params) or empty: the optimizer's first and second moments
    struct Expect {
        std::int64_t max_steps = 0;
        std::size_t m = 0, v = 0;
        std::string optimizer;  // "optimizer adam": what fixes the sizes of m and v
    } expect;
};
struct ModelState {
    std::int64_t step = 0, epoch = 0, cursor = 0;
    std::vector<double> params;  // (params): the network's parameter arena
    OptimizerState optimizer;
    struct Expect {
        std::int64_t last_cursor = 0;
        std::size_t params = 0;
        OptimizerState::Expect optimizer;  // its max_steps is the step read first
    } expect;
};
template <> constexpr bool kHasFields<OptimizerState> = true;
template <> constexpr bool kHasFields<ModelState> = true;

template <typename E> requires std::is_enum_v<E> Json write_value(E e, const std::string& path);
template <typename E> requires std::is_enum_v<E> void read_value(const Json& v, const std::string& path, E& out);
template <typename S> requires kHasFields<S> Json write_value(const S& s, const std::string& path);
template <typename S> requires kHasFields<S> void read_value(const Json& v, const std::string& path, S& out);
template <typename T> Json write_value(const std::vector<T>& items, const std::string& path);
template <typename T> void read_value(const Json& v, const std::string& path, std::vector<T>& out);

Json write_value(double v, const std::string& path) {
    // nlohmann writes NaN and infinities as null, which would read back as a type error: refuse early.
    if (!std::isfinite(v)) throw ConfigError("cannot write " + path + ": it is not finite");
    return v;
}
void read_value(const Json& v, const std::string& path, double& out) { out = read_double(v, path); }

// Config integers whose ranges validate_config() checks; here they only have to fit in an int.
Json write_value(int v, const std::string&) { return v; }
void read_value(const Json& v, const std::string& path, int& out) {
    const std::int64_t x = read_int64(v, path);
    if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
        throw ConfigError(path + " is out of range, got " + std::to_string(x));
    out = static_cast<int>(x);
}

// Enum names, all from config.cpp's name tables: one mechanism, and a refused name lists the allowed ones.
template <typename E> struct EnumNames;
#define AP_ENUM_NAMES(E, name_of, named)                          \
    template <> struct EnumNames<E> {                             \
        static std::string_view name(E e) { return name_of(e); }  \
        static E value(const std::string& path, std::string_view s) { return named(path, s); } \
    };
AP_ENUM_NAMES(DatasetKind, dataset_name, dataset_named)
AP_ENUM_NAMES(ProblemKind, problem_name, problem_named)
AP_ENUM_NAMES(Feature, feature_name, feature_named)
AP_ENUM_NAMES(Head, head_name, head_named)
AP_ENUM_NAMES(InitScheme, init_name, init_named)
AP_ENUM_NAMES(Activation, activation_name, activation_named)
AP_ENUM_NAMES(OptimizerKind, optimizer_name, optimizer_named)
AP_ENUM_NAMES(Regularization, regularization_name, regularization_named)
AP_ENUM_NAMES(Schedule, schedule_name, schedule_named)
#undef AP_ENUM_NAMES

template <typename E> requires std::is_enum_v<E>
Json write_value(E e, const std::string&) { return EnumNames<E>::name(e); }
template <typename E> requires std::is_enum_v<E>
void read_value(const Json& v, const std::string& path, E& out) { out = EnumNames<E>::value(path, read_string(v, path)); }

// A field of struct S: its name, once, and how to write, read and (for some) refuse it.
template <typename S>
struct Field {
    std::string_view name;
    std::function<Json(const S&, const std::string& path)> write;
    std::function<void(const Json&, const std::string& path, S&)> read;
    // Non-empty when the field does not apply to this value (it is then neither written nor accepted).
    std::function<std::string(const S&)> not_for = nullptr;
    bool late = false;      // read after the other fields (it depends on them)
    bool required = false;  // a missing field is an error (a saved state), not a default (a config)
};

// A field read and written as the value that get(s) refers to.
template <typename S, typename Get>
Field<S> field(std::string_view name, Get get) {
    return {name, [get](const S& s, const std::string& path) { return write_value(get(s), path); },
            [get](const Json& v, const std::string& path, S& s) { read_value(v, path, get(s)); }};
}
template <typename S, typename T>
Field<S> field(std::string_view name, T S::*member) {
    return field<S>(name, [member](auto& s) -> auto& { return s.*member; });
}

// The field, written and accepted only where not_for(value) is empty.
template <typename S, typename NotFor>
Field<S> only_for(Field<S> f, NotFor not_for) {
    f.not_for = not_for;
    return f;
}

template <typename S> const std::vector<Field<S>>& fields();

template <typename S>
std::vector<std::string_view> names_of() {
    std::vector<std::string_view> names;
    for (const Field<S>& f : fields<S>()) names.push_back(f.name);
    return names;
}

template <typename S> requires kHasFields<S>
Json write_value(const S& s, const std::string& path) {
    Json j = Json::object();
    for (const Field<S>& f : fields<S>())
        if (!f.not_for || f.not_for(s).empty()) j[std::string(f.name)] = f.write(s, join(path, f.name));
    return j;
}

// Reads into a struct of defaults: missing fields keep the defaults of config.hpp.
template <typename S> requires kHasFields<S>
void read_value(const Json& j, const std::string& path, S& out) {
    expect_object(j, path);
    static const std::vector<std::string_view> names = names_of<S>();
    check_known(j, path, names);
    if constexpr (requires(S& x) { x.expect; }) {
        auto expect = std::move(out.expect);  // a state struct keeps what it was told to expect
        out = S{};
        out.expect = std::move(expect);
    } else {
        out = S{};
    }
    if constexpr (std::is_same_v<S, LayerConfig>) out.params = default_params(out.activation);
    for (bool late : {false, true})
        for (const Field<S>& f : fields<S>())
            if (const Json* v = find(j, f.name)) {
                if (!late && f.not_for) {
                    const std::string why = f.not_for(out);
                    if (!why.empty()) throw ConfigError(join(path, f.name) + why);
                }
                if (f.late == late) f.read(*v, join(path, f.name), out);
            } else if (f.required && f.late == late) {
                throw ConfigError(join(path, f.name) + " is missing");
            }
}

template <typename T>
Json write_value(const std::vector<T>& items, const std::string& path) {
    Json a = Json::array();
    for (std::size_t i = 0; i < items.size(); ++i) a.push_back(write_value(items[i], at_index(path, i)));
    return a;
}
template <typename T>
void read_value(const Json& v, const std::string& path, std::vector<T>& out) {
    expect_array(v, path);
    out.clear();
    for (std::size_t i = 0; i < v.size(); ++i) read_value(v[i], at_index(path, i), out.emplace_back());
}

// ---------------------------------------------------------------------------------------------------------
// The field tables: each struct's fields, in the order they are written

// Custom points: [x, y] pairs for 1-D data, [x1, x2, label] otherwise.
Json write_points(const DataConfig& d, const std::string& path) {
    Json points = Json::array();
    points.get_ref<Json::array_t&>().reserve(d.custom_points.size());
    for (const Point& p : d.custom_points) {
        if (d.custom_dims == 1) points.push_back({write_value(p.x1, path), write_value(p.label, path)});
        else points.push_back({write_value(p.x1, path), write_value(p.x2, path), write_value(p.label, path)});
    }
    return points;
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

std::string blobs_only(const DataConfig& d) {
    return d.kind == DatasetKind::blobs ? "" : " is only for dataset blobs, not " + std::string(dataset_name(d.kind));
}

std::string custom_only(const DataConfig& d) {
    return d.kind == DatasetKind::custom ? "" : " is only for dataset custom, not " + std::string(dataset_name(d.kind));
}

template <> const std::vector<Field<DataConfig>>& fields() {
    static const std::vector<Field<DataConfig>> f = [] {
        std::vector<Field<DataConfig>> v{
            field("dataset", &DataConfig::kind),
            field("num_points", &DataConfig::num_points),
            field("noise", &DataConfig::noise),
            field("test_fraction", &DataConfig::test_fraction),
            only_for(field("classes", &DataConfig::classes), blobs_only),
            {"points", write_points, read_points, custom_only, /*late: needs dims*/ true},
            {"dims", [](const DataConfig& d, const std::string&) { return Json(d.custom_dims); },
             [](const Json& v, const std::string& path, DataConfig& d) {
                 d.custom_dims = static_cast<int>(read_int_in(v, path, 1, 2));
                 // 1-D points are (x, y) pairs, always regression: a missing problem means that, not the default.
                 if (d.custom_dims == 1) d.custom_problem = ProblemKind::regression;
             },
             custom_only},
            field("problem", &DataConfig::custom_problem),
        };
        v.back().not_for = custom_only;
        return v;
    }();
    return f;
}

// The formula and its parameters a and b belong to formula layers only.
std::string formula_only(const LayerConfig& l) {
    return l.activation == Activation::formula
               ? ""
               : " is only for activation formula, not " + std::string(activation_name(l.activation));
}

template <> const std::vector<Field<LayerConfig>>& fields() {
    static const std::vector<Field<LayerConfig>> f{
        field("units", &LayerConfig::units),
        {"activation", [](const LayerConfig& l, const std::string&) { return Json(activation_name(l.activation)); },
         [](const Json& v, const std::string& path, LayerConfig& l) {
             read_value(v, path, l.activation);
             l.params = default_params(l.activation);  // the parameters that follow override these
         }},
        field<LayerConfig>("alpha", [](auto& l) -> auto& { return l.params.alpha; }),
        field<LayerConfig>("beta", [](auto& l) -> auto& { return l.params.beta; }),
        field<LayerConfig>("relu_grad_at_zero", [](auto& l) -> auto& { return l.params.relu_grad_at_zero; }),
        only_for(Field<LayerConfig>{"formula",
                                    [](const LayerConfig& l, const std::string&) { return Json(l.formula); },
                                    [](const Json& v, const std::string& path, LayerConfig& l) {
                                        l.formula = read_string(v, path);
                                    }},
                 formula_only),
        only_for(field<LayerConfig>("a", [](auto& l) -> auto& { return l.params.a; }), formula_only),
        only_for(field<LayerConfig>("b", [](auto& l) -> auto& { return l.params.b; }), formula_only),
    };
    return f;
}

template <> const std::vector<Field<InitConfig>>& fields() {
    static const std::vector<Field<InitConfig>> f{
        field("scheme", &InitConfig::scheme),
        field("uniform_range", &InitConfig::uniform_range),
        field("bias", &InitConfig::bias),
    };
    return f;
}

template <> const std::vector<Field<NetworkConfig>>& fields() {
    static const std::vector<Field<NetworkConfig>> f{
        field("features", &NetworkConfig::features),
        field("head", &NetworkConfig::head),
        field("hidden", &NetworkConfig::hidden),
        field("init", &NetworkConfig::init),
    };
    return f;
}

template <> const std::vector<Field<TrainingConfig>>& fields() {
    using T = TrainingConfig;
    static const std::vector<Field<T>> f{
        field("optimizer", &T::optimizer),
        field("learning_rate", &T::learning_rate),
        field("batch_size", &T::batch_size),
        field("regularization", &T::regularization),
        field("regularization_rate", &T::regularization_rate),
        field("clip_norm", &T::clip_norm),
        field("momentum", &T::momentum),
        field("rho", &T::rho),
        field("beta1", &T::beta1),
        field("beta2", &T::beta2),
        field("epsilon", &T::epsilon),
        field("schedule", &T::schedule),
        field("step_every", &T::step_every),
        field("step_gamma", &T::step_gamma),
        field("cosine_steps", &T::cosine_steps),
        field("min_learning_rate", &T::min_learning_rate),
    };
    return f;
}

template <> const std::vector<Field<ExperimentConfig>>& fields() {
    static const std::vector<Field<ExperimentConfig>> f{
        // A hand-written config may leave the version out; it then means the current version.
        {"format_version", [](const ExperimentConfig&, const std::string&) { return Json(kFormatVersion); },
         [](const Json& v, const std::string& path, ExperimentConfig&) {
             const std::int64_t version = read_int64(v, path);
             if (version != kFormatVersion)
                 throw ConfigError(path + " " + std::to_string(version) + " is not supported (this build reads " +
                                   std::to_string(kFormatVersion) + ")");
         }},
        // The seed travels through JS numbers and URLs, so the format keeps it to 32 bits.
        {"seed", [](const ExperimentConfig& c, const std::string&) {
             if (c.seed > kMaxSeed) throw ConfigError("seed must be 0.." + std::to_string(kMaxSeed) + ", got " + std::to_string(c.seed));
             return Json(c.seed);
         },
         [](const Json& v, const std::string& path, ExperimentConfig& c) {
             c.seed = static_cast<std::uint64_t>(read_int_in(v, path, 0, static_cast<std::int64_t>(kMaxSeed)));
         }},
        field("data", &ExperimentConfig::data),
        field("network", &ExperimentConfig::network),
        field("training", &ExperimentConfig::training),
    };
    return f;
}

Json numbers_json(const std::vector<double>& v, const std::string& field) {
    Json a = Json::array();
    a.get_ref<Json::array_t&>().reserve(v.size());
    for (double x : v) a.push_back(write_value(x, field));
    return a;
}

std::string dump(const Json& j, int indent) {
    return j.dump(indent < 0 ? -1 : indent);
}

// path is "" for a config file and "config" inside a model file. Does not validate ranges.
ExperimentConfig read_config(const Json& j, const std::string& path) {
    expect_object(j, path);
    if (const Json* kind = find(j, "kind"))
        throw ConfigError(join(path, "kind") + " is " + (kind->is_string() ? echo_string(kind->get_ref<const std::string&>()) : kind->dump()) +
                          ": this is a saved model, not an experiment config (load it as a model)");
    ExperimentConfig c;
    read_value(j, path, c);
    return c;
}

void check_version(const Json& obj, const std::string& path) {
    if (const Json* v = find(obj, "format_version")) {
        ExperimentConfig unused;
        fields<ExperimentConfig>().front().read(*v, join(path, "format_version"), unused);
    }
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


// The saved state's fields: each is required, an integer within 0..max(s) or numbers of a size fixed by the
// model's config (read_numbers names what fixes it).
template <typename S>
Field<S> count_field(std::string_view name, std::int64_t S::*member, std::int64_t (*max)(const S&)) {
    return {name, [member](const S& s, const std::string&) { return Json(s.*member); },
            [member, max](const Json& v, const std::string& path, S& s) {
                s.*member = read_int_in(v, path, 0, max(s));
            },
            nullptr, false, true};
}
template <typename S>
Field<S> numbers_field(std::string_view name, std::vector<double> S::*member, std::size_t (*size)(const S&),
                       std::string (*why)(const S&)) {
    return {name, [member](const S& s, const std::string& path) { return numbers_json(s.*member, path); },
            [member, size, why](const Json& v, const std::string& path, S& s) {
                s.*member = read_numbers(v, path, size(s), why(s));
            },
            nullptr, false, true};
}

std::string optimizer_named_by(const OptimizerState& o) { return o.expect.optimizer; }

template <> const std::vector<Field<OptimizerState>>& fields() {
    using O = OptimizerState;
    static const std::vector<Field<O>> f{
        // The optimizer counts its own updates and restarts when its kind changes, so it never leads the
        // trainer; the bound also caps the work restore() spends recomputing beta^t.
        count_field<O>("steps", &O::steps, [](const O& o) { return o.expect.max_steps; }),
        numbers_field<O>("m", &O::m, [](const O& o) { return o.expect.m; }, optimizer_named_by),
        numbers_field<O>("v", &O::v, [](const O& o) { return o.expect.v; }, optimizer_named_by),
    };
    return f;
}

template <> const std::vector<Field<ModelState>>& fields() {
    using M = ModelState;
    static const std::vector<Field<M>> f{
        count_field<M>("step", &M::step, [](const M&) { return kMaxSavedStep; }),
        count_field<M>("epoch", &M::epoch, [](const M&) { return kMaxSavedStep; }),
        count_field<M>("cursor", &M::cursor, [](const M& s) { return s.expect.last_cursor; }),
        numbers_field<M>("params", &M::params, [](const M& s) { return s.expect.params; },
                         [](const M&) { return std::string("the network of this config"); }),
        {"optimizer", [](const M& s, const std::string& path) { return write_value(s.optimizer, path); },
         [](const Json& v, const std::string& path, M& s) {
             s.optimizer.expect = s.expect.optimizer;
             s.optimizer.expect.max_steps = s.step;  // read before: the fields are read in this order
             read_value(v, path, s.optimizer);
         },
         nullptr, false, true},
    };
    return f;
}


}  // namespace

std::string config_to_json(const ExperimentConfig& config, int indent) {
    return dump(write_value(config, ""), indent);
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
    j["config"] = write_value(trainer.config(), "");
    const auto params = trainer.network().params();
    ModelState state;
    state.step = trainer.step();
    state.epoch = trainer.epoch();
    state.cursor = static_cast<std::int64_t>(trainer.cursor());
    state.params.assign(params.begin(), params.end());
    state.optimizer.steps = trainer.optimizer().steps();
    state.optimizer.m = trainer.optimizer().first_moment();
    state.optimizer.v = trainer.optimizer().second_moment();
    j["state"] = write_value(state, "state");
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

    ModelState state;
    state.expect.last_cursor = static_cast<std::int64_t>(trainer->data().train.size()) - 1;
    state.expect.params = trainer->network().params().size();
    state.expect.optimizer.m = trainer->optimizer().first_moment().size();
    state.expect.optimizer.v = trainer->optimizer().second_moment().size();
    state.expect.optimizer.optimizer = "optimizer " + std::string(optimizer_name(config.training.optimizer));
    read_value(require(root, "", "state"), "state", state);
    trainer->restore(state.step, state.epoch, static_cast<std::size_t>(state.cursor), state.params,
                     state.optimizer.steps, std::move(state.optimizer.m), std::move(state.optimizer.v));
    return trainer;
}

}  // namespace ap
