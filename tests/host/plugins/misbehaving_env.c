/* An environment in plain C that misbehaves on request, for the isolation tests: the proof that
 * a C plugin's crash is contained like a C++ one's.
 *
 *   "c-faulty": a point on [0, 1] pushed by a Box(1) action in [-1, 1]; reward -(x - 0.5)^2;
 *               episodes of 100 steps (truncated by the host's time limit). From sub-env step
 *               `at_step` on, step() does what `fault` says: none, segfault, abort, exit, hang.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pgbench/abi.h>

struct pgb_env {
  uint32_t num_envs;
  double* x;               /* (num_envs) */
  char fault[16];
  int64_t at_step;
  int64_t steps;           /* step() calls so far */
  pgb_space_t observation_space, action_space;
  double obs_low, obs_high, act_low, act_high;
  char error[128];
};

static const char* config_string(const pgb_config_t* config, const char* key, const char* fallback) {
  uint32_t i;
  for (i = 0; config && i < config->count; ++i)
    if (strcmp(config->items[i].key, key) == 0 && config->items[i].value.type == PGB_VALUE_STRING)
      return config->items[i].value.as.s;
  return fallback;
}

static int64_t config_int(const pgb_config_t* config, const char* key, int64_t fallback) {
  uint32_t i;
  for (i = 0; config && i < config->count; ++i)
    if (strcmp(config->items[i].key, key) == 0 && config->items[i].value.type == PGB_VALUE_INT)
      return config->items[i].value.as.i;
  return fallback;
}

static void box1(pgb_space_t* space, const double* low, const double* high) {
  space->struct_size = sizeof(pgb_space_t);
  space->kind = PGB_SPACE_BOX;
  space->dtype = PGB_DTYPE_F64;
  space->ndim = 1;
  space->shape[0] = 1;
  space->low = low;
  space->high = high;
}

static pgb_status PGB_ABI faulty_create(const pgb_env_desc_t* desc, const pgb_env_create_args_t* args, pgb_env_t** out,
                                        char* err, uint32_t err_size) {
  pgb_env_t* env;
  (void)desc;
  (void)err;
  (void)err_size;
  env = (pgb_env_t*)calloc(1, sizeof *env);
  if (!env) return PGB_ERR_OUT_OF_MEMORY;
  env->num_envs = args->num_envs;
  env->x = (double*)calloc(args->num_envs, sizeof *env->x);
  snprintf(env->fault, sizeof env->fault, "%s", config_string(args->config, "fault", "none"));
  env->at_step = config_int(args->config, "at_step", 100);
  env->obs_low = 0.0;
  env->obs_high = 1.0;
  env->act_low = -1.0;
  env->act_high = 1.0;
  box1(&env->observation_space, &env->obs_low, &env->obs_high);
  box1(&env->action_space, &env->act_low, &env->act_high);
  *out = env;
  return PGB_OK;
}

static void PGB_ABI faulty_destroy(pgb_env_t* env) {
  if (!env) return;
  free(env->x);
  free(env);
}

static pgb_status PGB_ABI faulty_get_info(const pgb_env_t* env, pgb_env_info_t* info) {
  info->num_envs = env->num_envs;
  info->observation_space = &env->observation_space;
  info->action_space = &env->action_space;
  info->frames_per_step = 1;
  info->max_episode_steps = 100;
  return PGB_OK;
}

static pgb_status PGB_ABI faulty_reset(pgb_env_t* env, const uint8_t* mask, const uint64_t* seeds, double* obs) {
  uint32_t i;
  for (i = 0; i < env->num_envs; ++i) {
    if (mask && !mask[i]) continue;
    env->x[i] = seeds ? (double)(seeds[i] % 1000) / 1000.0 : 0.5;
    obs[i] = env->x[i];
  }
  return PGB_OK;
}

static void misbehave(pgb_env_t* env) {
  if (strcmp(env->fault, "segfault") == 0) {
    volatile int* null = NULL;
    *null = 1;
  } else if (strcmp(env->fault, "abort") == 0) {
    abort();
  } else if (strcmp(env->fault, "exit") == 0) {
    exit(0);
  } else if (strcmp(env->fault, "hang") == 0) {
    volatile uint64_t spin = 0;
    for (;;) spin = spin + 1;
  }
}

static pgb_status PGB_ABI faulty_step(pgb_env_t* env, const void* actions, const uint8_t* mask, const pgb_step_out_t* out) {
  const double* a = (const double*)actions;
  uint32_t i;
  if (++env->steps >= env->at_step) misbehave(env);
  for (i = 0; i < env->num_envs; ++i) {
    if (mask && !mask[i]) continue;
    env->x[i] = fmin(1.0, fmax(0.0, env->x[i] + 0.1 * a[i]));
    out->observation[i] = env->x[i];
    out->reward[i] = -(env->x[i] - 0.5) * (env->x[i] - 0.5);
    out->terminated[i] = 0;
    out->truncated[i] = 0;
  }
  return PGB_OK;
}

static const char* PGB_ABI faulty_last_error(const pgb_env_t* env) { return env ? env->error : ""; }

static const pgb_env_vtable_t faulty_vtable = {sizeof(pgb_env_vtable_t), 0, faulty_create, faulty_destroy,
                                                faulty_get_info, faulty_reset, faulty_step, faulty_last_error,
                                                {NULL, NULL, NULL, NULL}, NULL, NULL};

static const pgb_param_desc_t fault_param = {sizeof(pgb_param_desc_t), PGB_PARAM_AFFECTS_RESULTS, "fault",
                                             "what step() does from at_step on",
                                             {PGB_VALUE_STRING, 0, {.s = "none"}}, NAN, NAN,
                                             "none|segfault|abort|exit|hang"};
static const pgb_param_desc_t at_step_param = {sizeof(pgb_param_desc_t), PGB_PARAM_AFFECTS_RESULTS, "at_step",
                                               "step() call from which the fault happens",
                                               {PGB_VALUE_INT, 0, {.i = 100}}, 1, 1e9, NULL};
static const pgb_param_desc_t* const faulty_params[] = {&fault_param, &at_step_param};

static const pgb_env_desc_t faulty_desc = {sizeof(pgb_env_desc_t), 2, "org.pgbench.test.c-faulty/1", "c-faulty",
                                           "A point pushed along [0, 1] that misbehaves on request", "",
                                           faulty_params, PGB_ENV_DETERMINISTIC, &faulty_vtable,
                                           {NULL, NULL, NULL, NULL}};

static const pgb_env_desc_t* const envs[] = {&faulty_desc};

static const pgb_plugin_t plugin = {sizeof(pgb_plugin_t), PGB_ABI_VERSION, "org.pgbench.test.c-faulty",
                                    "Misbehaving C environment", "1.0.0", "pgbench tests",
                                    "An environment in C that crashes, exits or hangs on request", 1, 0, envs, NULL,
                                    {NULL, NULL, NULL, NULL}, NULL, NULL, NULL /* ABI 1.2: no signature, opens no files */};

PGB_EXPORT const pgb_plugin_t* PGB_ABI pgb_plugin_entry_v1(const pgb_host_t* host) {
  (void)host;
  return &plugin;
}
