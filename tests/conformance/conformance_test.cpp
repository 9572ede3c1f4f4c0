// The rules every plugin must keep (abi.h, DESIGN.md §2), checked on every environment and
// algorithm this build provides:
//   environments: well-formed spaces; an undeclared parameter is refused; the same seed gives the
//     same trajectory; observations stay inside the declared box; stepping an ended episode is
//     refused until reset.
//   algorithms: an undeclared hyperparameter is refused; act writes valid actions; act_eval is
//     pure (the full checkpoint is byte-identical before and after it); save -> load into a fresh
//     instance continues with identical actions; the same seed gives the same run.
#include <algorithm>
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <pgbench/sdk/rng.hpp>

#include "host/instances.hpp"
#include "host/run_loop.hpp"
#include "host/suite.hpp"

namespace pgbench {
namespace {

const PluginRegistry& plugins() {
  static const PluginRegistry registry = [] {
    PluginRegistry r;
    r.load({PGBENCH_PLUGIN_DIR});
    return r;
  }();
  return registry;
}

std::vector<std::string> env_names() { return plugins().env_names(); }
std::vector<std::string> algorithm_names() { return plugins().algorithm_names(); }

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

ResolvedConfig defaults(const pgb_param_desc_t* const* params, std::uint32_t count) {
  return resolve_config("conformance", params, count, {});
}

// The host-side buffers of one env instance.
struct Buffers {
  explicit Buffers(const EnvHandle& env)
      : obs(env.num_envs() * env.obs_dim()),
        next_obs(obs.size()),
        reward(env.num_envs()),
        terminated(env.num_envs()),
        truncated(env.num_envs()),
        action(env.num_envs() * env.act_dim()),
        index(env.num_envs()) {}
  pgb_step_out_t out() {
    pgb_step_out_t o{};
    o.struct_size = sizeof o;
    o.num_envs = static_cast<std::uint32_t>(reward.size());
    o.observation = next_obs.data();
    o.reward = reward.data();
    o.terminated = terminated.data();
    o.truncated = truncated.data();
    return o;
  }
  std::vector<double> obs, next_obs, reward;
  std::vector<std::uint8_t> terminated, truncated;
  std::vector<double> action;
  std::vector<std::int64_t> index;
};

// A uniformly random valid action for every sub-env, from `rng`.
const void* random_actions(const EnvHandle& env, Buffers& b, pgb::Rng& rng) {
  const pgb_space_t& s = *env.info().action_space;
  if (s.kind == PGB_SPACE_DISCRETE) {
    for (auto& a : b.index) a = s.start + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(s.n)));
    return b.index.data();
  }
  for (std::size_t k = 0; k < b.action.size(); ++k) {
    const std::size_t d = k % env.act_dim();
    b.action[k] = rng.uniform(s.low[d], s.high[d]);
  }
  return b.action.data();
}

// ------------------------------------------------------------------------------ environments

class EnvConformance : public ::testing::TestWithParam<std::string> {
 protected:
  const EnvType& type() const { return *plugins().find_env(GetParam()); }
  ResolvedConfig config() const { return defaults(type().desc->params, type().desc->param_count); }
  // Steps `env` with random actions from seed `action_seed`; returns every observation and reward.
  static std::vector<double> rollout(EnvHandle& env, std::uint64_t reset_seed, std::uint64_t action_seed, int steps) {
    Buffers b(env);
    pgb::Rng rng(action_seed);
    std::vector<double> trace;
    std::vector<std::uint64_t> seeds(env.num_envs());
    for (std::size_t i = 0; i < seeds.size(); ++i) seeds[i] = reset_seed + i;
    env.reset(nullptr, seeds.data(), b.obs.data());
    trace.insert(trace.end(), b.obs.begin(), b.obs.end());
    std::vector<std::uint8_t> ended(env.num_envs());
    for (int t = 0; t < steps; ++t) {
      const auto out = b.out();
      env.step(random_actions(env, b, rng), nullptr, out);
      trace.insert(trace.end(), b.next_obs.begin(), b.next_obs.end());
      trace.push_back(b.reward[0]);
      bool any = false;
      for (std::size_t i = 0; i < ended.size(); ++i) any |= (ended[i] = b.terminated[i] || b.truncated[i]);
      if (any) env.reset(ended.data(), nullptr, b.next_obs.data());
    }
    return trace;
  }
};

TEST_P(EnvConformance, SpacesAreWellFormed) {
  EnvHandle env(type(), 1, config(), 1);
  const pgb_space_t& obs = *env.info().observation_space;
  EXPECT_EQ(obs.kind, PGB_SPACE_BOX);
  EXPECT_GE(env.obs_dim(), 1u);
  const pgb_space_t& act = *env.info().action_space;
  if (act.kind == PGB_SPACE_BOX) {
    for (std::size_t d = 0; d < env.act_dim(); ++d) {
      EXPECT_TRUE(std::isfinite(act.low[d]) && std::isfinite(act.high[d])) << "action dimension " << d << " is unbounded";
      EXPECT_LT(act.low[d], act.high[d]) << "action dimension " << d;
    }
  } else {
    EXPECT_GE(act.n, 1);
  }
  EXPECT_GE(env.info().frames_per_step, 1u);
}

TEST_P(EnvConformance, AnUndeclaredParameterIsRefused) {
  ResolvedConfig c = config();
  c.emplace_back("no_such_parameter", 1.0);
  EXPECT_THROW(EnvHandle(type(), 1, c, 1), PluginError);
}

TEST_P(EnvConformance, TheSameSeedGivesTheSameTrajectory) {
  EnvHandle a(type(), 1, config(), 5), b(type(), 1, config(), 5);
  const auto ta = rollout(a, 11, 3, 300), tb = rollout(b, 11, 3, 300);
  EXPECT_EQ(ta, tb);
  EnvHandle c(type(), 1, config(), 5);
  EXPECT_NE(rollout(c, 12, 3, 300), ta) << "a different reset seed should give a different trajectory";
}

TEST_P(EnvConformance, ObservationsStayInsideTheDeclaredBox) {
  EnvHandle env(type(), 2, config(), 7);
  const pgb_space_t& s = *env.info().observation_space;
  const auto trace = rollout(env, 3, 4, 300);
  ASSERT_TRUE(s.low && s.high);
  // rollout() records, per step, the observations of both sub-envs followed by sub-env 0's reward.
  const std::size_t od = env.obs_dim(), n = 2;
  std::size_t k = 0;
  for (int record = 0; k < trace.size(); ++record) {
    for (std::size_t i = 0; i < n * od; ++i, ++k) {
      const std::size_t d = i % od;
      ASSERT_TRUE(std::isfinite(trace[k]));
      ASSERT_GE(trace[k], s.low[d]) << "observation " << d << " below its bound at record " << record;
      ASSERT_LE(trace[k], s.high[d]) << "observation " << d << " above its bound at record " << record;
    }
    if (record > 0) ++k;  // the reward
  }
}

TEST_P(EnvConformance, SteppingAnEndedEpisodeIsRefusedUntilReset) {
  EnvHandle env(type(), 1, config(), 9);
  Buffers b(env);
  pgb::Rng rng(1);
  env.reset(nullptr, nullptr, b.obs.data());
  bool ended = false;
  for (int t = 0; t < 5000 && !ended; ++t) {
    const auto out = b.out();
    env.step(random_actions(env, b, rng), nullptr, out);
    ended = b.terminated[0] || b.truncated[0];
  }
  if (!ended) GTEST_SKIP() << GetParam() << " does not end an episode by itself under random actions";
  const auto out = b.out();
  EXPECT_THROW(env.step(random_actions(env, b, rng), nullptr, out), PluginError);
  env.reset(nullptr, nullptr, b.obs.data());
  EXPECT_NO_THROW(env.step(random_actions(env, b, rng), nullptr, out));
}

INSTANTIATE_TEST_SUITE_P(Env, EnvConformance, ::testing::ValuesIn(env_names()), test_name);

// ------------------------------------------------------------------------------- algorithms

class AlgorithmConformance : public ::testing::TestWithParam<std::string> {
 protected:
  const AlgoType& type() const { return *plugins().find_algorithm(GetParam()); }
  ResolvedConfig hyperparameters() const { return defaults(type().desc->params, type().desc->param_count); }
  // A task the algorithm handles: CartPole when it takes Discrete actions, else Pendulum.
  const EnvType& task_env() const {
    return *plugins().find_env(type().desc->flags & PGB_ALGO_DISCRETE_ACTIONS ? "CartPole-v1" : "Pendulum-v1");
  }
  std::unique_ptr<AlgoHandle> make(const EnvHandle& env, std::uint64_t seed) const {
    return std::make_unique<AlgoHandle>(type(), env.num_envs(), *env.info().observation_space, *env.info().action_space,
                                        hyperparameters(), seed, 100000);
  }
  // Runs `algo` on `env` for `steps` host steps (act, step, observe, update when asked); returns
  // the actions it took, as doubles.
  static std::vector<double> drive(EnvHandle& env, AlgoHandle& algo, Buffers& b, int steps) {
    std::vector<double> taken;
    const bool discrete = env.discrete_actions();
    for (int t = 0; t < steps; ++t) {
      void* actions = discrete ? static_cast<void*>(b.index.data()) : static_cast<void*>(b.action.data());
      algo.act(b.obs.data(), env.num_envs(), actions);
      std::vector<double> clipped = b.action;
      if (discrete) {
        for (auto a : b.index) taken.push_back(static_cast<double>(a));
      } else {
        const pgb_space_t& s = *env.info().action_space;
        for (std::size_t k = 0; k < clipped.size(); ++k) {
          taken.push_back(b.action[k]);
          clipped[k] = std::clamp(b.action[k], s.low[k % env.act_dim()], s.high[k % env.act_dim()]);
        }
      }
      const auto out = b.out();
      env.step(discrete ? static_cast<const void*>(b.index.data()) : clipped.data(), nullptr, out);
      pgb_transition_batch_t batch{};
      batch.struct_size = sizeof batch;
      batch.rows = env.num_envs();
      batch.observation = b.obs.data();
      batch.action = actions;
      batch.reward = b.reward.data();
      batch.next_observation = b.next_obs.data();
      batch.terminated = b.terminated.data();
      batch.truncated = b.truncated.data();
      if (algo.observe(batch)) {
        const pgb_metric_sink_t sink{nullptr, [](void*, const char*, double) {}};
        algo.update(static_cast<std::uint64_t>(t + 1) * env.num_envs(), sink);
      }
      std::vector<std::uint8_t> ended(env.num_envs());
      bool any = false;
      for (std::size_t i = 0; i < ended.size(); ++i) any |= (ended[i] = b.terminated[i] || b.truncated[i]);
      if (any) env.reset(ended.data(), nullptr, b.next_obs.data());
      std::swap(b.obs, b.next_obs);
    }
    return taken;
  }
};

TEST_P(AlgorithmConformance, AnUndeclaredHyperparameterIsRefused) {
  EnvHandle env(task_env(), 1, {}, 1);
  ResolvedConfig hp = hyperparameters();
  hp.emplace_back("no_such_hyperparameter", 1.0);
  EXPECT_THROW(AlgoHandle(type(), 1, *env.info().observation_space, *env.info().action_space, hp, 1, 1000), PluginError);
}

TEST_P(AlgorithmConformance, ActEvalIsPureAndSaveLoadContinuesIdentically) {
  EnvHandle env(task_env(), 2, {}, 3);
  Buffers b(env);
  env.reset(nullptr, nullptr, b.obs.data());
  auto algo = make(env, 21);
  drive(env, *algo, b, 1500);  // long enough for the on-policy methods to update at least once

  // act_eval leaves the full state untouched.
  const auto before = algo->save(PGB_STATE_FULL);
  std::vector<double> eval_box(b.action.size());
  std::vector<std::int64_t> eval_index(b.index.size());
  for (int i = 0; i < 20; ++i)
    algo->act_eval(b.obs.data(), env.num_envs(),
                   env.discrete_actions() ? static_cast<void*>(eval_index.data()) : static_cast<void*>(eval_box.data()));
  EXPECT_EQ(algo->save(PGB_STATE_FULL), before) << "act_eval changed the algorithm's state";

  // A fresh instance (another seed) loaded from the checkpoint continues exactly as the original.
  auto copy = make(env, 99);
  copy->load(PGB_STATE_FULL, before);
  EXPECT_EQ(copy->save(PGB_STATE_FULL), before);
  EnvHandle env_copy(task_env(), 2, {}, 3);
  Buffers b_copy(env_copy);
  // Both envs restart from the same seeds; the algorithms see the same observations from here on.
  const std::uint64_t seeds[2] = {5, 6};
  env.reset(nullptr, seeds, b.obs.data());
  env_copy.reset(nullptr, seeds, b_copy.obs.data());
  EXPECT_EQ(drive(env, *algo, b, 600), drive(env_copy, *copy, b_copy, 600));
}

TEST_P(AlgorithmConformance, TheSameSeedGivesTheSameRun) {
  const std::string yaml_path = ::testing::TempDir() + "conformance-" + GetParam() + ".yaml";
  {
    std::ofstream f(yaml_path);
    f << "name: c\nmaster_seed: 4\nseeds: 1\ntasks:\n  t: {env: " << task_env().desc->name
      << ", steps: 3000, eval_every: 1500, eval_episodes: 2}\nalgorithms:\n  a: {algorithm: " << GetParam()
      << ", num_envs: 2}\n";
  }
  const auto suite = resolve_suite(load_suite(yaml_path), plugins());
  RunControl control;
  const CellResult first = run_cell(suite->cells.at(0), control);
  const CellResult second = run_cell(suite->cells.at(0), control);
  ASSERT_EQ(first.status, CellResult::Status::Ok) << first.error;
  ASSERT_EQ(first.curve.size(), second.curve.size());
  for (std::size_t i = 0; i < first.curve.size(); ++i) {
    EXPECT_EQ(first.curve[i].eval_return_mean, second.curve[i].eval_return_mean);
    EXPECT_EQ(first.curve[i].metrics, second.curve[i].metrics);
  }
  ASSERT_EQ(first.episodes.size(), second.episodes.size());
  for (std::size_t i = 0; i < first.episodes.size(); ++i)
    EXPECT_EQ(first.episodes[i].episode_return, second.episodes[i].episode_return);
}

INSTANTIATE_TEST_SUITE_P(Algorithm, AlgorithmConformance, ::testing::ValuesIn(algorithm_names()), test_name);

}  // namespace
}  // namespace pgbench
