#include "dataset.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <string>

#include "detmath.hpp"
#include "error.hpp"
#include "rng.hpp"

namespace ap {

namespace {

// trainer.hpp's RngPurpose::kRngData: the data draws get their own stream of the seed, so a change to the
// network's initialisation or the batch order never moves a point. Not included from trainer.hpp, which
// would make the data depend on the whole trainer.
constexpr std::uint64_t kDataStream = 1;

constexpr double kPi = detmath::pi;
constexpr double kExtent = kPlotExtent;  // 2-D points lie in [-6, 6]^2, 1-D inputs in [-6, 6]

using Points = std::vector<Point>;

// Classes get n / k points each and the first n % k classes one more, so any n is met exactly.
int class_count(int n, int k, int cls) { return n / k + (cls < n % k ? 1 : 0); }

// Every draw is a named statement of its own: the order of evaluation of function arguments is
// unspecified, and a compiler that reordered two draws would move every point.

// TF Playground's circle: label 1 inside radius 2.5. Noise labels a point by where a uniform shift of up
// to noise * radius would put it, while the point stays where it was: noise flips labels near the edge.
void make_circle(Points& out, int n, double noise, Rng& rng) {
    constexpr double radius = 5.0;
    for (int cls = 1; cls >= 0; --cls) {
        const double r_lo = cls == 1 ? 0.0 : 0.7 * radius;
        const double r_hi = cls == 1 ? 0.5 * radius : radius;
        for (int i = 0; i < class_count(n, 2, 1 - cls); ++i) {
            const double r = rng.uniform(r_lo, r_hi);
            const double angle = rng.uniform(0.0, 2.0 * kPi);
            const double x = r * detmath::sin(angle);
            const double y = r * detmath::cos(angle);
            const double nx = rng.uniform(-radius, radius) * noise;
            const double ny = rng.uniform(-radius, radius) * noise;
            const double sx = x + nx, sy = y + ny;
            const double label = sx * sx + sy * sy < 0.25 * radius * radius ? 1.0 : 0.0;
            out.push_back({x, y, label});
        }
    }
}

// TF Playground's xor: quadrants, kept 0.3 off the axes so a clean set has a margin.
void make_xor(Points& out, int n, double noise, Rng& rng) {
    constexpr double padding = 0.3;
    for (int i = 0; i < n; ++i) {
        double x = rng.uniform(-5.0, 5.0);
        x += x > 0 ? padding : -padding;
        double y = rng.uniform(-5.0, 5.0);
        y += y > 0 ? padding : -padding;
        const double nx = rng.uniform(-5.0, 5.0) * noise;
        const double ny = rng.uniform(-5.0, 5.0) * noise;
        const double label = (x + nx) * (y + ny) >= 0 ? 1.0 : 0.0;
        out.push_back({x, y, label});
    }
}

// A normal draw redrawn until it lies in [-6, 6], so wide blobs stay inside the plotted square.
double normal_inside(Rng& rng, double mean, double sd) {
    for (;;) {
        const double v = rng.normal(mean, sd);
        if (v >= -kExtent && v <= kExtent) return v;
    }
}

// TF Playground's two Gaussians: variance 0.5 at noise 0 up to 4 at noise 0.5 (its linear scale).
void make_gaussians(Points& out, int n, double noise, Rng& rng) {
    const double sd = std::sqrt(0.5 + 7.0 * noise);
    for (int cls = 1; cls >= 0; --cls) {
        const double centre = cls == 1 ? 2.0 : -2.0;
        for (int i = 0; i < class_count(n, 2, 1 - cls); ++i) {
            const double x = normal_inside(rng, centre, sd);
            const double y = normal_inside(rng, centre, sd);
            out.push_back({x, y, static_cast<double>(cls)});
        }
    }
}

// k Gaussian blobs, one class each, centred on a circle of radius 3.5 (class 0 at the top, then clockwise)
// with the spread of the two Gaussians above: apart at noise 0, overlapping their neighbours at 0.5.
void make_blobs(Points& out, int n, double noise, Rng& rng, int k) {
    constexpr double kRing = 3.5;
    const double sd = std::sqrt(0.5 + 7.0 * noise);
    for (int cls = 0; cls < k; ++cls) {
        const double angle = 2.0 * kPi * cls / k;
        const double cx = kRing * detmath::sin(angle), cy = kRing * detmath::cos(angle);
        for (int i = 0; i < class_count(n, k, cls); ++i) {
            const double x = normal_inside(rng, cx, sd);
            const double y = normal_inside(rng, cy, sd);
            out.push_back({x, y, static_cast<double>(cls)});
        }
    }
}

// Arms of radius 0..5 turning `turns` times, arm k rotated by 2 pi k / arms; noise is uniform in
// [-noise, noise] on each coordinate, as TF Playground's spiral. r_offset 0 starts every arm at the origin
// (TF's choice); 0.5 starts arm points half a step out so arms do not share a point there.
void make_spiral_arms(Points& out, int n, double noise, Rng& rng, int arms, double turns, double r_offset,
                      const int* labels) {
    for (int k = 0; k < arms; ++k) {
        const int m = class_count(n, arms, k);
        const double delta = 2.0 * kPi * k / arms;
        for (int i = 0; i < m; ++i) {
            const double s = (i + r_offset) / m;
            const double r = 5.0 * s;
            const double t = turns * s * 2.0 * kPi + delta;
            const double nx = rng.uniform(-1.0, 1.0) * noise;
            const double ny = rng.uniform(-1.0, 1.0) * noise;
            out.push_back({r * detmath::sin(t) + nx, r * detmath::cos(t) + ny, static_cast<double>(labels[k])});
        }
    }
}

void make_spiral(Points& out, int n, double noise, Rng& rng) {
    static constexpr int labels[2] = {1, 0};  // TF's positive spiral first, the negative one rotated by pi
    make_spiral_arms(out, n, noise, rng, 2, 1.75, 0.0, labels);
}

// Three arms 2 pi / 3 apart are closer than two arms pi apart, so they turn 1.25 times instead of 1.75:
// the radial gap between neighbouring arms is then 5 / (3 * 1.25) = 1.33 rather than 0.95.
void make_spiral3(Points& out, int n, double noise, Rng& rng) {
    static constexpr int labels[3] = {0, 1, 2};
    make_spiral_arms(out, n, noise, rng, 3, 1.25, 0.5, labels);
}

// scikit-learn's two moons: the upper arc (cos t, sin t) is class 0, the lower arc (1 - cos t, 0.5 - sin t)
// class 1, t uniform in [0, pi]; Gaussian noise of sd = noise in those units, then the figure (x in
// [-1, 2], y in [-0.5, 1]) is centred and scaled by 3.5 into the square.
constexpr double kMoonScale = 3.5;
void make_moons(Points& out, int n, double noise, Rng& rng) {
    for (int cls = 0; cls < 2; ++cls) {
        for (int i = 0; i < class_count(n, 2, cls); ++i) {
            const double t = rng.uniform(0.0, kPi);
            const double c = detmath::cos(t), s = detmath::sin(t);
            const double mx = cls == 0 ? c : 1.0 - c;
            const double my = cls == 0 ? s : 0.5 - s;
            double x, y;
            do {  // redrawn until inside the square, which only the widest noise ever needs
                const double nx = rng.normal(0.0, noise);
                const double ny = rng.normal(0.0, noise);
                x = (mx + nx - 0.5) * kMoonScale;
                y = (my + ny - 0.25) * kMoonScale;
            } while (!(std::fabs(x) <= kExtent && std::fabs(y) <= kExtent));
            out.push_back({x, y, static_cast<double>(cls)});
        }
    }
}

// 4x4 cells of side 3 over [-6, 6]^2, label 1 on cells of odd column + row; noise labels by a shifted
// position, as the circle does.
void make_checkerboard(Points& out, int n, double noise, Rng& rng) {
    for (int i = 0; i < n; ++i) {
        const double x = rng.uniform(-kExtent, kExtent);
        const double y = rng.uniform(-kExtent, kExtent);
        const double nx = rng.uniform(-kExtent, kExtent) * noise;
        const double ny = rng.uniform(-kExtent, kExtent) * noise;
        const long cx = static_cast<long>(std::floor((x + nx + kExtent) / 3.0));
        const long cy = static_cast<long>(std::floor((y + ny + kExtent) / 3.0));
        const long parity = ((cx + cy) % 2 + 2) % 2;  // shifted points may fall in cells left of or below 0
        out.push_back({x, y, static_cast<double>(parity)});
    }
}

// 1-D targets, each about in [-1, 1] over x in [-6, 6].
double sine_target(double x) { return detmath::sin(x); }
double abs_target(double x) { return std::fabs(x) / 3.0 - 1.0; }
double step_target(double x) { return x < 0 ? -0.5 : 0.5; }
// Turning points at x = -3 (value 1) and x = 3 (value -1), and f(-6) = -1, f(6) = 1: the whole curve
// fills [-1, 1] and bends twice, unlike a plain (x/6)^3 that is flat over half the range.
double cubic_target(double x) { return x * (x * x - 27.0) / 54.0; }

// x uniform in [-6, 6]; y = f(x) plus Gaussian noise of sd = noise. The noise draw is taken even at
// noise 0, so changing the noise moves the targets but never the inputs.
void make_1d(Points& out, int n, double noise, Rng& rng, double (*f)(double)) {
    for (int i = 0; i < n; ++i) {
        const double x = rng.uniform(-kExtent, kExtent);
        const double e = rng.normal(0.0, 1.0);
        out.push_back({x, 0.0, f(x) + noise * e});
    }
}

// TF Playground's plane, scaled by 1/12 (not TF's 1/10) so clean targets stay in [-1, 1].
double plane_target(double x, double y) { return (x + y) / 12.0; }

// TF's regression "Gaussian" places six bumps of alternating sign; here each is a true Gaussian of sd 1,
// summed. A bump's nearest neighbours (4 and 5 away) have the opposite sign and the nearest of the same
// sign is sqrt(41) = 6.4 away (e^-20.5 = 1.3e-9 at the peak), so |target| stays below 1.
double multi_gaussian_target(double x, double y) {
    static constexpr double bumps[6][3] = {
        {-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1},
    };
    double sum = 0.0;
    for (const auto& b : bumps) {
        const double dx = x - b[0], dy = y - b[1];
        sum += b[2] * detmath::exp(-0.5 * (dx * dx + dy * dy));
    }
    return sum;
}

// x1, x2 uniform in [-6, 6]; the target is f at a position shifted uniformly by up to noise * 6 (TF's way).
void make_2d_regression(Points& out, int n, double noise, Rng& rng, double (*f)(double, double)) {
    for (int i = 0; i < n; ++i) {
        const double x = rng.uniform(-kExtent, kExtent);
        const double y = rng.uniform(-kExtent, kExtent);
        const double nx = rng.uniform(-kExtent, kExtent) * noise;
        const double ny = rng.uniform(-kExtent, kExtent) * noise;
        out.push_back({x, y, f(x + nx, y + ny)});
    }
}

}  // namespace

Dataset make_dataset(const DataConfig& config, std::uint64_t seed) {
    Rng rng = Rng::stream(seed, kDataStream);
    const int n = config.num_points;
    const double noise = config.noise;
    assert(config.kind == DatasetKind::custom || (n >= 1 && n <= kMaxPoints));
    assert(noise >= 0.0 && noise <= 0.5);
    assert(config.test_fraction >= 0.0 && config.test_fraction <= 1.0);

    Points all;
    all.reserve(config.kind == DatasetKind::custom ? config.custom_points.size() : static_cast<std::size_t>(n));
    switch (config.kind) {
        case DatasetKind::circle: make_circle(all, n, noise, rng); break;
        case DatasetKind::xor_: make_xor(all, n, noise, rng); break;
        case DatasetKind::gaussians: make_gaussians(all, n, noise, rng); break;
        case DatasetKind::blobs: make_blobs(all, n, noise, rng, config.classes); break;
        case DatasetKind::spiral: make_spiral(all, n, noise, rng); break;
        case DatasetKind::spiral3: make_spiral3(all, n, noise, rng); break;
        case DatasetKind::moons: make_moons(all, n, noise, rng); break;
        case DatasetKind::checkerboard: make_checkerboard(all, n, noise, rng); break;
        case DatasetKind::sine: make_1d(all, n, noise, rng, sine_target); break;
        case DatasetKind::abs: make_1d(all, n, noise, rng, abs_target); break;
        case DatasetKind::step: make_1d(all, n, noise, rng, step_target); break;
        case DatasetKind::cubic: make_1d(all, n, noise, rng, cubic_target); break;
        case DatasetKind::plane: make_2d_regression(all, n, noise, rng, plane_target); break;
        case DatasetKind::multi_gaussian: make_2d_regression(all, n, noise, rng, multi_gaussian_target); break;
        case DatasetKind::custom: all = config.custom_points; break;
    }

    // The generators emit class by class; the shuffle mixes them before the split.
    rng.shuffle(all.data(), all.size());
    const std::size_t total = all.size();
    std::size_t test = static_cast<std::size_t>(std::round(config.test_fraction * static_cast<double>(total)));
    // Only tiny custom sets reach these: a run needs a point to train on and one to test on.
    if (total >= 2) test = std::clamp<std::size_t>(test, 1, total - 1);

    Dataset d;
    d.train.assign(all.begin(), all.end() - static_cast<std::ptrdiff_t>(test));
    d.test.assign(all.end() - static_cast<std::ptrdiff_t>(test), all.end());
    d.problem = problem_of(config);
    d.input_dims = input_dims_of(config);
    d.classes = classes_of(config);
    return d;
}

// ---- CSV ----

namespace {

// Mirrors validate_config's bound on custom coordinates, so the line-numbered message comes first.
constexpr double kMaxCoordinate = kCustomCoordinateRange.max;

std::string_view trim(std::string_view s) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// A row has 2 or 3 fields: keep the first 3 and only count the rest, so a line of a million commas costs
// no memory beyond the text itself.
struct Fields {
    std::array<std::string_view, 3> text;
    std::size_t count = 0;
};

Fields split_fields(std::string_view line) {
    Fields fields;
    for (;;) {
        const std::size_t comma = line.find(',');
        if (fields.count < fields.text.size()) fields.text[fields.count] = trim(line.substr(0, comma));
        ++fields.count;
        if (comma == std::string_view::npos) return fields;
        line.remove_prefix(comma + 1);
    }
}

// Decimal numbers only: digits, sign, point and exponent. Rejecting other characters up front keeps out
// what strtod would also take (hex floats, "nan", "inf", "infinity", leading spaces).
bool looks_decimal(std::string_view s) {
    if (s.empty()) return false;
    bool digit = false;
    for (char c : s) {
        if (c >= '0' && c <= '9') digit = true;
        else if (c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E') return false;
    }
    return digit;
}

enum class Parsed { ok, not_number, not_finite };

// strtod, not std::from_chars: Emscripten 3.1.6's libc++ has no floating-point from_chars. Both glibc's
// and musl's strtod round correctly, so the same text gives the same double natively and in wasm.
Parsed parse_number(std::string_view field, double& out) {
    const std::string lower = [&] {
        std::string s(field);
        for (char& c : s) if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return s;
    }();
    if (lower == "nan" || lower == "+nan" || lower == "-nan" || lower == "inf" || lower == "+inf" ||
        lower == "-inf" || lower == "infinity" || lower == "+infinity" || lower == "-infinity")
        return Parsed::not_finite;
    if (!looks_decimal(field)) return Parsed::not_number;
    const std::string text(field);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return Parsed::not_number;
    if (!std::isfinite(v)) return Parsed::not_finite;  // overflow, e.g. 1e999
    out = v;
    return Parsed::ok;
}

[[noreturn]] void fail(std::size_t line, const std::string& what) {
    throw ConfigError("line " + std::to_string(line) + ": " + what);
}

}  // namespace

CsvPoints parse_points_csv(std::string_view text) {
    // 100,000 rows of full-precision numbers take about 6 MiB; the bound leaves room for comments and
    // spaces while keeping a hostile paste from costing time line by line.
    if (text.size() > kMaxCsvBytes)
        throw ConfigError("CSV is " + std::to_string(text.size()) + " bytes, at most " + std::to_string(kMaxCsvBytes) +
                          " (16 MiB)");
    // A UTF-8 byte-order mark, as spreadsheet exports write.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

    CsvPoints result;
    std::size_t columns = 0;  // 0 until the first row decides: 3 (x1,x2,label) or 2 (x,y)
    std::size_t line_no = 0;
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        const std::string_view raw = text.substr(0, eol);
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        ++line_no;
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#') continue;

        const Fields fields = split_fields(line);
        if (columns == 0) {
            if (fields.count != 2 && fields.count != 3)
                fail(line_no, "expected 3 fields (x1,x2,label) or 2 fields (x,y), got " +
                                  std::to_string(fields.count));
            columns = fields.count;
            result.dims = columns == 3 ? 2 : 1;
            result.problem = columns == 3 ? ProblemKind::classification : ProblemKind::regression;
            // A header names its columns: no field of it is a number. A row with some numbers is data,
            // and its bad field is reported as such.
            const auto is_number = [](std::string_view f) {
                double ignored;
                return parse_number(f, ignored) != Parsed::not_number;
            };
            const bool header = std::none_of(fields.text.begin(), fields.text.begin() + columns, is_number);
            if (header) continue;
        }
        if (fields.count != columns)
            fail(line_no, "expected " + std::to_string(columns) + " fields, got " + std::to_string(fields.count));
        if (result.points.size() == static_cast<std::size_t>(kMaxPoints))
            fail(line_no, "more than " + std::to_string(kMaxPoints) + " points (the limit is kMaxPoints = " +
                              std::to_string(kMaxPoints) + ")");

        double v[3] = {0, 0, 0};
        for (std::size_t f = 0; f < columns; ++f) {
            const std::string field_no = "field " + std::to_string(f + 1);
            if (fields.text[f].empty()) fail(line_no, field_no + " is empty");
            std::string quoted = "'";  // appended, not "'" + s + "'", which trips GCC 12's -Wrestrict
            quoted.append(fields.text[f]).push_back('\'');
            switch (parse_number(fields.text[f], v[f])) {
                case Parsed::ok: break;
                case Parsed::not_number: fail(line_no, quoted + " is not a number in " + field_no);
                case Parsed::not_finite: fail(line_no, quoted + " is not a finite number in " + field_no);
            }
            if (std::fabs(v[f]) > kMaxCoordinate)
                fail(line_no, quoted + " in " + field_no + " is outside -1e6..1e6");
        }
        if (columns == 3) {
            if (!is_class_label(v[2]))
                fail(line_no, "label must be " + class_labels_text() + ", got " + std::string(fields.text[2]) + " (field 3)");
            result.points.push_back({v[0], v[1], v[2] + 0.0});  // + 0.0: a label "-0" becomes 0
        } else {
            result.points.push_back({v[0], 0.0, v[1]});
        }
    }
    if (columns == 0) throw ConfigError("empty input: expected rows of x1,x2,label or x,y");
    if (result.points.size() < 4)
        throw ConfigError("only " + std::to_string(result.points.size()) + " point" +
                          (result.points.size() == 1 ? "" : "s") + "; at least 4 are needed");
    return result;
}

}  // namespace ap
