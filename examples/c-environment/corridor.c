/* Corridor-v0, a pgbench environment in plain C99 against pgbench/abi.h alone.
 *
 * A walker stands in a corridor of CORRIDOR_CELLS cells, somewhere in its left half; each step it
 * goes left (action 0) or right (action 1), and with probability `slip` it goes the other way.
 * Reaching the right end ends the episode with reward +1; every step costs STEP_COST. The host's
 * time limit (MAX_EPISODE_STEPS) ends an episode that never gets there.
 *
 *   observation  (1): the walker's cell as a fraction of the corridor, in [0, 1]
 *   action       Discrete(2): 0 = left, 1 = right
 *   parameters   slip: probability that a step goes the other way, in [0, 0.5]
 *
 * Each sub-env has its own generator (splitmix64), seeded from the instance seed and the
 * sub-env's index, reseeded by reset(seeds); save_state/load_state checkpoint everything. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pgbench/abi.h>

#define CORRIDOR_CELLS 20
#define STEP_COST 0.01
#define MAX_EPISODE_STEPS 200
#define STATE_FORMAT 1u /* version of save_state's bytes */

/* ------------------------------------------------------------------------------- randomness */

static uint64_t splitmix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 53 random bits. */
static double uniform01(uint64_t* state) { return (double)(splitmix64(state) >> 11) * (1.0 / 9007199254740992.0); }

/* ---------------------------------------------------------------------------------- instance */

typedef struct walker {
  int32_t cell;        /* 0 .. CORRIDOR_CELLS - 1 */
  uint8_t in_episode;  /* 1 between reset and the end of the episode */
  uint8_t padding[3];
  uint64_t rng;        /* splitmix64 state */
} walker_t;

struct pgb_env {
  uint32_t num_envs;
  double slip;
  walker_t* walkers; /* (num_envs) */
  pgb_space_t observation_space, action_space;
  double obs_low, obs_high;
  char error[256];
};

static const pgb_param_desc_t slip_param = {
    sizeof(pgb_param_desc_t), PGB_PARAM_AFFECTS_RESULTS, "slip", "probability that a step goes the other way",
    {PGB_VALUE_FLOAT, 0, {0}}, 0.0, 0.5, NULL};
static const pgb_param_desc_t* const corridor_params[] = {&slip_param};

static void observe(const pgb_env_t* env, uint32_t i, double* obs) {
  obs[i] = (double)env->walkers[i].cell / (CORRIDOR_CELLS - 1);
}

static pgb_status PGB_ABI corridor_create(const pgb_env_desc_t* desc, const pgb_env_create_args_t* args,
                                          pgb_env_t** out, char* err, uint32_t err_size) {
  pgb_env_t* env;
  double slip = 0.1;
  uint32_t i;
  (void)desc;
  *out = NULL;
  /* The host passes every declared parameter; another host may not check them: refuse what is
   * not declared or out of range. */
  for (i = 0; args->config && i < args->config->count; ++i) {
    const pgb_kv_t* kv = &args->config->items[i];
    if (strcmp(kv->key, "slip") != 0) {
      snprintf(err, err_size, "Corridor-v0 has no parameter '%s'; accepted: slip", kv->key);
      return PGB_ERR_INVALID_ARGUMENT;
    }
    if (kv->value.type != PGB_VALUE_FLOAT || !(kv->value.as.f >= 0.0 && kv->value.as.f <= 0.5)) {
      snprintf(err, err_size, "slip must be a number in [0, 0.5]");
      return PGB_ERR_INVALID_ARGUMENT;
    }
    slip = kv->value.as.f;
  }
  env = (pgb_env_t*)calloc(1, sizeof *env);
  if (!env) return PGB_ERR_OUT_OF_MEMORY;
  env->walkers = (walker_t*)calloc(args->num_envs, sizeof *env->walkers);
  if (!env->walkers) {
    free(env);
    return PGB_ERR_OUT_OF_MEMORY;
  }
  env->num_envs = args->num_envs;
  env->slip = slip;
  for (i = 0; i < args->num_envs; ++i) {
    env->walkers[i].rng = args->seed;
    env->walkers[i].rng ^= splitmix64(&env->walkers[i].rng) + i; /* a distinct stream per sub-env */
  }
  env->obs_low = 0.0;
  env->obs_high = 1.0;
  env->observation_space.struct_size = sizeof(pgb_space_t);
  env->observation_space.kind = PGB_SPACE_BOX;
  env->observation_space.dtype = PGB_DTYPE_F64;
  env->observation_space.ndim = 1;
  env->observation_space.shape[0] = 1;
  env->observation_space.low = &env->obs_low;
  env->observation_space.high = &env->obs_high;
  env->action_space.struct_size = sizeof(pgb_space_t);
  env->action_space.kind = PGB_SPACE_DISCRETE;
  env->action_space.dtype = PGB_DTYPE_I64;
  env->action_space.n = 2;
  *out = env;
  return PGB_OK;
}

static void PGB_ABI corridor_destroy(pgb_env_t* env) {
  if (!env) return;
  free(env->walkers);
  free(env);
}

static pgb_status PGB_ABI corridor_get_info(const pgb_env_t* env, pgb_env_info_t* info) {
  info->num_envs = env->num_envs;
  info->observation_space = &env->observation_space;
  info->action_space = &env->action_space;
  info->frames_per_step = 1;
  info->max_episode_steps = MAX_EPISODE_STEPS;
  return PGB_OK;
}

static pgb_status PGB_ABI corridor_reset(pgb_env_t* env, const uint8_t* mask, const uint64_t* seeds, double* obs_out) {
  uint32_t i;
  for (i = 0; i < env->num_envs; ++i) {
    walker_t* w = &env->walkers[i];
    if (mask && !mask[i]) continue;
    if (seeds) w->rng = seeds[i];
    w->cell = (int32_t)(splitmix64(&w->rng) % (CORRIDOR_CELLS / 2)); /* the left half */
    w->in_episode = 1;
    observe(env, i, obs_out);
  }
  env->error[0] = '\0';
  return PGB_OK;
}

static pgb_status PGB_ABI corridor_step(pgb_env_t* env, const void* actions, const uint8_t* mask,
                                        const pgb_step_out_t* out) {
  const int64_t* a = (const int64_t*)actions;
  uint32_t i;
  for (i = 0; i < env->num_envs; ++i) {
    walker_t* w = &env->walkers[i];
    int32_t move;
    if (mask && !mask[i]) continue;
    if (!w->in_episode) {
      snprintf(env->error, sizeof env->error, "sub-env %u stepped after its episode ended; reset it first", (unsigned)i);
      return PGB_ERR_BAD_STATE;
    }
    if (a[i] != 0 && a[i] != 1) {
      snprintf(env->error, sizeof env->error, "action %lld is not 0 (left) or 1 (right)", (long long)a[i]);
      return PGB_ERR_INVALID_ARGUMENT;
    }
    move = a[i] == 1 ? 1 : -1;
    if (uniform01(&w->rng) < env->slip) move = -move;
    w->cell += move;
    if (w->cell < 0) w->cell = 0;
    out->terminated[i] = w->cell >= CORRIDOR_CELLS - 1;
    out->truncated[i] = 0;
    out->reward[i] = out->terminated[i] ? 1.0 : -STEP_COST;
    if (out->terminated[i]) w->in_episode = 0;
    observe(env, i, out->observation);
  }
  env->error[0] = '\0';
  return PGB_OK;
}

static const char* PGB_ABI corridor_last_error(const pgb_env_t* env) { return env->error; }

/* The state: a format number, the sub-env count, then every walker as it is in memory. */
static pgb_status PGB_ABI corridor_save_state(const pgb_env_t* env, const pgb_ostream_t* out) {
  const uint32_t header[2] = {STATE_FORMAT, env->num_envs};
  const uint64_t size = (uint64_t)env->num_envs * sizeof(walker_t);
  if (out->write(out->ctx, header, sizeof header) != (int64_t)sizeof header) return PGB_ERR_INTERNAL;
  if (out->write(out->ctx, env->walkers, size) != (int64_t)size) return PGB_ERR_INTERNAL;
  return PGB_OK;
}

static pgb_status PGB_ABI corridor_load_state(pgb_env_t* env, const pgb_istream_t* in) {
  uint32_t header[2];
  const uint64_t size = (uint64_t)env->num_envs * sizeof(walker_t);
  if (in->read(in->ctx, header, sizeof header) != (int64_t)sizeof header || header[0] != STATE_FORMAT ||
      header[1] != env->num_envs) {
    snprintf(env->error, sizeof env->error, "not a Corridor-v0 state of %u sub-envs", (unsigned)env->num_envs);
    return PGB_ERR_VERSION;
  }
  if (in->read(in->ctx, env->walkers, size) != (int64_t)size) {
    snprintf(env->error, sizeof env->error, "the state ends early");
    return PGB_ERR_INVALID_ARGUMENT;
  }
  return PGB_OK;
}

static const pgb_env_vtable_t corridor_vtable = {
    sizeof(pgb_env_vtable_t), 0,           corridor_create, corridor_destroy,    corridor_get_info,
    corridor_reset,           corridor_step, corridor_last_error, {NULL, NULL, NULL, NULL},
    corridor_save_state,      corridor_load_state};

static const pgb_env_desc_t corridor_desc = {
    sizeof(pgb_env_desc_t),
    1,
    "org.example.c.corridor/1",
    "Corridor-v0",
    "Walk right along a slippery corridor to its end; every step costs a little.",
    "",
    corridor_params,
    PGB_ENV_DETERMINISTIC,
    &corridor_vtable,
    {NULL, NULL, NULL, NULL}};

static const pgb_env_desc_t* const envs[] = {&corridor_desc};

static const pgb_plugin_t plugin = {sizeof(pgb_plugin_t),
                                    PGB_ABI_VERSION,
                                    "org.example.c.corridor",
                                    "Corridor (C)",
                                    "1.0.0",
                                    "pgbench examples",
                                    "An environment written in plain C99",
                                    1,
                                    0,
                                    envs,
                                    NULL,
                                    {NULL, NULL, NULL, NULL},
                                    "C99; no shared library",
                                    NULL,
                                    NULL};

PGB_EXPORT const pgb_plugin_t* PGB_ABI pgb_plugin_entry_v1(const pgb_host_t* host) {
  (void)host;
  return &plugin;
}
