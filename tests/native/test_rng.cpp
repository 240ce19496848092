// Rng: the generator against published reference values, then each transform (uniform, below, normal,
// shuffle) against its distribution with loose statistical bounds, and seeding, streams and determinism.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "rng.hpp"

using namespace ap;

namespace {

// xoshiro256** as Blackman and Vigna define it, written from the paper for the test; checked below against
// their published outputs for the state {1, 2, 3, 4} before it is used to check Rng.
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
std::uint64_t reference_next(std::uint64_t s[4]) {
    const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

// Pearson's chi-square of observed counts against equal expected counts.
double chi_square(const std::vector<int>& counts) {
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    const double expected = total / static_cast<double>(counts.size());
    double chi2 = 0;
    for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
    return chi2;
}

}  // namespace

TEST_CASE("reference xoshiro256** reproduces the published outputs for state {1, 2, 3, 4}", "[rng]") {
    // The reference implementation's first outputs (as in rand_xoshiro's tests). The first by hand:
    // s[1] = 2, 2 * 5 = 10, rotl(10, 7) = 1280, 1280 * 9 = 11520. The second uses s[1] = 2 ^ (3 ^ 1) = 0.
    const std::uint64_t published[10] = {
        11520ull, 0ull, 1509978240ull, 1215971899390074240ull, 1216172134540287360ull,
        607988272756665600ull, 16172922978634559625ull, 8476171486693032832ull,
        10595114339597558777ull, 2904607092377533576ull,
    };
    std::uint64_t s[4] = {1, 2, 3, 4};
    for (std::uint64_t expected : published) CHECK(reference_next(s) == expected);
}

TEST_CASE("seed 0 fills the state with splitmix64's first outputs, then runs xoshiro256**", "[rng]") {
    // splitmix64 from 0: its well-known first four outputs.
    std::uint64_t s[4] = {0xe220a8397b1dcdafull, 0x6e789e6aa1b965f4ull, 0x06c45d188009454full,
                          0xf88bb8a8724c81ecull};
    // First output by hand from s[1]: 0x6e789e6aa1b965f4 * 5 = 0x1b9e279aa86e597d0 + 0x6e789e6aa1b965f4
    // = 0x2285b1815289efdc4, low 64 bits 0x285b1815289efdc4; rotl 7 moves the top 7 bits 0b0010100 to
    // the bottom: 0x2d8c0a944f7ee214; * 9 = 0x199ec5f36cb75f2b4, low 64 bits 0x99ec5f36cb75f2b4.
    CHECK(0x6e789e6aa1b965f4ull * 5 == 0x285b1815289efdc4ull);
    CHECK(rotl(0x285b1815289efdc4ull, 7) == 0x2d8c0a944f7ee214ull);
    Rng rng(0);
    CHECK(rng.next_u64() == 0x99ec5f36cb75f2b4ull);
    CHECK(reference_next(s) == 0x99ec5f36cb75f2b4ull);
    // The rest of the sequence depends on all four words, so it pins the seeding of every one.
    for (int i = 0; i < 64; ++i) {
        INFO("output " << i + 2);
        CHECK(rng.next_u64() == reference_next(s));
    }
}

TEST_CASE("uniform is the top 53 bits scaled into [0, 1)", "[rng]") {
    Rng a(7), b(7);
    for (int i = 0; i < 1000; ++i) CHECK(a.uniform() == static_cast<double>(b.next_u64() >> 11) * 0x1.0p-53);

    Rng rng(11);
    std::vector<int> bins(10, 0);
    double sum = 0, lo = 1, hi = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) {
        const double u = rng.uniform();
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        sum += u;
        lo = std::min(lo, u);
        hi = std::max(hi, u);
        ++bins[static_cast<int>(u * 10)];
    }
    // Mean 1/2 with sd sqrt(1/12 / n) = 0.00091: 0.005 is 5.5 sd.
    CHECK(std::fabs(sum / n - 0.5) < 0.005);
    CHECK(lo < 1e-3);
    CHECK(hi > 1 - 1e-3);
    // 9 degrees of freedom: P(chi2 > 40) is about 7e-6.
    CHECK(chi_square(bins) < 40.0);

    Rng r(3);
    for (int i = 0; i < 10000; ++i) {
        const double v = r.uniform(-2.5, 4.0);
        REQUIRE(v >= -2.5);
        REQUIRE(v < 4.0);
    }
}

TEST_CASE("below(n) stays in [0, n) without modulo bias", "[rng]") {
    Rng rng(5);
    for (int i = 0; i < 100; ++i) {
        CHECK(rng.below(0) == 0);
        CHECK(rng.below(1) == 0);
    }

    std::vector<int> counts(6, 0);
    for (int i = 0; i < 60000; ++i) {
        const std::uint64_t v = rng.below(6);
        REQUIRE(v < 6);
        ++counts[v];
    }
    // 5 degrees of freedom: P(chi2 > 30) is about 1.5e-5.
    CHECK(chi_square(counts) < 30.0);

    // n = 3 * 2^62: a plain r % n would send r in [n, 2^64) onto [0, 2^62), making that third of the range
    // hold half the draws. With rejection it holds a third: sd sqrt(1/3 * 2/3 / 30000) = 0.0027.
    const std::uint64_t n = 3ull << 62;
    int low = 0;
    const int draws = 30000;
    for (int i = 0; i < draws; ++i) {
        const std::uint64_t v = rng.below(n);
        REQUIRE(v < n);
        if (v < (1ull << 62)) ++low;
    }
    CHECK(std::fabs(static_cast<double>(low) / draws - 1.0 / 3.0) < 0.015);
}

TEST_CASE("below(n) draws what plain rejection sampling draws, for small n and n near 2^64", "[rng]") {
    // below() skips computing its rejection limit when a draw is clearly under it; the numbers must be those
    // of the plain method (draw until r < UINT64_MAX - UINT64_MAX % n, then r % n), which every shuffle and
    // data set depends on. n = 2^63 + 1 rejects about half the draws; 3 * 2^62 a quarter.
    Rng fast(77), plain(77);
    std::size_t mismatches = 0;
    const std::uint64_t ns[] = {2, 3, 10, 450, std::uint64_t{1} << 40, (std::uint64_t{1} << 63) + 1,
                                std::uint64_t{3} << 62, UINT64_MAX};
    for (const std::uint64_t n : ns) {
        for (int i = 0; i < 2000; ++i) {
            const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
            std::uint64_t r;
            do { r = plain.next_u64(); } while (r >= limit);
            mismatches += fast.below(n) != r % n;
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("normal has mean 0, sd 1 and the normal's shape", "[rng]") {
    Rng rng(2024);
    const int n = 100000;
    double sum = 0, sum2 = 0, sum3 = 0, sum4 = 0;
    int within1 = 0, within2 = 0;
    for (int i = 0; i < n; ++i) {
        const double z = rng.normal();
        REQUIRE(std::isfinite(z));
        sum += z;
        sum2 += z * z;
        sum3 += z * z * z;
        sum4 += z * z * z * z;
        if (std::fabs(z) < 1) ++within1;
        if (std::fabs(z) < 2) ++within2;
    }
    const double mean = sum / n;
    const double var = sum2 / n - mean * mean;
    // Standard errors at n = 1e5: mean 0.0032, sd 0.0022, skewness 0.0077, kurtosis 0.015.
    CHECK(std::fabs(mean) < 0.015);
    CHECK(std::fabs(std::sqrt(var) - 1.0) < 0.01);
    CHECK(std::fabs(sum3 / n) < 0.04);
    CHECK(std::fabs(sum4 / n - 3.0) < 0.08);
    // P(|z| < 1) = erf(1/sqrt 2) = 0.682689, P(|z| < 2) = 0.954500; standard errors 0.0015 and 0.00066.
    // A uniform of the same sd would give 0.577 and 1.0, so these see the shape.
    CHECK(std::fabs(static_cast<double>(within1) / n - 0.682689) < 0.006);
    CHECK(std::fabs(static_cast<double>(within2) / n - 0.954500) < 0.003);

    // normal(mean, sd) is the standard draw shifted and scaled, from the same sequence.
    Rng a(9), b(9);
    for (int i = 0; i < 100; ++i) CHECK(a.normal(3.0, 2.0) == 3.0 + 2.0 * b.normal());
}

TEST_CASE("shuffle is a uniformly random permutation", "[rng]") {
    std::vector<int> v(1000);
    std::iota(v.begin(), v.end(), 0);
    Rng rng(8);
    rng.shuffle(v.data(), v.size());
    std::vector<int> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> identity(1000);
    std::iota(identity.begin(), identity.end(), 0);
    CHECK(sorted == identity);
    CHECK(v != identity);
    // A fixed point count near 1 (its expectation for any size) rather than near 1000.
    int fixed = 0;
    for (int i = 0; i < 1000; ++i) fixed += v[i] == i;
    CHECK(fixed < 10);

    std::vector<int> w(1000);
    std::iota(w.begin(), w.end(), 0);
    Rng same(8);
    same.shuffle(w.data(), w.size());
    CHECK(w == v);

    // Each of the 3! = 6 orders of {0, 1, 2} about equally often; 5 degrees of freedom.
    std::vector<int> counts(6, 0);
    Rng r(12);
    for (int i = 0; i < 60000; ++i) {
        int a[3] = {0, 1, 2};
        r.shuffle(a, 3);
        // Index the order by its first two elements: 3 choices, then 2.
        const int second = a[1] > a[0] ? a[1] - 1 : a[1];
        ++counts[a[0] * 2 + second];
    }
    for (int c : counts) CHECK(c > 0);
    CHECK(chi_square(counts) < 30.0);

    // Sizes 0 and 1 have one order.
    int one[1] = {42};
    r.shuffle(one, 1);
    CHECK(one[0] == 42);
    r.shuffle(static_cast<int*>(nullptr), 0);
}

TEST_CASE("the same seed gives the same draws, another seed other draws", "[rng]") {
    Rng a(123), b(123), c(124);
    int equal_ab = 0, equal_ac = 0;
    for (int i = 0; i < 100; ++i) {
        const std::uint64_t x = a.next_u64(), y = b.next_u64(), z = c.next_u64();
        equal_ab += x == y;
        equal_ac += x == z;
    }
    CHECK(equal_ab == 100);
    CHECK(equal_ac == 0);

    // reseed starts the sequence over.
    Rng r(77);
    const std::uint64_t first = r.next_u64();
    for (int i = 0; i < 10; ++i) r.next_u64();
    r.reseed(77);
    CHECK(r.next_u64() == first);
}

TEST_CASE("streams of one seed are reproducible, distinct and uncorrelated", "[rng]") {
    const std::uint64_t seed = 42;
    Rng data = Rng::stream(seed, 1), data_again = Rng::stream(seed, 1);
    Rng init = Rng::stream(seed, 2), plain(seed), other_seed = Rng::stream(seed + 1, 1);
    int same_again = 0, same_init = 0, same_plain = 0, same_other = 0;
    double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
    const int n = 10000;
    for (int i = 0; i < n; ++i) {
        const std::uint64_t d = data.next_u64();
        const std::uint64_t i2 = init.next_u64();
        same_again += d == data_again.next_u64();
        same_init += d == i2;
        same_plain += d == plain.next_u64();
        same_other += d == other_seed.next_u64();
        const double x = static_cast<double>(d >> 11) * 0x1.0p-53;
        const double y = static_cast<double>(i2 >> 11) * 0x1.0p-53;
        sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
    }
    CHECK(same_again == n);
    CHECK(same_init == 0);
    CHECK(same_plain == 0);
    CHECK(same_other == 0);
    // Correlation of the two streams' uniforms: standard error 1/sqrt(n) = 0.01.
    const double cov = sxy / n - (sx / n) * (sy / n);
    const double r = cov / std::sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
    CHECK(std::fabs(r) < 0.05);

    // Consecutive seeds and purposes never share a first draw (the mixing is not a plain offset).
    std::vector<std::uint64_t> firsts;
    for (std::uint64_t s = 0; s < 50; ++s)
        for (std::uint64_t p = 0; p < 20; ++p) firsts.push_back(Rng::stream(s, p).next_u64());
    std::sort(firsts.begin(), firsts.end());
    CHECK(std::adjacent_find(firsts.begin(), firsts.end()) == firsts.end());
}

TEST_CASE("reseed forgets a spare normal from the old seed", "[rng]") {
    ap::Rng a(7);
    (void)a.normal();  // leaves the polar method's second value waiting
    a.reseed(11);
    ap::Rng b(11);
    for (int i = 0; i < 5; ++i) REQUIRE(a.normal() == b.normal());
}
