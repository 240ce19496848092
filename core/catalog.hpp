#pragma once
// What the core offers and accepts, in one place the page reads instead of copying: every activation,
// dataset, feature, head, initialisation, optimizer, regularisation and schedule by name, the menus of
// rates, the plot extent, and every limit and numeric range (from limits.hpp, their only home).
#include <string>
#include <vector>

#include "activation.hpp"
#include "config.hpp"

namespace ap {

struct ActivationInfo {
    std::string name;
    bool uses_alpha = false, uses_beta = false;
    bool relu_family = false, saturating = false;
    double default_alpha = 0, default_beta = 0;
    std::vector<double> kinks;  // at the default parameters
    bool piecewise_linear = false;  // affine between kinks: networks of it have linear regions
};
ActivationInfo activation_info(Activation kind);

struct DatasetInfo {
    std::string name;
    std::string problem;  // "classification" or "regression"; "" for custom (the user's points decide)
    int dims = 0;         // 1 or 2; 0 for custom
    int classes = 0;      // 2..kMaxClasses for classification (blobs: its default); 0 for regression and custom
};

struct NamedValue {
    std::string name;     // camelCase, as the page reads it: "maxHiddenLayers"
    double value = 0;
};

struct NamedRange {
    std::string name;     // camelCase, after the config field: "learningRate" for training.learning_rate
    double min = 0, max = 0;
};

struct Catalog {
    std::vector<ActivationInfo> activations;
    std::vector<DatasetInfo> datasets;
    std::vector<std::string> features, heads, inits, optimizers, regularizations, schedules;
    std::vector<double> learning_rates;        // the menu the playground and the race offer
    std::vector<double> regularization_rates;  // the regularisation-rate menu (0 first)
    std::vector<double> relu_grads_at_zero;    // the values f'(0) may take
    std::vector<std::string> formula_functions;  // what the user's own formula may call (formula.hpp)
    double plot_extent = 0;
    std::vector<NamedValue> limits;
    std::vector<NamedRange> ranges;            // inclusive
};

const Catalog& catalog();  // built once

}  // namespace ap
