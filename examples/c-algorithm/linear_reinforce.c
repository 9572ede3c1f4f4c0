/* linear-reinforce, a pgbench algorithm in plain C99 against pgbench/abi.h alone: REINFORCE
 * (Williams 1992) with a linear softmax policy over Discrete actions.
 *
 *   π_θ(a|s) = softmax_a(θ_a · [s; 1])                      θ: (n_actions x (obs_dim + 1))
 *   per finished episode:  G_t = Σ_{k≥t} γ^{k−t} r_k,   ∇θ log π(a_t|s_t) = (e_{a_t} − π(·|s_t)) [s_t; 1]ᵀ
 *   every batch_episodes episodes:
 *       θ ← θ + α (1/E) Σ_episodes Σ_t (G_t − b) ∇θ log π(a_t|s_t)
 *   with the baseline b a running mean of the returns G_0 of past episodes.
 *
 * Ownership: the host owns every buffer it passes; this file copies what it keeps. Randomness:
 * one splitmix64 stream seeded by create()'s seed. save/load checkpoint everything, the episodes
 * in progress included, so a resumed run continues bit for bit. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pgbench/abi.h>

#define STATE_FORMAT 1u /* version of save()'s bytes */

/* ------------------------------------------------------------------------- hyperparameters */

enum { PARAM_LEARNING_RATE, PARAM_GAMMA, PARAM_BATCH_EPISODES, PARAM_COUNT };

/* Each declared once, with its default: the host resolves a run's values against these. */
static const pgb_param_desc_t params[PARAM_COUNT] = {
    {sizeof(pgb_param_desc_t), PGB_PARAM_AFFECTS_RESULTS, "learning_rate", "step size of the gradient ascent",
     {PGB_VALUE_FLOAT, 0, {.f = 0.01}}, 0.0, 10.0, NULL},
    {sizeof(pgb_param_desc_t), PGB_PARAM_AFFECTS_RESULTS, "gamma", "discount factor",
     {PGB_VALUE_FLOAT, 0, {.f = 0.99}}, 0.0, 1.0, NULL},
    {sizeof(pgb_param_desc_t), PGB_PARAM_AFFECTS_RESULTS, "batch_episodes", "finished episodes per update",
     {PGB_VALUE_INT, 0, {.i = 10}}, 1.0, 10000.0, NULL}};
static const pgb_param_desc_t* const param_list[PARAM_COUNT] = {&params[0], &params[1], &params[2]};

/* ------------------------------------------------------------------------------ the learner */

/* One sub-env's episode in progress: its states (with the bias 1 appended), actions, rewards. */
typedef struct episode {
  uint64_t length, capacity;
  double* features; /* (capacity x (obs_dim + 1)) */
  int64_t* actions; /* (capacity) action indices, from 0 */
  double* rewards;  /* (capacity) */
} episode_t;

struct pgb_algo {
  uint32_t num_envs, obs_dim, n_actions;
  int64_t action_start;
  double learning_rate, gamma;
  int64_t batch_episodes;
  double* theta;     /* (n_actions x (obs_dim + 1)) */
  double* gradient;  /* same: the batch's sum */
  double* probs;     /* (n_actions) scratch */
  double* x;         /* (obs_dim + 1) scratch: the features of one row */
  double baseline;   /* running mean of G_0 */
  uint64_t episodes_seen, episodes_in_batch;
  uint64_t rng;      /* splitmix64 state */
  episode_t* episodes; /* (num_envs) */
  char error[256];
};

static uint64_t splitmix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double uniform01(uint64_t* state) { return (double)(splitmix64(state) >> 11) * (1.0 / 9007199254740992.0); }

static uint32_t features(const pgb_algo_t* algo) { return algo->obs_dim + 1; }

/* π(·|s) into algo->probs, for the features x = [s; 1]. */
static void policy(pgb_algo_t* algo, const double* x) {
  uint32_t a, j, f = features(algo);
  double max = -INFINITY, sum = 0.0;
  for (a = 0; a < algo->n_actions; ++a) {
    double z = 0.0;
    for (j = 0; j < f; ++j) z += algo->theta[a * f + j] * x[j];
    algo->probs[a] = z;
    if (z > max) max = z;
  }
  for (a = 0; a < algo->n_actions; ++a) sum += (algo->probs[a] = exp(algo->probs[a] - max));
  for (a = 0; a < algo->n_actions; ++a) algo->probs[a] /= sum;
}

static void feature_row(const pgb_algo_t* algo, const double* obs, double* x) {
  memcpy(x, obs, algo->obs_dim * sizeof *x);
  x[algo->obs_dim] = 1.0;
}

/* Adds episode `e`'s Σ_t (G_t − b) ∇θ log π(a_t|s_t) to the batch gradient. */
static void accumulate_episode(pgb_algo_t* algo, const episode_t* e) {
  uint32_t a, j, f = features(algo);
  uint64_t t;
  double g = 0.0;
  for (t = e->length; t-- > 0;) {
    const double* x = e->features + t * f;
    g = e->rewards[t] + algo->gamma * g;
    policy(algo, x);
    for (a = 0; a < algo->n_actions; ++a) {
      const double indicator = (int64_t)a == e->actions[t] ? 1.0 : 0.0;
      for (j = 0; j < f; ++j) algo->gradient[a * f + j] += (g - algo->baseline) * (indicator - algo->probs[a]) * x[j];
    }
  }
  /* g is now G_0: the baseline follows the running mean of the episodes' returns. */
  algo->episodes_seen += 1;
  algo->baseline += (g - algo->baseline) / (double)algo->episodes_seen;
  algo->episodes_in_batch += 1;
}

static int episode_reserve(episode_t* e, uint64_t capacity, uint32_t f) {
  double* features_grown;
  int64_t* actions_grown;
  double* rewards_grown;
  if (capacity <= e->capacity) return 1;
  features_grown = (double*)realloc(e->features, capacity * f * sizeof(double));
  if (features_grown) e->features = features_grown;
  actions_grown = (int64_t*)realloc(e->actions, capacity * sizeof(int64_t));
  if (actions_grown) e->actions = actions_grown;
  rewards_grown = (double*)realloc(e->rewards, capacity * sizeof(double));
  if (rewards_grown) e->rewards = rewards_grown;
  if (!features_grown || !actions_grown || !rewards_grown) return 0;
  e->capacity = capacity;
  return 1;
}

/* ------------------------------------------------------------------------ the C functions */

static void PGB_ABI lr_destroy(pgb_algo_t* algo) {
  uint32_t i;
  if (!algo) return;
  for (i = 0; algo->episodes && i < algo->num_envs; ++i) {
    free(algo->episodes[i].features);
    free(algo->episodes[i].actions);
    free(algo->episodes[i].rewards);
  }
  free(algo->episodes);
  free(algo->theta);
  free(algo->gradient);
  free(algo->probs);
  free(algo->x);
  free(algo);
}

static pgb_status PGB_ABI lr_create(const pgb_algo_desc_t* desc, const pgb_algo_create_args_t* args,
                                    pgb_algo_t** out, char* err, uint32_t err_size) {
  pgb_algo_t* algo;
  uint32_t i, k;
  size_t size;
  (void)desc;
  *out = NULL;
  if (args->action_space->kind != PGB_SPACE_DISCRETE || args->observation_space->ndim != 1) {
    snprintf(err, err_size, "linear-reinforce needs Discrete actions and a flat Box observation");
    return PGB_ERR_UNSUPPORTED;
  }
  algo = (pgb_algo_t*)calloc(1, sizeof *algo);
  if (!algo) return PGB_ERR_OUT_OF_MEMORY;
  algo->learning_rate = params[PARAM_LEARNING_RATE].default_value.as.f;
  algo->gamma = params[PARAM_GAMMA].default_value.as.f;
  algo->batch_episodes = params[PARAM_BATCH_EPISODES].default_value.as.i;
  /* Every key must be declared and every value inside its bounds: another host may not check. */
  for (i = 0; args->hyperparameters && i < args->hyperparameters->count; ++i) {
    const pgb_kv_t* kv = &args->hyperparameters->items[i];
    const pgb_param_desc_t* p = NULL;
    double value;
    for (k = 0; k < PARAM_COUNT; ++k)
      if (strcmp(kv->key, params[k].key) == 0) p = &params[k];
    if (!p) {
      snprintf(err, err_size, "unknown hyperparameter '%s'; accepted: learning_rate, gamma, batch_episodes", kv->key);
      lr_destroy(algo);
      return PGB_ERR_INVALID_ARGUMENT;
    }
    value = kv->value.type == PGB_VALUE_INT ? (double)kv->value.as.i : kv->value.as.f;
    if ((kv->value.type != PGB_VALUE_INT && kv->value.type != PGB_VALUE_FLOAT) ||
        (p->default_value.type == PGB_VALUE_INT && kv->value.type != PGB_VALUE_INT) || !(value >= p->min) ||
        !(value <= p->max)) {
      snprintf(err, err_size, "%s must be a number in [%g, %g]", p->key, p->min, p->max);
      lr_destroy(algo);
      return PGB_ERR_INVALID_ARGUMENT;
    }
    if (p == &params[PARAM_LEARNING_RATE]) algo->learning_rate = value;
    if (p == &params[PARAM_GAMMA]) algo->gamma = value;
    if (p == &params[PARAM_BATCH_EPISODES]) algo->batch_episodes = kv->value.as.i;
  }
  algo->num_envs = args->num_envs;
  algo->obs_dim = (uint32_t)args->observation_space->shape[0];
  algo->n_actions = (uint32_t)args->action_space->n;
  algo->action_start = args->action_space->start;
  algo->rng = args->seed;
  size = (size_t)algo->n_actions * features(algo);
  algo->theta = (double*)calloc(size, sizeof(double)); /* θ = 0: the uniform policy */
  algo->gradient = (double*)calloc(size, sizeof(double));
  algo->probs = (double*)calloc(algo->n_actions, sizeof(double));
  algo->x = (double*)calloc(features(algo), sizeof(double));
  algo->episodes = (episode_t*)calloc(algo->num_envs, sizeof(episode_t));
  if (!algo->theta || !algo->gradient || !algo->probs || !algo->x || !algo->episodes) {
    lr_destroy(algo);
    return PGB_ERR_OUT_OF_MEMORY;
  }
  *out = algo;
  return PGB_OK;
}

/* Samples a ~ π(·|s) for each row. */
static pgb_status PGB_ABI lr_act(pgb_algo_t* algo, const double* obs, uint32_t rows, void* actions_out) {
  uint32_t r, a;
  for (r = 0; r < rows; ++r) {
    double u = uniform01(&algo->rng), cumulative = 0.0;
    feature_row(algo, obs + (size_t)r * algo->obs_dim, algo->x);
    policy(algo, algo->x);
    for (a = 0; a + 1 < algo->n_actions; ++a) {
      cumulative += algo->probs[a];
      if (u < cumulative) break;
    }
    ((int64_t*)actions_out)[r] = algo->action_start + (int64_t)a;
  }
  return PGB_OK;
}

/* The most probable action: deterministic, and it changes no state (x and probs are scratch). */
static pgb_status PGB_ABI lr_act_eval(pgb_algo_t* algo, const double* obs, uint32_t rows, void* actions_out) {
  uint32_t r, a, best;
  for (r = 0; r < rows; ++r) {
    feature_row(algo, obs + (size_t)r * algo->obs_dim, algo->x);
    policy(algo, algo->x);
    for (best = 0, a = 1; a < algo->n_actions; ++a)
      if (algo->probs[a] > algo->probs[best]) best = a;
    ((int64_t*)actions_out)[r] = algo->action_start + (int64_t)best;
  }
  return PGB_OK;
}

static pgb_status PGB_ABI lr_observe(pgb_algo_t* algo, const pgb_transition_batch_t* batch, uint32_t* update_ready) {
  uint32_t i, f = features(algo);
  for (i = 0; i < batch->rows; ++i) {
    episode_t* e = &algo->episodes[i];
    if (e->length == e->capacity && !episode_reserve(e, 2 * e->capacity + 64, f)) {
      snprintf(algo->error, sizeof algo->error, "no memory for an episode of %llu steps", (unsigned long long)e->length);
      return PGB_ERR_OUT_OF_MEMORY;
    }
    feature_row(algo, batch->observation + (size_t)i * algo->obs_dim, e->features + e->length * f);
    e->actions[e->length] = ((const int64_t*)batch->action)[i] - algo->action_start;
    e->rewards[e->length] = batch->reward[i];
    e->length += 1;
    /* A truncated episode is treated as ended: G is the return it collected. */
    if (batch->terminated[i] || batch->truncated[i]) {
      accumulate_episode(algo, e);
      e->length = 0;
    }
  }
  *update_ready = algo->episodes_in_batch >= (uint64_t)algo->batch_episodes;
  return PGB_OK;
}

static pgb_status PGB_ABI lr_update(pgb_algo_t* algo, uint64_t env_steps_done, const pgb_metric_sink_t* metrics) {
  const size_t size = (size_t)algo->n_actions * features(algo);
  const double scale = algo->learning_rate / (double)algo->episodes_in_batch;
  double norm = 0.0;
  size_t k;
  (void)env_steps_done;
  for (k = 0; k < size; ++k) {
    norm += algo->gradient[k] * algo->gradient[k];
    algo->theta[k] += scale * algo->gradient[k];
    algo->gradient[k] = 0.0;
  }
  algo->episodes_in_batch = 0;
  metrics->emit(metrics->ctx, "optim/grad_norm", sqrt(norm));
  metrics->emit(metrics->ctx, "baseline/mean_return", algo->baseline);
  return PGB_OK;
}

/* ---------------------------------------------------------------------------- checkpoints */

static int put(const pgb_ostream_t* out, const void* data, uint64_t size) {
  return size == 0 || out->write(out->ctx, data, size) == (int64_t)size;
}

static int get(const pgb_istream_t* in, void* data, uint64_t size) {
  char* bytes = (char*)data;
  while (size > 0) {
    const int64_t n = in->read(in->ctx, bytes, size);
    if (n <= 0) return 0;
    bytes += n;
    size -= (uint64_t)n;
  }
  return 1;
}

/* Format, then θ (both scopes), then for FULL the batch gradient, baseline, counters, generator
 * and every sub-env's episode in progress. */
static pgb_status PGB_ABI lr_save(pgb_algo_t* algo, pgb_state_scope scope, const pgb_ostream_t* out) {
  const uint32_t header[4] = {STATE_FORMAT, algo->num_envs, algo->obs_dim, algo->n_actions};
  const uint64_t size = (uint64_t)algo->n_actions * features(algo) * sizeof(double);
  uint32_t i, f = features(algo);
  int ok = put(out, header, sizeof header) && put(out, algo->theta, size);
  if (scope == PGB_STATE_FULL) {
    ok = ok && put(out, algo->gradient, size) && put(out, &algo->baseline, sizeof algo->baseline) &&
         put(out, &algo->episodes_seen, sizeof algo->episodes_seen) &&
         put(out, &algo->episodes_in_batch, sizeof algo->episodes_in_batch) && put(out, &algo->rng, sizeof algo->rng);
    for (i = 0; ok && i < algo->num_envs; ++i) {
      const episode_t* e = &algo->episodes[i];
      ok = put(out, &e->length, sizeof e->length) && put(out, e->features, e->length * f * sizeof(double)) &&
           put(out, e->actions, e->length * sizeof(int64_t)) && put(out, e->rewards, e->length * sizeof(double));
    }
  }
  return ok ? PGB_OK : PGB_ERR_INTERNAL;
}

static pgb_status PGB_ABI lr_load(pgb_algo_t* algo, pgb_state_scope scope, const pgb_istream_t* in) {
  uint32_t header[4], i, f = features(algo);
  const uint64_t size = (uint64_t)algo->n_actions * f * sizeof(double);
  if (!get(in, header, sizeof header) || header[0] != STATE_FORMAT || header[1] != algo->num_envs ||
      header[2] != algo->obs_dim || header[3] != algo->n_actions) {
    snprintf(algo->error, sizeof algo->error, "not a linear-reinforce checkpoint for these spaces and num_envs");
    return PGB_ERR_VERSION;
  }
  if (!get(in, algo->theta, size)) return PGB_ERR_INVALID_ARGUMENT;
  if (scope != PGB_STATE_FULL) return PGB_OK;
  if (!get(in, algo->gradient, size) || !get(in, &algo->baseline, sizeof algo->baseline) ||
      !get(in, &algo->episodes_seen, sizeof algo->episodes_seen) ||
      !get(in, &algo->episodes_in_batch, sizeof algo->episodes_in_batch) || !get(in, &algo->rng, sizeof algo->rng))
    return PGB_ERR_INVALID_ARGUMENT;
  for (i = 0; i < algo->num_envs; ++i) {
    episode_t* e = &algo->episodes[i];
    uint64_t length;
    if (!get(in, &length, sizeof length)) return PGB_ERR_INVALID_ARGUMENT;
    if (!episode_reserve(e, length, f)) return PGB_ERR_OUT_OF_MEMORY;
    e->length = length;
    if (!get(in, e->features, length * f * sizeof(double)) || !get(in, e->actions, length * sizeof(int64_t)) ||
        !get(in, e->rewards, length * sizeof(double)))
      return PGB_ERR_INVALID_ARGUMENT;
  }
  return PGB_OK;
}

static const char* PGB_ABI lr_last_error(const pgb_algo_t* algo) { return algo->error; }

/* ---------------------------------------------------------------------------- the plugin */

static const pgb_algo_vtable_t vtable = {sizeof(pgb_algo_vtable_t), 0, lr_create, lr_destroy, lr_act, lr_act_eval,
                                         lr_observe, lr_update, lr_save, lr_load, lr_last_error,
                                         {NULL, NULL, NULL, NULL}};

static const pgb_algo_desc_t algorithm = {sizeof(pgb_algo_desc_t),
                                    PARAM_COUNT,
                                    "org.example.c.linear-reinforce/1",
                                    "linear-reinforce",
                                    "REINFORCE with a linear softmax policy, in plain C",
                                    "",
                                    param_list,
                                    PGB_ALGO_DISCRETE_ACTIONS,
                                    &vtable,
                                    {NULL, NULL, NULL, NULL},
                                    4, /* default_num_envs */
                                    0};
static const pgb_algo_desc_t* const algos[] = {&algorithm};

static const pgb_plugin_t plugin = {sizeof(pgb_plugin_t),
                                    PGB_ABI_VERSION,
                                    "org.example.c.linear-reinforce",
                                    "Linear REINFORCE (C)",
                                    "1.0.0",
                                    "pgbench examples",
                                    "An algorithm written in plain C99",
                                    0,
                                    1,
                                    NULL,
                                    algos,
                                    {NULL, NULL, NULL, NULL},
                                    "C99; no shared library",
                                    NULL,
                                    NULL};

PGB_EXPORT const pgb_plugin_t* PGB_ABI pgb_plugin_entry_v1(const pgb_host_t* host) {
  (void)host;
  return &plugin;
}
