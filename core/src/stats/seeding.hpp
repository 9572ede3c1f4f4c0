// stats/seeding.hpp -- how the report's bootstraps get their random streams.
//
// Every bootstrap in a report descends from one recorded seed. A statistic gets its own stream by
// a key that names it ("aggregate/ppo", "difference/CartPole-v1/a2c/ppo"), and each bootstrap
// replicate gets its own generator from (stream seed, replicate index). Nothing depends on the
// order in which statistics are computed or on which thread runs a replicate, so a report is
// identical whatever the number of threads.
#pragma once

#include <cstdint>
#include <string_view>

namespace pgbench::stats {

// A seed for the stream named `key`, mixed from the report seed (FNV-1a of the key, then SplitMix64).
std::uint64_t derive_seed(std::uint64_t seed, std::string_view key);

// The seed of replicate `index` of a bootstrap whose stream seed is `seed`.
std::uint64_t replicate_seed(std::uint64_t seed, std::uint64_t index);

}  // namespace pgbench::stats
