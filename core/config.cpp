#include "config.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "error.hpp"
#include "formula.hpp"

namespace ap {

namespace {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

template <typename E, std::size_t N>
std::string_view name_in(const NameTable<E, N>& table, E value) {
    for (const auto& [e, name] : table) if (e == value) return name;
    return "?";
}

template <typename E, std::size_t N>
std::optional<E> value_in(const NameTable<E, N>& table, std::string_view name) {
    for (const auto& [e, n] : table) if (n == name) return e;
    return std::nullopt;
}

constexpr NameTable<DatasetKind, 15> kDatasets{{
    {DatasetKind::circle, "circle"}, {DatasetKind::xor_, "xor"}, {DatasetKind::gaussians, "gaussians"},
    {DatasetKind::blobs, "blobs"},
    {DatasetKind::spiral, "spiral"}, {DatasetKind::spiral3, "spiral3"}, {DatasetKind::moons, "moons"},
    {DatasetKind::checkerboard, "checkerboard"}, {DatasetKind::sine, "sine"}, {DatasetKind::abs, "abs"},
    {DatasetKind::step, "step"}, {DatasetKind::cubic, "cubic"}, {DatasetKind::plane, "plane"},
    {DatasetKind::multi_gaussian, "multi_gaussian"}, {DatasetKind::custom, "custom"},
}};
constexpr NameTable<Feature, 7> kFeatures{{
    {Feature::x1, "x1"}, {Feature::x2, "x2"}, {Feature::x1_squared, "x1^2"}, {Feature::x2_squared, "x2^2"},
    {Feature::x1_times_x2, "x1*x2"}, {Feature::sin_x1, "sin(x1)"}, {Feature::sin_x2, "sin(x2)"},
}};
constexpr NameTable<Head, 4> kHeads{{
    {Head::linear_mse, "linear_mse"}, {Head::sigmoid_bce, "sigmoid_bce"}, {Head::tanh_mse, "tanh_mse"},
    {Head::softmax_ce, "softmax_ce"},
}};
constexpr NameTable<InitScheme, 7> kInits{{
    {InitScheme::uniform, "uniform"}, {InitScheme::glorot_uniform, "glorot_uniform"},
    {InitScheme::glorot_normal, "glorot_normal"}, {InitScheme::he_uniform, "he_uniform"},
    {InitScheme::he_normal, "he_normal"}, {InitScheme::lecun_normal, "lecun_normal"}, {InitScheme::zeros, "zeros"},
}};
constexpr NameTable<OptimizerKind, 5> kOptimizers{{
    {OptimizerKind::sgd, "sgd"}, {OptimizerKind::momentum, "momentum"}, {OptimizerKind::nesterov, "nesterov"},
    {OptimizerKind::rmsprop, "rmsprop"}, {OptimizerKind::adam, "adam"},
}};
constexpr NameTable<Regularization, 3> kRegularizations{{
    {Regularization::none, "none"}, {Regularization::l1, "l1"}, {Regularization::l2, "l2"},
}};
constexpr NameTable<Schedule, 3> kSchedules{{
    {Schedule::constant, "constant"}, {Schedule::step, "step"}, {Schedule::cosine, "cosine"},
}};

// Each check names the field and the allowed range, so the message alone tells the user what to fix.
void check_range(std::string_view field, double v, Range r) {
    if (!(v >= r.min && v <= r.max))  // also rejects NaN
        throw ConfigError(std::string(field) + " must be " + number_text(r.min) + ".." + number_text(r.max) +
                          ", got " + number_text(v));
}

void check_int(std::string_view field, long long v, long long lo, long long hi) {
    if (v < lo || v > hi)
        throw ConfigError(std::string(field) + " must be " + std::to_string(lo) + ".." + std::to_string(hi) +
                          ", got " + std::to_string(v));
}

template <typename E, std::size_t N>
std::vector<std::string_view> names_in(const NameTable<E, N>& table) {
    std::vector<std::string_view> out;
    for (const auto& [e, name] : table) out.push_back(name);
    return out;
}

// Enum names: the allowed ones are listed in the message, so the user need not look them up.
[[noreturn]] void unknown_name(const std::string& field, std::string_view name, const std::vector<std::string_view>& allowed) {
    std::string list;
    for (std::string_view a : allowed) {
        if (!list.empty()) list += ", ";
        list += a;
    }
    throw ConfigError(field + " must be one of " + list + "; got " + echo_string(name));
}

template <typename E, std::size_t N>
E named_in(const NameTable<E, N>& table, const std::string& field, std::string_view name) {
    if (const auto e = value_in(table, name)) return *e;
    unknown_name(field, name, names_in(table));
}

constexpr NameTable<ProblemKind, 2> kProblems{{
    {ProblemKind::classification, "classification"}, {ProblemKind::regression, "regression"},
}};

void validate_data(const DataConfig& d) {
    if (d.kind == DatasetKind::custom) {
        check_int("data.points", static_cast<long long>(d.custom_points.size()), kMinCustomPoints, kMaxPoints);
        check_int("data.dims", d.custom_dims, 1, 2);
        // Name the coordinates as the user wrote them: [x, y] pairs for 1-D data, [x1, x2, label] otherwise.
        const bool one_d = d.custom_dims == 1;
        for (std::size_t i = 0; i < d.custom_points.size(); ++i) {
            const Point& p = d.custom_points[i];
            const std::string at = "data.points[" + std::to_string(i) + "]";
            check_range(at + (one_d ? ".x" : ".x1"), p.x1, kCustomCoordinateRange);
            if (!one_d) check_range(at + ".x2", p.x2, kCustomCoordinateRange);
            if (d.custom_problem == ProblemKind::classification) {
                if (!is_class_label(p.label))
                    throw ConfigError(at + ".label must be " + class_labels_text() + ", got " + number_text(p.label));
            } else {
                check_range(at + (one_d ? ".y" : ".label"), p.label, kCustomCoordinateRange);
            }
        }
        if (d.custom_dims == 1 && d.custom_problem != ProblemKind::regression)
            throw ConfigError("data.dims 1 is for regression (x,y) points only");
    } else {
        check_int("data.num_points", d.num_points, kMinPoints, kMaxPoints);
    }
    if (d.kind == DatasetKind::blobs) check_int("data.classes", d.classes, 2, kMaxClasses);
    check_range("data.noise", d.noise, kNoiseRange);
    check_range("data.test_fraction", d.test_fraction, kTestFractionRange);
}

void validate_network(const NetworkConfig& n, const DataConfig& d) {
    check_int("network.hidden (layers)", static_cast<long long>(n.hidden.size()), 0, kMaxHiddenLayers);
    for (std::size_t l = 0; l < n.hidden.size(); ++l) {
        const std::string field = "network.hidden[" + std::to_string(l) + "]";
        check_int(field + ".units", n.hidden[l].units, 1, kMaxUnits);
        validate_activation_params(field, n.hidden[l].activation, n.hidden[l].params);
        if (n.hidden[l].activation == Activation::formula) Formula::compile(n.hidden[l].formula, field + ".formula");
    }
    if (input_dims_of(d) == 2) {
        check_int("network.features (count)", static_cast<long long>(n.features.size()), 1, kMaxFeatures);
        for (std::size_t i = 0; i < n.features.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (n.features[i] == n.features[j])
                    throw ConfigError("network.features lists " + std::string(feature_name(n.features[i])) + " twice");
    }
    const int classes = classes_of(d);
    const std::string head = "network.head " + std::string(head_name(n.head));
    if (problem_of(d) == ProblemKind::regression && n.head != Head::linear_mse)
        throw ConfigError(head + " is for classification; regression data needs linear_mse");
    if (problem_of(d) == ProblemKind::classification) {
        if (n.head == Head::linear_mse)
            throw ConfigError(head + " is for regression; classification needs sigmoid_bce, tanh_mse or softmax_ce");
        if (classes > 2 && n.head != Head::softmax_ce)
            throw ConfigError(head + " has one output; " + std::to_string(classes) + " classes need softmax_ce");
    }
    check_range("network.init.uniform_range", n.init.uniform_range, kInitRangeRange);
    check_range("network.init.bias", n.init.bias, kInitBiasRange);
}

}  // namespace

std::string echo_string(std::string_view s) {
    constexpr std::size_t kMax = 40;
    std::string out = "'";
    out += s.substr(0, kMax);
    out += s.size() <= kMax ? "'" : "...'";
    return out;
}

std::string number_text(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));  // 1000000, not 1e+06
    std::string text;
    for (int digits = 1; digits <= 17; ++digits) {
        std::ostringstream s;
        s.precision(digits);
        s << v;
        text = s.str();
        if (std::strtod(text.c_str(), nullptr) == v) break;  // strtod, not stod: no throw on subnormals
    }
    return text;
}

std::string_view dataset_name(DatasetKind v) { return name_in(kDatasets, v); }
std::optional<DatasetKind> dataset_from_name(std::string_view n) { return value_in(kDatasets, n); }
std::string_view feature_name(Feature v) { return name_in(kFeatures, v); }
std::optional<Feature> feature_from_name(std::string_view n) { return value_in(kFeatures, n); }
std::string_view head_name(Head v) { return name_in(kHeads, v); }
std::optional<Head> head_from_name(std::string_view n) { return value_in(kHeads, n); }
std::string_view init_name(InitScheme v) { return name_in(kInits, v); }
std::optional<InitScheme> init_from_name(std::string_view n) { return value_in(kInits, n); }
std::string_view optimizer_name(OptimizerKind v) { return name_in(kOptimizers, v); }
std::optional<OptimizerKind> optimizer_from_name(std::string_view n) { return value_in(kOptimizers, n); }
std::string_view regularization_name(Regularization v) { return name_in(kRegularizations, v); }
std::optional<Regularization> regularization_from_name(std::string_view n) { return value_in(kRegularizations, n); }
std::string_view schedule_name(Schedule v) { return name_in(kSchedules, v); }
std::optional<Schedule> schedule_from_name(std::string_view n) { return value_in(kSchedules, n); }
std::string_view problem_name(ProblemKind v) { return name_in(kProblems, v); }

std::vector<std::string_view> dataset_names() { return names_in(kDatasets); }
std::vector<std::string_view> feature_names() { return names_in(kFeatures); }
std::vector<std::string_view> head_names() { return names_in(kHeads); }
std::vector<std::string_view> init_names() { return names_in(kInits); }
std::vector<std::string_view> optimizer_names() { return names_in(kOptimizers); }
std::vector<std::string_view> regularization_names() { return names_in(kRegularizations); }
std::vector<std::string_view> schedule_names() { return names_in(kSchedules); }

DatasetKind dataset_named(const std::string& f, std::string_view n) { return named_in(kDatasets, f, n); }
Feature feature_named(const std::string& f, std::string_view n) { return named_in(kFeatures, f, n); }
Head head_named(const std::string& f, std::string_view n) { return named_in(kHeads, f, n); }
InitScheme init_named(const std::string& f, std::string_view n) { return named_in(kInits, f, n); }
OptimizerKind optimizer_named(const std::string& f, std::string_view n) { return named_in(kOptimizers, f, n); }
Regularization regularization_named(const std::string& f, std::string_view n) { return named_in(kRegularizations, f, n); }
Schedule schedule_named(const std::string& f, std::string_view n) { return named_in(kSchedules, f, n); }
ProblemKind problem_named(const std::string& f, std::string_view n) { return named_in(kProblems, f, n); }
Activation activation_named(const std::string& f, std::string_view n) {
    if (const auto a = activation_from_name(n)) return *a;
    std::vector<std::string_view> allowed;
    for (Activation a : all_activations()) allowed.push_back(activation_name(a));
    unknown_name(f, n, allowed);
}

ProblemKind problem_of(const DataConfig& d) {
    switch (d.kind) {
        case DatasetKind::sine: case DatasetKind::abs: case DatasetKind::step: case DatasetKind::cubic:
        case DatasetKind::plane: case DatasetKind::multi_gaussian:
            return ProblemKind::regression;
        case DatasetKind::custom: return d.custom_problem;
        default: return ProblemKind::classification;
    }
}

int input_dims_of(const DataConfig& d) {
    switch (d.kind) {
        case DatasetKind::sine: case DatasetKind::abs: case DatasetKind::step: case DatasetKind::cubic: return 1;
        case DatasetKind::custom: return d.custom_dims;
        default: return 2;
    }
}

int classes_of(const DataConfig& d) {
    if (problem_of(d) == ProblemKind::regression) return 0;
    if (d.kind == DatasetKind::spiral3) return 3;
    if (d.kind == DatasetKind::blobs) return d.classes;
    if (d.kind == DatasetKind::custom) {
        // The highest label present names the class count: labels 0, 1 and 4 make five classes (two empty),
        // as the softmax head needs an output for every label up to the highest.
        double highest = 1;
        for (const Point& p : d.custom_points) highest = std::max(highest, p.label);
        return static_cast<int>(highest) + 1;
    }
    return 2;
}

bool is_class_label(double v) { return v >= 0 && v < kMaxClasses && v == std::floor(v); }

std::string class_labels_text() { return "an integer 0.." + std::to_string(kMaxClasses - 1); }

void validate_relu_grad_at_zero(const std::string& field, double g) {
    for (double allowed : kReluGradsAtZero) if (g == allowed) return;
    std::string list;
    const std::size_t n = std::size(kReluGradsAtZero);
    for (std::size_t i = 0; i < n; ++i) {
        list += i == 0 ? "" : (i + 1 == n ? " or " : ", ");
        list += number_text(kReluGradsAtZero[i]);
    }
    throw ConfigError(field + ".relu_grad_at_zero must be " + list + ", got " + number_text(g));
}

void validate_activation_params(const std::string& field, Activation kind, const ActivationParams& p) {
    if (uses_alpha(kind)) check_range(field + ".alpha", p.alpha, kAlphaRange);
    if (uses_beta(kind)) check_range(field + ".beta", p.beta, kBetaRange);
    if (kind == Activation::formula) {
        check_range(field + ".a", p.a, kFormulaParamRange);
        check_range(field + ".b", p.b, kFormulaParamRange);
    }
    validate_relu_grad_at_zero(field, p.relu_grad_at_zero);
}

void validate_training(const TrainingConfig& t) {
    check_range("training.learning_rate", t.learning_rate, kLearningRateRange);
    check_int("training.batch_size", t.batch_size, 1, kMaxBatch);
    check_range("training.regularization_rate", t.regularization_rate, kRegularizationRateRange);
    check_range("training.clip_norm", t.clip_norm, kClipNormRange);
    check_range("training.momentum", t.momentum, kDecayRange);
    check_range("training.rho", t.rho, kDecayRange);
    check_range("training.beta1", t.beta1, kDecayRange);
    check_range("training.beta2", t.beta2, kDecayRange);
    check_range("training.epsilon", t.epsilon, kEpsilonRange);
    check_int("training.step_every", t.step_every, 1, kMaxScheduleSteps);
    check_range("training.step_gamma", t.step_gamma, kStepGammaRange);
    check_int("training.cosine_steps", t.cosine_steps, 1, kMaxScheduleSteps);
    check_range("training.min_learning_rate", t.min_learning_rate, Range{0.0, t.learning_rate});
}


void validate_config(const ExperimentConfig& c) {
    validate_data(c.data);
    validate_network(c.network, c.data);
    validate_training(c.training);
}

}  // namespace ap
