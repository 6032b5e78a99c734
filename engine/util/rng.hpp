#pragma once
// Named, seeded random streams. Each part of a scenario (arrivals, faults, forecast noise, Lua's
// math.random) draws from its own stream derived from (seed, name), so changing one part does not
// reshuffle the others. The generator and the distributions are our own code, so a seed gives the
// same numbers with any compiler or standard library.
#include <cmath>
#include <cstdint>
#include <string_view>

namespace evtwin {

class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        std::uint64_t s = seed;
        for (auto& word : state_) word = splitmix64(s);
    }

    // A stream for `name`, independent of every other name under the same seed.
    static Rng stream(std::uint64_t seed, std::string_view name) {
        std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
        for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ull;
        std::uint64_t mix = seed ^ h;
        return Rng(splitmix64(mix));
    }

    // xoshiro256**
    std::uint64_t next() {
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

    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [0, n).
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }
    double exponential(double mean) { return -mean * std::log1p(-uniform()); }
    // Standard normal (Box-Muller; one value per call keeps the stream position simple).
    double normal() {
        const double u1 = 1.0 - uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    double normal(double mean, double sd) { return mean + sd * normal(); }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix64(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    std::uint64_t state_[4];
};

}  // namespace evtwin
