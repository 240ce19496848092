// The playground's core, natively, as an engine of the benchmark (bench/engines/ap-native.mjs runs it).
//
// Reads one request on stdin:
//   { "config": <experiment config, the CLI's JSON format, with the workload's custom points>,
//     "protocol": { "checkSteps", "trainRounds", "trainRoundSeconds", "heatmapRounds",
//                   "heatmapRoundSeconds", "chunkSeconds" },
//     "grid": { "width", "height", "xMin", "xMax", "yMin", "yMax" } }
// follows the harness's protocol (bench/measure.mjs: check steps untimed, then timed rounds of training and
// of heatmaps) and prints one JSON object on stdout: { info, initialLoss, checkLoss, finalLoss,
// trainRounds, heatmapRounds, heatmap, adaptive }. The harness checks the figures as it does every other
// engine's. adaptive: the exact adaptive heatmap against the dense one at the start, after the check steps
// and at the end (adaptive_figures below), for the saving it would bring as the network's regions grow.
// Bad input: a message on stderr naming the field, exit code 2.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "error.hpp"
#include "grid.hpp"
#include "serialize.hpp"
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
        const std::clock_t cpu0 = std::clock();
        const auto t0 = Clock::now();
        double elapsed = 0;
        while (elapsed < round_seconds) {
            units += run(chunk);
            calls += chunk;
            elapsed = seconds_since(t0);
        }
        const double cpu_seconds = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;  // process CPU time
        out.push_back({{"units", units}, {"calls", calls}, {"seconds", elapsed},
                       {"rate", static_cast<double>(units) / elapsed}, {"cpuSeconds", cpu_seconds}});
    }
    return out;
}

// CPU seconds per call of f, over as many calls as take at least `seconds` of CPU time.
template <typename F>
double cpu_seconds_per_call(F f, double seconds) {
    const std::clock_t cpu0 = std::clock();
    std::int64_t calls = 0;
    double used = 0;
    do {
        f();
        ++calls;
        used = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    } while (used < seconds);
    return used / static_cast<double>(calls);
}

// The largest |map - Trainer::predict| over the pixel centres (grid.hpp: row 0 at the top), predict in double.
double worst_error(ap::Trainer& trainer, const ap::GridSpec& g, const std::vector<float>& map) {
    std::vector<ap::Point> centres;
    const double dx = (g.x_max - g.x_min) / g.width, dy = (g.y_max - g.y_min) / g.height;
    for (int r = 0; r < g.height; ++r)
        for (int c = 0; c < g.width; ++c) centres.push_back({g.x_min + (c + 0.5) * dx, g.y_max - (r + 0.5) * dy, 0});
    std::vector<double> exact(centres.size() * trainer.outputs());
    trainer.predict(centres.data(), centres.size(), exact.data());
    double worst = 0;
    for (std::size_t i = 0; i < exact.size(); ++i) worst = std::max(worst, std::fabs(map[i] - exact[i]));
    return worst;
}

// The exact adaptive heatmap (GridPath::adaptive, grid.hpp) against the dense pass on the network as it is:
// how many pixels it evaluated and interpolated, the linear regions in view, its CPU time over the dense
// pass's, and each map's largest error against predict in double (the adaptive one is exact but for its
// float output, so it must stay below 1e-6; the dense one computes in float32). Smooth activations have no
// adaptive pass: {"applicable": false}.
json adaptive_figures(ap::Trainer& trainer, const ap::GridSpec& grid, const char* at) {
    std::vector<float> dense, adaptive;
    std::vector<std::uint32_t> patterns;
    ap::GridStats stats;
    ap::predict_grid(trainer, grid, dense, nullptr, nullptr, ap::GridPath::dense);
    ap::predict_grid(trainer, grid, adaptive, &patterns, &stats, ap::GridPath::adaptive);
    if (!stats.adaptive) return {{"at", at}, {"applicable", false}};
    const double dense_s = cpu_seconds_per_call([&] { ap::predict_grid(trainer, grid, dense, nullptr, nullptr, ap::GridPath::dense); }, 0.1);
    const double adaptive_s =
        cpu_seconds_per_call([&] { ap::predict_grid(trainer, grid, adaptive, nullptr, nullptr, ap::GridPath::adaptive); }, 0.1);
    return {{"at", at},
            {"applicable", true},
            {"regions", stats.regions},
            {"evaluated", stats.evaluated},
            {"interpolated", stats.interpolated},
            {"denseMs", 1e3 * dense_s},
            {"adaptiveMs", 1e3 * adaptive_s},
            {"adaptiveError", worst_error(trainer, grid, adaptive)},
            {"denseError", worst_error(trainer, grid, dense)}};
}

json run(const json& request) {
    // The config is read by the same parser as the CLI's and the wasm module's: what the harness sends
    // is exactly what a user's config file would say.
    const ap::ExperimentConfig config = ap::config_from_json(request.at("config").dump());
    const Protocol protocol = parse_protocol(request.value("protocol", json::object()));
    const ap::GridSpec grid = parse_grid(request.value("grid", json::object()));

    ap::Trainer trainer(config);
    json result;
    result["info"] = {{"trainPoints", trainer.data().train.size()}, {"build", "native"}};
    result["initialLoss"] = trainer.evaluate().train_loss;
    result["adaptive"] = json::array({adaptive_figures(trainer, grid, "start")});
    if (trainer.train_steps(protocol.check_steps) != protocol.check_steps)
        throw std::runtime_error("training diverged in the check steps: " + trainer.divergence_reason());
    result["checkLoss"] = trainer.evaluate().train_loss;
    result["adaptive"].push_back(adaptive_figures(trainer, grid, "checked"));

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
    result["adaptive"].push_back(adaptive_figures(trainer, grid, "end"));
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
