// The reference values computed once with NumPy/SciPy by fixtures/make_fixtures.py.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

namespace pgbench::stats::testing {

const nlohmann::json& reference_values();

inline std::vector<double> doubles(const nlohmann::json& array) { return array.get<std::vector<double>>(); }

}  // namespace pgbench::stats::testing
