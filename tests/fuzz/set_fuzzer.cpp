// Fuzz target: --set NAME.KEY=VALUE (one per input line) applied to a suite, then the values
// checked against declared parameters of every type, as resolution does. Any input must give a
// resolved configuration or a std::invalid_argument.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>

#include "host/suite.hpp"
#include "host/value.hpp"

namespace {

constexpr const char* kSuite = R"(name: fuzz
master_seed: 1
seeds: 2
tasks:
  CartPole-v1: {steps: 100}
algorithms:
  ppo: {hyperparameters: {learning_rate: 0.001}}
)";

pgb_param_desc_t param(const char* key, pgb_value_t default_value, double min, double max, const char* choices) {
  return {sizeof(pgb_param_desc_t), PGB_PARAM_AFFECTS_RESULTS, key, "", default_value, min, max, choices};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const pgbench::Suite base = pgbench::parse_suite(kSuite, "fuzz.yaml");
  static const pgb_param_desc_t declared[] = {
      param("learning_rate", {PGB_VALUE_FLOAT, 0, {.f = 1e-3}}, 0.0, 1.0, nullptr),
      param("epochs", {PGB_VALUE_INT, 0, {.i = 10}}, 1, 1000, nullptr),
      param("normalize", {PGB_VALUE_BOOL, 0, {.i = 1}}, NAN, NAN, nullptr),
      param("activation", {PGB_VALUE_STRING, 0, {.s = "tanh"}}, NAN, NAN, "tanh|relu"),
      param("note", {PGB_VALUE_STRING, 0, {.s = ""}}, NAN, NAN, nullptr),
  };
  static const pgb_param_desc_t* const params[] = {&declared[0], &declared[1], &declared[2], &declared[3], &declared[4]};

  pgbench::SuiteOverrides overrides;
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  for (std::string line; std::getline(lines, line);) overrides.sets.push_back(line);
  try {
    pgbench::Suite suite = base;
    pgbench::apply_overrides(suite, overrides);
    for (const auto& algorithm : suite.algorithms)
      pgbench::resolve_config("fuzz", params, std::size(params), algorithm.hyperparameters);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
