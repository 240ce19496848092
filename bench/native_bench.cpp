// The playground's core, natively, as an engine of the benchmark (bench/engines/ap-native.mjs runs it).
//
// Reads one request on stdin:
//   { "config": <experiment config, the CLI's JSON format, with the workload's custom points>,
//     "protocol": { "checkSteps", "trainRounds", "trainRoundSeconds", "heatmapRounds",
//                   "heatmapRoundSeconds", "chunkSeconds" },
//     "grid": { "width", "height", "xMin", "xMax", "yMin", "yMax" } }
// follows the harness's protocol (bench/measure.mjs: check steps untimed, then timed rounds of training and
// of heatmaps) and prints one JSON object on stdout: { info, initialLoss, checkLoss, finalLoss,
// trainRounds, heatmapRounds, heatmap }. The harness checks the figures as it does every other engine's.
// Bad input: a message on stderr naming the field, exit code 2.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "error.hpp"
#include "grid.hpp"
#include "trainer.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Protocol {
    int check_steps = 1000;
    int train_rounds = 5;
    double train_round_seconds = 0.4;
    int heatmap_rounds = 3;
    double heatmap_round_seconds = 0.3;
    double chunk_seconds = 0.02;
};

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

template <typename T>
T field(const json& object, const char* path, const char* key) {
    if (!object.is_object() || !object.contains(key)) throw ap::ConfigError(std::string(path) + key + " is missing");
    try {
        return object.at(key).get<T>();
    } catch (const json::exception&) {
        throw ap::ConfigError(std::string(path) + key + " has the wrong type");
    }
}

template <typename T>
T field_or(const json& object, const char* path, const char* key, T fallback) {
    return object.is_object() && object.contains(key) ? field<T>(object, path, key) : fallback;
}

template <typename Kind>
Kind named(std::optional<Kind> kind, const std::string& field_name, const std::string& value) {
    if (!kind) throw ap::ConfigError(field_name + ": unknown name '" + value + "'");
    return *kind;
}

// The part of the config format the benchmark sends (custom points, hidden layers, head, init, plain SGD);
// anything else keeps its default, and validate_config then checks ranges as the CLI would.
ap::ExperimentConfig parse_config(const json& j) {
    ap::ExperimentConfig c;
    if (field<int>(j, "config.", "format_version") != ap::kFormatVersion)
        throw ap::ConfigError("config.format_version must be " + std::to_string(ap::kFormatVersion));
    c.seed = field_or<std::uint64_t>(j, "config.", "seed", 1);

    const json& data = j.at("data");
    const auto dataset = field<std::string>(data, "config.data.", "dataset");
    c.data.kind = named(ap::dataset_from_name(dataset), "config.data.dataset", dataset);
    c.data.test_fraction = field_or<double>(data, "config.data.", "test_fraction", c.data.test_fraction);
    c.data.custom_dims = field_or<int>(data, "config.data.", "dims", 2);
    const auto problem = field_or<std::string>(data, "config.data.", "problem", "classification");
    if (problem != "classification" && problem != "regression")
        throw ap::ConfigError("config.data.problem must be classification or regression, got '" + problem + "'");
    c.data.custom_problem = problem == "classification" ? ap::ProblemKind::classification : ap::ProblemKind::regression;
    for (const auto& row : field<json>(data, "config.data.", "points")) {
        if (!row.is_array() || row.size() != 3 || !row[0].is_number() || !row[1].is_number() || !row[2].is_number())
            throw ap::ConfigError("config.data.points: each point must be [x1, x2, label]");
        c.data.custom_points.push_back({row[0].get<double>(), row[1].get<double>(), row[2].get<double>()});
    }
    c.data.num_points = static_cast<int>(c.data.custom_points.size());

    const json& net = j.at("network");
    c.network.features.clear();
    for (const auto& f : field<std::vector<std::string>>(net, "config.network.", "features"))
        c.network.features.push_back(named(ap::feature_from_name(f), "config.network.features", f));
    const auto head = field<std::string>(net, "config.network.", "head");
    c.network.head = named(ap::head_from_name(head), "config.network.head", head);
    c.network.hidden.clear();
    for (const auto& layer : field<json>(net, "config.network.", "hidden")) {
        const auto activation = field<std::string>(layer, "config.network.hidden[].", "activation");
        c.network.hidden.push_back({field<int>(layer, "config.network.hidden[].", "units"),
                                    named(ap::activation_from_name(activation), "config.network.hidden[].activation", activation),
                                    {}});
    }
    if (net.contains("init")) {
        const auto scheme = field<std::string>(net.at("init"), "config.network.init.", "scheme");
        c.network.init.scheme = named(ap::init_from_name(scheme), "config.network.init.scheme", scheme);
    }

    const json& training = j.at("training");
    const auto optimizer = field<std::string>(training, "config.training.", "optimizer");
    c.training.optimizer = named(ap::optimizer_from_name(optimizer), "config.training.optimizer", optimizer);
    c.training.learning_rate = field<double>(training, "config.training.", "learning_rate");
    c.training.batch_size = field<int>(training, "config.training.", "batch_size");

    ap::validate_config(c);
    return c;
}

Protocol parse_protocol(const json& j) {
    Protocol p;
    p.check_steps = field_or<int>(j, "protocol.", "checkSteps", p.check_steps);
    p.train_rounds = field_or<int>(j, "protocol.", "trainRounds", p.train_rounds);
    p.train_round_seconds = field_or<double>(j, "protocol.", "trainRoundSeconds", p.train_round_seconds);
    p.heatmap_rounds = field_or<int>(j, "protocol.", "heatmapRounds", p.heatmap_rounds);
    p.heatmap_round_seconds = field_or<double>(j, "protocol.", "heatmapRoundSeconds", p.heatmap_round_seconds);
    p.chunk_seconds = field_or<double>(j, "protocol.", "chunkSeconds", p.chunk_seconds);
    if (p.check_steps < 0 || p.train_rounds < 1 || p.heatmap_rounds < 1)
        throw ap::ConfigError("protocol: checkSteps must be >= 0 and the round counts >= 1");
    if (!(p.train_round_seconds > 0 && p.heatmap_round_seconds > 0 && p.chunk_seconds > 0 &&
          p.train_round_seconds < 60 && p.heatmap_round_seconds < 60 && p.chunk_seconds < 10))
        throw ap::ConfigError("protocol: the round and chunk seconds must be in (0, 60)");
    return p;
}

ap::GridSpec parse_grid(const json& j) {
    ap::GridSpec g;
    g.width = field_or<int>(j, "grid.", "width", g.width);
    g.height = field_or<int>(j, "grid.", "height", g.height);
    g.x_min = field_or<double>(j, "grid.", "xMin", g.x_min);
    g.x_max = field_or<double>(j, "grid.", "xMax", g.x_max);
    g.y_min = field_or<double>(j, "grid.", "yMin", g.y_min);
    g.y_max = field_or<double>(j, "grid.", "yMax", g.y_max);
    ap::validate_grid(g);
    return g;
}

// Examples seen so far: whole epochs plus the position in this one (a short last batch counts as itself).
std::int64_t examples_seen(const ap::Trainer& t) {
    return t.epoch() * static_cast<std::int64_t>(t.data().train.size()) + static_cast<std::int64_t>(t.cursor());
}

// Doubles the chunk until one takes chunk_seconds, as the harness does for the JS engines.
template <typename Run>
int calibrate(Run run, double chunk_seconds) {
    int n = 1;
    for (;;) {
        const auto t0 = Clock::now();
        run(n);
        if (seconds_since(t0) >= chunk_seconds || n >= (1 << 20)) return n;
        n *= 2;
    }
}

// Rounds of at least round_seconds each; run(n) returns the units done (examples or grids).
template <typename Run>
json timed_rounds(Run run, int chunk, int rounds, double round_seconds) {
    json out = json::array();
    for (int r = 0; r < rounds; ++r) {
        std::int64_t units = 0, calls = 0;
        const auto t0 = Clock::now();
        double elapsed = 0;
        while (elapsed < round_seconds) {
            units += run(chunk);
            calls += chunk;
            elapsed = seconds_since(t0);
        }
        out.push_back({{"units", units}, {"calls", calls}, {"seconds", elapsed},
                       {"rate", static_cast<double>(units) / elapsed}});
    }
    return out;
}

json run(const json& request) {
    const ap::ExperimentConfig config = parse_config(request.at("config"));
    const Protocol protocol = parse_protocol(request.value("protocol", json::object()));
    const ap::GridSpec grid = parse_grid(request.value("grid", json::object()));

    ap::Trainer trainer(config);
    json result;
    result["info"] = {{"trainPoints", trainer.data().train.size()}, {"build", "native"}};
    result["initialLoss"] = trainer.evaluate().train_loss;
    if (trainer.train_steps(protocol.check_steps) != protocol.check_steps)
        throw std::runtime_error("training diverged in the check steps: " + trainer.divergence_reason());
    result["checkLoss"] = trainer.evaluate().train_loss;

    auto train = [&](int n) {
        const std::int64_t before = examples_seen(trainer);
        if (trainer.train_steps(n) != n) throw std::runtime_error("training diverged: " + trainer.divergence_reason());
        return examples_seen(trainer) - before;
    };
    const int train_chunk = calibrate(train, protocol.chunk_seconds);
    result["trainRounds"] = timed_rounds(train, train_chunk, protocol.train_rounds, protocol.train_round_seconds);
    result["finalLoss"] = trainer.evaluate().train_loss;

    std::vector<float> heatmap;  // (height, width, outputs)
    auto heat = [&](int n) {
        for (int i = 0; i < n; ++i) ap::predict_grid(trainer, grid, heatmap);
        return static_cast<std::int64_t>(n);
    };
    const int heat_chunk = calibrate(heat, protocol.chunk_seconds);
    result["heatmapRounds"] = timed_rounds(heat, heat_chunk, protocol.heatmap_rounds, protocol.heatmap_round_seconds);
    result["heatmap"] = heatmap;
    return result;
}

}  // namespace

int main() {
    // Read all of stdin first: parsing straight from an istreambuf_iterator range spins at end of input
    // with nlohmann::json 3.11.2.
    const std::string text(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>{});
    json request;
    try {
        request = json::parse(text);
    } catch (const json::exception& e) {
        std::fprintf(stderr, "ap_native_bench: stdin is not valid JSON: %s\n", e.what());
        return 2;
    }
    try {
        std::cout << run(request).dump() << '\n';
    } catch (const ap::ConfigError& e) {
        std::fprintf(stderr, "ap_native_bench: %s\n", e.what());
        return 2;
    } catch (const json::exception& e) {
        std::fprintf(stderr, "ap_native_bench: malformed request: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ap_native_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
