#pragma once
// What the network sees of a point: TF Playground's feature columns for 2-D data, or x alone for 1-D data.
#include <cstddef>
#include <span>

#include "config.hpp"

namespace ap {

// X (n, features.size()) for 2-D data; X (n, 1) = x1 for 1-D data (features is empty then).
void map_features(std::span<const Feature> features, const Point* points, std::size_t n, double* X);
double feature_value(Feature f, double x1, double x2);

}  // namespace ap
