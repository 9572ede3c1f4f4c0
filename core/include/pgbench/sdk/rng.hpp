// pgbench/sdk/rng.hpp -- the one random number generator of pgbench.
//
// Why not <random>: std::mt19937_64 is portable, but std::uniform_real_distribution and
// std::normal_distribution are implementation-defined, so the same seed would give different
// trajectories with libstdc++ and libc++. Results must be bit-identical for a seed on a given
// build, and as portable as the floating-point code allows across builds, so the generator
// (xoshiro256**, Blackman & Vigna 2018) and its distributions are written out here, in full.
//
// Every instance (env, algorithm) owns its Rng; there is no global generator anywhere.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace pgb {

// SplitMix64 (Steele, Lea & Flood 2014): the seed expander. One step maps a 64-bit state to a
// well-mixed 64-bit output; used to seed xoshiro and to derive independent seeds from a key.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  using result_type = std::uint64_t;

  explicit Rng(std::uint64_t seed = 0) noexcept { reseed(seed); }

  void reseed(std::uint64_t seed) noexcept {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
    has_spare_normal_ = false;
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  // xoshiro256**: 64 random bits.
  result_type operator()() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

  // Uniform in [low, high).
  double uniform(double low, double high) noexcept { return low + (high - low) * uniform(); }

  // Uniform integer in [0, n), n > 0, without modulo bias (Lemire 2019).
  std::uint64_t below(std::uint64_t n) noexcept {
    unsigned __int128 m = static_cast<unsigned __int128>((*this)()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = -n % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>((*this)()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  // Standard normal by the Marsaglia polar method; the second variate is kept for the next call
  // (and is part of the state that save/load must carry, see State).
  double normal() noexcept {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    double u, v, s;
    do {
      u = uniform(-1.0, 1.0);
      v = uniform(-1.0, 1.0);
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double scale = std::sqrt(-2.0 * std::log(s) / s);
    spare_normal_ = v * scale;
    has_spare_normal_ = true;
    return u * scale;
  }

  double normal(double mean, double stddev) noexcept { return mean + stddev * normal(); }

  // The complete state, for checkpoints: restoring it continues the stream exactly.
  struct State {
    std::uint64_t words[4];
    double spare_normal;
    std::uint64_t has_spare_normal;
  };
  State state() const noexcept {
    return {{s_[0], s_[1], s_[2], s_[3]}, spare_normal_, has_spare_normal_ ? 1u : 0u};
  }
  void set_state(const State& st) noexcept {
    for (int i = 0; i < 4; ++i) s_[i] = st.words[i];
    spare_normal_ = st.spare_normal;
    has_spare_normal_ = st.has_spare_normal != 0;
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }
  std::uint64_t s_[4]{};
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace pgb
