#pragma once
// A seeded random generator of our own, so the same seed gives bit-identical draws on every platform.
// The standard library's distributions are implementation-defined, so every transform is written here.
#include <cstdint>
#include <cstddef>
#include <cmath>

#include "detmath.hpp"

namespace ap {

// xoshiro256** seeded through splitmix64 (the seeding its authors recommend).
class Rng {
public:
    explicit Rng(std::uint64_t seed) { reseed(seed); }

    void reseed(std::uint64_t seed) {
        std::uint64_t s = seed;
        for (auto& word : state_) word = splitmix64(s);
        has_spare_ = false;  // a leftover normal from the old seed must not leak into the new sequence
    }

    // An independent stream for one purpose (data, init, shuffle), so changing one does not shift another.
    static Rng stream(std::uint64_t seed, std::uint64_t purpose) {
        std::uint64_t s = seed ^ (0x9E3779B97F4A7C15ull * (purpose + 1));
        return Rng(splitmix64(s));
    }

    std::uint64_t next_u64() {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform in [0, 1): the top 53 bits scaled exactly.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

    // Uniform integer in [0, n) without modulo bias (Lemire's method needs 128-bit; rejection is portable).
    // A draw at or above limit = UINT64_MAX - (UINT64_MAX % n) is drawn again. limit > UINT64_MAX - n, so a
    // draw at most UINT64_MAX - n is below it without computing it: a 64-bit division saved at almost every
    // call (shuffles make one call per element), and the same numbers drawn.
    std::uint64_t below(std::uint64_t n) {
        if (n <= 1) return 0;
        std::uint64_t r = next_u64();
        if (r > UINT64_MAX - n) {
            const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
            while (r >= limit) r = next_u64();
        }
        return r % n;
    }

    // Standard normal by the Marsaglia polar method: only log and sqrt, both deterministic here.
    double normal() {
        if (has_spare_) { has_spare_ = false; return spare_; }
        double u, v, s;
        do {
            u = 2.0 * uniform() - 1.0;
            v = 2.0 * uniform() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double m = std::sqrt(-2.0 * detmath::log(s) / s);
        spare_ = v * m;
        has_spare_ = true;
        return u * m;
    }

    double normal(double mean, double stddev) { return mean + stddev * normal(); }

    // Fisher-Yates, so a shuffle is the same on every platform.
    template <typename T>
    void shuffle(T* data, std::size_t n) {
        for (std::size_t i = n; i > 1; --i) {
            const std::size_t j = static_cast<std::size_t>(below(i));
            T tmp = data[i - 1]; data[i - 1] = data[j]; data[j] = tmp;
        }
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix64(std::uint64_t& s) {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    std::uint64_t state_[4]{};
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace ap
