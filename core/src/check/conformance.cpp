#include "check/conformance.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <pgbench/sdk/rng.hpp>

#include "host/instances.hpp"

namespace pgbench::check {

namespace {

// ------------------------------------------------------------------------- the rules as text

const Rule kSpaces{"spaces", "declares well-formed observation and action spaces",
                   "the host sizes every buffer from the spaces; an algorithm scales its actions to the bounds",
                   "give the observation a Box of F64 with low <= high, and Box actions finite bounds low < high "
                   "(or a Discrete with n >= 1)"};
const Rule kUndeclaredParameter{"refuses-undeclared-parameter", "refuses a parameter it does not declare",
                                "a misspelt key would otherwise be ignored and a run would silently use the default",
                                "compare every key of the config with the declarations and fail create() with "
                                "PGB_ERR_INVALID_ARGUMENT (the SDK's Config does this)"};
const Rule kOutOfRangeParameter{"refuses-out-of-range-parameter", "refuses a value outside a parameter's declared bounds",
                                "the declared bounds are the plugin's promise; another host may not check them",
                                "check each value against its min/max in create() (the SDK's Config does this)"};
const Rule kEnvDeterminism{"same-seed-same-trajectory",
                           "the same seed and actions give the same trajectory, in another process too",
                           "a run could not be reproduced, and two algorithms would not see the same tasks",
                           "draw every random number from generators seeded by create()'s seed and reset()'s seeds; "
                           "or clear PGB_ENV_DETERMINISTIC if the environment cannot be deterministic"};
const Rule kEnvIndependence{"instances-are-independent",
                            "an instance stepped next to another behaves as it does alone",
                            "the host runs many instances in one process; shared state mixes their runs",
                            "keep every mutable value (generators, caches, counters) in the instance, none in globals "
                            "or statics"};
const Rule kObservationBounds{"observations-inside-bounds", "observations are finite and inside the declared Box",
                              "normalisers and function approximators are set up from the declared bounds",
                              "clip the observation or declare wider (or infinite) bounds"};
const Rule kEndedEpisode{"ended-episode-refused", "stepping a sub-env whose episode ended fails until it is reset",
                         "a step after the end would feed an algorithm transitions of no episode",
                         "keep an ended flag per sub-env; step() returns PGB_ERR_BAD_STATE while it is set, reset() "
                         "clears it"};
const Rule kEnvSaveLoad{"save-load-continues", "save_state -> load_state into a fresh instance continues bit for bit",
                        "a run resumed from a checkpoint would differ from one never stopped",
                        "save everything that decides the next reset() and step(): physics, episode flags, every "
                        "sub-env's generator; or leave save_state/load_state NULL"};
const Rule kEnvConcurrency{"concurrent-create", "instances created and stepped on several threads at once are unaffected",
                           "the host creates instances on many threads ([any-thread] create)",
                           "guard lazily built shared data (model caches) with std::call_once or a mutex; keep the "
                           "rest per instance"};

const Rule kUndeclaredHyperparameter{
    "refuses-undeclared-hyperparameter", "refuses a hyperparameter it does not declare",
    "a misspelt key would otherwise be ignored and a run would silently use the default",
    "compare every key with the declarations and fail create() with PGB_ERR_INVALID_ARGUMENT (the SDK's Config does this)"};
const Rule kOutOfRangeHyperparameter{"refuses-out-of-range-hyperparameter",
                                     "refuses a value outside a hyperparameter's declared bounds",
                                     "the declared bounds are the plugin's promise; another host may not check them",
                                     "check each value against its min/max in create() (the SDK's Config does this)"};
const Rule kValidActions{"valid-actions", "act() and act_eval() write a valid action for every row",
                         "the host refuses NaN and out-of-range indices and fails the cell",
                         "write every row: finite doubles for Box actions, start <= a < start + n for Discrete"};
const Rule kActEvalPure{"act-eval-is-pure", "act_eval() is deterministic and changes no state",
                        "evaluation episodes would change what is learned, and evaluation would not be repeatable",
                        "take no random draw and update no normaliser in act_eval(); use the mean action"};
const Rule kAlgoSaveLoad{"save-load-continues",
                         "save(FULL) -> load(FULL) into a fresh instance continues with identical actions",
                         "a run resumed from a checkpoint would differ from one never stopped",
                         "save everything that decides future actions and updates: parameters, optimiser moments, "
                         "normaliser statistics, buffers and the generator's state"};
const Rule kAlgoDeterminism{"same-seed-same-run", "the same seed gives the same actions, in another process too",
                            "a cell could not be reproduced from its seed",
                            "draw every random number from generators seeded by create()'s seed; never from the "
                            "time, std::random_device or addresses"};
const Rule kAlgoIndependence{"instances-are-independent",
                             "an instance trained next to another behaves as it does alone",
                             "the host trains many cells in one process (--isolation thread); a global generator "
                             "or global state mixes their runs",
                             "keep the generator and every mutable value in the instance; no globals or statics"};
const Rule kAlgoConcurrency{"concurrent-create", "instances created and trained on several threads at once are unaffected",
                            "the host creates instances on many threads ([any-thread] create)",
                            "keep all state per instance; guard shared lazily built data"};

// ------------------------------------------------------------------------ running a plugin

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
  // Resets every sub-env whose episode just ended (their next observation is overwritten);
  // returns whether any did.
  bool reset_ended(EnvHandle& env) {
    std::vector<std::uint8_t> ended(reward.size());
    bool any = false;
    for (std::size_t i = 0; i < ended.size(); ++i) any |= (ended[i] = terminated[i] || truncated[i]);
    if (any) env.reset(ended.data(), nullptr, next_obs.data());
    return any;
  }
  std::vector<double> obs, next_obs, reward;
  std::vector<std::uint8_t> terminated, truncated;
  std::vector<double> action;
  std::vector<std::int64_t> index;
};

ResolvedConfig defaults(const pgb_param_desc_t* const* params, std::uint32_t count) {
  return resolve_config("check", params, count, {});
}

// Steps an environment with uniformly random valid actions and records every observation and
// reward, one step at a time, so that two environments can be stepped interleaved.
class RandomWalk {
 public:
  RandomWalk(EnvHandle& env, std::uint64_t action_seed) : env_(env), b_(env), rng_(action_seed) {}

  void start(std::uint64_t reset_seed) {
    std::vector<std::uint64_t> seeds(env_.num_envs());
    for (std::size_t i = 0; i < seeds.size(); ++i) seeds[i] = reset_seed + i;
    env_.reset(nullptr, seeds.data(), b_.obs.data());
    trace.insert(trace.end(), b_.obs.begin(), b_.obs.end());
  }
  void step() {
    const auto out = b_.out();
    env_.step(random_actions(), nullptr, out);
    trace.insert(trace.end(), b_.next_obs.begin(), b_.next_obs.end());
    trace.insert(trace.end(), b_.reward.begin(), b_.reward.end());
    trace.insert(trace.end(), b_.terminated.begin(), b_.terminated.end());
    if (b_.reset_ended(env_)) trace.insert(trace.end(), b_.next_obs.begin(), b_.next_obs.end());
  }
  void run(int steps) {
    for (int t = 0; t < steps; ++t) step();
  }
  const void* random_actions() {
    const pgb_space_t& s = *env_.info().action_space;
    if (s.kind == PGB_SPACE_DISCRETE) {
      for (auto& a : b_.index) a = s.start + static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(s.n)));
      return b_.index.data();
    }
    for (std::size_t k = 0; k < b_.action.size(); ++k) {
      const std::size_t d = k % env_.act_dim();
      b_.action[k] = rng_.uniform(s.low[d], s.high[d]);
    }
    return b_.action.data();
  }
  Buffers& buffers() { return b_; }
  pgb::Rng& rng() { return rng_; }

  std::vector<double> trace;

 private:
  EnvHandle& env_;
  Buffers b_;
  pgb::Rng rng_;
};

// An algorithm learning on its task, one host step at a time: act, step, observe, update when
// asked, reset ended episodes. Records every action taken.
class Training {
 public:
  Training(const AlgoType& algo, const EnvType& task, std::uint64_t seed, const ResolvedConfig& hyperparameters)
      : env_(task, 2, defaults(task.desc->params, task.desc->param_count), 3),
        b_(env_),
        algo_(std::make_unique<AlgoHandle>(algo, env_.num_envs(), *env_.info().observation_space,
                                           *env_.info().action_space, hyperparameters, seed, 100000)) {
    env_.reset(nullptr, nullptr, b_.obs.data());
  }
  Training(const AlgoType& algo, const EnvType& task, std::uint64_t seed)
      : Training(algo, task, seed, defaults(algo.desc->params, algo.desc->param_count)) {}

  // Restarts every episode from fixed seeds, so that two trainings see the same observations.
  void restart_episodes() {
    const std::vector<std::uint64_t> seeds{5, 6};
    env_.reset(nullptr, seeds.data(), b_.obs.data());
  }

  void step() {
    const bool discrete = env_.discrete_actions();
    void* actions = discrete ? static_cast<void*>(b_.index.data()) : static_cast<void*>(b_.action.data());
    algo_->act(b_.obs.data(), env_.num_envs(), actions);
    std::vector<double> clipped = b_.action;
    const pgb_space_t& s = *env_.info().action_space;
    if (discrete) {
      for (auto a : b_.index) {
        if (a < s.start || a >= s.start + s.n) throw std::runtime_error(fmt::format("act() wrote the index {} outside [{}, {})", a, s.start, s.start + s.n));
        actions_taken.push_back(static_cast<double>(a));
      }
    } else {
      for (std::size_t k = 0; k < clipped.size(); ++k) {
        if (!std::isfinite(b_.action[k])) throw std::runtime_error(fmt::format("act() wrote the non-finite action {}", b_.action[k]));
        actions_taken.push_back(b_.action[k]);
        clipped[k] = std::clamp(b_.action[k], s.low[k % env_.act_dim()], s.high[k % env_.act_dim()]);
      }
    }
    const auto out = b_.out();
    env_.step(discrete ? static_cast<const void*>(b_.index.data()) : clipped.data(), nullptr, out);
    pgb_transition_batch_t batch{};
    batch.struct_size = sizeof batch;
    batch.rows = env_.num_envs();
    batch.observation = b_.obs.data();
    batch.action = actions;
    batch.reward = b_.reward.data();
    batch.next_observation = b_.next_obs.data();
    batch.terminated = b_.terminated.data();
    batch.truncated = b_.truncated.data();
    ++steps_;
    if (algo_->observe(batch)) {
      const pgb_metric_sink_t sink{nullptr, [](void*, const char*, double) {}};
      algo_->update(steps_ * env_.num_envs(), sink);
    }
    b_.reset_ended(env_);
    std::swap(b_.obs, b_.next_obs);
  }
  void run(int steps) {
    for (int t = 0; t < steps; ++t) step();
  }

  // act_eval on the current observations, as doubles.
  std::vector<double> act_eval() {
    std::vector<double> box(b_.action.size());
    std::vector<std::int64_t> index(b_.index.size());
    const bool discrete = env_.discrete_actions();
    algo_->act_eval(b_.obs.data(), env_.num_envs(), discrete ? static_cast<void*>(index.data()) : box.data());
    if (discrete) return {index.begin(), index.end()};
    return box;
  }

  // Continues `original`'s training in this instance: its checkpoint and its step count (update()
  // is told the host's count, which schedules such as a decaying learning rate read).
  void continue_from(Training& original) {
    algo_->load(PGB_STATE_FULL, original.algo().save(PGB_STATE_FULL));
    steps_ = original.steps_;
  }

  AlgoHandle& algo() { return *algo_; }
  const EnvHandle& env() const { return env_; }

  std::vector<double> actions_taken;

 private:
  EnvHandle env_;
  Buffers b_;
  std::unique_ptr<AlgoHandle> algo_;
  std::uint64_t steps_ = 0;
};

// Long enough for every built-in on-policy method to update at least twice (2 sub-envs).
constexpr int kTrainingSteps = 1500;

// ------------------------------------------------------------------- one check in a child

// What a child reports: a verdict and a detail, or (for the determinism checks) a payload the
// parent compares across two children.
struct Report {
  Verdict verdict = Verdict::Pass;
  std::string detail;
};
Report pass() { return {}; }
Report fail(std::string detail) { return {Verdict::Fail, std::move(detail)}; }
Report skip(std::string detail) { return {Verdict::Skip, std::move(detail)}; }

std::string signal_text(int sig) {
  const char* name = sigabbrev_np(sig);
  return fmt::format("SIG{} ({})", name ? name : "?", strsignal(sig));
}

// Runs `body` in a forked child and returns its report; a crash, an exit from inside the plugin
// or a run past `limit` becomes a failure that says so.
Report in_child(const std::function<Report()>& body, std::chrono::seconds limit) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("check: pipe() failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("check: fork() failed");
  if (pid == 0) {
    close(fds[0]);
    Report r;
    try {
      r = body();
    } catch (const std::exception& e) {
      r = fail(e.what());
    }
    const std::string message = std::string(r.verdict == Verdict::Pass ? "P" : r.verdict == Verdict::Fail ? "F" : "S") + r.detail;
    for (std::size_t done = 0; done < message.size();) {
      const ssize_t n = write(fds[1], message.data() + done, message.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    _exit(0);  // no destructors, no atexit handlers of the plugin: the parent owns the outcome
  }
  close(fds[1]);
  std::string message;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1000))) <= 0) continue;
    char chunk[4096];
    const ssize_t n = read(fds[0], chunk, sizeof chunk);
    if (n <= 0) break;
    message.append(chunk, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timed_out) return fail(fmt::format("did not finish within {} s (a hang, or far too slow)", limit.count()));
  if (WIFSIGNALED(status)) return fail("the plugin crashed with " + signal_text(WTERMSIG(status)));
  if (message.empty()) return fail(fmt::format("the plugin ended the process (exit status {})", WEXITSTATUS(status)));
  return {message[0] == 'P' ? Verdict::Pass : message[0] == 'F' ? Verdict::Fail : Verdict::Skip, message.substr(1)};
}

// Runs `trace` in two fresh child processes and compares what they return (as the detail).
Report same_in_two_processes(const std::function<std::string()>& trace, std::chrono::seconds limit,
                             const std::string& what) {
  const auto once = [&] { return in_child([&] { return Report{Verdict::Pass, trace()}; }, limit); };
  const Report first = once();
  if (first.verdict != Verdict::Pass) return first;
  const Report second = once();
  if (second.verdict != Verdict::Pass) return second;
  if (first.detail != second.detail) return fail(what);
  return pass();
}

template <class T>
std::string bytes_of(const std::vector<T>& v) {
  return {reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T)};
}

// The index of the first difference of two traces, for a failure message.
std::string first_difference(const std::vector<double>& a, const std::vector<double>& b) {
  const auto n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    if (!(a[i] == b[i]) && !(std::isnan(a[i]) && std::isnan(b[i])))
      return fmt::format("value {} differs: {} vs {}", i, a[i], b[i]);
  return fmt::format("lengths differ: {} vs {}", a.size(), b.size());
}

bool same(const std::vector<double>& a, const std::vector<double>& b) { return bytes_of(a) == bytes_of(b); }

// A value outside the declared bounds of `p`, if it has any; nullopt when it is unbounded.
std::optional<Value> out_of_range(const pgb_param_desc_t& p) {
  const bool is_int = p.default_value.type == PGB_VALUE_INT;
  if (!is_int && p.default_value.type != PGB_VALUE_FLOAT) return std::nullopt;
  double x;
  if (!std::isnan(p.max)) x = p.max + std::max(1.0, std::abs(p.max));
  else if (!std::isnan(p.min)) x = p.min - std::max(1.0, std::abs(p.min));
  else return std::nullopt;
  if (!is_int) return Value(x);
  if (std::abs(x) > 9e18) return std::nullopt;
  return Value(static_cast<std::int64_t>(std::floor(x)));
}

// Whether creating with one out-of-range value each is refused, for every bounded parameter.
template <class Create>
Report refuses_out_of_range(const pgb_param_desc_t* const* params, std::uint32_t count, Create create) {
  int tried = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const auto bad = out_of_range(*params[i]);
    if (!bad) continue;
    ++tried;
    ResolvedConfig c = defaults(params, count);
    for (auto& [key, value] : c)
      if (key == params[i]->key) value = *bad;
    try {
      create(c);
    } catch (const PluginError&) {
      continue;
    }
    return fail(fmt::format("'{}' = {} was accepted; the declared bounds are [{}, {}]", params[i]->key, to_string(*bad),
                            params[i]->min, params[i]->max));
  }
  if (tried == 0) return skip("no parameter declares bounds");
  return pass();
}

// ------------------------------------------------------------------------ environment checks

Report env_check(const EnvType& type, const Rule& rule, const Options& options) {
  const ResolvedConfig config = defaults(type.desc->params, type.desc->param_count);
  const auto walk = [&](std::uint32_t num_envs, std::uint64_t seed, std::uint64_t reset_seed, int steps) {
    EnvHandle env(type, num_envs, config, seed);
    RandomWalk w(env, 3);
    w.start(reset_seed);
    w.run(steps);
    return w.trace;
  };

  if (rule.name == kSpaces.name) {
    EnvHandle env(type, 1, config, 1);  // the handle checks dtype, shape and bound pointers
    const pgb_space_t& obs = *env.info().observation_space;
    for (std::size_t d = 0; d < env.obs_dim(); ++d)
      if (!(obs.low[d] <= obs.high[d])) return fail(fmt::format("observation dimension {}: low > high", d));
    const pgb_space_t& act = *env.info().action_space;
    if (act.kind == PGB_SPACE_BOX) {
      for (std::size_t d = 0; d < env.act_dim(); ++d) {
        if (!std::isfinite(act.low[d]) || !std::isfinite(act.high[d]))
          return fail(fmt::format("action dimension {} is unbounded", d));
        if (!(act.low[d] < act.high[d])) return fail(fmt::format("action dimension {}: low >= high", d));
      }
    } else if (act.n < 1) {
      return fail("a Discrete action space with n < 1");
    }
    if (env.info().frames_per_step < 1) return fail("frames_per_step is 0 (1 when there is no frame skip)");
    return pass();
  }
  if (rule.name == kUndeclaredParameter.name) {
    ResolvedConfig c = config;
    c.emplace_back("no_such_parameter", 1.0);
    try {
      EnvHandle env(type, 1, c, 1);
    } catch (const PluginError&) {
      return pass();
    }
    return fail("create() accepted 'no_such_parameter'");
  }
  if (rule.name == kOutOfRangeParameter.name)
    return refuses_out_of_range(type.desc->params, type.desc->param_count,
                                [&](const ResolvedConfig& c) { EnvHandle env(type, 1, c, 1); });
  if (rule.name == kEnvDeterminism.name) {
    if (!(type.desc->flags & PGB_ENV_DETERMINISTIC))
      return skip("the descriptor does not set PGB_ENV_DETERMINISTIC, so runs on it are not reproducible");
    return same_in_two_processes([&] { return bytes_of(walk(2, 5, 11, 300)); }, options.time_limit,
                                 "two processes, same seed and actions: the trajectories differ");
  }
  if (rule.name == kEnvIndependence.name) {
    const auto alone = walk(2, 5, 11, 300);
    EnvHandle a(type, 2, config, 5), other(type, 2, config, 6);
    RandomWalk wa(a, 3), wo(other, 4);
    wa.start(11);
    wo.start(21);
    for (int t = 0; t < 300; ++t) {
      wa.step();
      wo.step();
    }
    if (!same(alone, wa.trace))
      return fail("stepped next to another instance it gives another trajectory than alone (" +
                  first_difference(alone, wa.trace) + "): the instances share state");
    return pass();
  }
  if (rule.name == kObservationBounds.name) {
    EnvHandle env(type, 2, config, 7);
    const pgb_space_t& s = *env.info().observation_space;
    RandomWalk w(env, 4);
    w.start(3);
    const std::size_t od = env.obs_dim();
    const auto inside = [&](const std::vector<double>& obs, int step) -> std::string {
      for (std::size_t k = 0; k < obs.size(); ++k) {
        const std::size_t d = k % od;
        if (!std::isfinite(obs[k])) return fmt::format("observation {} is {} at step {}", d, obs[k], step);
        if (obs[k] < s.low[d] || obs[k] > s.high[d])
          return fmt::format("observation {} = {} at step {} is outside [{}, {}]", d, obs[k], step, s.low[d], s.high[d]);
      }
      return "";
    };
    for (int t = 0; t < 1000; ++t) {
      w.step();
      if (auto bad = inside(w.buffers().next_obs, t); !bad.empty()) return fail(bad);
    }
    return pass();
  }
  if (rule.name == kEndedEpisode.name) {
    EnvHandle env(type, 1, config, 9);
    Buffers b(env);
    RandomWalk w(env, 1);  // for its actions only
    env.reset(nullptr, nullptr, b.obs.data());
    bool ended = false;
    for (int t = 0; t < 5000 && !ended; ++t) {
      const auto out = b.out();
      env.step(w.random_actions(), nullptr, out);
      ended = b.terminated[0] || b.truncated[0];
    }
    if (!ended) return skip("no episode ended within 5000 random steps (the host's time limit ends them)");
    const auto out = b.out();
    try {
      env.step(w.random_actions(), nullptr, out);
      return fail("step() after the end of an episode succeeded; it must return PGB_ERR_BAD_STATE");
    } catch (const PluginError&) {
    }
    env.reset(nullptr, nullptr, b.obs.data());
    env.step(w.random_actions(), nullptr, out);  // throws (a failure) if reset did not clear the end
    return pass();
  }
  if (rule.name == kEnvSaveLoad.name) {
    if (!saves_state(type)) return skip("no save_state/load_state (optional): an interrupted run restarts it from step 0");
    EnvHandle a(type, 2, config, 5);
    RandomWalk wa(a, 3);
    wa.start(11);
    wa.run(150);
    const auto state = a.save_state();
    pgb::Rng actions_at_save = wa.rng();
    wa.trace.clear();
    wa.run(300);
    EnvHandle b(type, 2, config, 77);
    b.load_state(state);
    RandomWalk wb(b, 0);
    wb.rng() = actions_at_save;
    wb.run(300);
    if (!same(wa.trace, wb.trace))
      return fail("after load_state the instance continues differently (" + first_difference(wa.trace, wb.trace) + ")");
    return pass();
  }
  if (rule.name == kEnvConcurrency.name) {
    constexpr int kThreads = 4;
    std::vector<std::vector<double>> together(kThreads);
    std::vector<std::string> errors(kThreads);
    {
      std::vector<std::thread> threads;
      for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&, i] {
          try {
            together[i] = walk(1, 100 + i, 200 + i, 200);
          } catch (const std::exception& e) {
            errors[i] = e.what();
          }
        });
      for (auto& t : threads) t.join();
    }
    for (int i = 0; i < kThreads; ++i) {
      if (!errors[i].empty()) return fail(errors[i]);
      const auto alone = walk(1, 100 + i, 200 + i, 200);
      if (!same(alone, together[i]))
        return fail(fmt::format("instance {} differs when made on another thread at the same time ({})", i,
                                first_difference(alone, together[i])));
    }
    return pass();
  }
  throw std::logic_error("check: no environment rule " + rule.name);
}

// -------------------------------------------------------------------------- algorithm checks

Report algorithm_check(const AlgoType& type, const Rule& rule, const Options& options) {
  const EnvType& task = task_for(type, *options.tasks);
  const ResolvedConfig hyperparameters = defaults(type.desc->params, type.desc->param_count);
  const auto create = [&](const ResolvedConfig& hp) {
    EnvHandle env(task, 1, {}, 1);
    AlgoHandle algo(type, 1, *env.info().observation_space, *env.info().action_space, hp, 1, 1000);
  };
  if (rule.name == kUndeclaredHyperparameter.name) {
    ResolvedConfig hp = hyperparameters;
    hp.emplace_back("no_such_hyperparameter", 1.0);
    try {
      create(hp);
    } catch (const PluginError&) {
      return pass();
    }
    return fail("create() accepted 'no_such_hyperparameter'");
  }
  if (rule.name == kOutOfRangeHyperparameter.name)
    return refuses_out_of_range(type.desc->params, type.desc->param_count, create);
  if (rule.name == kValidActions.name) {
    Training t(type, task, 21);
    t.run(kTrainingSteps);  // act() is checked at every step
    const auto eval = t.act_eval();
    const pgb_space_t& s = *t.env().info().action_space;
    for (double a : eval) {
      if (!std::isfinite(a)) return fail(fmt::format("act_eval() wrote the non-finite action {}", a));
      if (s.kind == PGB_SPACE_DISCRETE && (a < static_cast<double>(s.start) || a >= static_cast<double>(s.start + s.n)))
        return fail(fmt::format("act_eval() wrote the index {} outside the space", a));
    }
    return pass();
  }
  if (rule.name == kActEvalPure.name) {
    Training t(type, task, 21);
    t.run(kTrainingSteps);
    const auto before = t.algo().save(PGB_STATE_FULL);
    const auto first = t.act_eval();
    for (int i = 0; i < 20; ++i)
      if (t.act_eval() != first) return fail("act_eval() gave different actions for the same observations");
    if (t.algo().save(PGB_STATE_FULL) != before)
      return fail("act_eval() changed the algorithm's state (its full checkpoint differs before and after)");
    return pass();
  }
  if (rule.name == kAlgoSaveLoad.name) {
    Training original(type, task, 21);
    original.run(kTrainingSteps);
    Training copy(type, task, 99);  // another seed: only the checkpoint can make them agree
    copy.continue_from(original);
    original.restart_episodes();
    copy.restart_episodes();
    original.actions_taken.clear();
    original.run(600);
    copy.run(600);
    if (!same(original.actions_taken, copy.actions_taken))
      return fail("after load(FULL) the copy acts differently (" +
                  first_difference(original.actions_taken, copy.actions_taken) + "): the checkpoint misses some state");
    return pass();
  }
  if (rule.name == kAlgoDeterminism.name)
    return same_in_two_processes(
        [&] {
          Training t(type, task, 21);
          t.run(kTrainingSteps);
          return bytes_of(t.actions_taken);
        },
        options.time_limit, "two processes, same seed: the actions differ");
  if (rule.name == kAlgoIndependence.name) {
    Training alone(type, task, 21);
    alone.run(kTrainingSteps);
    Training a(type, task, 21), other(type, task, 22);
    for (int s = 0; s < kTrainingSteps; ++s) {
      a.step();
      other.step();
    }
    if (!same(alone.actions_taken, a.actions_taken))
      return fail("trained next to another instance it acts differently than alone (" +
                  first_difference(alone.actions_taken, a.actions_taken) +
                  "): the instances share state, e.g. a global random generator");
    return pass();
  }
  if (rule.name == kAlgoConcurrency.name) {
    constexpr int kThreads = 4;
    constexpr int kSteps = 400;
    std::vector<std::vector<double>> together(kThreads);
    std::vector<std::string> errors(kThreads);
    {
      std::vector<std::thread> threads;
      for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&, i] {
          try {
            Training t(type, task, 30 + i);
            t.run(kSteps);
            together[i] = std::move(t.actions_taken);
          } catch (const std::exception& e) {
            errors[i] = e.what();
          }
        });
      for (auto& t : threads) t.join();
    }
    for (int i = 0; i < kThreads; ++i) {
      if (!errors[i].empty()) return fail(errors[i]);
      Training alone(type, task, 30 + i);
      alone.run(kSteps);
      if (!same(alone.actions_taken, together[i]))
        return fail(fmt::format("instance {} acts differently when made on another thread at the same time ({})", i,
                                first_difference(alone.actions_taken, together[i])));
    }
    return pass();
  }
  throw std::logic_error("check: no algorithm rule " + rule.name);
}

Outcome outcome(const Rule& rule, Report r) { return {&rule, r.verdict, std::move(r.detail)}; }

}  // namespace

const std::vector<Rule>& env_rules() {
  static const std::vector<Rule> rules{kSpaces,          kUndeclaredParameter, kOutOfRangeParameter,
                                       kEnvDeterminism,  kEnvIndependence,     kObservationBounds,
                                       kEndedEpisode,    kEnvSaveLoad,         kEnvConcurrency};
  return rules;
}

const std::vector<Rule>& algorithm_rules() {
  static const std::vector<Rule> rules{kUndeclaredHyperparameter, kOutOfRangeHyperparameter, kValidActions,
                                       kActEvalPure,              kAlgoSaveLoad,             kAlgoDeterminism,
                                       kAlgoIndependence,         kAlgoConcurrency};
  return rules;
}

const EnvType& task_for(const AlgoType& type, const PluginRegistry& tasks) {
  const char* name = type.desc->flags & PGB_ALGO_DISCRETE_ACTIONS ? "CartPole-v1" : "Pendulum-v1";
  const EnvType* env = tasks.find_env(name);
  if (!env)
    throw std::invalid_argument(fmt::format("check: algorithms are checked on {}, which the built-in classic plugin "
                                            "provides; it was not found on the plugin path",
                                            name));
  return *env;
}

namespace {
// The entry of `rules` named as `rule` is (the caller may hold a copy): outcomes point at it.
const Rule& canonical(const std::vector<Rule>& rules, const Rule& rule) {
  for (const Rule& r : rules)
    if (r.name == rule.name) return r;
  throw std::invalid_argument("check: no rule named " + rule.name);
}
}  // namespace

Outcome check_env(const EnvType& type, const Rule& rule, const Options& options) {
  const Rule& r = canonical(env_rules(), rule);
  if (r.name == kEnvDeterminism.name) return outcome(r, env_check(type, r, options));  // forks two children itself
  return outcome(r, in_child([&] { return env_check(type, r, options); }, options.time_limit));
}

Outcome check_algorithm(const AlgoType& type, const Rule& rule, const Options& options) {
  const Rule& r = canonical(algorithm_rules(), rule);
  task_for(type, *options.tasks);  // a missing task is the caller's error, not the plugin's
  if (r.name == kAlgoDeterminism.name) return outcome(r, algorithm_check(type, r, options));
  return outcome(r, in_child([&] { return algorithm_check(type, r, options); }, options.time_limit));
}

}  // namespace pgbench::check
