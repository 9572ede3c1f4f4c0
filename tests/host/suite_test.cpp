// Suites: every bad input is an error that names the key and what is accepted.
#include <gtest/gtest.h>

#include "host/suite.hpp"
#include "test_support.hpp"

namespace pgbench {
namespace {

// The tasks of the suites below: one of the SDK test plugin, two classic ones (one of each
// action space).
const std::string kTasks = R"(defaults: {eval_every: 10, eval_episodes: 2}
tasks:
  counter: {env: sdk-counter, steps: 40, config: {length: 5}}
  CartPole-v1: {steps: 40}
  Pendulum-v1: {steps: 40}
)";

const std::string kGood = "\nname: t\nmaster_seed: 1\nseeds: 2\n" + kTasks + R"(algorithms:
  echo: {algorithm: sdk-echo, num_envs: 2, hyperparameters: {learning_rate: 0.01}, per_task: {counter: {update_every: 2}}}
  right: {algorithm: c-right}
)";

class SuiteTest : public ::testing::Test {
 protected:
  Suite load(const std::string& yaml) {
    test::write_file(dir_ / "suite.yaml", yaml);
    return load_suite(dir_ / "suite.yaml");
  }
  std::unique_ptr<ResolvedSuite> resolve(const Suite& suite) { return resolve_suite(suite, plugins_); }
  // The message of the std::invalid_argument `fn` throws, or "" if it does not throw.
  template <class Fn>
  static std::string error_of(Fn&& fn) {
    try {
      fn();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  }
  test::TempDir dir_;
  PluginRegistry plugins_ = test::load_plugins({"sdk_plugin", "c_plugin"});
};

TEST_F(SuiteTest, ResolvesTasksAlgorithmsSeedsAndPerTaskHyperparameters) {
  const auto r = resolve(load(kGood));
  EXPECT_EQ(r->tasks.size(), 3u);
  EXPECT_EQ(r->algorithms.size(), 2u);
  // c-right handles only Discrete actions: the two Box tasks are skipped and listed.
  ASSERT_EQ(r->skipped.size(), 2u);
  EXPECT_EQ(r->skipped[0].algorithm, "right");
  EXPECT_CONTAINS(r->skipped[0].reason, "does not handle Box action spaces");
  EXPECT_EQ(r->cells.size(), (3u + 1u) * 2u);
  const auto& cell = r->cells.front();
  EXPECT_EQ(cell.task->name, "counter");
  EXPECT_EQ(cell.algo->num_envs, 2u);
  EXPECT_EQ(r->algorithms[1].num_envs, 1u);  // neither the suite nor c-right's descriptor says
  EXPECT_EQ(std::get<std::int64_t>(cell.hyperparameters[1].second), 2);  // per_task update_every
  EXPECT_EQ(std::get<double>(cell.hyperparameters[0].second), 0.01);
  EXPECT_EQ(r->tasks[1].max_episode_steps, 500u);  // CartPole's registered limit
  EXPECT_EQ(r->to_json()["tasks"]["counter"]["config"]["length"], 5);
}

TEST_F(SuiteTest, AnAlgorithmWithoutNumEnvsTrainsOnItsDeclaredDefault) {
  const auto r = resolve(load("name: t\nmaster_seed: 1\nseeds: 1\ntasks:\n  counter: {env: sdk-counter, steps: 40}\n"
                              "algorithms:\n  own: {algorithm: sdk-echo}\n  two: {algorithm: sdk-echo, num_envs: 2}\n"));
  EXPECT_EQ(r->algorithms[0].num_envs, 3u);  // sdk-echo's descriptor (ABI 1.2 default_num_envs)
  EXPECT_EQ(r->algorithms[1].num_envs, 2u);  // the suite's, when it says
}

TEST_F(SuiteTest, UnknownTopLevelKeySuggestsTheClosest) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("seeds: 2"), 8, "seed: 2\nseeds: 2");
  EXPECT_CONTAINS(error_of([&] { load(yaml); }), "unknown key 'seed' (did you mean 'seeds'?)");
}

TEST_F(SuiteTest, UnknownEnvironmentAndAlgorithmNamesSuggestTheClosest) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("{steps: 40}"), 11, "{env: CartPol-v1, steps: 40}");
  EXPECT_CONTAINS(error_of([&] { resolve(load(yaml)); }), "unknown environment 'CartPol-v1' (did you mean 'CartPole-v1'?)");
  yaml = kGood;
  yaml.replace(yaml.find("algorithm: c-right"), 18, "algorithm: c-rigth");
  const std::string err = error_of([&] { resolve(load(yaml)); });
  EXPECT_CONTAINS(err, "unknown algorithm 'c-rigth' (did you mean 'c-right'?)");
  EXPECT_CONTAINS(err, "accepted: ");
}

TEST_F(SuiteTest, ParametersAreCheckedForNameTypeRangeAndChoice) {
  Suite s = load(kGood);
  auto with = [&](const std::string& set) {
    Suite copy = s;
    SuiteOverrides o;
    o.sets = {set};
    apply_overrides(copy, o);
    return error_of([&] { resolve(copy); });
  };
  EXPECT_CONTAINS(with("echo.learning_rat=0.1"), "unknown parameter 'learning_rat' (did you mean 'learning_rate'?)");
  EXPECT_CONTAINS(with("echo.learning_rate=fast"), "parameter 'learning_rate' must be a finite number in [0, 1], got 'fast'");
  EXPECT_CONTAINS(with("echo.learning_rate=2"), "learning_rate' = 2 is out of range [0, 1]");
  EXPECT_CONTAINS(with("echo.update_every=2.5"), "'update_every' must be an integer");
  EXPECT_CONTAINS(with("echo.verbose=maybe"), "'verbose' must be true or false");
  EXPECT_CONTAINS(with("counter.actions=continuous"), "parameter 'actions' = 'continuous' is not accepted; accepted: box, discrete");
  EXPECT_CONTAINS(with("counter.length=0"), "'length' = 0 is out of range [1, 1000]");
  EXPECT_EQ(with("echo.learning_rate=1e-4"), "");
  EXPECT_EQ(with("counter.actions=discrete"), "");
}

TEST_F(SuiteTest, TaskSettingsAreChecked) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("steps: 40, config"), 9, "steps: abc");
  EXPECT_CONTAINS(error_of([&] { resolve(load(yaml)); }), "task 'counter': 'steps' must be an integer >= 1, got 'abc'");
  yaml = kGood;
  yaml.replace(yaml.find("eval_episodes: 2"), 16, "eval_episodes: 0");
  EXPECT_CONTAINS(error_of([&] { resolve(load(yaml)); }), "'eval_episodes' must be an integer >= 1, got '0'");
  yaml = kGood;
  yaml.replace(yaml.find("steps: 40, config"), 9, "stepz: 40,");
  EXPECT_CONTAINS(error_of([&] { load(yaml); }), "unknown key 'stepz' (did you mean 'steps'?)");
}

TEST_F(SuiteTest, AKeyGivenTwiceIsAnErrorNamingBothLines) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("  right: {algorithm: c-right}"), 0, "  right: {algorithm: c-right}\n");
  EXPECT_CONTAINS(error_of([&] { load(yaml); }), "key 'right' appears twice in the same map, on lines");
  yaml = "name: a\nname: b\n" + kGood.substr(kGood.find('\n') + 1);
  EXPECT_CONTAINS(error_of([&] { load(yaml); }), "key 'name' appears twice in the same map, on lines 1 and 2");
}

TEST_F(SuiteTest, CellLimitsAreReadWithTheirUnitsAndCheckedIfMalformed) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("eval_episodes: 2"), 16, "eval_episodes: 2, cell_time_limit: 90min, cell_memory_limit: 1.5GiB");
  const auto resolved = resolve(load(yaml));
  EXPECT_EQ(resolved->tasks.front().time_limit_s, 5400.0);
  EXPECT_EQ(resolved->tasks.front().memory_limit_bytes, 3ull << 29);
  yaml = kGood;
  yaml.replace(yaml.find("eval_episodes: 2"), 16, "eval_episodes: 2, cell_memory_limit: lots");
  EXPECT_CONTAINS(error_of([&] { resolve(load(yaml)); }), "'cell_memory_limit': expected a size with a unit such as 8GiB");
  // Limits do not change what a cell computes: they stay out of the grid's identity.
  EXPECT_EQ(resolve(load(kGood))->to_json(), resolved->to_json());
}

TEST_F(SuiteTest, CommandLineSelectionsAreChecked) {
  Suite s = load(kGood);
  const auto error_with = [&](auto&& set_field) {
    SuiteOverrides o;
    set_field(o);
    Suite copy = s;
    return error_of([&] { apply_overrides(copy, o); });
  };
  EXPECT_CONTAINS(error_with([](SuiteOverrides& o) { o.algos = {"ecko"}; }), "--algos: unknown algorithm 'ecko' (did you mean 'echo'?)");
  EXPECT_CONTAINS(error_with([](SuiteOverrides& o) { o.envs = {"Pendulum"}; }), "--envs: unknown task 'Pendulum'");
  EXPECT_CONTAINS(error_with([](SuiteOverrides& o) { o.sets = {"nothing"}; }), "expected NAME.KEY=VALUE");
  EXPECT_CONTAINS(error_with([](SuiteOverrides& o) { o.sets = {"ppo.lr=1"}; }), "unknown task or algorithm 'ppo'");
  EXPECT_CONTAINS(error_with([](SuiteOverrides& o) { o.seeds = 0; }), "--seeds: must be >= 1");
  // A count with a digit too many is refused before any index is listed (it once took minutes).
  EXPECT_CONTAINS(error_with([](SuiteOverrides& o) { o.seeds = 50000000000; }),
                  "--seeds: must be >= 1 and <= 10000, got 50000000000");
  SuiteOverrides o;
  o.algos = {"echo"};
  o.envs = {"counter"};
  o.seeds = 3;
  o.steps = 20;
  apply_overrides(s, o);
  const auto r = resolve(s);
  EXPECT_EQ(r->cells.size(), 3u);
  EXPECT_EQ(r->tasks[0].steps, 20u);
}

// A costly algorithm on a stated subset of the grid: fewer seeds, fewer tasks.
const std::string kSubset = "name: t\nmaster_seed: 1\nseeds: 3\n" + kTasks + R"(algorithms:
  echo: {algorithm: sdk-echo, seeds: 2, tasks: [counter, Pendulum-v1]}
  every: {algorithm: sdk-echo}
  picked: {algorithm: sdk-echo, seeds: [4, 1]}
)";

std::vector<std::string> cells_of(const ResolvedSuite& r, const std::string& algorithm) {
  std::vector<std::string> out;
  for (const auto& c : r.cells)
    if (c.algo->name == algorithm) out.push_back(c.task->name + "/" + std::to_string(c.seed_index));
  return out;
}

TEST_F(SuiteTest, AnAlgorithmCanRunOnItsOwnSeedsAndTasks) {
  const auto r = resolve(load(kSubset));
  using V = std::vector<std::string>;
  EXPECT_EQ(cells_of(*r, "echo"), (V{"counter/0", "counter/1", "Pendulum-v1/0", "Pendulum-v1/1"}));
  EXPECT_EQ(cells_of(*r, "every").size(), 9u);
  EXPECT_EQ(cells_of(*r, "picked"), (V{"counter/4", "counter/1", "CartPole-v1/4", "CartPole-v1/1", "Pendulum-v1/4", "Pendulum-v1/1"}));
  EXPECT_TRUE(r->skipped.empty());  // a task left out is not an incompatible pair
  EXPECT_EQ(r->shape(), "3 tasks x 3 algorithms x 3 seeds; echo: 2 tasks x 2 seeds; picked: 3 tasks x 2 seeds");
  // The manifest records the subsets, and only where they are given (a grid without them keeps
  // the identity it had).
  const nlohmann::json j = r->to_json();
  EXPECT_EQ(j["algorithms"]["echo"]["seeds"], nlohmann::json({0, 1}));
  EXPECT_EQ(j["algorithms"]["echo"]["tasks"], nlohmann::json({"counter", "Pendulum-v1"}));
  EXPECT_FALSE(j["algorithms"]["every"].contains("seeds"));
  EXPECT_FALSE(j["algorithms"]["every"].contains("tasks"));
}

TEST_F(SuiteTest, AnAlgorithmsSeedsAndTasksFromTheCommandLine) {
  Suite s = load(kSubset);
  SuiteOverrides o;
  o.seeds = 1;  // every seed list, the algorithms' own too ...
  o.sets = {"every.seeds=2", "every.tasks=CartPole-v1,counter", "picked.tasks=[Pendulum-v1]"};  // ... then these
  apply_overrides(s, o);
  const auto r = resolve(s);
  using V = std::vector<std::string>;
  EXPECT_EQ(cells_of(*r, "echo"), (V{"counter/0", "Pendulum-v1/0"}));
  EXPECT_EQ(cells_of(*r, "every"), (V{"counter/0", "counter/1", "CartPole-v1/0", "CartPole-v1/1"}));
  EXPECT_EQ(cells_of(*r, "picked"), (V{"Pendulum-v1/0"}));
}

TEST_F(SuiteTest, AnAlgorithmsSeedsAndTasksAreChecked) {
  const auto file_error = [&](const std::string& algorithm) {
    return error_of([&] {
      load("name: t\nmaster_seed: 1\nseeds: 2\ntasks: {CartPole-v1: {steps: 40}, Pendulum-v1: {steps: 40}}\n"
           "algorithms:\n  echo: " + algorithm + "\n");
    });
  };
  EXPECT_CONTAINS(file_error("{seeds: 0}"), "algorithms.echo.seeds: must be >= 1");
  EXPECT_CONTAINS(file_error("{seeds: [1, 1]}"), "algorithms.echo.seeds: lists a seed index twice");
  EXPECT_CONTAINS(file_error("{seeds: 10001}"), "algorithms.echo.seeds: must be >= 1 and <= 10000, got 10001");
  EXPECT_CONTAINS(file_error("{seeds: many}"), "expected a count or a list of seed indices, got 'many'");
  EXPECT_CONTAINS(file_error("{tasks: [Pendulum]}"), "algorithms.echo.tasks: unknown task 'Pendulum'; accepted: CartPole-v1, Pendulum-v1");
  EXPECT_CONTAINS(file_error("{tasks: []}"), "must name at least one task");
  EXPECT_CONTAINS(file_error("{tasks: {a: 1}}"), "must be a list of task names of the suite");
  EXPECT_CONTAINS(file_error("{tasks: [CartPole-v1, CartPole-v1]}"), "lists a task twice");
  Suite s = load(kSubset);
  const auto set_error = [&](const std::string& set) {
    SuiteOverrides o;
    o.sets = {set};
    Suite copy = s;
    return error_of([&] { apply_overrides(copy, o); });
  };
  EXPECT_CONTAINS(set_error("echo.tasks=CartPole-v1,Acrobot-v1"),
                  "--set 'echo.tasks=CartPole-v1,Acrobot-v1': unknown task 'Acrobot-v1'");
  EXPECT_CONTAINS(set_error("echo.seeds=-2"), "--set 'echo.seeds=-2': must be >= 1");
  EXPECT_CONTAINS(set_error("echo.seeds=[1,"), "--set 'echo.seeds=[1,': not a list");
  EXPECT_CONTAINS(set_error("echo.seeds=9999999999"), "--set 'echo.seeds=9999999999': must be >= 1 and <= 10000");
}

TEST_F(SuiteTest, FindSuiteListsTheAvailableSuites) {
  EXPECT_CONTAINS(error_of([] { find_suite("clasic-control"); }), "unknown suite 'clasic-control' (did you mean 'classic-control'?)");
  EXPECT_NO_THROW(load_suite(find_suite("smoke")));
  EXPECT_NO_THROW(load_suite(find_suite("classic-control")));
}

TEST_F(SuiteTest, ShippedSuitesResolveAgainstTheBuiltInPlugins) {
  for (const char* name : {"smoke", "classic-control"}) EXPECT_NO_THROW(resolve(load_suite(find_suite(name)))) << name;
}

}  // namespace
}  // namespace pgbench
