// pgbench/sdk/learn/off_policy.hpp -- what the off-policy actor-critics (DDPG, TD3, SAC) share:
// acting in a normalised action space, the replay loop behind act()/observe()/update(), the
// Q-networks and their losses, exploration noise and Polyak-averaged target networks.
//
// Actions live in u-space, [−1, 1]^k: the actors end in tanh, and the plugin maps u to the Box by
// a = centre + half_range ⊙ u (ActionScale). A critic takes [s; u] at its input, which is Q(s, a)
// up to an affine change of variable, and keeps the action inputs at unit scale on every task.
//
// OffPolicyAlgorithm is the plugin around an algorithm's learner:
//   act      the first start_steps env steps: u ~ U[−1, 1]^k; afterwards the algorithm's explore()
//   observe  store (s, u, r, s', terminated) per sub-env; after the random phase, ask for
//            updates_per_step updates per env step (fractions carry over)
//   update   for each owed update: sample a minibatch uniformly, the algorithm's learn()
// and checkpoints everything the loop owns: Policy scope the actor alone (what act_eval needs),
// Full scope the learner, the replay buffer (its filled slots: 4·(2·obs + act + 2) bytes per
// transition), the generator and the counters, so that save → load → continue is the run that
// never stopped. DeterministicActorAlgorithm adds what DDPG and TD3 share on top: acting with a
// deterministic actor and per-sub-env exploration noise, so each of them writes only its learner
// step.
#pragma once

#include <pgbench/sdk/algorithm.hpp>
#include <pgbench/sdk/errors.hpp>
#include <pgbench/sdk/hyperparameters.hpp>
#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/mlp.hpp>
#include <pgbench/sdk/learn/replay_buffer.hpp>

#include <cmath>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace pgb::learn {

// ---- settings ----

// What every off-policy actor-critic is configured with. An algorithm's Options derive from it
// (and may set other defaults in their constructor); off_policy_hyperparameters<Options>()
// declares these once for all of them.
struct OffPolicyOptions {
  std::int64_t hidden_size = 256;
  std::int64_t batch_size = 256;
  std::int64_t buffer_size = 1000000;
  double gamma = 0.99;
  double tau = 0.005;
  double actor_learning_rate = 1e-3;
  double critic_learning_rate = 1e-3;
  std::int64_t start_steps = 25000;
  double updates_per_step = 1.0;
};

template <class Options>
std::vector<typename Hyperparameters<Options>::Entry> off_policy_hyperparameters() {
  using O = OffPolicyOptions;
  return {
      {"hidden_size", &O::hidden_size, "units in each of the two ReLU hidden layers of every network", 1.0, 65536.0},
      {"batch_size", &O::batch_size, "transitions per minibatch", 1.0, 1e6},
      {"buffer_size", &O::buffer_size, "replay buffer capacity in transitions (a ring: the oldest is overwritten)", 1.0, 1e9},
      {"gamma", &O::gamma, "discount factor", 0.0, 1.0},
      {"tau", &O::tau, "Polyak averaging rate of the target networks", 0.0, 1.0},
      {"actor_learning_rate", &O::actor_learning_rate, "Adam step size of the actor", 0.0, 1.0},
      {"critic_learning_rate", &O::critic_learning_rate, "Adam step size of each critic", 0.0, 1.0},
      {"start_steps", &O::start_steps, "env steps of uniformly random actions before the actor acts and learning starts", 0.0, 1e12},
      {"updates_per_step", &O::updates_per_step, "gradient updates per env step (fractions carry over)", 0.0, 1e3},
  };
}

// The exploration noise of a deterministic actor (ExplorationNoise below), declared once for DDPG
// and TD3.
struct ExplorationOptions {
  std::string exploration = "gaussian";
  double noise_sigma = 0.1;
  double ou_theta = 0.15;
};

template <class Options>
std::vector<typename Hyperparameters<Options>::Entry> exploration_hyperparameters() {
  using O = ExplorationOptions;
  return {
      {"exploration", &O::exploration, "exploration noise added to mu(s): Gaussian, or Ornstein-Uhlenbeck (theta, sigma)", "gaussian|ou"},
      {"noise_sigma", &O::noise_sigma, "noise scale sigma, as a fraction of half the action range", 0.0, 10.0},
      {"ou_theta", &O::ou_theta, "mean-reversion rate of the Ornstein-Uhlenbeck noise (exploration = ou)", 0.0, 1.0},
  };
}

// ---- networks ----

// The initialisation of every off-policy network: orthogonal weights with gain √2 for the ReLU
// layers, zero biases, then the output layer rescaled by `last_layer_scale`.
template <class Scalar>
Mlp<Scalar> make_relu_mlp(Index inputs, Index hidden_size, Index outputs, Activation output_activation, Rng& rng,
                          Scalar last_layer_scale) {
  Mlp<Scalar> network({inputs, hidden_size, hidden_size, outputs}, Activation::relu, output_activation);
  network.initialize_orthogonal(rng, std::sqrt(Scalar(2)));
  network.scale_last_layer(last_layer_scale);
  return network;
}

// A deterministic actor μ(s) ∈ [−1, 1]^k: its last layer scaled down so that the first actions sit
// near the middle of the Box, away from tanh's flat ends (Lillicrap et al. start the output layers
// near zero for the same reason).
template <class Scalar>
Mlp<Scalar> make_deterministic_actor(Index observation_dim, Index action_dim, Index hidden_size, Rng& rng) {
  return make_relu_mlp<Scalar>(observation_dim, hidden_size, action_dim, Activation::tanh, rng, Scalar(0.01));
}

// A Q-network Q(s, u) on [s; u]: a plain gain-1 output layer.
template <class Scalar>
Mlp<Scalar> make_q_network(Index observation_dim, Index action_dim, Index hidden_size, Rng& rng) {
  return make_relu_mlp<Scalar>(observation_dim + action_dim, hidden_size, 1, Activation::identity, rng,
                               Scalar(1) / std::sqrt(Scalar(2)));
}

// θ' ← τ θ + (1 − τ) θ'.
template <class Scalar>
void polyak_average(Mlp<Scalar>& target, const Mlp<Scalar>& online, double tau) {
  auto theta_target = target.parameters();
  theta_target = Scalar(tau) * online.parameters() + Scalar(1 - tau) * theta_target;
}

// Q(s, u) of `critic` on a batch, the inputs [s; u] written in place in `workspace` (which then
// holds this forward pass for a backward one).
template <class Scalar>
ConstMatrixMap<Scalar> q_values(const Mlp<Scalar>& critic, typename Mlp<Scalar>::Workspace& workspace,
                                const std::type_identity_t<ConstMatrixRef<Scalar>>& observations,
                                const std::type_identity_t<ConstMatrixRef<Scalar>>& actions) {
  auto inputs = workspace.inputs(observations.cols());
  inputs.topRows(observations.rows()) = observations;
  inputs.bottomRows(actions.rows()) = actions;
  return critic.forward(workspace);
}

// The critic regression L(φ) = mean (Q_φ(s, u) − y)² on a batch; writes ∇φ L, returns L and, when
// asked, the mean of Q. `scratch` (1 × batch) holds dL/dQ.
template <class Scalar>
double q_regression_loss(const Mlp<Scalar>& critic, typename Mlp<Scalar>::Workspace& workspace,
                         const std::type_identity_t<ConstMatrixRef<Scalar>>& observations,
                         const std::type_identity_t<ConstMatrixRef<Scalar>>& actions,
                         const RowVector<Scalar>& targets, RowVector<Scalar>& scratch,
                         std::type_identity_t<VectorRef<Scalar>> gradient, double* q_mean = nullptr) {
  const auto q = q_values(critic, workspace, observations, actions);
  const Scalar n = Scalar(targets.size());
  scratch = q - targets;  // the TD error first, then dL/dQ = 2 (Q − y) / n in place
  const double loss = double(scratch.squaredNorm()) / double(n);
  if (q_mean) *q_mean = double(q.mean());
  scratch *= Scalar(2) / n;
  critic.backward(workspace, scratch, gradient);
  return loss;
}

// The deterministic policy gradient (Silver et al. 2014) of J(θ) = −mean Q(s, μ_θ(s)):
//   ∇θ J = −mean ∇u Q(s, u)|u=μ(s) · ∇θ μ(s)
// one backward pass through the critic for dJ/du at its action inputs (no critic weight
// gradients), one through the actor to carry it to θ. Writes ∇θ J, returns J. Scratch:
// `dq` (1 × batch) and `input_gradient` ((observation_dim + action_dim) × at least batch).
template <class Scalar>
double deterministic_policy_gradient(const Mlp<Scalar>& actor, typename Mlp<Scalar>::Workspace& actor_workspace,
                                     const Mlp<Scalar>& critic, typename Mlp<Scalar>::Workspace& critic_workspace,
                                     const std::type_identity_t<ConstMatrixRef<Scalar>>& observations,
                                     RowVector<Scalar>& dq, Matrix<Scalar>& input_gradient,
                                     std::type_identity_t<VectorRef<Scalar>> gradient) {
  const Index batch = observations.cols(), action_dim = actor.output_size();
  const auto actions = actor.forward(actor_workspace, observations);
  const auto q = q_values(critic, critic_workspace, observations, actions);
  const double loss = -double(q.mean());
  dq.setConstant(Scalar(-1) / Scalar(batch));  // dJ/dQ
  auto dj_dinputs = input_gradient.leftCols(batch);
  critic.input_gradient(critic_workspace, dq, dj_dinputs);
  actor.backward(actor_workspace, dj_dinputs.bottomRows(action_dim), gradient);
  return loss;
}

// ---- acting ----

// The affine map between u ∈ [−1, 1]^k and a bounded Box: a = centre + half_range ⊙ u.
struct ActionScale {
  // Throws Unsupported unless every dimension of `box` is bounded; `algorithm` names the caller.
  ActionScale(const Space& box, std::string_view algorithm);
  // u → a, in place (action_dim × rows).
  void to_box(MatrixRef<double> u) const;
  // a → u, clipped to [−1, 1] (the clip only absorbs rounding).
  void to_unit(const ConstMatrixRef<double>& a, MatrixRef<double> u) const;

  Eigen::ArrayXd centre, half_range;
};

// Exploration noise added to a deterministic actor's μ(s) in u-space, one process per sub-env:
//   gaussian  ε ~ N(0, σ² I), independent at every step (Fujimoto et al. 2018);
//   ou        the Ornstein–Uhlenbeck process of Lillicrap et al. 2016 in its discrete form with
//             unit time step, x ← x − θ x + σ ε (θ = 0.15, σ = 0.2 in the paper), restarted
//             from 0 at each episode start, so that consecutive actions explore together.
// σ in u-space is σ × half the action range in the Box.
class ExplorationNoise {
 public:
  enum class Kind { gaussian, ornstein_uhlenbeck };

  // "gaussian" or "ou"; anything else throws InvalidArgument naming the accepted values.
  static Kind parse(const std::string& name);

  ExplorationNoise(Kind kind, double sigma, double theta, Index action_dim, Index num_envs)
      : kind_(kind), sigma_(sigma), theta_(theta), state_(Matrix<double>::Zero(action_dim, num_envs)) {}
  ExplorationNoise(const ExplorationOptions& options, Index action_dim, Index num_envs)
      : ExplorationNoise(parse(options.exploration), options.noise_sigma, options.ou_theta, action_dim, num_envs) {}

  // The noise of sub-env `env` at this step (action_dim values).
  auto sample(Rng& rng, Index env) {
    auto x = state_.col(env);
    for (Index d = 0; d < x.size(); ++d)
      x(d) = kind_ == Kind::gaussian ? sigma_ * rng.normal() : x(d) - theta_ * x(d) + sigma_ * rng.normal();
    return x;
  }

  // A new episode starts in sub-env `env`.
  void reset(Index env) { state_.col(env).setZero(); }

  void save(OutputArchive& out) const { save_dense(out, state_); }
  void load(InputArchive& in) { load_dense(in, state_, "the exploration noise state"); }

 private:
  Kind kind_;
  double sigma_, theta_;
  Matrix<double> state_;  // action_dim × num_envs: the OU state, or the last Gaussian draw
};

// A deterministic actor's behaviour policy, u = clip(μ(s) + noise, −1, 1), column i with
// sub-env i's noise process; `workspace` serves the batch.
inline void act_with_noise(const Mlp<float>& actor, Mlp<float>::Workspace& workspace, ExplorationNoise& noise,
                           Rng& rng, const ConstMatrixRef<float>& observations, MatrixRef<double> u) {
  u = actor.forward(workspace, observations).cast<double>();
  for (Index i = 0; i < u.cols(); ++i) u.col(i) = (u.col(i) + noise.sample(rng, i)).cwiseMax(-1.0).cwiseMin(1.0);
}

// A deterministic actor's evaluation policy, u = μ(s), in a workspace of its own (act_eval is
// const and keeps nothing between calls).
inline void act_deterministic(const Mlp<float>& actor, const ConstMatrixRef<float>& observations, MatrixRef<double> u) {
  typename Mlp<float>::Workspace workspace(actor, observations.cols());
  u = actor.forward(workspace, observations).cast<double>();
}

// ---- the replay loop ----

// The means over one update() call's learner steps of what each step reports, by name, in the
// order first reported (a name reported on only some steps, like TD3's delayed actor loss, is
// averaged over those).
class UpdateMetrics {
 public:
  void add(std::string_view name, double value);
  void report(const Metrics& metrics) const;
  void clear() { entries_.clear(); }

 private:
  struct Entry {
    std::string_view name;  // a string literal of the algorithm
    double sum;
    int count;
  };
  std::vector<Entry> entries_;
};

class OffPolicyAlgorithm : public Algorithm {
 public:
  using Batch = ReplayBuffer<float>::Batch;

  struct Settings {
    std::string_view name;  // tags the checkpoint and prefixes errors
    Index buffer_size, batch_size;
    std::uint64_t start_steps;  // env steps of uniformly random actions before learning starts
    double updates_per_step;
  };

  // The Settings of an algorithm named `name` configured with `options`.
  static Settings settings(std::string_view name, const OffPolicyOptions& options) {
    return {name, options.buffer_size, options.batch_size, static_cast<std::uint64_t>(options.start_steps),
            options.updates_per_step};
  }

  void act(ConstRows observations, ActionRows actions) final;
  void act_eval(ConstRows observations, ActionRows actions) const final;
  bool observe(const Transitions& batch) final;
  void update(std::uint64_t env_steps_done, const Metrics& metrics) final;
  void save(OutputArchive& out, StateScope scope) const final;
  void load(InputArchive& in, StateScope scope) final;

 protected:
  // Throws Unsupported unless the observation space is a Box and the action space a bounded Box.
  // `rng` is seeded here, before the derived algorithm builds its networks from it.
  OffPolicyAlgorithm(const AlgorithmContext& context, const Settings& settings);

  Rng& rng() noexcept { return rng_; }
  Index num_envs() const noexcept { return num_envs_; }
  Index observation_dim() const noexcept { return observation_dim_; }
  Index action_dim() const noexcept { return action_dim_; }

  // The behaviour policy after the random phase: u (action_dim × rows, to fill with values in
  // [−1, 1]) for observations (observation_dim × rows), column i from sub-env i.
  virtual void explore(const ConstMatrixRef<float>& observations, MatrixRef<double> u) = 0;
  // The evaluation policy, deterministic.
  virtual void exploit(const ConstMatrixRef<float>& observations, MatrixRef<double> u) const = 0;
  // An episode ended in sub-env `env` (a noise process to restart).
  virtual void episode_ended(Index /*env*/) {}
  // One learner step on a uniformly sampled minibatch; report what it measured into `metrics`.
  virtual void learn(const Batch& batch, UpdateMetrics& metrics) = 0;
  // Policy scope: the actor. Learner: everything else the algorithm owns (networks, optimisers,
  // noise, counters).
  virtual void save_actor(OutputArchive& out) const = 0;
  virtual void load_actor(InputArchive& in) = 0;
  virtual void save_learner(OutputArchive& out) const = 0;
  virtual void load_learner(InputArchive& in) = 0;

 private:
  void check_rows(std::uint32_t rows) const;

  std::string name_;
  Index num_envs_, observation_dim_, action_dim_;
  ActionScale scale_;
  std::uint64_t start_steps_;
  double updates_per_step_;
  Rng rng_;  // the networks' initialisation, exploration and minibatch sampling, in call order
  ReplayBuffer<float> replay_;
  Batch batch_;
  UpdateMetrics update_metrics_;
  Matrix<float> observations_;     // s of the step being acted on, observation_dim × num_envs
  Matrix<double> stored_actions_;  // u of the last observed step, action_dim × num_envs
  std::vector<EpisodeEnd> ends_;
  std::uint64_t env_steps_ = 0;  // transitions observed
  double pending_updates_ = 0;   // updates owed at updates_per_step, the fraction carried over
};


// ---- deterministic actors ----

// The settings every off-policy learner shares, read from the algorithm's options: a learner's own
// settings struct (with these members) comes back with them filled in, and the algorithm adds
// what is its own.
template <class LearnerSettings>
LearnerSettings off_policy_learner_settings(const AlgorithmContext& context, const OffPolicyOptions& options) {
  LearnerSettings settings;
  settings.observation_dim = static_cast<Index>(context.observation_space.dim());
  settings.action_dim = static_cast<Index>(context.action_space.dim());
  settings.hidden_size = options.hidden_size;
  settings.batch_size = options.batch_size;
  settings.gamma = options.gamma;
  settings.tau = options.tau;
  settings.actor_learning_rate = options.actor_learning_rate;
  settings.critic_learning_rate = options.critic_learning_rate;
  return settings;
}

// The off-policy algorithms whose policy is a deterministic actor μ(s), the learner's actor()
// (DDPG, TD3): they explore with u = clip(μ(s) + noise, −1, 1), one noise process per sub-env
// restarted with each episode, are evaluated with μ(s), and checkpoint the actor (Policy scope) and
// the learner with the noise (Full scope). The algorithm writes only learn(): its learner's step.
//
// Learner: constructible from (its settings, Rng&); actor() -> const Mlp<float>&; save(OutputArchive&)
// const; load(InputArchive&).
template <class Learner>
class DeterministicActorAlgorithm : public OffPolicyAlgorithm {
 protected:
  template <class LearnerSettings>
  DeterministicActorAlgorithm(const AlgorithmContext& context, const Settings& settings,
                              const ExplorationOptions& exploration, const LearnerSettings& learner_settings)
      : OffPolicyAlgorithm(context, settings),
        learner_(learner_settings, rng()),
        noise_(exploration, action_dim(), num_envs()),
        act_workspace_(learner_.actor(), num_envs()) {}

  Learner& learner() noexcept { return learner_; }

 private:
  // u = clip(μ(s) + noise, −1, 1).
  void explore(const ConstMatrixRef<float>& observations, MatrixRef<double> u) final {
    act_with_noise(learner_.actor(), act_workspace_, noise_, rng(), observations, u);
  }

  // μ(s), without noise.
  void exploit(const ConstMatrixRef<float>& observations, MatrixRef<double> u) const final {
    act_deterministic(learner_.actor(), observations, u);
  }

  void episode_ended(Index env) final { noise_.reset(env); }

  void save_actor(OutputArchive& out) const final { learner_.actor().save(out); }
  void load_actor(InputArchive& in) final { learner_.actor().load(in); }
  void save_learner(OutputArchive& out) const final {
    learner_.save(out);
    noise_.save(out);
  }
  void load_learner(InputArchive& in) final {
    learner_.load(in);
    noise_.load(in);
  }

  Learner learner_;
  ExplorationNoise noise_;
  Mlp<float>::Workspace act_workspace_;
};

}  // namespace pgb::learn
