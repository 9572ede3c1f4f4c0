// pgbench/sdk/plugin.hpp -- turn C++ environment and algorithm classes into a pgbench plugin.
//
//   PGB_REGISTER_ENV(CartPole, "org.pgbench.classic.cartpole/1")
//       .name("CartPole-v1")
//       .param("gravity", 9.8, "gravitational acceleration, m/s^2", 0.0, 100.0);
//
//   PGB_REGISTER_ALGORITHM(Ppo, "org.pgbench.algo.ppo/1")
//       .name("ppo")
//       .param("learning_rate", 3e-4, "Adam step size", 0.0, 1.0);
//
//   PGB_PLUGIN("org.pgbench.ppo", "PPO", "1.0.0", "Proximal policy optimisation");  // once per plugin
//
// Registration runs before main through a static object (as Google Benchmark's BENCHMARK does);
// the registry is a function-local static, so order between translation units does not matter.
// PGB_PLUGIN writes the exported entry function, which builds the C descriptors on first call.
// Every C entry point below catches every exception and turns it into a status and a message.
// Build plugins with pgbench_add_plugin() so that only the entry symbol is exported.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <utility>
#include <string>
#include <vector>

#include "pgbench/abi.h"
#include "pgbench/sdk/algorithm.hpp"
#include "pgbench/sdk/build_signature.hpp"
#include "pgbench/sdk/environment.hpp"
#include "pgbench/sdk/hyperparameters.hpp"

namespace pgb::sdk {

// --------------------------------------------------------------------------- error plumbing

inline void write_message(char* buffer, std::uint32_t size, const char* message) noexcept {
  if (!buffer || size == 0) return;
  std::snprintf(buffer, size, "%s", message);
}

// Runs `fn`; returns PGB_OK, or the status of what it threw with the message in `error`.
template <class Fn>
pgb_status guarded(std::string& error, Fn&& fn) noexcept {
  try {
    error.clear();
    fn();
    return PGB_OK;
  } catch (const pgb::Error& e) {
    error = e.what();
    return e.status();
  } catch (const std::invalid_argument& e) {
    error = e.what();
    return PGB_ERR_INVALID_ARGUMENT;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return PGB_ERR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    error = e.what();
    return PGB_ERR_INTERNAL;
  } catch (...) {
    error = "unknown exception";
    return PGB_ERR_INTERNAL;
  }
}

// ------------------------------------------------------------------- declared parameters

// Owns the strings and C structs of a descriptor's parameter declarations.
class ParamList {
 public:
  void add(const std::string& key, pgb_value_t default_value, const std::string& help, double min, double max,
           const std::string& choices) {
    auto& e = entries_.emplace_back();
    e.key = key;
    e.help = help;
    e.choices = choices;
    if (default_value.type == PGB_VALUE_STRING) {
      e.string_default = default_value.as.s;
    }
    e.desc = pgb_param_desc_t{};
    e.desc.struct_size = sizeof(pgb_param_desc_t);
    e.desc.flags = PGB_PARAM_AFFECTS_RESULTS;
    e.desc.default_value = default_value;
    e.desc.min = min;
    e.desc.max = max;
  }
  // Points the C structs at the owned strings; call once registration is complete.
  void finalise() {
    pointers_.clear();
    for (auto& e : entries_) {
      e.desc.key = e.key.c_str();
      e.desc.help = e.help.c_str();
      e.desc.choices = e.choices.empty() ? nullptr : e.choices.c_str();
      if (e.desc.default_value.type == PGB_VALUE_STRING) e.desc.default_value.as.s = e.string_default.c_str();
      pointers_.push_back(&e.desc);
    }
  }
  const pgb_param_desc_t* const* data() const noexcept { return pointers_.data(); }
  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(pointers_.size()); }

 private:
  struct Entry {
    std::string key, help, choices, string_default;
    pgb_param_desc_t desc;
  };
  std::deque<Entry> entries_;  // deque: addresses stay put as entries are added
  std::vector<const pgb_param_desc_t*> pointers_;
};

inline pgb_value_t make_value(double v) {
  pgb_value_t x{};
  x.type = PGB_VALUE_FLOAT;
  x.as.f = v;
  return x;
}
inline pgb_value_t make_value(std::int64_t v) {
  pgb_value_t x{};
  x.type = PGB_VALUE_INT;
  x.as.i = v;
  return x;
}
inline pgb_value_t make_bool(bool v) {
  pgb_value_t x{};
  x.type = PGB_VALUE_BOOL;
  x.as.i = v ? 1 : 0;
  return x;
}
inline pgb_value_t make_string(const char* v) {
  pgb_value_t x{};
  x.type = PGB_VALUE_STRING;
  x.as.s = v;
  return x;
}

using pgb::kUnbounded;

// The chained builder behind both registration macros (CRTP so each setter returns the builder).
template <class Derived>
class DescriptorBuilder {
 public:
  Derived& name(std::string n) { return set(name_, std::move(n)); }
  Derived& description(std::string d) { return set(description_, std::move(d)); }
  Derived& dependencies(std::string d) { return set(dependencies_, std::move(d)); }

  // A FLOAT parameter in [min, max] (NaN = unbounded on that side).
  Derived& param(const std::string& key, double default_value, const std::string& help, double min = kUnbounded,
                 double max = kUnbounded) {
    params_.add(key, make_value(default_value), help, min, max, "");
    return self();
  }
  // An INT parameter in [min, max].
  Derived& param(const std::string& key, int default_value, const std::string& help, double min = kUnbounded,
                 double max = kUnbounded) {
    params_.add(key, make_value(std::int64_t{default_value}), help, min, max, "");
    return self();
  }
  Derived& param(const std::string& key, std::int64_t default_value, const std::string& help,
                 double min = kUnbounded, double max = kUnbounded) {
    params_.add(key, make_value(default_value), help, min, max, "");
    return self();
  }
  // A BOOL parameter.
  Derived& param(const std::string& key, bool default_value, const std::string& help) {
    params_.add(key, make_bool(default_value), help, kUnbounded, kUnbounded, "");
    return self();
  }
  // A STRING parameter; `choices` lists the accepted values separated by '|' ("" = any).
  Derived& param(const std::string& key, const char* default_value, const std::string& help,
                 const std::string& choices = "") {
    params_.add(key, make_string(default_value), help, kUnbounded, kUnbounded, choices);
    return self();
  }
  // Every parameter of a table (pgbench/sdk/hyperparameters.hpp), in its order.
  template <class Options>
  Derived& params(const Hyperparameters<Options>& table) {
    for (const auto& e : table.entries()) params_.add(e.key(), e.default_value(), e.help(), e.min(), e.max(), e.choices());
    return self();
  }

 protected:
  Derived& self() { return static_cast<Derived&>(*this); }
  Derived& set(std::string& field, std::string value) {
    field = std::move(value);
    return self();
  }
  std::string id_, name_, description_, dependencies_;
  ParamList params_;
};

// ---------------------------------------------------------------------------- environments

class EnvRegistration : public DescriptorBuilder<EnvRegistration> {
 public:
  using Factory = std::unique_ptr<Environment> (*)(const Config&);
  EnvRegistration(std::string id, Factory factory, const pgb_env_vtable_t* vtable) : factory_(factory) {
    id_ = std::move(id);
    name_ = id_;
    desc_.vtable = vtable;
  }
  // Clears PGB_ENV_DETERMINISTIC (set by default: SDK environments draw only from their rng()).
  EnvRegistration& nondeterministic() {
    deterministic_ = false;
    return *this;
  }

  const pgb_env_desc_t* finalise() {
    params_.finalise();
    desc_.struct_size = sizeof(pgb_env_desc_t);
    desc_.param_count = params_.size();
    desc_.id = id_.c_str();
    desc_.name = name_.c_str();
    desc_.description = description_.c_str();
    desc_.dependencies = dependencies_.c_str();
    desc_.params = params_.data();
    desc_.flags = deterministic_ ? PGB_ENV_DETERMINISTIC : 0;
    return &desc_;
  }
  const pgb_env_desc_t* desc() const noexcept { return &desc_; }
  std::unique_ptr<Environment> make(const pgb_config_t* config) const {
    return factory_(Config(config, params_.data(), params_.size()));
  }

 private:
  Factory factory_;
  bool deterministic_ = true;
  pgb_env_desc_t desc_{};
};

// ------------------------------------------------------------------------------ algorithms

class AlgorithmRegistration : public DescriptorBuilder<AlgorithmRegistration> {
 public:
  // A function, not a pointer: a plugin that makes algorithms at run time (the Python plugin)
  // captures what each one is.
  using Factory = std::function<std::unique_ptr<Algorithm>(const AlgorithmContext&)>;
  AlgorithmRegistration(std::string id, Factory factory, const pgb_algo_vtable_t* vtable) : factory_(std::move(factory)) {
    id_ = std::move(id);
    name_ = id_;
    desc_.vtable = vtable;
  }
  // Which action spaces the algorithm handles (both by default).
  AlgorithmRegistration& box_actions_only() {
    flags_ = PGB_ALGO_BOX_ACTIONS;
    return *this;
  }
  AlgorithmRegistration& discrete_actions_only() {
    flags_ = PGB_ALGO_DISCRETE_ACTIONS;
    return *this;
  }
  // The sub-environments it trains on when a suite does not say (1 if never set).
  AlgorithmRegistration& num_envs(std::uint32_t n) {
    desc_.default_num_envs = n;
    return *this;
  }

  const pgb_algo_desc_t* finalise() {
    params_.finalise();
    desc_.struct_size = sizeof(pgb_algo_desc_t);
    desc_.param_count = params_.size();
    desc_.id = id_.c_str();
    desc_.name = name_.c_str();
    desc_.description = description_.c_str();
    desc_.dependencies = dependencies_.c_str();
    desc_.params = params_.data();
    desc_.flags = flags_;
    return &desc_;
  }
  const pgb_algo_desc_t* desc() const noexcept { return &desc_; }
  const std::string& id() const noexcept { return id_; }
  std::unique_ptr<Algorithm> make(const pgb_algo_create_args_t& args) const {
    AlgorithmContext context{Space::from_c(*args.observation_space), Space::from_c(*args.action_space),
                             Config(args.hyperparameters, params_.data(), params_.size()), args.seed,
                             args.total_env_steps, args.num_envs};
    if (!(flags_ & PGB_ALGO_BOX_ACTIONS) && context.action_space.is_box())
      throw Unsupported(id_ + " handles Discrete action spaces only");
    if (!(flags_ & PGB_ALGO_DISCRETE_ACTIONS) && context.action_space.is_discrete())
      throw Unsupported(id_ + " handles Box action spaces only");
    return factory_(context);
  }

 private:
  Factory factory_;
  std::uint64_t flags_ = PGB_ALGO_BOX_ACTIONS | PGB_ALGO_DISCRETE_ACTIONS;
  pgb_algo_desc_t desc_{};
};

// --------------------------------------------------------------------------------- registry

class Registry {
 public:
  static Registry& instance() {
    static Registry registry;
    return registry;
  }
  std::deque<EnvRegistration> envs;
  std::deque<AlgorithmRegistration> algorithms;
  // ABI 1.2's file_extensions / open_file, for a plugin that opens plugins in another language
  // (PGB_PLUGIN_OPENS_FILES); empty and NULL otherwise.
  std::string file_extensions;
  const pgb_plugin_t*(PGB_ABI* open_file)(const pgb_host_t*, const char*, char*, std::uint32_t) = nullptr;

  const EnvRegistration* find(const pgb_env_desc_t* d) const {
    for (const auto& r : envs)
      if (r.desc() == d) return &r;
    return nullptr;
  }
  const AlgorithmRegistration* find(const pgb_algo_desc_t* d) const {
    for (const auto& r : algorithms)
      if (r.desc() == d) return &r;
    return nullptr;
  }
};

// ----------------------------------------------------------- checkpoint streams as archives

// The host's byte sink as an archive; a refused write throws.
inline OutputArchive archive_writing_to(const pgb_ostream_t* out) {
  if (!out || !out->write) throw InvalidArgument("save: NULL stream");
  return OutputArchive([out](const void* data, std::size_t size) {
    if (out->write(out->ctx, data, size) != static_cast<std::int64_t>(size))
      throw std::runtime_error("save: the host's stream refused the write");
  });
}

// The host's byte source as an archive; a checkpoint that ends early throws.
inline InputArchive archive_reading_from(const pgb_istream_t* in) {
  if (!in || !in->read) throw InvalidArgument("load: NULL stream");
  return InputArchive([in](void* data, std::size_t size) {
    auto* bytes = static_cast<char*>(data);
    while (size > 0) {
      const std::int64_t got = in->read(in->ctx, bytes, size);
      if (got <= 0) throw std::runtime_error("load: checkpoint ends early or cannot be read");
      bytes += got;
      size -= static_cast<std::size_t>(got);
    }
  });
}

// ------------------------------------------------------------- environment C adapter (vtable)

// The C instance: num_envs copies of the environment class, each with its own generator and
// episode flag, plus the spaces and the last error.
struct EnvInstance {
  std::string id;  // the descriptor's id, which a saved state names
  std::vector<std::unique_ptr<Environment>> envs;
  std::vector<std::uint8_t> in_episode;
  EnvSpec spec;
  pgb_space_t observation_space{}, action_space{};
  std::size_t obs_dim = 0, act_dim = 0;
  std::string error;
};

inline EnvInstance* as_env(pgb_env_t* p) noexcept { return reinterpret_cast<EnvInstance*>(p); }
inline const EnvInstance* as_env(const pgb_env_t* p) noexcept { return reinterpret_cast<const EnvInstance*>(p); }

struct EnvAdapter {
  static pgb_status PGB_ABI create(const pgb_env_desc_t* desc, const pgb_env_create_args_t* args, pgb_env_t** out,
                                   char* err, std::uint32_t err_size) noexcept {
    std::string error;
    if (out) *out = nullptr;
    const pgb_status status = guarded(error, [&] {
      if (!desc || !args || !out) throw InvalidArgument("create: NULL argument");
      if (args->num_envs < 1) throw InvalidArgument("create: num_envs must be >= 1");
      const EnvRegistration* reg = Registry::instance().find(desc);
      if (!reg) throw InvalidArgument("create: descriptor does not belong to this plugin");
      auto instance = std::make_unique<EnvInstance>();
      instance->id = desc->id;
      std::uint64_t seed_stream = args->seed;
      for (std::uint32_t i = 0; i < args->num_envs; ++i) {
        instance->envs.push_back(reg->make(args->config));
        instance->envs.back()->rng().reseed(splitmix64(seed_stream));
      }
      instance->in_episode.assign(args->num_envs, 0);
      instance->spec = instance->envs.front()->spec();
      if (!instance->spec.observation.is_box()) throw Unsupported("observation spaces must be Box in ABI v1");
      instance->observation_space = instance->spec.observation.as_c();
      instance->action_space = instance->spec.action.as_c();
      instance->obs_dim = instance->spec.observation.dim();
      instance->act_dim = instance->spec.action.dim();
      *out = reinterpret_cast<pgb_env_t*>(instance.release());
    });
    if (status != PGB_OK) write_message(err, err_size, error.c_str());
    return status;
  }

  static void PGB_ABI destroy(pgb_env_t* env) noexcept { delete as_env(env); }

  static pgb_status PGB_ABI get_info(const pgb_env_t* env, pgb_env_info_t* info) noexcept {
    if (!env || !info) return PGB_ERR_INVALID_ARGUMENT;
    const EnvInstance& e = *as_env(env);
    pgb_env_info_t full{};
    full.struct_size = sizeof(pgb_env_info_t);
    full.num_envs = static_cast<std::uint32_t>(e.envs.size());
    full.observation_space = &e.observation_space;
    full.action_space = &e.action_space;
    full.frames_per_step = e.spec.frames_per_step;
    full.max_episode_steps = e.spec.max_episode_steps;
    const std::uint32_t n = info->struct_size < sizeof full ? info->struct_size : sizeof full;
    std::memcpy(reinterpret_cast<char*>(info) + sizeof(std::uint32_t),
                reinterpret_cast<const char*>(&full) + sizeof(std::uint32_t), n - sizeof(std::uint32_t));
    return PGB_OK;
  }

  static pgb_status PGB_ABI reset(pgb_env_t* env, const std::uint8_t* mask, const std::uint64_t* seeds,
                                  double* obs_out) noexcept {
    EnvInstance& e = *as_env(env);
    return guarded(e.error, [&] {
      if (!obs_out) throw InvalidArgument("reset: obs_out is NULL");
      for (std::size_t i = 0; i < e.envs.size(); ++i) {
        if (mask && !mask[i]) continue;
        if (seeds) e.envs[i]->rng().reseed(seeds[i]);
        e.envs[i]->reset({obs_out + i * e.obs_dim, e.obs_dim});
        e.in_episode[i] = 1;
      }
    });
  }

  static pgb_status PGB_ABI step(pgb_env_t* env, const void* actions, const std::uint8_t* mask,
                                 const pgb_step_out_t* out) noexcept {
    EnvInstance& e = *as_env(env);
    return guarded(e.error, [&] {
      if (!actions || !out || !out->observation || !out->reward || !out->terminated || !out->truncated)
        throw InvalidArgument("step: NULL buffer");
      const bool discrete = e.spec.action.is_discrete();
      for (std::size_t i = 0; i < e.envs.size(); ++i) {
        if (mask && !mask[i]) continue;
        if (!e.in_episode[i]) throw BadState("step: sub-env " + std::to_string(i) + " has ended; reset it first");
        const ActionRef action = discrete ? ActionRef(static_cast<const std::int64_t*>(actions)[i])
                                          : ActionRef(std::span<const double>(
                                                static_cast<const double*>(actions) + i * e.act_dim, e.act_dim));
        const StepResult r = e.envs[i]->step(action, {out->observation + i * e.obs_dim, e.obs_dim});
        out->reward[i] = r.reward;
        out->terminated[i] = r.terminated;
        out->truncated[i] = r.truncated;
        if (r.terminated || r.truncated) e.in_episode[i] = 0;
      }
    });
  }

  static const char* PGB_ABI last_error(const pgb_env_t* env) noexcept {
    return env ? as_env(env)->error.c_str() : "NULL instance";
  }

  // Every sub-env's episode flag, generator and own state (Environment::save_state), behind a tag
  // naming the format, the environment and the sub-env count.
  static pgb_status PGB_ABI save_state(const pgb_env_t* env, const pgb_ostream_t* out) noexcept {
    EnvInstance& e = *as_env(const_cast<pgb_env_t*>(env));
    return guarded(e.error, [&] {
      OutputArchive archive = archive_writing_to(out);
      archive.tag("pgb-env-state/1");
      archive.string(e.id);
      archive.pod<std::uint64_t>(e.envs.size());
      for (std::size_t i = 0; i < e.envs.size(); ++i) {
        archive.pod(e.in_episode[i]);
        archive.pod(e.envs[i]->rng().state());
        e.envs[i]->save_state(archive);
      }
    });
  }

  static pgb_status PGB_ABI load_state(pgb_env_t* env, const pgb_istream_t* in) noexcept {
    EnvInstance& e = *as_env(env);
    return guarded(e.error, [&] {
      InputArchive archive = archive_reading_from(in);
      archive.expect_tag("pgb-env-state/1");
      if (const std::string id = archive.string(); id != e.id)
        throw VersionMismatch("load_state: a state of '" + id + "', not '" + e.id + "'");
      if (archive.pod<std::uint64_t>() != e.envs.size()) throw InvalidArgument("load_state: another number of sub-envs");
      for (std::size_t i = 0; i < e.envs.size(); ++i) {
        archive.pod(e.in_episode[i]);
        e.envs[i]->rng().set_state(archive.pod<Rng::State>());
        e.envs[i]->load_state(archive);
      }
    });
  }

  static constexpr pgb_env_vtable_t vtable{sizeof(pgb_env_vtable_t), 0, &create, &destroy, &get_info, &reset,
                                           &step, &last_error, {}, &save_state, &load_state};
  // For an environment class that does not implement save_state: the host restarts its runs.
  static constexpr pgb_env_vtable_t vtable_without_state{
      sizeof(pgb_env_vtable_t), 0, &create, &destroy, &get_info, &reset, &step, &last_error, {}, nullptr, nullptr};
};

template <class T>
EnvRegistration& register_env(std::string id) {
  static_assert(std::is_base_of_v<Environment, T>, "PGB_REGISTER_ENV: the class must derive from pgb::Environment");
  // A class that overrides save_state gets the checkpointing table (&T::save_state names
  // Environment's own function, of another type, when T does not override it).
  constexpr bool checkpoints = !std::is_same_v<decltype(&T::save_state), decltype(&Environment::save_state)>;
  return Registry::instance().envs.emplace_back(
      std::move(id), [](const Config& c) -> std::unique_ptr<Environment> { return std::make_unique<T>(c); },
      checkpoints ? &EnvAdapter::vtable : &EnvAdapter::vtable_without_state);
}

// --------------------------------------------------------------- algorithm C adapter (vtable)

struct AlgoInstance {
  std::unique_ptr<Algorithm> algorithm;
  const AlgorithmRegistration* registration = nullptr;
  std::uint32_t obs_dim = 0, act_dim = 0;
  bool discrete = false;
  std::string error;
};

inline AlgoInstance* as_algo(pgb_algo_t* p) noexcept { return reinterpret_cast<AlgoInstance*>(p); }
inline const AlgoInstance* as_algo(const pgb_algo_t* p) noexcept {
  return reinterpret_cast<const AlgoInstance*>(p);
}

struct AlgoAdapter {
  static pgb_status PGB_ABI create(const pgb_algo_desc_t* desc, const pgb_algo_create_args_t* args,
                                   pgb_algo_t** out, char* err, std::uint32_t err_size) noexcept {
    std::string error;
    if (out) *out = nullptr;
    const pgb_status status = guarded(error, [&] {
      if (!desc || !args || !out || !args->observation_space || !args->action_space)
        throw InvalidArgument("create: NULL argument");
      const AlgorithmRegistration* reg = Registry::instance().find(desc);
      if (!reg) throw InvalidArgument("create: descriptor does not belong to this plugin");
      auto instance = std::make_unique<AlgoInstance>();
      instance->algorithm = reg->make(*args);
      instance->registration = reg;
      const Space obs = Space::from_c(*args->observation_space), act = Space::from_c(*args->action_space);
      instance->obs_dim = static_cast<std::uint32_t>(obs.dim());
      instance->act_dim = static_cast<std::uint32_t>(act.dim());
      instance->discrete = act.is_discrete();
      *out = reinterpret_cast<pgb_algo_t*>(instance.release());
    });
    if (status != PGB_OK) write_message(err, err_size, error.c_str());
    return status;
  }

  static void PGB_ABI destroy(pgb_algo_t* algo) noexcept { delete as_algo(algo); }

  static pgb_status PGB_ABI act(pgb_algo_t* algo, const double* obs, std::uint32_t rows, void* out) noexcept {
    AlgoInstance& a = *as_algo(algo);
    return guarded(a.error, [&] {
      if (!obs || !out) throw InvalidArgument("act: NULL buffer");
      a.algorithm->act({obs, rows, a.obs_dim}, ActionRows(out, rows, a.act_dim, a.discrete));
    });
  }

  static pgb_status PGB_ABI act_eval(pgb_algo_t* algo, const double* obs, std::uint32_t rows, void* out) noexcept {
    AlgoInstance& a = *as_algo(algo);
    return guarded(a.error, [&] {
      if (!obs || !out) throw InvalidArgument("act_eval: NULL buffer");
      std::as_const(*a.algorithm).act_eval({obs, rows, a.obs_dim}, ActionRows(out, rows, a.act_dim, a.discrete));
    });
  }

  static pgb_status PGB_ABI observe(pgb_algo_t* algo, const pgb_transition_batch_t* b,
                                    std::uint32_t* update_ready) noexcept {
    AlgoInstance& a = *as_algo(algo);
    return guarded(a.error, [&] {
      if (!b || !update_ready) throw InvalidArgument("observe: NULL argument");
      Transitions t;
      t.observation = {b->observation, b->rows, a.obs_dim};
      t.action = b->action;
      t.action_dim = a.act_dim;
      t.discrete = a.discrete;
      t.reward = {b->reward, b->rows};
      t.next_observation = {b->next_observation, b->rows, a.obs_dim};
      t.terminated = {b->terminated, b->rows};
      t.truncated = {b->truncated, b->rows};
      *update_ready = a.algorithm->observe(t) ? 1u : 0u;
    });
  }

  static pgb_status PGB_ABI update(pgb_algo_t* algo, std::uint64_t env_steps_done,
                                   const pgb_metric_sink_t* metrics) noexcept {
    AlgoInstance& a = *as_algo(algo);
    return guarded(a.error, [&] { a.algorithm->update(env_steps_done, Metrics(metrics)); });
  }

  static pgb_status PGB_ABI save(pgb_algo_t* algo, pgb_state_scope scope, const pgb_ostream_t* out) noexcept {
    AlgoInstance& a = *as_algo(algo);
    return guarded(a.error, [&] {
      OutputArchive archive = archive_writing_to(out);
      archive.string(a.registration->id());
      archive.pod<std::uint32_t>(a.algorithm->checkpoint_version());
      archive.pod<std::int32_t>(scope);
      a.algorithm->save(archive, static_cast<StateScope>(scope));
    });
  }

  static pgb_status PGB_ABI load(pgb_algo_t* algo, pgb_state_scope scope, const pgb_istream_t* in) noexcept {
    AlgoInstance& a = *as_algo(algo);
    return guarded(a.error, [&] {
      InputArchive archive = archive_reading_from(in);
      const std::string id = archive.string();
      if (id != a.registration->id())
        throw VersionMismatch("load: checkpoint of '" + id + "', not '" + a.registration->id() + "'");
      const auto version = archive.pod<std::uint32_t>();
      if (version != a.algorithm->checkpoint_version())
        throw VersionMismatch("load: checkpoint format version " + std::to_string(version) + ", expected " +
                              std::to_string(a.algorithm->checkpoint_version()));
      if (archive.pod<std::int32_t>() != scope) throw InvalidArgument("load: checkpoint has another scope");
      a.algorithm->load(archive, static_cast<StateScope>(scope));
    });
  }

  static const char* PGB_ABI last_error(const pgb_algo_t* algo) noexcept {
    return algo ? as_algo(algo)->error.c_str() : "NULL instance";
  }

  static constexpr pgb_algo_vtable_t vtable{sizeof(pgb_algo_vtable_t), 0, &create, &destroy, &act, &act_eval,
                                            &observe, &update, &save, &load, &last_error, {}};
};

template <class T>
AlgorithmRegistration& register_algorithm(std::string id) {
  static_assert(std::is_base_of_v<Algorithm, T>,
                "PGB_REGISTER_ALGORITHM: the class must derive from pgb::Algorithm");
  return Registry::instance().algorithms.emplace_back(
      std::move(id), [](const AlgorithmContext& c) -> std::unique_ptr<Algorithm> { return std::make_unique<T>(c); },
      &AlgoAdapter::vtable);
}

// ----------------------------------------------------------------------------- the plugin

// Builds the plugin descriptor from everything registered; called once by the entry function.
class PluginDescriptor {
 public:
  PluginDescriptor(const char* id, const char* name, const char* version, const char* description) {
    Registry& registry = Registry::instance();
    for (auto& r : registry.envs) envs_.push_back(r.finalise());
    for (auto& r : registry.algorithms) algos_.push_back(r.finalise());
    plugin_.struct_size = sizeof(pgb_plugin_t);
    plugin_.abi_version = PGB_ABI_VERSION;
    plugin_.id = id;
    plugin_.name = name;
    plugin_.version = version;
    plugin_.vendor = "";
    plugin_.description = description;
    plugin_.env_count = static_cast<std::uint32_t>(envs_.size());
    plugin_.algo_count = static_cast<std::uint32_t>(algos_.size());
    plugin_.envs = envs_.data();
    plugin_.algos = algos_.data();
    build_signature_ = PGB_PLUGIN_BUILD_SIGNATURE;
    if (pgb_learn_matrix_products) build_signature_.append("; matrix products=").append(pgb_learn_matrix_products());
    plugin_.build_signature = build_signature_.c_str();
    if (registry.open_file) {
      plugin_.file_extensions = registry.file_extensions.c_str();
      plugin_.open_file = registry.open_file;
    }
  }
  const pgb_plugin_t* get() const noexcept { return &plugin_; }

 private:
  std::vector<const pgb_env_desc_t*> envs_;
  std::vector<const pgb_algo_desc_t*> algos_;
  std::string build_signature_;
  pgb_plugin_t plugin_{};
};

inline const pgb_plugin_t* plugin_entry(const pgb_host_t* host, const char* id, const char* name,
                                        const char* version, const char* description) noexcept {
  if (host && PGB_ABI_MAJOR_OF(host->abi_version) != PGB_ABI_VERSION_MAJOR) {
    if (host->log) host->log(host, PGB_LOG_ERROR, "plugin built for another pgbench ABI major version");
    return nullptr;
  }
  // A plugin whose Eigen layout differs from that of the pgbench::learn it links would crash
  // later; it refuses now, saying what to rebuild with.
  if (pgb_learn_build_signature && std::strcmp(pgb_learn_build_signature(), PGB_BUILD_SIGNATURE) != 0) {
    if (host && host->log) {
      const std::string message = std::string("compiled with ") + PGB_BUILD_SIGNATURE +
                                  " but links a pgbench::learn compiled with " + pgb_learn_build_signature() +
                                  ": rebuild it with the compile options pgbench::learn exports (find_package(pgbench) "
                                  "adds them; do not override -march or -m flags)";
      host->log(host, PGB_LOG_ERROR, message.c_str());
    }
    return nullptr;
  }
  try {
    static const PluginDescriptor descriptor(id, name, version, description);
    return descriptor.get();
  } catch (...) {
    if (host && host->log) host->log(host, PGB_LOG_ERROR, "plugin descriptor could not be built");
    return nullptr;
  }
}

}  // namespace pgb::sdk

#define PGB_SDK_CONCAT_INNER(a, b) a##b
#define PGB_SDK_CONCAT(a, b) PGB_SDK_CONCAT_INNER(a, b)
#define PGB_SDK_UNIQUE(prefix) PGB_SDK_CONCAT(prefix, __COUNTER__)

// Registers environment class `Class` under `id`; chain .name(), .description(), .param(), ...
#define PGB_REGISTER_ENV(Class, id)                                                        \
  [[maybe_unused]] static ::pgb::sdk::EnvRegistration& PGB_SDK_UNIQUE(pgb_registered_env_) = \
      ::pgb::sdk::register_env<Class>(id)

// Registers algorithm class `Class` under `id`; chain .name(), .description(), .param(), ...
#define PGB_REGISTER_ALGORITHM(Class, id)                                                           \
  [[maybe_unused]] static ::pgb::sdk::AlgorithmRegistration& PGB_SDK_UNIQUE(pgb_registered_algo_) = \
      ::pgb::sdk::register_algorithm<Class>(id)

// Declares that the plugin opens plugins written in another language: files ending in
// `extensions` ("a|b") on the plugin path are handed to `open_fn` (see abi.h, open_file).
#define PGB_PLUGIN_OPENS_FILES(extensions, open_fn)                                                   \
  [[maybe_unused]] static const bool PGB_SDK_UNIQUE(pgb_opens_files_) = [] {                         \
    ::pgb::sdk::Registry::instance().file_extensions = extensions;                                   \
    ::pgb::sdk::Registry::instance().open_file = open_fn;                                            \
    return true;                                                                                     \
  }()

// Writes the plugin's exported entry function. Exactly once per plugin.
#define PGB_PLUGIN(id, name, version, description)                                              \
  extern "C" PGB_EXPORT const pgb_plugin_t* PGB_ABI pgb_plugin_entry_v1(const pgb_host_t* host) { \
    return ::pgb::sdk::plugin_entry(host, id, name, version, description);                      \
  }
