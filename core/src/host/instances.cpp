#include "host/instances.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace pgbench {

std::string status_name(pgb_status status) {
  switch (status) {
    case PGB_OK: return "OK";
    case PGB_ERR_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case PGB_ERR_UNSUPPORTED: return "UNSUPPORTED";
    case PGB_ERR_BAD_STATE: return "BAD_STATE";
    case PGB_ERR_OUT_OF_MEMORY: return "OUT_OF_MEMORY";
    case PGB_ERR_VERSION: return "VERSION";
    case PGB_ERR_INTERNAL: return "INTERNAL";
    case PGB_ERR_NUMERICAL: return "NUMERICAL";
    default: return fmt::format("status {}", status);
  }
}

std::size_t space_dim(const pgb_space_t& space) {
  if (space.kind == PGB_SPACE_DISCRETE) return 1;
  std::size_t n = 1;
  for (std::uint32_t d = 0; d < space.ndim; ++d) n *= static_cast<std::size_t>(space.shape[d]);
  return n;
}

namespace {

// initial-exec: the host library is linked into executables only, so this thread-local is a
// fixed offset from the thread pointer -- no __tls_get_addr call on every plugin call, and safe
// to read from a signal handler.
[[gnu::tls_model("initial-exec")]] thread_local PluginCallSite t_call{nullptr, nullptr, nullptr};

// Marks the plugin call in progress for the scope of one call into a plugin.
class CallScope {
 public:
  CallScope(const Library& library, const char* component, const char* function) noexcept : saved_(t_call) {
    t_call = {library.path.c_str(), component, function};
  }
  ~CallScope() { t_call = saved_; }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  PluginCallSite saved_;
};

// A space the host can drive in ABI v1: a Box of doubles, or a Discrete of int64 indices.
std::string check_space(const char* what, const pgb_space_t* s) {
  if (!s) return fmt::format("{} space is NULL", what);
  if (s->kind == PGB_SPACE_BOX) {
    if (s->dtype != PGB_DTYPE_F64) return fmt::format("{} space: Box dtype must be F64", what);
    if (s->ndim < 1 || s->ndim > PGB_MAX_DIMS) return fmt::format("{} space: Box ndim {} out of [1, {}]", what, s->ndim, PGB_MAX_DIMS);
    for (std::uint32_t d = 0; d < s->ndim; ++d)
      if (s->shape[d] < 1) return fmt::format("{} space: Box shape has a dimension < 1", what);
    return "";
  }
  if (s->kind == PGB_SPACE_DISCRETE) {
    if (s->dtype != PGB_DTYPE_I64) return fmt::format("{} space: Discrete dtype must be I64", what);
    if (s->n < 1) return fmt::format("{} space: Discrete n must be >= 1", what);
    return "";
  }
  return fmt::format("{} space: unknown kind {}", what, s->kind);
}

// A checkpoint's bytes, as the ABI's byte streams see them.
struct ByteSink {
  std::vector<std::uint8_t> bytes;
  pgb_ostream_t stream{&bytes, [](void* ctx, const void* data, std::uint64_t size) -> std::int64_t {
                         auto* v = static_cast<std::vector<std::uint8_t>*>(ctx);
                         const auto* p = static_cast<const std::uint8_t*>(data);
                         v->insert(v->end(), p, p + size);
                         return static_cast<std::int64_t>(size);
                       }};
};

struct ByteSource {
  explicit ByteSource(const std::vector<std::uint8_t>& b) : bytes(&b) {}
  const std::vector<std::uint8_t>* bytes;
  std::size_t offset = 0;
  pgb_istream_t stream{this, [](void* ctx, void* data, std::uint64_t size) -> std::int64_t {
                         auto* c = static_cast<ByteSource*>(ctx);
                         const std::size_t n = std::min<std::size_t>(size, c->bytes->size() - c->offset);
                         std::memcpy(data, c->bytes->data() + c->offset, n);
                         c->offset += n;
                         return static_cast<std::int64_t>(n);
                       }};
};

}  // namespace

PluginCallSite current_plugin_call() noexcept { return t_call; }

EnvHandle::EnvHandle(const EnvType& type, std::uint32_t num_envs, const ResolvedConfig& config, std::uint64_t seed)
    : type_(type) {
  const CConfig c_config(config);
  pgb_env_create_args_t args{};
  args.struct_size = sizeof args;
  args.num_envs = num_envs;
  args.host = host_interface();
  args.config = c_config.get();
  args.seed = seed;
  char err[1024] = "";
  {
    const CallScope in_call(*type_.library, type_.desc->name, "create");
    const pgb_status status = type_.desc->vtable->create(type_.desc, &args, &env_, err, sizeof err);
    if (status != PGB_OK || !env_)
      throw PluginError(fmt::format("environment '{}' could not be created ({}): {}", type_.desc->name,
                                    status_name(status), err[0] ? err : "no message"),
                        type_.library->path.string());
  }
  info_.struct_size = sizeof info_;
  {
    const CallScope in_call(*type_.library, type_.desc->name, "get_info");
    if (const pgb_status s = type_.desc->vtable->get_info(env_, &info_); s != PGB_OK) fail("get_info", s);
  }
  std::string bad = check_space("observation", info_.observation_space);
  if (bad.empty() && info_.observation_space->kind != PGB_SPACE_BOX) bad = "observation space must be a Box in ABI v1";
  if (bad.empty()) bad = check_space("action", info_.action_space);
  if (bad.empty() && info_.num_envs != num_envs) bad = fmt::format("made {} sub-envs, {} were asked for", info_.num_envs, num_envs);
  if (!bad.empty()) {
    type_.desc->vtable->destroy(env_);
    throw PluginError(fmt::format("environment '{}': {}", type_.desc->name, bad), type_.library->path.string());
  }
  obs_dim_ = space_dim(*info_.observation_space);
  act_dim_ = space_dim(*info_.action_space);
}

EnvHandle::~EnvHandle() {
  const CallScope in_call(*type_.library, type_.desc->name, "destroy");
  type_.desc->vtable->destroy(env_);
}

void EnvHandle::fail(const char* call, pgb_status status) const {
  throw PluginError(fmt::format("environment '{}' {} failed ({}): {}", type_.desc->name, call, status_name(status),
                                type_.desc->vtable->last_error(env_)),
                    type_.library->path.string());
}

void EnvHandle::reset(const std::uint8_t* mask, const std::uint64_t* seeds, double* obs_out) {
  const CallScope in_call(*type_.library, type_.desc->name, "reset");
  if (const pgb_status s = type_.desc->vtable->reset(env_, mask, seeds, obs_out); s != PGB_OK) fail("reset", s);
}

void EnvHandle::step(const void* actions, const std::uint8_t* mask, const pgb_step_out_t& out) {
  const CallScope in_call(*type_.library, type_.desc->name, "step");
  if (const pgb_status s = type_.desc->vtable->step(env_, actions, mask, &out); s != PGB_OK) fail("step", s);
}

AlgoHandle::AlgoHandle(const AlgoType& type, std::uint32_t num_envs, const pgb_space_t& observation_space,
                       const pgb_space_t& action_space, const ResolvedConfig& hyperparameters, std::uint64_t seed,
                       std::uint64_t total_env_steps)
    : type_(type) {
  const CConfig c_config(hyperparameters);
  pgb_algo_create_args_t args{};
  args.struct_size = sizeof args;
  args.num_envs = num_envs;
  args.host = host_interface();
  args.observation_space = &observation_space;
  args.action_space = &action_space;
  args.hyperparameters = c_config.get();
  args.seed = seed;
  args.total_env_steps = total_env_steps;
  char err[1024] = "";
  const CallScope in_call(*type_.library, type_.desc->name, "create");
  const pgb_status status = type_.desc->vtable->create(type_.desc, &args, &algo_, err, sizeof err);
  if (status != PGB_OK || !algo_)
    throw PluginError(fmt::format("algorithm '{}' could not be created ({}): {}", type_.desc->name,
                                  status_name(status), err[0] ? err : "no message"),
                      type_.library->path.string());
}

AlgoHandle::~AlgoHandle() {
  const CallScope in_call(*type_.library, type_.desc->name, "destroy");
  type_.desc->vtable->destroy(algo_);
}

void AlgoHandle::fail(const char* call, pgb_status status) const {
  throw PluginError(fmt::format("algorithm '{}' {} failed ({}): {}", type_.desc->name, call, status_name(status),
                                type_.desc->vtable->last_error(algo_)),
                    type_.library->path.string());
}

void AlgoHandle::act(const double* obs, std::uint32_t rows, void* actions_out) {
  const CallScope in_call(*type_.library, type_.desc->name, "act");
  if (const pgb_status s = type_.desc->vtable->act(algo_, obs, rows, actions_out); s != PGB_OK) fail("act", s);
}

void AlgoHandle::act_eval(const double* obs, std::uint32_t rows, void* actions_out) {
  const CallScope in_call(*type_.library, type_.desc->name, "act_eval");
  if (const pgb_status s = type_.desc->vtable->act_eval(algo_, obs, rows, actions_out); s != PGB_OK) fail("act_eval", s);
}

bool AlgoHandle::observe(const pgb_transition_batch_t& batch) {
  std::uint32_t ready = 0;
  const CallScope in_call(*type_.library, type_.desc->name, "observe");
  if (const pgb_status s = type_.desc->vtable->observe(algo_, &batch, &ready); s != PGB_OK) fail("observe", s);
  return ready != 0;
}

void AlgoHandle::update(std::uint64_t env_steps_done, const pgb_metric_sink_t& sink) {
  const CallScope in_call(*type_.library, type_.desc->name, "update");
  if (const pgb_status s = type_.desc->vtable->update(algo_, env_steps_done, &sink); s != PGB_OK) fail("update", s);
}

std::vector<std::uint8_t> AlgoHandle::save(pgb_state_scope scope) {
  ByteSink sink;
  const CallScope in_call(*type_.library, type_.desc->name, "save");
  if (const pgb_status s = type_.desc->vtable->save(algo_, scope, &sink.stream); s != PGB_OK) fail("save", s);
  return std::move(sink.bytes);
}

void AlgoHandle::load(pgb_state_scope scope, const std::vector<std::uint8_t>& bytes) {
  ByteSource source(bytes);
  const CallScope in_call(*type_.library, type_.desc->name, "load");
  if (const pgb_status s = type_.desc->vtable->load(algo_, scope, &source.stream); s != PGB_OK) fail("load", s);
}

bool saves_state(const EnvType& type) noexcept {
  const pgb_env_vtable_t* v = type.desc->vtable;
  return PGB_HAS_FIELD(v, pgb_env_vtable_t, load_state) && v->save_state && v->load_state;
}

bool EnvHandle::can_save_state() const noexcept { return saves_state(type_); }

std::vector<std::uint8_t> EnvHandle::save_state() const {
  ByteSink sink;
  const CallScope in_call(*type_.library, type_.desc->name, "save_state");
  if (const pgb_status s = type_.desc->vtable->save_state(env_, &sink.stream); s != PGB_OK) fail("save_state", s);
  return std::move(sink.bytes);
}

void EnvHandle::load_state(const std::vector<std::uint8_t>& bytes) {
  ByteSource source(bytes);
  const CallScope in_call(*type_.library, type_.desc->name, "load_state");
  if (const pgb_status s = type_.desc->vtable->load_state(env_, &source.stream); s != PGB_OK) fail("load_state", s);
}

}  // namespace pgbench
