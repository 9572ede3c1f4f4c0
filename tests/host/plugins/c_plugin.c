/* A pgbench plugin written in plain C99 against pgbench/abi.h alone: the proof that the ABI
 * needs no C++. It provides one environment and one algorithm:
 *
 *   "c-chain": walk along a line of CHAIN_LENGTH cells, starting in the middle; action 1 moves
 *              right, 0 moves left; reaching the right end terminates with reward +1, every
 *              step costs -0.01. Observation: (position / CHAIN_LENGTH).
 *   "c-right": always moves right (act and act_eval alike).
 *   "c-bad":   always answers action 7, outside the Discrete(2) space: the host must refuse it.
 *
 * Compile-time switches build the broken variants the loader tests need:
 *   PGB_TEST_WRONG_ABI   exports pgb_plugin_entry_v2 instead of v1
 *   PGB_TEST_MALFORMED   leaves the env's step function NULL
 *   PGB_TEST_REFUSE      the entry function refuses (returns NULL after logging why)
 *   PGB_TEST_NULL_VENDOR the plugin descriptor's vendor string is NULL
 *   PGB_TEST_ACCEPT_UNDECLARED  c-right ignores its hyperparameters instead of refusing any
 *                        (it declares none): `pgbench check` must fail it
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pgbench/abi.h>

#define CHAIN_LENGTH 10

/* ---------------------------------------------------------------------------- environment */

struct pgb_env {
  uint32_t num_envs;
  int32_t* position;       /* (num_envs) */
  uint8_t* in_episode;     /* (num_envs) */
  pgb_space_t observation_space;
  pgb_space_t action_space;
  double obs_low, obs_high;
  char error[256];
};

static void chain_observe(const pgb_env_t* env, uint32_t i, double* obs) {
  obs[i] = (double)env->position[i] / CHAIN_LENGTH;
}

static pgb_status PGB_ABI chain_create(const pgb_env_desc_t* desc, const pgb_env_create_args_t* args,
                                       pgb_env_t** out, char* err, uint32_t err_size) {
  pgb_env_t* env;
  (void)desc;
  *out = NULL;
  if (args->config && args->config->count > 0) {
    snprintf(err, err_size, "c-chain has no parameters; got '%s'", args->config->items[0].key);
    return PGB_ERR_INVALID_ARGUMENT;
  }
  env = (pgb_env_t*)calloc(1, sizeof *env);
  if (!env) return PGB_ERR_OUT_OF_MEMORY;
  env->num_envs = args->num_envs;
  env->position = (int32_t*)calloc(args->num_envs, sizeof *env->position);
  env->in_episode = (uint8_t*)calloc(args->num_envs, 1);
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

static void PGB_ABI chain_destroy(pgb_env_t* env) {
  if (!env) return;
  free(env->position);
  free(env->in_episode);
  free(env);
}

static pgb_status PGB_ABI chain_get_info(const pgb_env_t* env, pgb_env_info_t* info) {
  info->num_envs = env->num_envs;
  info->observation_space = &env->observation_space;
  info->action_space = &env->action_space;
  info->frames_per_step = 1;
  info->max_episode_steps = 50;
  return PGB_OK;
}

static pgb_status PGB_ABI chain_reset(pgb_env_t* env, const uint8_t* mask, const uint64_t* seeds, double* obs_out) {
  uint32_t i;
  (void)seeds; /* deterministic start: the middle of the chain */
  for (i = 0; i < env->num_envs; ++i) {
    if (mask && !mask[i]) continue;
    env->position[i] = CHAIN_LENGTH / 2;
    env->in_episode[i] = 1;
    chain_observe(env, i, obs_out);
  }
  return PGB_OK;
}

static pgb_status PGB_ABI chain_step(pgb_env_t* env, const void* actions, const uint8_t* mask,
                                     const pgb_step_out_t* out) {
  const int64_t* a = (const int64_t*)actions;
  uint32_t i;
  for (i = 0; i < env->num_envs; ++i) {
    if (mask && !mask[i]) continue;
    if (!env->in_episode[i]) {
      snprintf(env->error, sizeof env->error, "sub-env %u stepped after its episode ended", (unsigned)i);
      return PGB_ERR_BAD_STATE;
    }
    env->position[i] += a[i] == 1 ? 1 : -1;
    if (env->position[i] < 0) env->position[i] = 0;
    out->terminated[i] = env->position[i] >= CHAIN_LENGTH;
    out->truncated[i] = 0;
    out->reward[i] = out->terminated[i] ? 1.0 : -0.01;
    if (out->terminated[i]) env->in_episode[i] = 0;
    chain_observe(env, i, out->observation);
  }
  env->error[0] = '\0';
  return PGB_OK;
}

static const char* PGB_ABI chain_last_error(const pgb_env_t* env) { return env->error; }

static const pgb_env_vtable_t chain_vtable = {
    sizeof(pgb_env_vtable_t), 0, chain_create, chain_destroy, chain_get_info, chain_reset,
#ifdef PGB_TEST_MALFORMED
    NULL,
#else
    chain_step,
#endif
    chain_last_error, {NULL, NULL, NULL, NULL},
    NULL, NULL /* ABI 1.1 save_state, load_state: this environment does not checkpoint */};

static const pgb_env_desc_t chain_desc = {sizeof(pgb_env_desc_t), 0, "org.pgbench.test.c-chain/1", "c-chain",
                                          "A chain walk written in C", "", NULL, PGB_ENV_DETERMINISTIC,
                                          &chain_vtable, {NULL, NULL, NULL, NULL}};

/* ------------------------------------------------------------------------------ algorithm */

struct pgb_algo {
  uint64_t observed;
};

static pgb_status PGB_ABI right_create(const pgb_algo_desc_t* desc, const pgb_algo_create_args_t* args,
                                       pgb_algo_t** out, char* err, uint32_t err_size) {
  (void)desc;
  *out = NULL;
#ifndef PGB_TEST_ACCEPT_UNDECLARED
  if (args->hyperparameters && args->hyperparameters->count > 0) {
    snprintf(err, err_size, "c-right has no hyperparameters; got '%s'", args->hyperparameters->items[0].key);
    return PGB_ERR_INVALID_ARGUMENT;
  }
#endif
  if (args->action_space->kind != PGB_SPACE_DISCRETE) {
    snprintf(err, err_size, "c-right needs a Discrete action space");
    return PGB_ERR_UNSUPPORTED;
  }
  *out = (pgb_algo_t*)calloc(1, sizeof(pgb_algo_t));
  return *out ? PGB_OK : PGB_ERR_OUT_OF_MEMORY;
}

static void PGB_ABI right_destroy(pgb_algo_t* algo) { free(algo); }

static pgb_status PGB_ABI right_act(pgb_algo_t* algo, const double* obs, uint32_t rows, void* actions_out) {
  uint32_t i;
  (void)algo;
  (void)obs;
  for (i = 0; i < rows; ++i) ((int64_t*)actions_out)[i] = 1;
  return PGB_OK;
}

static pgb_status PGB_ABI right_observe(pgb_algo_t* algo, const pgb_transition_batch_t* batch, uint32_t* ready) {
  algo->observed += batch->rows;
  *ready = 0;
  return PGB_OK;
}

static pgb_status PGB_ABI right_update(pgb_algo_t* algo, uint64_t steps, const pgb_metric_sink_t* metrics) {
  (void)steps;
  metrics->emit(metrics->ctx, "c/observed", (double)algo->observed);
  return PGB_OK;
}

static pgb_status PGB_ABI right_save(pgb_algo_t* algo, pgb_state_scope scope, const pgb_ostream_t* out) {
  (void)scope;
  return out->write(out->ctx, &algo->observed, sizeof algo->observed) == (int64_t)sizeof algo->observed
             ? PGB_OK
             : PGB_ERR_INTERNAL;
}

static pgb_status PGB_ABI right_load(pgb_algo_t* algo, pgb_state_scope scope, const pgb_istream_t* in) {
  (void)scope;
  return in->read(in->ctx, &algo->observed, sizeof algo->observed) == (int64_t)sizeof algo->observed
             ? PGB_OK
             : PGB_ERR_VERSION;
}

static const char* PGB_ABI right_last_error(const pgb_algo_t* algo) {
  (void)algo;
  return "";
}

static const pgb_algo_vtable_t right_vtable = {sizeof(pgb_algo_vtable_t), 0, right_create, right_destroy,
                                               right_act, right_act, right_observe, right_update,
                                               right_save, right_load, right_last_error,
                                               {NULL, NULL, NULL, NULL}};

static const pgb_algo_desc_t right_desc = {sizeof(pgb_algo_desc_t), 0, "org.pgbench.test.c-right/1", "c-right",
                                           "Always moves right", "", NULL, PGB_ALGO_DISCRETE_ACTIONS,
                                           &right_vtable, {NULL, NULL, NULL, NULL},
                                           1, 0 /* ABI 1.2: default_num_envs, reserved1 */};

static pgb_status PGB_ABI bad_act(pgb_algo_t* algo, const double* obs, uint32_t rows, void* actions_out) {
  uint32_t i;
  (void)algo;
  (void)obs;
  for (i = 0; i < rows; ++i) ((int64_t*)actions_out)[i] = 7;
  return PGB_OK;
}

static const pgb_algo_vtable_t bad_vtable = {sizeof(pgb_algo_vtable_t), 0, right_create, right_destroy,
                                             bad_act, bad_act, right_observe, right_update,
                                             right_save, right_load, right_last_error,
                                             {NULL, NULL, NULL, NULL}};

static const pgb_algo_desc_t bad_desc = {sizeof(pgb_algo_desc_t), 0, "org.pgbench.test.c-bad/1", "c-bad",
                                         "Answers an action outside the space", "", NULL,
                                         PGB_ALGO_DISCRETE_ACTIONS, &bad_vtable, {NULL, NULL, NULL, NULL}, 1, 0};

/* --------------------------------------------------------------------------------- plugin */

static const pgb_env_desc_t* const envs[] = {&chain_desc};
static const pgb_algo_desc_t* const algos[] = {&right_desc, &bad_desc};

#ifdef PGB_TEST_NULL_VENDOR
#define PLUGIN_VENDOR NULL
#else
#define PLUGIN_VENDOR "pgbench tests"
#endif
static const pgb_plugin_t plugin = {sizeof(pgb_plugin_t), PGB_ABI_VERSION, "org.pgbench.test.c",
                                    "C test plugin", "1.0.0", PLUGIN_VENDOR,
                                    "An environment and two algorithms in plain C", 1, 2, envs, algos,
                                    {NULL, NULL, NULL, NULL}, "cc; no shared library", NULL, NULL /* ABI 1.2 */};

#ifdef PGB_TEST_WRONG_ABI
PGB_EXPORT const pgb_plugin_t* pgb_plugin_entry_v2(const pgb_host_t* host) {
#else
PGB_EXPORT const pgb_plugin_t* PGB_ABI pgb_plugin_entry_v1(const pgb_host_t* host) {
#endif
#ifdef PGB_TEST_REFUSE
  host->log(host, PGB_LOG_ERROR, "this test plugin always refuses");
  return NULL;
#else
  (void)host;
  return &plugin;
#endif
}
