// Datasets: sizes, splits, ranges, labels and determinism for every kind; each clean dataset against the
// rule that generated it (written here independently); noise doing what it says. CSV points: valid files
// parsed exactly, and malformed ones rejected with the line and field in the message.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "dataset.hpp"
#include "error.hpp"

using namespace ap;

namespace {

constexpr double kPi = 3.141592653589793;

const DatasetKind kGenerated[] = {
    DatasetKind::circle, DatasetKind::xor_, DatasetKind::gaussians, DatasetKind::blobs, DatasetKind::spiral,
    DatasetKind::spiral3, DatasetKind::moons, DatasetKind::checkerboard, DatasetKind::sine,
    DatasetKind::abs, DatasetKind::step, DatasetKind::cubic, DatasetKind::plane,
    DatasetKind::multi_gaussian,
};

Dataset make(DatasetKind kind, int n, double noise = 0.0, std::uint64_t seed = 1, double test_fraction = 0.5) {
    DataConfig c;
    c.kind = kind;
    c.num_points = n;
    c.noise = noise;
    c.test_fraction = test_fraction;
    return make_dataset(c, seed);
}

std::vector<Point> all_points(const Dataset& d) {
    std::vector<Point> all = d.train;
    all.insert(all.end(), d.test.begin(), d.test.end());
    return all;
}

bool same_bits(const std::vector<Point>& a, const std::vector<Point>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(Point)) == 0);
}

int count_label(const std::vector<Point>& points, double label) {
    return static_cast<int>(std::count_if(points.begin(), points.end(), [&](const Point& p) { return p.label == label; }));
}

// Clean moons in their own units: undo the centring (0.5, 0.25) and the scale 3.5.
double moon_x(const Point& p) { return p.x1 / 3.5 + 0.5; }
double moon_y(const Point& p) { return p.x2 / 3.5 + 0.25; }

// The checkerboard's 3-wide cells, counted from -6.
bool odd_cell(double x, double y) {
    const int cx = static_cast<int>(std::floor((x + 6) / 3)), cy = static_cast<int>(std::floor((y + 6) / 3));
    return (cx + cy) % 2 == 1;
}

// Six unit-sd Gaussian bumps of alternating sign at x = -4, 0, 4 and y = +-2.5.
double bumps(double x, double y) {
    const double c[6][3] = {{-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}};
    double sum = 0;
    for (const auto& b : c) sum += b[2] * std::exp(-((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / 2);
    return sum;
}

}  // namespace

TEST_CASE("every dataset: size, split, kind, ranges, labels", "[dataset]") {
    struct Split { int n; double fraction; std::size_t test; };
    // round(f * n), half away from zero: 0.1 * 10 = 1, 0.9 * 10 = 9, 0.5 * 11 = 5.5 -> 6, 0.3 * 501 = 150.3
    // -> 150, 0.5 * 501 = 250.5 -> 251.
    const Split splits[] = {{10, 0.1, 1}, {10, 0.9, 9}, {11, 0.5, 6}, {500, 0.5, 250}, {501, 0.3, 150}, {501, 0.5, 251}};
    for (DatasetKind kind : kGenerated) {
        DataConfig c;
        c.kind = kind;
        const ProblemKind problem = problem_of(c);
        const int dims = input_dims_of(c), classes = classes_of(c);
        for (const Split& s : splits) {
            for (double noise : {0.0, 0.25, 0.5}) {
                INFO(dataset_name(kind) << ", n " << s.n << ", test fraction " << s.fraction << ", noise " << noise);
                const Dataset d = make(kind, s.n, noise, 7, s.fraction);
                CHECK(d.train.size() + d.test.size() == static_cast<std::size_t>(s.n));
                CHECK(d.test.size() == s.test);
                CHECK(d.problem == problem);
                CHECK(d.input_dims == dims);
                CHECK(d.classes == classes);
                for (const Point& p : all_points(d)) {
                    REQUIRE(std::isfinite(p.label));
                    REQUIRE(std::fabs(p.x1) <= 6.0);
                    if (dims == 1) REQUIRE(p.x2 == 0.0);
                    else REQUIRE(std::fabs(p.x2) <= 6.0);
                    if (problem == ProblemKind::classification) {
                        REQUIRE(p.label == std::floor(p.label));
                        REQUIRE(p.label >= 0);
                        REQUIRE(p.label < classes);
                    }
                }
            }
        }
    }
}

TEST_CASE("dataset kinds map to their problem, input size and classes", "[dataset]") {
    const Dataset circle = make(DatasetKind::circle, 20), spiral3 = make(DatasetKind::spiral3, 20);
    const Dataset sine = make(DatasetKind::sine, 20), plane = make(DatasetKind::plane, 20);
    CHECK((circle.problem == ProblemKind::classification && circle.input_dims == 2 && circle.classes == 2));
    CHECK((spiral3.problem == ProblemKind::classification && spiral3.input_dims == 2 && spiral3.classes == 3));
    CHECK((sine.problem == ProblemKind::regression && sine.input_dims == 1 && sine.classes == 0));
    CHECK((plane.problem == ProblemKind::regression && plane.input_dims == 2 && plane.classes == 0));
}

TEST_CASE("same seed, same points bit for bit, another seed, other points", "[dataset]") {
    for (DatasetKind kind : kGenerated) {
        INFO(dataset_name(kind));
        const Dataset a = make(kind, 300, 0.2, 42), b = make(kind, 300, 0.2, 42), c = make(kind, 300, 0.2, 43);
        CHECK(same_bits(a.train, b.train));
        CHECK(same_bits(a.test, b.test));
        int shared = 0;
        for (std::size_t i = 0; i < a.train.size(); ++i) shared += a.train[i] == c.train[i];
        CHECK(shared < 5);
    }
}

TEST_CASE("the split is shuffled: both parts hold both classes", "[dataset]") {
    // The generators emit class 1 then class 0; unshuffled, the first 250 points would all be class 1.
    const Dataset d = make(DatasetKind::circle, 500);
    CHECK(count_label(d.train, 1) > 90);
    CHECK(count_label(d.train, 1) < 160);
    CHECK(count_label(d.test, 0) > 90);
    CHECK(count_label(d.test, 0) < 160);
    std::vector<double> first_labels;
    for (int i = 0; i < 20; ++i) first_labels.push_back(d.train[i].label);
    CHECK(std::count(first_labels.begin(), first_labels.end(), 1.0) > 0);
    CHECK(std::count(first_labels.begin(), first_labels.end(), 0.0) > 0);
}

TEST_CASE("class balance", "[dataset]") {
    // Generated per class: n / k each, the first classes one more (501 = 251 + 250, 500 = 167 + 167 + 166).
    for (DatasetKind kind : {DatasetKind::circle, DatasetKind::gaussians, DatasetKind::spiral, DatasetKind::moons}) {
        INFO(dataset_name(kind));
        const std::vector<Point> all = all_points(make(kind, 501));
        CHECK(count_label(all, 0) + count_label(all, 1) == 501);
        CHECK(std::abs(count_label(all, 0) - count_label(all, 1)) == 1);
    }
    const std::vector<Point> three = all_points(make(DatasetKind::spiral3, 500));
    CHECK(count_label(three, 0) == 167);
    CHECK(count_label(three, 1) == 167);
    CHECK(count_label(three, 2) == 166);
    // Labelled by region over a uniform square: about half each (sd sqrt(2000) / 2 = 22 points).
    for (DatasetKind kind : {DatasetKind::xor_, DatasetKind::checkerboard}) {
        INFO(dataset_name(kind));
        const std::vector<Point> all = all_points(make(kind, 2000));
        CHECK(count_label(all, 1) > 900);
        CHECK(count_label(all, 1) < 1100);
    }
    // Noise flips labels both ways, so the circle stays roughly balanced.
    const std::vector<Point> noisy = all_points(make(DatasetKind::circle, 2000, 0.5));
    CHECK(count_label(noisy, 1) > 600);
    CHECK(count_label(noisy, 1) < 1400);
}

TEST_CASE("clean circle: label 1 exactly inside radius 2.5, rings 0..2.5 and 3.5..5", "[dataset]") {
    for (const Point& p : all_points(make(DatasetKind::circle, 1000))) {
        const double r = std::sqrt(p.x1 * p.x1 + p.x2 * p.x2);
        INFO("(" << p.x1 << ", " << p.x2 << ") r " << r << " label " << p.label);
        REQUIRE(p.label == (r < 2.5 ? 1.0 : 0.0));
        REQUIRE((r < 2.5 + 1e-12 || (r > 3.5 - 1e-12 && r < 5 + 1e-12)));
    }
}

TEST_CASE("clean xor: label 1 where x1 * x2 >= 0, points 0.3..5.3 off the axes", "[dataset]") {
    for (const Point& p : all_points(make(DatasetKind::xor_, 1000))) {
        REQUIRE(p.label == (p.x1 * p.x2 >= 0 ? 1.0 : 0.0));
        REQUIRE(std::fabs(p.x1) >= 0.3);
        REQUIRE(std::fabs(p.x2) >= 0.3);
        REQUIRE(std::fabs(p.x1) <= 5.3);
        REQUIRE(std::fabs(p.x2) <= 5.3);
    }
}

TEST_CASE("clean gaussians: blobs at (2, 2) and (-2, -2) with variance 0.5", "[dataset]") {
    const std::vector<Point> all = all_points(make(DatasetKind::gaussians, 2000));
    double sx[2] = {0, 0}, sy[2] = {0, 0}, sxx[2] = {0, 0};
    int n[2] = {0, 0}, on_side = 0;
    for (const Point& p : all) {
        const int c = static_cast<int>(p.label);
        sx[c] += p.x1; sy[c] += p.x2; sxx[c] += p.x1 * p.x1; ++n[c];
        on_side += (p.x1 + p.x2 > 0) == (c == 1);
    }
    // Each blob's mean within 0.1 (standard error sqrt(0.5 / 1000) = 0.022), variance 0.5 within 10%.
    CHECK(sx[1] / n[1] == Approx(2.0).margin(0.1));
    CHECK(sy[1] / n[1] == Approx(2.0).margin(0.1));
    CHECK(sx[0] / n[0] == Approx(-2.0).margin(0.1));
    CHECK(sy[0] / n[0] == Approx(-2.0).margin(0.1));
    const double var1 = sxx[1] / n[1] - (sx[1] / n[1]) * (sx[1] / n[1]);
    CHECK(var1 == Approx(0.5).epsilon(0.1));
    // The line x1 + x2 = 0 lies 2 sqrt 2 = 2.83 = 4 sd from each centre: P(wrong side) = 3e-5 a point.
    CHECK(on_side >= 1995);

    // At noise 0.5 the variance is 4 (TF's scale 0.5..4), so the blobs overlap: many on the wrong side.
    int wrong = 0;
    for (const Point& p : all_points(make(DatasetKind::gaussians, 2000, 0.5)))
        wrong += (p.x1 + p.x2 > 0) != (p.label == 1);
    // sd of x1 + x2 is sqrt 8 = 2.83 against a distance 4: P(wrong) = P(z > 1.41) = 0.079, a little more
    // once draws beyond 6 are redrawn (the far tails are the right side's): about 160 +- 13 of 2000.
    CHECK(wrong > 100);
    CHECK(wrong < 260);
}

TEST_CASE("blobs: k classes of equal size, centred on a ring of radius 3.5, apart when clean", "[dataset]") {
    for (int k = 2; k <= kMaxClasses; ++k) {
        INFO(k << " blobs");
        DataConfig c;
        c.kind = DatasetKind::blobs;
        c.classes = k;
        c.num_points = 600 * k + 1;  // one class gets a point more
        const Dataset d = make_dataset(c, 3);
        CHECK(d.classes == k);
        std::vector<double> sx(k), sy(k);
        std::vector<int> n(k);
        int nearest_own = 0;
        for (const Point& p : all_points(d)) {
            const int cls = static_cast<int>(p.label);
            REQUIRE((cls >= 0 && cls < k && cls == p.label));
            sx[cls] += p.x1; sy[cls] += p.x2; ++n[cls];
            // Every point lies nearer its own centre than any other (clean blobs overlap almost never).
            int nearest = 0;
            double best = 1e300;
            for (int j = 0; j < k; ++j) {
                const double a = 2 * kPi * j / k, dx = p.x1 - 3.5 * std::sin(a), dy = p.x2 - 3.5 * std::cos(a);
                if (dx * dx + dy * dy < best) { best = dx * dx + dy * dy; nearest = j; }
            }
            nearest_own += nearest == cls;
        }
        CHECK(n[0] == 601);
        for (int j = 1; j < k; ++j) CHECK(n[j] == 600);
        for (int j = 0; j < k; ++j) {
            // The mean within 0.1 of its centre (standard error sqrt(0.5 / 600) = 0.03).
            const double a = 2 * kPi * j / k;
            CHECK(sx[j] / n[j] == Approx(3.5 * std::sin(a)).margin(0.1));
            CHECK(sy[j] / n[j] == Approx(3.5 * std::cos(a)).margin(0.1));
        }
        // Six blobs are 3.5 apart, 2.5 sd from the midline: about 0.6% per neighbour on the wrong side.
        CHECK(nearest_own >= 0.98 * (600 * k + 1));
    }
}

TEST_CASE("clean spirals: every point on its arm", "[dataset]") {
    // Two arms of 1.75 turns out to radius 5, the class-0 arm rotated by pi: a point at radius r sits at
    // angle t = 1.75 * 2 pi * r / 5 (+ pi), at (r sin t, r cos t).
    for (const Point& p : all_points(make(DatasetKind::spiral, 600))) {
        const double r = std::sqrt(p.x1 * p.x1 + p.x2 * p.x2);
        const double t = 1.75 * 2 * kPi * r / 5 + (p.label == 1 ? 0.0 : kPi);
        REQUIRE(r <= 5.0);
        REQUIRE(std::fabs(p.x1 - r * std::sin(t)) < 1e-9);
        REQUIRE(std::fabs(p.x2 - r * std::cos(t)) < 1e-9);
    }
    // Three arms of 1.25 turns, arm k rotated by 2 pi k / 3; none reaches the origin.
    for (const Point& p : all_points(make(DatasetKind::spiral3, 600))) {
        const double r = std::sqrt(p.x1 * p.x1 + p.x2 * p.x2);
        const double t = 1.25 * 2 * kPi * r / 5 + 2 * kPi * p.label / 3;
        REQUIRE(r > 0.0);
        REQUIRE(r <= 5.0);
        REQUIRE(std::fabs(p.x1 - r * std::sin(t)) < 1e-9);
        REQUIRE(std::fabs(p.x2 - r * std::cos(t)) < 1e-9);
    }
}

TEST_CASE("clean moons: every point on its half-circle", "[dataset]") {
    // Class 0 on the upper unit half-circle about (0, 0); class 1 on the lower one about (1, 0.5).
    for (const Point& p : all_points(make(DatasetKind::moons, 600))) {
        const double x = moon_x(p), y = moon_y(p);
        if (p.label == 0) {
            REQUIRE(std::fabs(std::hypot(x, y) - 1.0) < 1e-12);
            REQUIRE(y >= -1e-12);
        } else {
            REQUIRE(std::fabs(std::hypot(x - 1.0, y - 0.5) - 1.0) < 1e-12);
            REQUIRE(y <= 0.5 + 1e-12);
        }
    }
}

TEST_CASE("clean checkerboard: label 1 on cells of odd parity", "[dataset]") {
    int cells[16] = {};
    for (const Point& p : all_points(make(DatasetKind::checkerboard, 2000))) {
        REQUIRE(p.label == (odd_cell(p.x1, p.x2) ? 1.0 : 0.0));
        ++cells[static_cast<int>(std::floor((p.x1 + 6) / 3)) * 4 + static_cast<int>(std::floor((p.x2 + 6) / 3))];
    }
    for (int c : cells) CHECK(c > 60);  // 125 expected in each of the 16 cells
}

TEST_CASE("noise mislabels near the boundary but leaves region-labelled points where they were", "[dataset]") {
    // Circle, xor and checkerboard label a shifted copy of each point (TF Playground's way), and their
    // draws are the same at any noise: the inputs match the clean set exactly, only labels change.
    for (DatasetKind kind : {DatasetKind::circle, DatasetKind::xor_, DatasetKind::checkerboard}) {
        INFO(dataset_name(kind));
        const Dataset clean = make(kind, 1000, 0.0, 5), noisy = make(kind, 1000, 0.5, 5);
        int moved = 0, flipped = 0;
        for (std::size_t i = 0; i < clean.train.size(); ++i) {
            moved += clean.train[i].x1 != noisy.train[i].x1 || clean.train[i].x2 != noisy.train[i].x2;
            flipped += clean.train[i].label != noisy.train[i].label;
        }
        CHECK(moved == 0);
        CHECK(flipped > 25);
        CHECK(flipped < 300);
    }
    // The spirals' noise moves points: up to 0.5 on each coordinate.
    double largest = 0;
    for (const Point& p : all_points(make(DatasetKind::spiral, 1000, 0.5))) {
        const double r = std::sqrt(p.x1 * p.x1 + p.x2 * p.x2);
        const double t = 1.75 * 2 * kPi * r / 5 + (p.label == 1 ? 0.0 : kPi);
        largest = std::max(largest, std::fabs(p.x1 - r * std::sin(t)));
    }
    CHECK(largest > 0.1);
    // Moons' noise is Gaussian off the arc.
    double off = 0;
    for (const Point& p : all_points(make(DatasetKind::moons, 1000, 0.1)))
        off = std::max(off, std::fabs(std::hypot(moon_x(p) - p.label, moon_y(p) - 0.5 * p.label) - 1.0));
    CHECK(off > 0.05);
}

TEST_CASE("clean 1-D regression targets follow their formulas", "[dataset]") {
    for (const Point& p : all_points(make(DatasetKind::sine, 500))) {
        REQUIRE(p.label == Approx(std::sin(p.x1)).margin(1e-15));
    }
    for (const Point& p : all_points(make(DatasetKind::abs, 500))) {
        REQUIRE(p.label == Approx(std::fabs(p.x1) / 3 - 1).margin(1e-15));
        REQUIRE(p.label >= -1.0);
        REQUIRE(p.label <= 1.0);
    }
    int positive = 0;
    for (const Point& p : all_points(make(DatasetKind::step, 500))) {
        REQUIRE(p.label == (p.x1 < 0 ? -0.5 : 0.5));
        positive += p.label > 0;
    }
    CHECK(positive > 200);
    CHECK(positive < 300);
    // x^3 / 54 - x / 2: f(-3) = -27/54 + 3/2 = 1, f(3) = -1, f(+-6) = 216/54 -+ 3 = +-1.
    for (const Point& p : all_points(make(DatasetKind::cubic, 500))) {
        REQUIRE(p.label == Approx(p.x1 * p.x1 * p.x1 / 54 - p.x1 / 2).margin(1e-14));
        REQUIRE(std::fabs(p.label) <= 1.0 + 1e-15);
    }
    // Inputs spread over the whole range.
    const std::vector<Point> xs = all_points(make(DatasetKind::sine, 500));
    const auto [lo, hi] = std::minmax_element(xs.begin(), xs.end(), [](const Point& a, const Point& b) { return a.x1 < b.x1; });
    CHECK(lo->x1 < -5.8);
    CHECK(hi->x1 > 5.8);
}

TEST_CASE("1-D noise: Gaussian of sd = noise on the target, inputs unmoved", "[dataset]") {
    const Dataset clean = make(DatasetKind::sine, 4000, 0.0, 3), noisy = make(DatasetKind::sine, 4000, 0.2, 3);
    double sum = 0, sum2 = 0;
    for (std::size_t i = 0; i < clean.train.size(); ++i) {
        REQUIRE(clean.train[i].x1 == noisy.train[i].x1);
        const double e = noisy.train[i].label - clean.train[i].label;
        sum += e;
        sum2 += e * e;
    }
    const double n = static_cast<double>(clean.train.size());
    // 2000 residuals: standard error of the mean 0.2 / 45 = 0.0045, of the sd about 0.0032.
    CHECK(std::fabs(sum / n) < 0.02);
    CHECK(std::sqrt(sum2 / n - (sum / n) * (sum / n)) == Approx(0.2).margin(0.015));
}

TEST_CASE("clean 2-D regression targets follow their formulas", "[dataset]") {
    for (const Point& p : all_points(make(DatasetKind::plane, 1000))) {
        REQUIRE(p.label == Approx((p.x1 + p.x2) / 12).margin(1e-15));
        REQUIRE(std::fabs(p.label) <= 1.0);
    }
    int high = 0, low = 0;
    for (const Point& p : all_points(make(DatasetKind::multi_gaussian, 2000))) {
        REQUIRE(p.label == Approx(bumps(p.x1, p.x2)).margin(1e-14));
        REQUIRE(std::fabs(p.label) < 1.0);
        high += p.label > 0.9;
        low += p.label < -0.9;
    }
    // Each sign has three peaks; the area above 0.9 around one is pi * (2 ln(1/0.9)) = 0.66, and three of
    // them cover 2 / 144 of the square: about 28 of 2000 points each.
    CHECK(high > 8);
    CHECK(low > 8);
    // Noise shifts the position the target is read at, up to 6 * noise on each coordinate.
    double largest = 0;
    for (const Point& p : all_points(make(DatasetKind::plane, 1000, 0.5)))
        largest = std::max(largest, std::fabs(p.label - (p.x1 + p.x2) / 12));
    CHECK(largest > 0.3);
    CHECK(largest <= 0.5 + 1e-12);  // |shift x1 + shift x2| / 12 <= 6 / 12
}

TEST_CASE("custom points: all of them, split by the fraction", "[dataset]") {
    DataConfig c;
    c.kind = DatasetKind::custom;
    c.custom_dims = 2;
    c.custom_problem = ProblemKind::classification;
    for (int i = 0; i < 20; ++i) c.custom_points.push_back({i * 0.5, -i * 0.25, static_cast<double>(i % 3)});
    c.test_fraction = 0.25;
    const Dataset d = make_dataset(c, 9);
    CHECK(d.train.size() == 15);  // 20 - round(0.25 * 20)
    CHECK(d.test.size() == 5);
    CHECK(d.problem == ProblemKind::classification);
    CHECK(d.input_dims == 2);
    CHECK(d.classes == 3);
    std::vector<Point> all = all_points(d);
    auto by_x = [](const Point& a, const Point& b) { return a.x1 < b.x1; };
    std::sort(all.begin(), all.end(), by_x);
    CHECK(all == c.custom_points);
    CHECK(same_bits(make_dataset(c, 9).train, d.train));

    DataConfig r;
    r.kind = DatasetKind::custom;
    r.custom_dims = 1;
    r.custom_problem = ProblemKind::regression;
    r.custom_points = {{-1, 0, 0.5}, {0, 0, 0.25}, {1, 0, -2}, {2, 0, 3}};
    const Dataset rd = make_dataset(r, 1);
    CHECK(rd.problem == ProblemKind::regression);
    CHECK(rd.input_dims == 1);
    CHECK(rd.classes == 0);
    CHECK(rd.train.size() == 2);
    CHECK(rd.test.size() == 2);

    // Four points at the extreme fractions: round(3.6) = 4 and round(0.4) = 0 would leave one side empty,
    // so each side keeps at least one point.
    r.test_fraction = 0.9;
    CHECK(make_dataset(r, 1).train.size() == 1);
    r.test_fraction = 0.1;
    CHECK(make_dataset(r, 1).test.size() == 1);
}

// ---- CSV ----

TEST_CASE("CSV x1,x2,label with header, comments, blank lines, spaces and CRLF", "[dataset][csv]") {
    const std::string text =
        "# exported points\r\n"
        "x1, x2, label\r\n"
        "1,2,0\r\n"
        "\r\n"
        "  -1.5 ,\t2.25 , 1\r\n"
        "   # an indented comment\n"
        "3e-1,-4,2\n"
        "+.5,5.,-0\n"
        "1E2,-0.125,1";  // no final newline
    const CsvPoints csv = parse_points_csv(text);
    CHECK(csv.dims == 2);
    CHECK(csv.problem == ProblemKind::classification);
    const std::vector<Point> expected{{1, 2, 0}, {-1.5, 2.25, 1}, {0.3, -4, 2}, {0.5, 5, 0}, {100, -0.125, 1}};
    CHECK(csv.points == expected);
    CHECK(!std::signbit(csv.points[3].label));  // "-0" read as label 0, not -0
}

TEST_CASE("CSV x,y is 1-D regression, a byte-order mark is skipped", "[dataset][csv]") {
    const CsvPoints csv = parse_points_csv("\xEF\xBB\xBFx,y\n-6,0.1\n-2,-1e-3\n0,7\n5.5,-123.25\n");
    CHECK(csv.dims == 1);
    CHECK(csv.problem == ProblemKind::regression);
    const std::vector<Point> expected{{-6, 0, 0.1}, {-2, 0, -1e-3}, {0, 0, 7}, {5.5, 0, -123.25}};
    CHECK(csv.points == expected);

    // Without a header too; the digits are read exactly (correctly rounded, as the literal is), and the
    // coordinate limit +-1e6 is itself allowed.
    const CsvPoints bare = parse_points_csv("0.1,0.7\n0.2,0.8\n0.3,0.9\n1e-300,-1e6\n");
    CHECK(bare.points.size() == 4);
    CHECK(bare.points[0].x1 == 0.1);
    CHECK(bare.points[2].label == 0.9);
    CHECK(bare.points[3].x1 == 1e-300);
    CHECK(bare.points[3].label == -1e6);
}

TEST_CASE("CSV at the point limit is accepted, one more row is not", "[dataset][csv]") {
    std::string text = "x1,x2,label\n";
    for (int i = 0; i < kMaxPoints; ++i) text += (i % 2 ? "1,2,1\n" : "-1,0.5,0\n");
    CHECK(parse_points_csv(text).points.size() == static_cast<std::size_t>(kMaxPoints));
    text += "3,3,1\n";  // line 1 is the header, so this row is line kMaxPoints + 2
    try {
        parse_points_csv(text);
        FAIL("accepted more than kMaxPoints rows");
    } catch (const ConfigError& e) {
        const std::string msg = e.what();
        INFO(msg);
        CHECK(msg.find("line " + std::to_string(kMaxPoints + 2) + ":") != std::string::npos);
        CHECK(msg.find("more than " + std::to_string(kMaxPoints) + " points") != std::string::npos);
    }
}

TEST_CASE("malformed CSV is rejected with the line and the field", "[dataset][csv]") {
    const std::string ok3 = "1,2,0\n-1,0,1\n0.5,0.5,1\n";  // three good rows: lines 1-3
    struct Case { const char* what; std::string text; std::vector<std::string> says; };
    const std::vector<Case> cases = {
        {"empty", "", {"empty input"}},
        {"only comments and blanks", "# x1,x2,label\n\n   \n", {"empty input"}},
        {"header only", "x1,x2,label\n", {"only 0 points", "at least 4"}},
        {"three points", ok3, {"only 3 points", "at least 4"}},
        {"too few fields", ok3 + "1,2\n", {"line 4: expected 3 fields, got 2"}},
        {"too many fields", "x1,x2,label\n1,2,0,5\n", {"line 2: expected 3 fields, got 4"}},
        {"trailing comma", ok3 + "1,2,0,\n", {"line 4: expected 3 fields, got 4"}},
        {"word in a field", "x1,x2,label\n1,2,0\n1,abc,0\n", {"line 3: 'abc' is not a number in field 2"}},
        {"numbers and a word in the first row", "1,abc,0\n" + ok3, {"line 1: 'abc' is not a number in field 2"}},
        {"label 6 after comments", "# a\n# b\nx1,x2,label\n" + ok3 + "\n# c\n1,1,0\n2,2,6\n",
         {"line 10: label must be an integer 0..5, got 6", "field 3"}},
        {"fractional label", ok3 + "1,1,0.5\n", {"line 4: label must be an integer 0..5, got 0.5"}},
        {"negative label", ok3 + "1,1,-1\n", {"line 4: label must be an integer 0..5, got -1"}},
        {"nan", "x1,x2,label\nnan,1,0\n", {"line 2: 'nan' is not a finite number in field 1"}},
        {"inf", ok3 + "1,-Infinity,1\n", {"line 4: '-Infinity' is not a finite number in field 2"}},
        {"overflow", ok3 + "1,1e999,1\n", {"line 4: '1e999' is not a finite number in field 2"}},
        {"trailing junk", ok3 + "1.5x,1,1\n", {"line 4: '1.5x' is not a number in field 1"}},
        {"dangling exponent", ok3 + "1,2,1e\n", {"line 4: '1e' is not a number in field 3"}},
        {"hex", ok3 + "0x10,1,1\n", {"line 4: '0x10' is not a number in field 1"}},
        {"space inside a number", ok3 + "1 2,3,0\n", {"line 4: '1 2' is not a number in field 1"}},
        {"double sign", ok3 + "--1,3,0\n", {"line 4: '--1' is not a number in field 1"}},
        {"empty field", ok3 + "1,,0\n", {"line 4: field 2 is empty"}},
        {"four columns first", "1,2,3,4\n", {"line 1: expected 3 fields (x1,x2,label) or 2 fields (x,y), got 4"}},
        {"one column first", "\n\n7\n8\n", {"line 3: expected 3 fields (x1,x2,label) or 2 fields (x,y), got 1"}},
        {"x,y then three fields", "x,y\n1,2\n1,2,3\n", {"line 3: expected 2 fields, got 3"}},
        {"coordinate out of range", "x,y\n1,2\n3,2e6\n", {"line 3: '2e6' in field 2 is outside -1e6..1e6"}},
        {"CRLF line numbers", "x1,x2,label\r\n1,2,0\r\n1,2,9\r\n", {"line 3: label must be an integer 0..5, got 9"}},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        try {
            parse_points_csv(c.text);
            FAIL_CHECK("accepted: " << c.what);
        } catch (const ConfigError& e) {
            const std::string msg = e.what();
            INFO("message: " << msg);
            for (const std::string& s : c.says) CHECK(msg.find(s) != std::string::npos);
        }
    }
}

TEST_CASE("CSV size is bounded: 16 MiB of text, and a row's fields are counted, not stored", "[dataset][csv]") {
    // 16 MiB of comment lines ("#...#\n", 64 bytes each) is accepted up to the points check; one byte more
    // is refused by its size before any line is read.
    std::string text;
    for (std::size_t i = 0; i < (std::size_t{16} << 20) / 64; ++i) text.append(63, '#').push_back('\n');
    REQUIRE(text.size() == std::size_t{16} << 20);
    CHECK_THROWS_WITH(parse_points_csv(text), Catch::Contains("empty input"));
    text.push_back('\n');
    CHECK_THROWS_WITH(parse_points_csv(text), Catch::Contains("CSV is 16777217 bytes, at most 16777216 (16 MiB)"));

    // A first row of 2,000,001 commas has 2,000,002 fields; a later row's count is reported the same way.
    CHECK_THROWS_WITH(parse_points_csv(std::string(2'000'001, ',')),
                      Catch::Contains("line 1: expected 3 fields (x1,x2,label) or 2 fields (x,y), got 2000002"));
    CHECK_THROWS_WITH(parse_points_csv("x,y\n1,2\n" + std::string(999, ',') + "\n"),
                      Catch::Contains("line 3: expected 2 fields, got 1000"));
}

TEST_CASE("parsed CSV points make a custom dataset", "[dataset][csv]") {
    const CsvPoints csv = parse_points_csv("x1,x2,label\n1,1,0\n-1,-1,1\n2,-2,2\n-2,2,0\n0,3,1\n3,0,2\n");
    DataConfig c;
    c.kind = DatasetKind::custom;
    c.custom_points = csv.points;
    c.custom_dims = csv.dims;
    c.custom_problem = csv.problem;
    const Dataset d = make_dataset(c, 4);
    CHECK(d.train.size() == 3);
    CHECK(d.test.size() == 3);
    CHECK(d.classes == 3);
    CHECK(d.input_dims == 2);
}
