// Deep Deterministic Policy Gradient (Lillicrap et al. 2016): a deterministic actor μ(s), a
// critic Q(s, a), their slowly-following target networks and a replay buffer.
//
//   act      the first start_steps env steps: u ~ U[−1, 1]^k; afterwards u = clip(μ(s) + noise)
//            (exploration.hpp); the env gets a = centre + half_range ⊙ u
//   observe  store (s, u, r, s', terminated) per sub-env; after the random phase, ask for
//            updates_per_step updates per env step
//   update   for each: sample a minibatch uniformly, one learner step (ddpg_learner.hpp)
//
// Checkpoints: Policy scope holds the actor alone (what act_eval needs). Full scope holds
// everything a run needs to continue exactly, the replay buffer included (its filled slots:
// 36 bytes per transition on Pendulum, 4·(2·obs + act + 2) bytes in general).
#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/replay_buffer.hpp>
#include <pgbench/sdk/plugin.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "ddpg_learner.hpp"
#include "exploration.hpp"

namespace {

using namespace pgb::learn;
using pgb::ddpg::ExplorationNoise;
using pgb::ddpg::Learner;
using pgb::ddpg::LearnerSettings;

// The settings; the initialisers are the defaults.
struct Options {
  std::int64_t hidden_size = 256;
  std::int64_t batch_size = 256;
  std::int64_t buffer_size = 1000000;
  double gamma = 0.99;
  double tau = 0.005;
  double actor_learning_rate = 1e-3;
  double critic_learning_rate = 1e-3;
  std::int64_t start_steps = 25000;
  double updates_per_step = 1.0;
  std::string exploration = "gaussian";
  double noise_sigma = 0.1;
  double ou_theta = 0.15;
};

const pgb::Hyperparameters<Options> kHyperparameters{
    {"hidden_size", &Options::hidden_size, "units in each of the two ReLU hidden layers of the actor and of the critic", 1.0, 65536.0},
    {"batch_size", &Options::batch_size, "transitions per minibatch", 1.0, 1e6},
    {"buffer_size", &Options::buffer_size, "replay buffer capacity in transitions (a ring: the oldest is overwritten)", 1.0, 1e9},
    {"gamma", &Options::gamma, "discount factor", 0.0, 1.0},
    {"tau", &Options::tau, "Polyak averaging rate of the target networks", 0.0, 1.0},
    {"actor_learning_rate", &Options::actor_learning_rate, "Adam step size of the actor", 0.0, 1.0},
    {"critic_learning_rate", &Options::critic_learning_rate, "Adam step size of the critic", 0.0, 1.0},
    {"start_steps", &Options::start_steps, "env steps of uniformly random actions before the actor acts and learning starts", 0.0, 1e12},
    {"updates_per_step", &Options::updates_per_step, "gradient updates per env step (fractions carry over)", 0.0, 1e3},
    {"exploration", &Options::exploration, "exploration noise added to mu(s): Gaussian, or Ornstein-Uhlenbeck (theta, sigma)", "gaussian|ou"},
    {"noise_sigma", &Options::noise_sigma, "noise scale sigma, as a fraction of half the action range", 0.0, 10.0},
    {"ou_theta", &Options::ou_theta, "mean-reversion rate of the Ornstein-Uhlenbeck noise (exploration = ou)", 0.0, 1.0},
};

LearnerSettings learner_settings(const pgb::AlgorithmContext& context, const Options& o) {
  return {.observation_dim = static_cast<Index>(context.observation_space.dim()),
          .action_dim = static_cast<Index>(context.action_space.dim()),
          .hidden_size = o.hidden_size,
          .batch_size = o.batch_size,
          .gamma = o.gamma,
          .tau = o.tau,
          .actor_learning_rate = o.actor_learning_rate,
          .critic_learning_rate = o.critic_learning_rate};
}

// The affine map between u ∈ [−1, 1]^k and the Box: a = centre + half_range ⊙ u.
struct ActionScale {
  explicit ActionScale(const pgb::Space& box) : centre(box.dim()), half_range(box.dim()) {
    for (std::size_t d = 0; d < box.dim(); ++d) {
      const double low = box.low()[d], high = box.high()[d];
      if (!std::isfinite(low) || !std::isfinite(high) || !(low < high))
        throw pgb::Unsupported("ddpg: the tanh actor needs a bounded Box action space");
      centre(static_cast<Index>(d)) = (low + high) / 2;
      half_range(static_cast<Index>(d)) = (high - low) / 2;
    }
  }
  Eigen::ArrayXd centre, half_range;
};

class Ddpg final : public pgb::Algorithm {
 public:
  explicit Ddpg(const pgb::AlgorithmContext& context) : Ddpg(context, kHyperparameters.read(context.hyperparameters)) {}
  Ddpg(const pgb::AlgorithmContext& context, const Options& options)
      : num_envs_(context.num_envs),
        obs_dim_(static_cast<Index>(context.observation_space.dim())),
        act_dim_(static_cast<Index>(context.action_space.dim())),
        scale_(context.action_space),
        start_steps_(static_cast<std::uint64_t>(options.start_steps)),
        updates_per_step_(options.updates_per_step),
        rng_(context.seed),
        learner_(learner_settings(context, options), rng_),
        noise_(ExplorationNoise::parse(options.exploration), options.noise_sigma, options.ou_theta, act_dim_, num_envs_),
        replay_(options.buffer_size, obs_dim_, act_dim_),
        batch_(replay_, options.batch_size),
        act_workspace_(learner_.actor(), num_envs_),
        stored_actions_(act_dim_, num_envs_),
        ends_(static_cast<std::size_t>(num_envs_)) {}

  void act(pgb::ConstRows obs, pgb::ActionRows actions) override {
    check_rows(obs.rows);
    MatrixMap<double> out(actions.box_data(), act_dim_, obs.rows);
    if (env_steps_ < start_steps_) {
      for (Index i = 0; i < out.cols(); ++i)
        for (Index d = 0; d < act_dim_; ++d) out(d, i) = rng_.uniform(-1.0, 1.0);
    } else {
      act_workspace_.inputs(obs.rows) = ConstMatrixMap<double>(obs.data, obs_dim_, obs.rows).cast<float>();
      out = learner_.actor().forward(act_workspace_).cast<double>();
      for (Index i = 0; i < out.cols(); ++i)
        out.col(i) = (out.col(i) + noise_.sample(rng_, i)).cwiseMax(-1.0).cwiseMin(1.0);
    }
    to_box(out);
  }

  // μ(s), without noise.
  void act_eval(pgb::ConstRows obs, pgb::ActionRows actions) const override {
    Mlp<float>::Workspace workspace(learner_.actor(), obs.rows);
    workspace.inputs(obs.rows) = ConstMatrixMap<double>(obs.data, obs_dim_, obs.rows).cast<float>();
    MatrixMap<double> out(actions.box_data(), act_dim_, obs.rows);
    out = learner_.actor().forward(workspace).cast<double>();
    to_box(out);
  }

  bool observe(const pgb::Transitions& batch) override {
    const std::uint32_t rows = batch.rows();
    check_rows(rows);
    // Back to u-space; the clip only absorbs rounding, act() already kept u inside [−1, 1].
    const ConstMatrixMap<double> actions(static_cast<const double*>(batch.action), act_dim_, rows);
    stored_actions_ =
        ((actions.array().colwise() - scale_.centre).colwise() / scale_.half_range).cwiseMax(-1.0).cwiseMin(1.0);
    for (std::uint32_t i = 0; i < rows; ++i) {
      ends_[i] = episode_end(batch.terminated[i], batch.truncated[i]);
      if (ends_[i] != EpisodeEnd::running) noise_.reset(i);
    }
    replay_.add(ConstMatrixMap<double>(batch.observation.data, obs_dim_, rows), stored_actions_,
                ConstRowVectorMap<double>(batch.reward.data(), rows),
                ConstMatrixMap<double>(batch.next_observation.data, obs_dim_, rows), ends_);
    env_steps_ += rows;
    if (env_steps_ < start_steps_) return false;
    pending_updates_ += rows * updates_per_step_;
    return pending_updates_ >= 1;
  }

  void update(std::uint64_t, const pgb::Metrics& metrics) override {
    const auto count = static_cast<std::int64_t>(pending_updates_);
    pending_updates_ -= static_cast<double>(count);
    pgb::ddpg::UpdateStats sum;
    for (std::int64_t k = 0; k < count; ++k) {
      replay_.sample(rng_, batch_);
      const pgb::ddpg::UpdateStats stats = learner_.update(batch_);
      sum.critic_loss += stats.critic_loss;
      sum.actor_loss += stats.actor_loss;
      sum.q_mean += stats.q_mean;
    }
    if (count < 1) return;
    const auto n = static_cast<double>(count);
    metrics("loss/critic", sum.critic_loss / n);
    metrics("loss/actor", sum.actor_loss / n);
    metrics("q/mean", sum.q_mean / n);
  }

  void save(pgb::OutputArchive& out, pgb::StateScope scope) const override {
    out.tag("pgb.ddpg");
    learner_.actor().save(out);
    if (scope == pgb::StateScope::Policy) return;
    learner_.save(out);
    replay_.save(out);
    noise_.save(out);
    save_rng(out, rng_);
    out.pod(env_steps_);
    out.pod(pending_updates_);
  }

  void load(pgb::InputArchive& in, pgb::StateScope scope) override {
    in.expect_tag("pgb.ddpg");
    learner_.actor().load(in);
    if (scope == pgb::StateScope::Policy) return;
    learner_.load(in);
    replay_.load(in);
    noise_.load(in);
    load_rng(in, rng_);
    in.pod(env_steps_);
    in.pod(pending_updates_);
  }

 private:
  void check_rows(std::uint32_t rows) const {
    if (rows != static_cast<std::uint32_t>(num_envs_))
      throw pgb::InvalidArgument("a training batch has " + std::to_string(rows) + " rows, expected num_envs = " +
                                 std::to_string(num_envs_));
  }

  // u ∈ [−1, 1]^k → a in the Box, in place.
  void to_box(MatrixMap<double>& u) const {
    u = ((u.array().colwise() * scale_.half_range).colwise() + scale_.centre).matrix();
  }

  Index num_envs_, obs_dim_, act_dim_;
  ActionScale scale_;
  std::uint64_t start_steps_;
  double updates_per_step_;
  pgb::Rng rng_;  // initialisation, exploration and minibatch sampling, in call order
  Learner<float> learner_;
  ExplorationNoise noise_;
  ReplayBuffer<float> replay_;
  ReplayBuffer<float>::Batch batch_;
  Mlp<float>::Workspace act_workspace_;
  Matrix<double> stored_actions_;  // u of the last observed step, act_dim × num_envs
  std::vector<EpisodeEnd> ends_;
  std::uint64_t env_steps_ = 0;   // transitions observed
  double pending_updates_ = 0;    // updates owed at updates_per_step, the fraction carried over
};

}  // namespace

PGB_REGISTER_ALGORITHM(Ddpg, "org.pgbench.algo.ddpg/1")
    .name("ddpg")
    .description("Deep Deterministic Policy Gradient (Lillicrap et al. 2016); Box action spaces only")
    .params(kHyperparameters)
    .box_actions_only();

PGB_PLUGIN("org.pgbench.ddpg", "DDPG", "1.0.0", "Deep Deterministic Policy Gradient")
