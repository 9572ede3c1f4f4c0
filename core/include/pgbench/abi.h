/* pgbench/abi.h -- the stable C ABI between the pgbench host and its plugins.
 *
 * This header is the whole run-time contract: a plugin is a shared library that exports ONE
 * symbol, PGB_ENTRY_SYMBOL, returning a static descriptor of the environments and algorithms it
 * provides. Everything else is reached through the function tables in those descriptors.
 *
 * Conventions (read once, they hold for every declaration below):
 *   - Plain C99. Fixed-width types only; no bool, no enums in fields, no bit-fields, no padding.
 *     Enumerated values are int32_t typedefs with an anonymous enum of constants.
 *   - Versioning: the ABI major version is part of the entry symbol's name, so a plugin built for
 *     another major simply is not found. Every struct that may grow starts with
 *     `uint32_t struct_size`, set by its producer to sizeof() at its compile time; fields are
 *     only ever appended (minor versions), and a consumer reads a field only if
 *     PGB_HAS_FIELD(ptr, type, field). Structs used by value in arrays are FROZEN.
 *   - Memory: the host allocates every data buffer (observations, actions, rewards, flags) and
 *     the plugin writes into it. Nothing allocated on one side is freed on the other.
 *     Descriptors and strings in them are plugin-owned static data, valid until the library is
 *     unloaded. Arguments are valid for the duration of the call unless stated otherwise.
 *   - Errors: fallible calls return pgb_status. `create` writes its message into a caller buffer
 *     (there is no instance yet); instance calls leave it in last_error(). No C++ exception,
 *     longjmp, exit() or abort() may cross this boundary. After a failed step/act/observe/update
 *     the instance is failed: only last_error() and destroy() may be called.
 *   - Threads: [any-thread] functions may be called concurrently from any threads.
 *     [instance] functions are called by at most one thread at a time per instance; the host may
 *     move an instance between threads between calls. Instances are independent: a plugin keeps
 *     no mutable global state (no global RNG, no global callbacks holding instance state).
 *   - Buffers are dense, C-contiguous, in the dtype of their space; dimensions are written next
 *     to each pointer, MuJoCo-style: (rows x obs_dim) means rows rows of obs_dim values.
 *     In ABI v1 observations are PGB_DTYPE_F64 boxes, Box actions are PGB_DTYPE_F64 and
 *     Discrete actions are PGB_DTYPE_I64. Rewards are double.
 *   - Strings are NUL-terminated UTF-8.
 */
#ifndef PGBENCH_ABI_H_
#define PGBENCH_ABI_H_

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) || defined(__CYGWIN__)
#define PGB_EXPORT __declspec(dllexport)
#define PGB_ABI __cdecl
#else
#define PGB_EXPORT __attribute__((visibility("default")))
#define PGB_ABI
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------- version */

#define PGB_ABI_VERSION_MAJOR 1
#define PGB_ABI_VERSION_MINOR 2
#define PGB_ABI_VERSION_PATCH 0

/* The version as one decimal-readable integer, MAJOR*1000000 + MINOR*1000 + PATCH: 1.2.3 is
 * 1002003. This is the only place the encoding is defined. */
#define PGB_ABI_VERSION                                                                  \
  ((uint32_t)(PGB_ABI_VERSION_MAJOR * 1000000u + PGB_ABI_VERSION_MINOR * 1000u +          \
              PGB_ABI_VERSION_PATCH))
#define PGB_ABI_MAJOR_OF(version) ((uint32_t)(version) / 1000000u)

/* The name of the one exported symbol; it carries the major version. */
#define PGB_ENTRY_SYMBOL "pgb_plugin_entry_v1"

/* Nonzero when the struct at `ptr`, as its producer built it, contains `field`. */
#define PGB_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* ----------------------------------------------------------------------------------- status */

typedef int32_t pgb_status;
enum {
  PGB_OK = 0,
  PGB_ERR_INVALID_ARGUMENT = -1, /* bad config value, wrong size, NULL where not allowed */
  PGB_ERR_UNSUPPORTED = -2,      /* a space kind, dtype or feature this plugin does not handle */
  PGB_ERR_BAD_STATE = -3,        /* call out of order (e.g. step before reset, step after end) */
  PGB_ERR_OUT_OF_MEMORY = -4,
  PGB_ERR_VERSION = -5,          /* checkpoint or peer from an incompatible version */
  PGB_ERR_INTERNAL = -6,         /* anything else, e.g. an exception caught at the boundary */
  PGB_ERR_NUMERICAL = -7         /* the computation diverged (NaN/Inf in state or parameters) */
};

typedef int32_t pgb_log_level;
enum { PGB_LOG_DEBUG = 0, PGB_LOG_INFO = 1, PGB_LOG_WARN = 2, PGB_LOG_ERROR = 3 };

/* ----------------------------------------------------------------------------------- values */

typedef int32_t pgb_dtype;
enum { PGB_DTYPE_F64 = 1, PGB_DTYPE_I64 = 2 };

typedef int32_t pgb_value_type;
enum { PGB_VALUE_BOOL = 1, PGB_VALUE_INT = 2, PGB_VALUE_FLOAT = 3, PGB_VALUE_STRING = 4 };

/* A typed value. FROZEN: used by value in arrays. */
typedef struct pgb_value {
  pgb_value_type type;
  uint32_t reserved0;  /* 0 */
  union {
    int64_t i;         /* BOOL (0 or 1) and INT */
    double f;          /* FLOAT */
    const char* s;     /* STRING; owned by whoever owns the enclosing struct */
  } as;
} pgb_value_t;

/* One configuration entry. FROZEN: used by value in arrays. */
typedef struct pgb_kv {
  const char* key;
  pgb_value_t value;
} pgb_kv_t;

/* A configuration: env parameters or algorithm hyperparameters. Host-owned, valid during the
 * call it is passed to; the plugin copies what it keeps. The host always passes the fully
 * resolved set: every declared parameter exactly once, validated against its declaration. */
typedef struct pgb_config {
  uint32_t struct_size;
  uint32_t count;
  const pgb_kv_t* items; /* (count) entries, unique keys */
} pgb_config_t;

/* Declaration of one parameter, so the host can validate user input before create() and record
 * the resolved value. Plugin-owned, static. */
enum {
  /* Changes what is learned or simulated (most parameters do; the SDK sets it). An environment
   * parameter without it (a thread count, a log level) is recorded with the run but left out when
   * `pgbench report` checks that runs compared side by side share one protocol. */
  PGB_PARAM_AFFECTS_RESULTS = 1u << 0
};
typedef struct pgb_param_desc {
  uint32_t struct_size;
  uint32_t flags;              /* PGB_PARAM_* */
  const char* key;             /* "learning_rate": lower case, [a-z0-9_] */
  const char* help;            /* one sentence, with the unit where there is one */
  pgb_value_t default_value;   /* its type is the accepted type (INT also accepts integral input) */
  double min;                  /* inclusive bounds for INT and FLOAT; NaN = unbounded */
  double max;
  const char* choices;         /* STRING: accepted values separated by '|'; NULL = any string */
} pgb_param_desc_t;

/* ----------------------------------------------------------------------------------- spaces */

#define PGB_MAX_DIMS 8

typedef int32_t pgb_space_kind;
enum { PGB_SPACE_BOX = 1, PGB_SPACE_DISCRETE = 2 };

/* The space of ONE sub-environment's observation or action (Gymnasium's Box and Discrete).
 * A batch of rows prepends a leading `rows` dimension. */
typedef struct pgb_space {
  uint32_t struct_size;
  pgb_space_kind kind;
  pgb_dtype dtype;             /* BOX: F64. DISCRETE: I64 */
  uint32_t ndim;               /* BOX: number of dimensions (>= 1). DISCRETE: 0 */
  int64_t shape[PGB_MAX_DIMS]; /* BOX: shape[0..ndim); the element count is their product */
  const double* low;           /* BOX: (element count) lower bounds, -INFINITY = unbounded */
  const double* high;          /* BOX: (element count) upper bounds, +INFINITY = unbounded */
  int64_t n;                   /* DISCRETE: number of values */
  int64_t start;               /* DISCRETE: smallest value; values are start .. start+n-1 */
  uint64_t reserved[4];        /* 0 */
} pgb_space_t;

/* ------------------------------------------------------------------------------------- host */

/* What the host offers plugins. Host-owned; outlives every instance. */
typedef struct pgb_host {
  uint32_t struct_size;
  uint32_t abi_version;        /* PGB_ABI_VERSION of the host build */
  const char* name;            /* "pgbench" */
  const char* version;         /* the host's version, "0.1.0" */
  void* host_data;             /* for the host only */
  /* Writes a message to the host's log. `msg` is copied. [any-thread] */
  void(PGB_ABI* log)(const struct pgb_host* host, pgb_log_level level, const char* msg);
  void* reserved[4];
} pgb_host_t;

/* Byte sinks and sources for checkpoints (save/load). Host-owned, valid during the call. */
typedef struct pgb_ostream {
  void* ctx;
  /* Appends `size` bytes from `data`; returns the number written, or -1 on error. */
  int64_t(PGB_ABI* write)(void* ctx, const void* data, uint64_t size);
} pgb_ostream_t;

typedef struct pgb_istream {
  void* ctx;
  /* Reads up to `size` bytes into `data`; returns the number read, 0 at the end, -1 on error. */
  int64_t(PGB_ABI* read)(void* ctx, void* data, uint64_t size);
} pgb_istream_t;

/* Where update() reports its diagnostics. Host-owned, valid inside that update() only. */
typedef struct pgb_metric_sink {
  void* ctx;
  /* Records metric `key` = `value`. The key is copied. Keys are lower-case slash paths
   * ("loss/policy", "policy/entropy", "policy/approx_kl", "optim/lr"); the prefixes "host/"
   * and "time/" are reserved for the host. */
  void(PGB_ABI* emit)(void* ctx, const char* key, double value);
} pgb_metric_sink_t;

/* ------------------------------------------------------------------------------ environment */

typedef struct pgb_env pgb_env_t; /* opaque; made by create(), freed by destroy() */
typedef struct pgb_env_desc pgb_env_desc_t;

typedef struct pgb_env_create_args {
  uint32_t struct_size;
  uint32_t num_envs;           /* sub-environments in this instance, >= 1 */
  const pgb_host_t* host;      /* outlives the instance */
  const pgb_config_t* config;  /* valid during create() only */
  uint64_t seed;               /* root seed; sub-env i starts its own stream from it */
  uint64_t reserved[4];        /* 0 */
} pgb_env_create_args_t;

/* Filled by get_info(). The HOST sets struct_size to its own sizeof; the plugin fills only the
 * fields that fit. */
typedef struct pgb_env_info {
  uint32_t struct_size;
  uint32_t num_envs;
  const pgb_space_t* observation_space; /* instance-owned, valid until destroy() */
  const pgb_space_t* action_space;      /* instance-owned, valid until destroy() */
  uint32_t frames_per_step;    /* simulator frames per env step (frame skip); 1 if none */
  uint32_t max_episode_steps;  /* the task's registered time limit (applied by the host); 0 = none */
  uint64_t reserved[4];
} pgb_env_info_t;

/* Output buffers of step(), host-allocated. */
typedef struct pgb_step_out {
  uint32_t struct_size;
  uint32_t num_envs;
  double* observation;         /* (num_envs x obs_dim) next observations */
  double* reward;              /* (num_envs) */
  uint8_t* terminated;         /* (num_envs) 1 = a terminal state of the MDP was reached */
  uint8_t* truncated;          /* (num_envs) 1 = the env cut the episode for another reason;
                                  time limits are the host's and are NOT reported here */
  uint64_t reserved[4];
} pgb_step_out_t;

/* The functions of an environment. Required (the loader refuses a table without them): create,
 * destroy, get_info, reset, step, last_error. Optional (NULL, or absent by struct_size, allowed):
 * save_state and load_state (ABI 1.1), without which the host restarts an interrupted run. */
typedef struct pgb_env_vtable {
  uint32_t struct_size;
  uint32_t reserved0;

  /* Creates an instance of `num_envs` independent sub-environments configured by args->config.
   * Heavy work (loading and compiling models) belongs here. On success writes the instance to
   * *out and returns PGB_OK; on failure leaves *out NULL and writes a NUL-terminated message of
   * at most err_size bytes into err. `desc` is the descriptor this vtable was reached through.
   * [any-thread] */
  pgb_status(PGB_ABI* create)(const pgb_env_desc_t* desc, const pgb_env_create_args_t* args,
                              pgb_env_t** out, char* err, uint32_t err_size);

  /* Frees the instance and everything it owns. NULL is a no-op. [instance] */
  void(PGB_ABI* destroy)(pgb_env_t* env);

  /* Describes the instance: spaces, frame skip, registered time limit. [instance] */
  pgb_status(PGB_ABI* get_info)(const pgb_env_t* env, pgb_env_info_t* info);

  /* Starts a new episode in every sub-env i with mask[i] != 0 and writes its first observation
   * to row i of obs_out; other rows are left untouched.
   *   mask:    (num_envs) or NULL = all sub-envs.
   *   seeds:   (num_envs) or NULL. seeds[i] reseeds sub-env i's generator before drawing its
   *            initial state (Gymnasium's reset(seed=...)); NULL continues each stream.
   *   obs_out: (num_envs x obs_dim), host-owned.
   * [instance] */
  pgb_status(PGB_ABI* reset)(pgb_env_t* env, const uint8_t* mask, const uint64_t* seeds,
                             double* obs_out);

  /* Advances every sub-env i with mask[i] != 0 by one step and writes row i of each output;
   * other rows are left untouched. A stepped sub-env must be in an episode: there is no
   * auto-reset; stepping an ended sub-env returns PGB_ERR_BAD_STATE until it is reset.
   *   actions: (num_envs x act_dim) doubles for BOX, (num_envs) int64_t for DISCRETE; rows of
   *            unmasked sub-envs are ignored.
   *   mask:    (num_envs) or NULL = all sub-envs.
   *   out:     host-owned output buffers.
   * [instance] */
  pgb_status(PGB_ABI* step)(pgb_env_t* env, const void* actions, const uint8_t* mask,
                            const pgb_step_out_t* out);

  /* Why the last call failed; "" if it did not. Never NULL. Instance-owned, valid until the next
   * call on the instance. [instance] */
  const char*(PGB_ABI* last_error)(const pgb_env_t* env);

  void* reserved[4];

  /* ---- ABI 1.1. OPTIONAL: both NULL, or absent (PGB_HAS_FIELD false), when the environment
   * cannot checkpoint; the host then restarts an interrupted run of it from step 0. ---- */

  /* Writes the whole state of every sub-env to `out`: physics, episode flags and each sub-env's
   * random generator, everything that makes the next reset() or step() what it would have been.
   * The format is the plugin's own. Does not change the instance. [instance] */
  pgb_status(PGB_ABI* save_state)(const pgb_env_t* env, const pgb_ostream_t* out);

  /* Restores a state written by save_state() of an instance of the same environment, created
   * with the same config and num_envs; afterwards the instance continues bit-for-bit as the
   * saved one would have. PGB_ERR_VERSION or PGB_ERR_INVALID_ARGUMENT when the bytes do not
   * fit. [instance] */
  pgb_status(PGB_ABI* load_state)(pgb_env_t* env, const pgb_istream_t* in);
} pgb_env_vtable_t;

enum {
  /* The same seed and actions give bit-identical outputs. `pgbench check` holds a plugin that sets
   * it to that, across processes; without it runs on the environment are not reproducible, and
   * the check says so instead. */
  PGB_ENV_DETERMINISTIC = 1u << 0
};

/* An environment type. Plugin-owned, static. */
struct pgb_env_desc {
  uint32_t struct_size;
  uint32_t param_count;
  const char* id;              /* unique, revisioned: "org.pgbench.classic.cartpole/1" */
  const char* name;            /* the name users know, unique too: "CartPole-v1" */
  const char* description;     /* one paragraph */
  const char* dependencies;    /* versions of what it runs on, e.g. "mujoco 2.2.2"; "" if none */
  const pgb_param_desc_t* const* params; /* (param_count) pointers */
  uint64_t flags;              /* PGB_ENV_* */
  const pgb_env_vtable_t* vtable;
  void* reserved[4];
};

/* -------------------------------------------------------------------------------- algorithm */

typedef struct pgb_algo pgb_algo_t; /* opaque; made by create(), freed by destroy() */
typedef struct pgb_algo_desc pgb_algo_desc_t;

typedef struct pgb_algo_create_args {
  uint32_t struct_size;
  uint32_t num_envs;           /* rows of every act() and observe() call while training */
  const pgb_host_t* host;      /* outlives the instance */
  const pgb_space_t* observation_space; /* host-owned, valid until destroy() */
  const pgb_space_t* action_space;      /* host-owned, valid until destroy() */
  const pgb_config_t* hyperparameters;  /* valid during create() only */
  uint64_t seed;               /* the only source of randomness the instance may use */
  uint64_t total_env_steps;    /* the run's env-step budget, the same for every algorithm */
  uint64_t reserved[4];        /* 0 */
} pgb_algo_create_args_t;

/* One host step of experience: one row per sub-env. Host-owned, valid during observe() only. */
typedef struct pgb_transition_batch {
  uint32_t struct_size;
  uint32_t rows;
  const double* observation;      /* (rows x obs_dim) s_t */
  const void* action;             /* (rows x act_dim) doubles, or (rows) int64_t: as act() wrote */
  const double* reward;           /* (rows) r_t, raw */
  const double* next_observation; /* (rows x obs_dim) s_{t+1}: the FINAL observation when the
                                     episode ended, before the host reset the sub-env */
  const uint8_t* terminated;      /* (rows) s_{t+1} is terminal: do not bootstrap */
  const uint8_t* truncated;       /* (rows) cut off, host time limit included: bootstrap */
  uint64_t reserved[4];
} pgb_transition_batch_t;

typedef int32_t pgb_state_scope;
enum {
  PGB_STATE_POLICY = 1, /* enough for act_eval() */
  PGB_STATE_FULL = 2    /* everything: training continues bit-for-bit after load() */
};

/* The functions of an algorithm. All are required (the loader refuses a table with a NULL one):
 * save/load may answer PGB_ERR_UNSUPPORTED for a scope they cannot serve. */
typedef struct pgb_algo_vtable {
  uint32_t struct_size;
  uint32_t reserved0;

  /* Creates a learner for the given spaces and hyperparameters. On failure leaves *out NULL and
   * writes a NUL-terminated message of at most err_size bytes into err. [any-thread] */
  pgb_status(PGB_ABI* create)(const pgb_algo_desc_t* desc, const pgb_algo_create_args_t* args,
                              pgb_algo_t** out, char* err, uint32_t err_size);

  /* Frees the instance. NULL is a no-op. [instance] */
  void(PGB_ABI* destroy)(pgb_algo_t* algo);

  /* The behaviour (exploring) policy: writes one action per observation row.
   *   obs:         (rows x obs_dim)
   *   actions_out: (rows x act_dim) doubles or (rows) int64_t, host-owned.
   * rows equals num_envs while training. [instance] */
  pgb_status(PGB_ABI* act)(pgb_algo_t* algo, const double* obs, uint32_t rows,
                           void* actions_out);

  /* The evaluation policy: deterministic and pure, a function of the learned parameters and
   * `obs` only. It changes no state: no RNG draw, no normaliser update. rows may be any count.
   * Same buffers as act(). [instance] */
  pgb_status(PGB_ABI* act_eval)(pgb_algo_t* algo, const double* obs, uint32_t rows,
                                void* actions_out);

  /* Receives the outcome of the last act(): one transition per sub-env. The plugin copies what it
   * keeps. Sets *update_ready to 1 to ask for update() now, else 0. [instance] */
  pgb_status(PGB_ABI* observe)(pgb_algo_t* algo, const pgb_transition_batch_t* batch,
                               uint32_t* update_ready);

  /* One learning phase (e.g. PPO's epochs over a rollout). env_steps_done is the host's count.
   * Diagnostics go to `metrics` (valid during this call). [instance] */
  pgb_status(PGB_ABI* update)(pgb_algo_t* algo, uint64_t env_steps_done,
                              const pgb_metric_sink_t* metrics);

  /* Writes the state in `scope` to `out`. The format is the plugin's own; it starts with the
   * algorithm id and a format version. [instance] */
  pgb_status(PGB_ABI* save)(pgb_algo_t* algo, pgb_state_scope scope, const pgb_ostream_t* out);

  /* Restores state written by save() of the same algorithm; PGB_ERR_VERSION on a mismatch. The
   * instance must have been created with the same spaces and hyperparameters. [instance] */
  pgb_status(PGB_ABI* load)(pgb_algo_t* algo, pgb_state_scope scope, const pgb_istream_t* in);

  /* Why the last call failed; "" if it did not. Never NULL. Instance-owned, valid until the next
   * call on the instance. [instance] */
  const char*(PGB_ABI* last_error)(const pgb_algo_t* algo);

  void* reserved[4];
} pgb_algo_vtable_t;

enum {
  PGB_ALGO_BOX_ACTIONS = 1u << 0,      /* handles Box action spaces */
  PGB_ALGO_DISCRETE_ACTIONS = 1u << 1  /* handles Discrete action spaces */
};

/* An algorithm type. Plugin-owned, static. */
struct pgb_algo_desc {
  uint32_t struct_size;
  uint32_t param_count;
  const char* id;              /* unique, revisioned: "org.pgbench.algo.ppo/1" */
  const char* name;            /* the name users know, unique too: "ppo" */
  const char* description;
  const char* dependencies;    /* "" if none */
  const pgb_param_desc_t* const* params; /* (param_count) pointers */
  uint64_t flags;              /* PGB_ALGO_*; at least one action kind */
  const pgb_algo_vtable_t* vtable;
  void* reserved[4];

  /* ---- ABI 1.2. OPTIONAL (0, or absent by struct_size): the host then uses 1. ---- */

  /* The number of sub-environments the algorithm trains on when a suite does not say (num_envs
   * of a suite's algorithm entry overrides it): e.g. 8 for a synchronous actor-critic. */
  uint32_t default_num_envs;
  uint32_t reserved1;          /* 0 */
};

/* ----------------------------------------------------------------------------------- plugin */

/* What a plugin provides. Plugin-owned, static, valid until the library is unloaded. */
typedef struct pgb_plugin {
  uint32_t struct_size;
  uint32_t abi_version;        /* PGB_ABI_VERSION the plugin was compiled against */
  const char* id;              /* unique: "org.pgbench.classic" */
  const char* name;            /* "Classic control" */
  const char* version;         /* the plugin's own version, "1.0.0" */
  const char* vendor;
  const char* description;
  uint32_t env_count;
  uint32_t algo_count;
  const pgb_env_desc_t* const* envs;   /* (env_count) pointers */
  const pgb_algo_desc_t* const* algos; /* (algo_count) pointers */
  void* reserved[4];

  /* ---- ABI 1.2. OPTIONAL (NULL, or absent by struct_size). ---- */

  /* How the plugin was compiled: the compiler, and the settings that change the layout of the
   * objects it shares with a library it links (the SDK writes "gcc 12.2.0; vector=avx512f": the
   * vector units Eigen aligns for, and Eigen's alignment switches when set; a plugin that links
   * pgbench::learn adds "; matrix products=eigen" or the OpenBLAS build and the kernels it chose
   * for this CPU, which decide the arithmetic but no layout). The host records it
   * in each run's manifest and shows it in `pgbench list`. An SDK plugin whose settings do not
   * fit the pgbench::learn it links refuses to load: its entry returns NULL and logs what to
   * rebuild with. */
  const char* build_signature;

  /* ---- ABI 1.2. OPTIONAL (NULL, or absent by struct_size): a plugin that runs plugins written
   * in another language (pgbench's Python plugin runs Python agents). A plugin that sets them
   * may provide no environment and no algorithm of its own. ---- */

  /* The file name endings it opens, separated by '|' (".py"). The host offers it every such file
   * on the plugin path, after the shared libraries of the same folder. */
  const char* file_extensions;

  /* Opens the plugin written in the file at `path` and returns its descriptor, which this plugin
   * owns and keeps valid until it is unloaded (the host keeps it loaded while anything from the
   * file lives); the descriptor's functions are called exactly as a shared library's. On failure
   * returns NULL and writes a NUL-terminated message of at most err_size bytes into err. Called
   * once per file, from the thread that loads plugins. */
  const struct pgb_plugin*(PGB_ABI* open_file)(const pgb_host_t* host, const char* path, char* err,
                                               uint32_t err_size);
} pgb_plugin_t;

/* The one exported function, named PGB_ENTRY_SYMBOL. Returns the plugin's descriptor, or NULL if
 * it cannot serve this host (it says why through host->log). Cheap and idempotent: no heavy work
 * here. `host` outlives every use of the descriptor. [any-thread] */
typedef const pgb_plugin_t*(PGB_ABI* pgb_plugin_entry_fn)(const pgb_host_t* host);

/* The entry function of this major version, declared here so that the compiler checks a plugin's
 * definition against it (a plugin defines exactly this function and exports nothing else). */
PGB_EXPORT const pgb_plugin_t* PGB_ABI pgb_plugin_entry_v1(const pgb_host_t* host);

#ifdef __cplusplus
}
#endif

#endif /* PGBENCH_ABI_H_ */
