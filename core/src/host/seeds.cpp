#include "host/seeds.hpp"

#include <pgbench/sdk/rng.hpp>

namespace pgbench {

std::uint64_t fnv1a64(std::string_view text) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

std::uint64_t derive_seed(std::uint64_t master_seed, std::string_view task, std::string_view algorithm,
                          std::int64_t seed_index, std::string_view stream) {
  const std::string key = "task=" + std::string(task) + ";algorithm=" + std::string(algorithm) +
                          ";seed=" + std::to_string(seed_index) + ";stream=" + std::string(stream);
  std::uint64_t state = master_seed ^ fnv1a64(key);
  return pgb::splitmix64(state);
}

std::string seed_derivation_text() {
  return "seed = splitmix64(master_seed XOR fnv1a64(\"task=<task>;algorithm=<algorithm>;seed=<index>;"
         "stream=<stream>\")). Streams: algorithm (keyed by algorithm name); env-train (algorithm '*', so all "
         "algorithms share initial states per seed index); env-eval (algorithm '*', seed index -1: one fixed list "
         "per task, eval episode i reset with splitmix64 step i of that seed).";
}

}  // namespace pgbench
