#include "stats/seeding.hpp"

#include "pgbench/sdk/rng.hpp"

namespace pgbench::stats {

std::uint64_t derive_seed(std::uint64_t seed, std::string_view key) {
  std::uint64_t hash = 0xCBF29CE484222325ull;  // FNV-1a offset basis
  for (char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001B3ull;  // FNV-1a prime
  }
  std::uint64_t state = seed ^ hash;
  return pgb::splitmix64(state);
}

std::uint64_t replicate_seed(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t state = seed;
  state = pgb::splitmix64(state) ^ index;
  return pgb::splitmix64(state);
}

}  // namespace pgbench::stats
