// libFuzzer target: the user's own points as CSV (parse_points_csv). Any input must either give points
// that validate_config accepts as a custom dataset, or throw ap::ConfigError. Accepted points are then
// turned into a dataset, which must keep every one of them.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "config.hpp"
#include "dataset.hpp"
#include "error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    ap::CsvPoints csv;
    try {
        csv = ap::parse_points_csv(text);
    } catch (const ap::ConfigError&) {
        return 0;
    }
    ap::ExperimentConfig config;
    config.data.kind = ap::DatasetKind::custom;
    config.data.custom_points = csv.points;
    config.data.custom_dims = csv.dims;
    config.data.custom_problem = csv.problem;
    if (csv.problem == ap::ProblemKind::regression) config.network.head = ap::Head::linear_mse;
    else if (ap::classes_of(config.data) > 2) config.network.head = ap::Head::softmax_ce;
    // The parser mirrors validate_config's bounds so its line-numbered message comes first: points it
    // accepts must therefore be valid, and a ConfigError here escapes as a finding.
    ap::validate_config(config);

    const ap::Dataset set = ap::make_dataset(config.data, 7);
    if (set.train.size() + set.test.size() != csv.points.size() || set.train.empty() || set.test.empty()) {
        std::fprintf(stderr, "%zu points became %zu train + %zu test\n", csv.points.size(), set.train.size(),
                     set.test.size());
        std::abort();
    }
    return 0;
}
