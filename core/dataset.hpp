#pragma once
// Seeded datasets: 2-D classification, 1-D and 2-D regression, and the user's own CSV points.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"

namespace ap {

struct Dataset {
    std::vector<Point> train;
    std::vector<Point> test;
    ProblemKind problem = ProblemKind::classification;
    int input_dims = 2;   // 1: only x1 is used
    int classes = 2;      // 0 for regression
};

// The same config and seed give the same points, bit for bit, on every platform. Points of 2-D data lie
// in [-6, 6]^2 as in TF Playground; 1-D data in x ∈ [-6, 6]. The split shuffles with the seed, then takes
// round(test_fraction * n) points as the test set, clamped to 1..n-1 so neither set is ever empty.
// Callers validate the config first (validate_config); this only asserts.
Dataset make_dataset(const DataConfig& config, std::uint64_t seed);

// The user's own points as CSV text: "x1,x2,label" (2-D classification, labels 0..2) or "x,y" (1-D
// regression). An optional header line, blank lines and '#' comments are allowed. Throws ConfigError with
// a line-numbered message, e.g. "line 7: label must be an integer 0..5, got 6".
struct CsvPoints {
    std::vector<Point> points;
    int dims = 2;
    ProblemKind problem = ProblemKind::classification;
};
CsvPoints parse_points_csv(std::string_view text);

}  // namespace ap
