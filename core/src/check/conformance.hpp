// The conformance checks: the rules of abi.h that a plugin must keep for its results to be
// trusted, run against any environment or algorithm type. `pgbench check` runs them for plugin
// authors; the conformance tests run the same checks on every plugin of the build.
//
// Each check runs in a child process of its own (fork), so a plugin that crashes, hangs or
// leaks state fails that check with the reason instead of ending the run of the others.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "host/plugins.hpp"

namespace pgbench::check {

// One rule, as a plugin author reads it.
struct Rule {
  std::string name;     // short id, e.g. "act-eval-is-pure"
  std::string title;    // one line: what is checked
  std::string why;      // what breaks in a benchmark when the rule is broken
  std::string fix;      // how a plugin usually fixes a failure
};

enum class Verdict { Pass, Fail, Skip };

struct Outcome {
  const Rule* rule = nullptr;
  Verdict verdict = Verdict::Fail;
  std::string detail;  // why it failed or was skipped; "" on a pass
};

// The rules checked for every environment type, and for every algorithm type, in order.
const std::vector<Rule>& env_rules();
const std::vector<Rule>& algorithm_rules();

struct Options {
  // Where an algorithm finds the task it is checked on: CartPole-v1 when it takes Discrete
  // actions, else Pendulum-v1 (both built in).
  const PluginRegistry* tasks = nullptr;
  std::chrono::seconds time_limit{300};  // per check; a check that runs longer fails
};

// Runs one rule on one type, in a child process.
Outcome check_env(const EnvType& type, const Rule& rule, const Options& options);
Outcome check_algorithm(const AlgoType& type, const Rule& rule, const Options& options);

// The task an algorithm is checked on (see Options::tasks); throws std::invalid_argument when
// `tasks` lacks it.
const EnvType& task_for(const AlgoType& type, const PluginRegistry& tasks);

}  // namespace pgbench::check
