// Seed derivation: every random stream of a grid comes from the suite's master seed.
//
//   seed(master, key) = splitmix64 applied to (master XOR fnv1a64(key))
//
// where key is the text "task=<task>;algorithm=<algorithm>;seed=<index>;stream=<stream>".
// Keying by text (not by position in the grid) makes a cell's seeds independent of which other
// tasks, algorithms or seeds the grid contains, so a cell is a pure function of its own spec.
// Streams: "algorithm" (keyed by algorithm), "env-train" and "env-eval" (keyed with algorithm
// "*", so every algorithm meets the same initial states: common random numbers, which make
// comparisons between algorithms less noisy). Eval seeds are also shared across seed indices:
// one fixed list per task.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pgbench {

std::uint64_t fnv1a64(std::string_view text) noexcept;

std::uint64_t derive_seed(std::uint64_t master_seed, std::string_view task, std::string_view algorithm,
                          std::int64_t seed_index, std::string_view stream);

// The one-paragraph description written into every manifest.
std::string seed_derivation_text();

}  // namespace pgbench
