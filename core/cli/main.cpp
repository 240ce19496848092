// ap_cli: runs an experiment headless and prints its metrics, so a run on the page can be reproduced,
// scripted and compared number for number with the wasm module (same core, same bits).
//
// Exit status: 0 done, 1 could not write an output file, 2 bad arguments or config, 3 training diverged.
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "diagnostics.hpp"
#include "error.hpp"
#include "serialize.hpp"
#include "trainer.hpp"

namespace {

constexpr int kExitOk = 0, kExitIo = 1, kExitUsage = 2, kExitDiverged = 3;
constexpr long long kMaxSteps = 1'000'000'000'000LL;
constexpr long long kMaxEpochs = 1'000'000'000LL;
constexpr long long kMaxEvery = 1'000'000'000LL;

constexpr const char* kUsage = R"(Usage: ap_cli --config FILE [options]
       ap_cli --load MODEL [options]

Runs an Activation Playground experiment without the page and prints its metrics.

  --config FILE           experiment config as JSON ('-' reads stdin); see --print-default-config
  --load MODEL            continue a model saved with --save (its config comes from the file)
  --steps N               train N more mini-batch steps (default 1000)
  --epochs N              train until N more epochs are complete (instead of --steps)
  --every K               print a metrics line every K steps, and at the end (default 100)
  --format jsonl|csv      one JSON object per line (default), or CSV with a header line
  --diagnostics           add per-layer diagnostics to every line (full training set gradient,
                          weight norm, sparsity, dead and saturated units)
  --save MODEL            write the trained model (config and state) as JSON when done
  --print-default-config  print the default config as JSON and exit
  --help                  print this help and exit

Each line has step, epoch, learning_rate (for the next step), batch_loss (the last mini-batch),
train_loss, test_loss, train_accuracy and test_accuracy (null, or empty in CSV, for regression),
with 17 significant digits, so runs compare exactly with the wasm module.

Exit status: 0 done; 1 could not write --save; 2 bad arguments or config (one line on stderr);
3 training diverged (reason printed as {"event":"diverged",...}, or on stderr in CSV; no --save).
)";

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class Format { jsonl, csv };

struct Options {
    std::string config_path, load_path, save_path;
    std::optional<long long> steps, epochs;
    long long every = 100;
    Format format = Format::jsonl;
    bool diagnostics = false;
    bool print_default_config = false;
    bool help = false;
};

long long parse_count(std::string_view option, std::string_view text, long long lo, long long hi) {
    long long v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
        throw UsageError(std::string(option) + " must be an integer " + std::to_string(lo) + ".." + std::to_string(hi) +
                         ", got '" + std::string(text) + "'");
    return v;
}

Options parse_args(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        std::optional<std::string_view> inline_value;  // --steps=100 as well as --steps 100
        if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
            inline_value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        auto value = [&]() -> std::string_view {
            if (inline_value) return *inline_value;
            if (i + 1 >= argc) throw UsageError(std::string(arg) + " needs a value");
            return argv[++i];
        };
        auto flag = [&] {
            if (inline_value) throw UsageError(std::string(arg) + " takes no value");
        };
        if (arg == "--help" || arg == "-h") { flag(); o.help = true; }
        else if (arg == "--print-default-config") { flag(); o.print_default_config = true; }
        else if (arg == "--diagnostics") { flag(); o.diagnostics = true; }
        else if (arg == "--config") o.config_path = value();
        else if (arg == "--load") o.load_path = value();
        else if (arg == "--save") o.save_path = value();
        else if (arg == "--steps") o.steps = parse_count(arg, value(), 0, kMaxSteps);
        else if (arg == "--epochs") o.epochs = parse_count(arg, value(), 0, kMaxEpochs);
        else if (arg == "--every") o.every = parse_count(arg, value(), 1, kMaxEvery);
        else if (arg == "--format") {
            const std::string_view f = value();
            if (f == "jsonl") o.format = Format::jsonl;
            else if (f == "csv") o.format = Format::csv;
            else throw UsageError("--format must be jsonl or csv, got '" + std::string(f) + "'");
        } else {
            throw UsageError("unknown option '" + std::string(arg) + "' (see --help)");
        }
    }
    if (o.help || o.print_default_config) return o;
    if (o.config_path.empty() == o.load_path.empty())
        throw UsageError(o.config_path.empty() ? "give --config FILE or --load MODEL (see --help)"
                                               : "give --config or --load, not both: a model carries its own config");
    if (o.steps && o.epochs) throw UsageError("give --steps or --epochs, not both");
    if (o.save_path == "-") throw UsageError("--save needs a file name: stdout carries the metrics");
    return o;
}

std::string read_input(const std::string& option, const std::string& path) {
    // One byte over the limit is enough for the parser to reject the input with its own message.
    const std::size_t limit = ap::kMaxJsonBytes + 1;
    std::string text;
    auto slurp = [&](std::istream& in) {
        char buffer[1 << 16];
        while (text.size() < limit && in.read(buffer, sizeof buffer), in.gcount() > 0)
            text.append(buffer, static_cast<std::size_t>(in.gcount()));
        return !in.bad();
    };
    if (path == "-") {
        if (!slurp(std::cin)) throw UsageError("cannot read " + option + " from stdin");
        return text;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) throw UsageError("cannot read " + option + " file '" + path + "': " + std::strerror(errno));
    if (!slurp(file)) throw UsageError("cannot read " + option + " file '" + path + "'");
    return text;
}

// Writes next to the target and renames, so an interrupted save never leaves half a model behind.
bool write_file(const std::string& path, const std::string& text, std::string& error) {
    const std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) { error = std::strerror(errno); return false; }
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.put('\n');
        out.close();
        if (!out) { error = "write failed"; std::remove(temp.c_str()); return false; }
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        error = std::strerror(errno);
        std::remove(temp.c_str());
        return false;
    }
    return true;
}

// 17 significant digits: every double prints so that it reads back to the same bits.
void append_number(std::string& out, double v, Format format) {
    if (!std::isfinite(v)) {
        if (format == Format::jsonl) out += "null";
        return;
    }
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%.17g", v);
    out.append(buffer, static_cast<std::size_t>(n));
}

struct Row {
    std::int64_t step = 0, epoch = 0;
    double learning_rate = 0, batch_loss = NAN;
    ap::Metrics metrics;
    const ap::Diagnostics* diagnostics = nullptr;
};

constexpr const char* kLayerFields[] = {"units", "grad_norm", "grad_mean_abs", "weight_norm", "sparsity",
                                        "dead_units", "saturated_units"};

std::string csv_header(std::size_t layers, bool diagnostics) {
    std::string h = "step,epoch,learning_rate,batch_loss,train_loss,test_loss,train_accuracy,test_accuracy";
    if (diagnostics)
        for (std::size_t l = 0; l < layers; ++l)
            for (const char* f : kLayerFields) h += ",layer" + std::to_string(l) + "_" + f;
    return h;
}

std::string format_row(const Row& r, Format format) {
    const bool json = format == Format::jsonl;
    std::string s;
    auto field = [&](const char* name) {
        if (json) {
            s += s.empty() ? "{\"" : ",\"";
            s += name;
            s += "\":";
        } else if (!s.empty()) {
            s += ',';
        }
    };
    field("step");
    s += std::to_string(r.step);
    field("epoch");
    s += std::to_string(r.epoch);
    const std::pair<const char*, double> numbers[] = {
        {"learning_rate", r.learning_rate},           {"batch_loss", r.batch_loss},
        {"train_loss", r.metrics.train_loss},         {"test_loss", r.metrics.test_loss},
        {"train_accuracy", r.metrics.train_accuracy}, {"test_accuracy", r.metrics.test_accuracy},
    };
    for (const auto& [name, v] : numbers) {
        field(name);
        append_number(s, v, format);
    }
    if (r.diagnostics) {
        if (json) s += ",\"layers\":[";
        bool first = true;
        for (const ap::LayerDiagnostics& l : r.diagnostics->layers) {
            if (json) s += first ? "{" : ",{";
            first = false;
            const std::pair<const char*, double> values[] = {
                {"units", static_cast<double>(l.units)},
                {"grad_norm", l.grad_norm},
                {"grad_mean_abs", l.grad_mean_abs},
                {"weight_norm", l.weight_norm},
                {"sparsity", l.sparsity},
                {"dead_units", static_cast<double>(l.dead_units)},
                {"saturated_units", static_cast<double>(l.saturated_units)},
            };
            bool first_value = true;
            for (const auto& [name, v] : values) {
                if (json) {
                    s += first_value ? "\"" : ",\"";
                    s += name;
                    s += "\":";
                } else {
                    s += ',';
                }
                first_value = false;
                append_number(s, v, format);
            }
            if (json) s += "}";
        }
        if (json) s += "]";
    }
    if (json) s += "}";
    s += '\n';
    return s;
}

void emit(const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);  // a consumer reading the pipe sees each line as it is made
}

// Steps that finish `epochs` more epochs from the trainer's position: the rest of this epoch, then whole
// ones. Batches never straddle epochs (Trainer::next_batch), so this equals Trainer::train_epochs.
long long steps_for_epochs(const ap::Trainer& t, long long epochs) {
    if (epochs == 0) return 0;
    const long long n = static_cast<long long>(t.data().train.size());
    const long long b = t.config().training.batch_size;
    const long long rest = n - static_cast<long long>(t.cursor());
    return (rest + b - 1) / b + (epochs - 1) * ((n + b - 1) / b);
}

int run(const Options& o) {
    std::unique_ptr<ap::Trainer> trainer;
    if (!o.load_path.empty()) trainer = ap::model_from_json(read_input("--load", o.load_path));
    else trainer = std::make_unique<ap::Trainer>(ap::config_from_json(read_input("--config", o.config_path)));

    const long long total = o.epochs ? steps_for_epochs(*trainer, *o.epochs) : o.steps.value_or(1000);
    const std::size_t layers = trainer->network().layers().size();
    if (o.format == Format::csv) emit(csv_header(layers, o.diagnostics) + "\n");

    bool stepped = false;  // batch_loss means nothing until this process has taken a step
    auto report = [&] {
        Row r;
        r.step = trainer->step();
        r.epoch = trainer->epoch();
        r.learning_rate = trainer->learning_rate_now();
        r.batch_loss = stepped ? trainer->last_loss() : NAN;
        ap::Diagnostics d;
        if (o.diagnostics) {
            d = ap::compute_diagnostics(*trainer);
            r.metrics = d.metrics;
            r.diagnostics = &d;
        } else {
            r.metrics = trainer->evaluate();
        }
        emit(format_row(r, o.format));
    };

    if (total == 0) report();
    for (long long done = 0; done < total;) {
        const int chunk = static_cast<int>(std::min(o.every, total - done));
        const int taken = trainer->train_steps(chunk);
        done += taken;
        if (taken > 0) stepped = true;
        report();
        if (trainer->diverged()) {
            const std::string& reason = trainer->divergence_reason();
            if (o.format == Format::jsonl)
                emit("{\"event\":\"diverged\",\"step\":" + std::to_string(trainer->step()) +
                     ",\"reason\":" + nlohmann::json(reason).dump() + "}\n");
            std::fprintf(stderr, "ap_cli: training diverged: %s\n", reason.c_str());
            return kExitDiverged;
        }
    }

    if (!o.save_path.empty()) {
        std::string error;
        if (!write_file(o.save_path, ap::model_to_json(*trainer, -1), error)) {
            std::fprintf(stderr, "ap_cli: cannot write --save file '%s': %s\n", o.save_path.c_str(), error.c_str());
            return kExitIo;
        }
    }
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Options o = parse_args(argc, argv);
        if (o.help) {
            std::fputs(kUsage, stdout);
            return kExitOk;
        }
        if (o.print_default_config) {
            emit(ap::config_to_json(ap::ExperimentConfig{}, 2) + "\n");
            return kExitOk;
        }
        return run(o);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "ap_cli: %s\n", e.what());
        return kExitUsage;
    } catch (const ap::ConfigError& e) {
        std::fprintf(stderr, "ap_cli: %s\n", e.what());
        return kExitUsage;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ap_cli: unexpected error: %s\n", e.what());
        return kExitIo;
    }
}
