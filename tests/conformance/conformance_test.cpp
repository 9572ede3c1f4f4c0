// Conformance: every plugin this build makes, and every plugin on PGBENCH_PLUGIN_PATH, passes
// the checks of `pgbench check` (check/conformance.hpp; the rules are written there once). One
// test per (environment or algorithm, rule). Then `pgbench check` itself: it passes a conforming
// plugin and fails each nonconforming test plugin on the rule it breaks, saying so in one line.
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "check/conformance.hpp"
#include "host/test_support.hpp"

namespace pgbench {
namespace {

namespace fs = std::filesystem;

const PluginRegistry& plugins() {
  static const PluginRegistry registry = [] {
    std::vector<fs::path> path{PGBENCH_PLUGIN_DIR};
    if (const char* extra = std::getenv("PGBENCH_PLUGIN_PATH")) {
      std::stringstream ss(extra);
      for (std::string p; std::getline(ss, p, ':');)
        if (!p.empty()) path.emplace_back(p);
    }
    PluginRegistry r;
    r.load(path);
    return r;
  }();
  return registry;
}

struct Case {
  bool environment;
  std::string name;
  check::Rule rule;
};

std::vector<Case> cases() {
  std::vector<Case> all;
  for (const auto& e : plugins().envs())
    for (const auto& rule : check::env_rules()) all.push_back({true, e.desc->name, rule});
  for (const auto& a : plugins().algorithms())
    for (const auto& rule : check::algorithm_rules()) all.push_back({false, a.desc->name, rule});
  return all;
}

std::string test_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.name + "__" + info.param.rule.name;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.name << ": " << c.rule.name; }

class Conformance : public ::testing::TestWithParam<Case> {};

TEST_P(Conformance, RuleHolds) {
  const Case& c = GetParam();
  check::Options options;
  options.tasks = &plugins();
  const check::Outcome o = c.environment ? check::check_env(*plugins().find_env(c.name), c.rule, options)
                                         : check::check_algorithm(*plugins().find_algorithm(c.name), c.rule, options);
  if (o.verdict == check::Verdict::Skip) GTEST_SKIP() << o.detail;
  EXPECT_EQ(o.verdict, check::Verdict::Pass) << c.name << " breaks '" << o.rule->title << "': " << o.detail;
}

INSTANTIATE_TEST_SUITE_P(Plugin, Conformance, ::testing::ValuesIn(cases()), test_name);

// ------------------------------------------------------------------------------ pgbench check

// `pgbench check` on `target`: the exit status, and per component ("algorithm global-rng") the
// names of the rules it failed.
struct CheckRun {
  int exit_code;
  std::string output;
  std::map<std::string, std::set<std::string>> failed;
};

CheckRun run_check(const std::string& target) {
  // One log per test: ctest runs the tests of this file in parallel processes.
  const fs::path log = fs::path(::testing::TempDir()) /
                       (std::string("pgbench-check-") + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".log");
  CheckRun run{test::run_pgbench({"check", target}, log), "", {}};
  std::ifstream in(log);
  std::string component;
  for (std::string line; std::getline(in, line);) {
    run.output += line + "\n";
    if (line.rfind("algorithm ", 0) == 0 || line.rfind("environment ", 0) == 0)
      component = line.substr(0, line.find(" ("));
    if (line.rfind("  FAIL  ", 0) == 0 && line.back() == ']')
      run.failed[component].insert(line.substr(line.rfind('[') + 1, line.size() - line.rfind('[') - 2));
  }
  return run;
}

TEST(PgbenchCheck, PassesAConformingPlugin) {
  CheckRun run = run_check(std::string(PGBENCH_PLUGIN_DIR) + "/pgbench-random.so");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("algorithm random (org.pgbench.algo.random/1), trained on CartPole-v1"), std::string::npos)
      << run.output;
  EXPECT_TRUE(run.failed.empty()) << run.output;
}

TEST(PgbenchCheck, FailsEachNonconformingAlgorithmOnTheRuleItBreaks) {
  CheckRun run = run_check(PGBENCH_NONCONFORMING_PLUGIN);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  using Rules = std::set<std::string>;
  // A shared generator: instances disturb each other and checkpoints miss it, though one process
  // alone is reproducible.
  EXPECT_EQ(run.failed["algorithm global-rng"],
            (Rules{"instances-are-independent", "concurrent-create", "save-load-continues"}))
      << run.output;
  EXPECT_EQ(run.failed["algorithm impure-eval"], Rules{"act-eval-is-pure"}) << run.output;
  EXPECT_EQ(run.failed["algorithm forgetful-checkpoint"], Rules{"save-load-continues"}) << run.output;
  // Each failure says what it means and how to fix it.
  EXPECT_NE(run.output.find("act_eval() gave different actions for the same observations"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("why it matters: "), std::string::npos);
  EXPECT_NE(run.output.find("to fix: "), std::string::npos);
}

TEST(PgbenchCheck, FailsAPluginThatAcceptsAnUndeclaredHyperparameter) {
  CheckRun run = run_check(std::string(PGBENCH_TEST_PLUGIN_ROOT) + "/c_plugin_accepts_undeclared");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(run.failed["algorithm c-right"].count("refuses-undeclared-hyperparameter")) << run.output;
  EXPECT_NE(run.output.find("create() accepted 'no_such_hyperparameter'"), std::string::npos) << run.output;
  // c-bad answers an action outside the space.
  EXPECT_TRUE(run.failed["algorithm c-bad"].count("valid-actions")) << run.output;
  EXPECT_FALSE(run.failed.count("environment c-chain")) << run.output;
}

TEST(PgbenchCheck, SaysWhatIsWrongWithItsInput) {
  const fs::path log = fs::path(::testing::TempDir()) / "pgbench-check-input.log";
  EXPECT_EQ(test::run_pgbench({"check", "/no/such/plugin.so"}, log), 2);
  EXPECT_NE(test::read_file(log).find("no such plugin file or folder: /no/such/plugin.so"), std::string::npos);
  EXPECT_EQ(test::run_pgbench({"check", PGBENCH_NONCONFORMING_PLUGIN, "--rule", "act-eval-pure"}, log), 2);
  EXPECT_NE(test::read_file(log).find("did you mean 'act-eval-is-pure'"), std::string::npos) << test::read_file(log);
}

// ------------------------------------------------------------------------------ vocabulary

// Every hyperparameter of a built-in algorithm is a name of the README's vocabulary table, which
// maps it to the names other libraries use: a new synonym fails here.
TEST(Vocabulary, EveryBuiltInHyperparameterIsInTheReadmeTable) {
  std::ifstream readme(PGBENCH_README);
  std::set<std::string> names;
  bool in_table = false;
  for (std::string line; std::getline(readme, line);) {
    if (line.rfind("### Hyperparameters: one vocabulary", 0) == 0) in_table = true;
    else if (in_table && line.rfind("## ", 0) == 0) break;
    if (!in_table || line.rfind("| `", 0) != 0) continue;
    const std::string first = line.substr(2, line.find(" | ", 2) - 2);  // "`a`, `b`"
    for (std::size_t b = first.find('`'); b != std::string::npos; b = first.find('`', first.find('`', b + 1) + 1))
      names.insert(first.substr(b + 1, first.find('`', b + 1) - b - 1));
  }
  ASSERT_GT(names.size(), 20u) << "the vocabulary table was not found in " << PGBENCH_README;
  PluginRegistry builtin;
  builtin.load({PGBENCH_PLUGIN_DIR});
  for (const auto& a : builtin.algorithms())
    for (std::uint32_t i = 0; i < a.desc->param_count; ++i)
      EXPECT_TRUE(names.count(a.desc->params[i]->key))
          << a.desc->name << " declares '" << a.desc->params[i]->key
          << "', which the README's vocabulary table does not list: use the table's name for the same thing, or add "
             "a row for a new one";
}

}  // namespace
}  // namespace pgbench
