#pragma once
// The experiment: everything needed to reproduce a run (dataset, network, training, seed). Plain data;
// validate_config() checks ranges where data enters, and the inner code only asserts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "activation.hpp"
#include "limits.hpp"

namespace ap {

inline constexpr int kFormatVersion = 1;

// ---- Data ----
enum class DatasetKind : unsigned char {
    // 2-D classification
    circle, xor_, gaussians, blobs, spiral, spiral3, moons, checkerboard,
    // 1-D regression
    sine, abs, step, cubic,
    // 2-D regression
    plane, multi_gaussian,
    // the user's own points (CSV)
    custom,
};
enum class ProblemKind : unsigned char { classification, regression };

// One point: x1 (and x2 for 2-D data) and a label (a class index 0..k-1, or a regression target).
struct Point {
    double x1 = 0, x2 = 0, label = 0;
    bool operator==(const Point&) const = default;
};

struct DataConfig {
    DatasetKind kind = DatasetKind::circle;
    int num_points = 500;        // train + test, 10..kMaxPoints (custom: taken from the points)
    double noise = 0.0;          // 0..0.5, as a fraction of the data's extent (TF Playground's 0..50%)
    double test_fraction = 0.5;  // 0.1..0.9
    int classes = 4;             // blobs only: how many Gaussian blobs, one class each, 2..kMaxClasses
    std::vector<Point> custom_points;  // only for DatasetKind::custom
    int custom_dims = 2;               // 1 (x,y) or 2 (x1,x2,label) for custom data
    ProblemKind custom_problem = ProblemKind::classification;
    bool operator==(const DataConfig&) const = default;
};

// ---- Network ----
enum class Feature : unsigned char { x1, x2, x1_squared, x2_squared, x1_times_x2, sin_x1, sin_x2 };

enum class Head : unsigned char {
    linear_mse,      // regression: linear output, mean squared error
    sigmoid_bce,     // binary: sigmoid output, binary cross-entropy
    tanh_mse,        // binary: tanh output against labels -1/+1, squared error (TF Playground's choice)
    softmax_ce,      // multi-class: softmax over the classes, cross-entropy
};

enum class InitScheme : unsigned char {
    uniform, glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_normal, zeros,
};

struct InitConfig {
    InitScheme scheme = InitScheme::glorot_uniform;
    double uniform_range = 0.5;  // a, for uniform(-a, a)
    double bias = 0.0;           // every bias starts here (0.1 keeps ReLU units alive; negative kills them)
    bool operator==(const InitConfig&) const = default;
};

struct LayerConfig {
    int units = 4;
    Activation activation = Activation::relu;
    ActivationParams params{};  // set from default_params(activation) when the activation is chosen (JSON does)
    std::string formula;        // Activation::formula only: f(x) as text (formula.hpp), compiled by the network
    bool operator==(const LayerConfig&) const = default;
};

struct NetworkConfig {
    std::vector<Feature> features{Feature::x1, Feature::x2};  // ignored for 1-D data (the input is x)
    std::vector<LayerConfig> hidden{{4, Activation::relu, {}, {}}, {2, Activation::relu, {}, {}}};
    Head head = Head::sigmoid_bce;
    InitConfig init{};
    bool operator==(const NetworkConfig&) const = default;
};

// ---- Training ----
enum class OptimizerKind : unsigned char { sgd, momentum, nesterov, rmsprop, adam };
enum class Regularization : unsigned char { none, l1, l2 };
enum class Schedule : unsigned char { constant, step, cosine };

struct TrainingConfig {
    OptimizerKind optimizer = OptimizerKind::sgd;
    double learning_rate = 0.03;
    int batch_size = 10;
    Regularization regularization = Regularization::none;
    double regularization_rate = 0.0;
    double clip_norm = 0.0;      // gradient clipping by global norm; 0 turns it off
    double momentum = 0.9;       // momentum and nesterov
    double rho = 0.9;            // rmsprop's decay
    double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  // adam (epsilon also rmsprop's)
    Schedule schedule = Schedule::constant;
    int step_every = 1000;       // step schedule: multiply by step_gamma every step_every steps
    double step_gamma = 0.5;
    int cosine_steps = 10000;    // cosine schedule: decays to min_learning_rate over this many steps
    double min_learning_rate = 0.0;
    bool operator==(const TrainingConfig&) const = default;
};

struct ExperimentConfig {
    std::uint64_t seed = 1;
    DataConfig data{};
    NetworkConfig network{};
    TrainingConfig training{};
    bool operator==(const ExperimentConfig&) const = default;
};

// Names used by JSON, the CLI, the URL and the page. from_name returns nullopt for unknown names.
std::string_view dataset_name(DatasetKind);
std::optional<DatasetKind> dataset_from_name(std::string_view);
std::string_view feature_name(Feature);
std::optional<Feature> feature_from_name(std::string_view);
std::string_view head_name(Head);
std::optional<Head> head_from_name(std::string_view);
std::string_view init_name(InitScheme);
std::optional<InitScheme> init_from_name(std::string_view);
std::string_view optimizer_name(OptimizerKind);
std::optional<OptimizerKind> optimizer_from_name(std::string_view);
std::string_view regularization_name(Regularization);
std::optional<Regularization> regularization_from_name(std::string_view);
std::string_view schedule_name(Schedule);
std::optional<Schedule> schedule_from_name(std::string_view);
std::string_view problem_name(ProblemKind);

// Every name of an enum, in declaration order (the catalog lists these).
std::vector<std::string_view> dataset_names();
std::vector<std::string_view> feature_names();
std::vector<std::string_view> head_names();
std::vector<std::string_view> init_names();
std::vector<std::string_view> optimizer_names();
std::vector<std::string_view> regularization_names();
std::vector<std::string_view> schedule_names();

// A name as a value, or ConfigError "field must be one of a, b, c; got 'x'" (the JSON reader and the
// typed setters share these, so a refused name reads the same wherever it came from).
DatasetKind dataset_named(const std::string& field, std::string_view name);
Feature feature_named(const std::string& field, std::string_view name);
Head head_named(const std::string& field, std::string_view name);
InitScheme init_named(const std::string& field, std::string_view name);
OptimizerKind optimizer_named(const std::string& field, std::string_view name);
Regularization regularization_named(const std::string& field, std::string_view name);
Schedule schedule_named(const std::string& field, std::string_view name);
ProblemKind problem_named(const std::string& field, std::string_view name);
Activation activation_named(const std::string& field, std::string_view name);

// A user's string echoed in a message, cut short so a pasted megabyte does not become the message.
std::string echo_string(std::string_view s);
// The shortest text that reads back as the same double: 0.1, not 0.10000000000000001.
std::string number_text(double v);

ProblemKind problem_of(const DataConfig&);
int input_dims_of(const DataConfig&);   // 1 for 1-D regression, else 2
int classes_of(const DataConfig&);      // 2..kMaxClasses for classification, 0 for regression
// A class label of the user's points: an integer 0..kMaxClasses-1; the text says so in messages.
bool is_class_label(double v);
std::string class_labels_text();

// Checks an activation's parameters (alpha, beta, relu_grad_at_zero; a and b of a formula) for the ranges the
// core supports; field prefixes the message, e.g. "network.hidden[1]".
void validate_activation_params(const std::string& field, Activation kind, const ActivationParams& params);
void validate_relu_grad_at_zero(const std::string& field, double g);  // field + ".relu_grad_at_zero"

// The training part alone (its fields depend on nothing else): "training.learning_rate must be ...".
void validate_training(const TrainingConfig&);

// Throws ap::ConfigError naming the field and the allowed range, e.g.
// "network.hidden[2].units must be 1..256, got 300".
void validate_config(const ExperimentConfig&);

}  // namespace ap
