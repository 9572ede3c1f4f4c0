// Proximal Policy Optimization with the clipped surrogate objective (Schulman et al. 2017),
// in the form of the strongest published 1M-step MuJoCo setting (Tianshou): separate 64×64 tanh
// actor and critic, GAE(λ), several epochs of minibatch Adam over each batch, linearly decayed
// learning rate, observation and return normalisation.
//
// Per batch of T steps × N envs:
//   for epoch = 1..K:
//     (re)estimate V with the current critic, then Â and the returns R = Â + V by GAE
//     for each minibatch of a fresh shuffle:
//       loss = −L^CLIP + c_V · L^V − c_H · H[π]          (see ppo_loss.hpp)
//       clip the joint gradient norm of actor and critic, one Adam step each
#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/normalizers.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/rollout.hpp>
#include <pgbench/sdk/plugin.hpp>

#include <numeric>
#include <optional>
#include <vector>

#include "policy.hpp"
#include "ppo_loss.hpp"

namespace {

using namespace pgb::learn;
using pgb::onpolicy::StochasticPolicy;

struct Hyperparameters {
  explicit Hyperparameters(const pgb::Config& c)
      : learning_rate(c.get_double("learning_rate")),
        lr_decay(c.get_bool("lr_decay")),
        steps_per_batch(c.get_int("steps_per_batch")),
        epochs(c.get_int("epochs")),
        minibatch_size(c.get_int("minibatch_size")),
        gamma(c.get_double("gamma")),
        gae_lambda(c.get_double("gae_lambda")),
        clip_epsilon(c.get_double("clip_epsilon")),
        value_coef(c.get_double("value_coef")),
        value_clip(c.get_double("value_clip")),
        entropy_coef(c.get_double("entropy_coef")),
        max_grad_norm(c.get_double("max_grad_norm")),
        target_kl(c.get_double("target_kl")),
        recompute_advantages(c.get_bool("recompute_advantages")),
        normalize_advantages(c.get_bool("normalize_advantages")),
        normalize_observations(c.get_bool("normalize_observations")),
        normalize_returns(c.get_bool("normalize_returns")),
        adam_epsilon(c.get_double("adam_epsilon")) {}
  double learning_rate;
  bool lr_decay;
  std::int64_t steps_per_batch, epochs, minibatch_size;
  double gamma, gae_lambda, clip_epsilon, value_coef, value_clip, entropy_coef, max_grad_norm, target_kl;
  bool recompute_advantages, normalize_advantages, normalize_observations, normalize_returns;
  double adam_epsilon;
};

// Per-update means of the minibatch diagnostics.
struct MinibatchMeans {
  double policy_loss = 0, value_loss = 0, entropy = 0, approx_kl = 0, clip_fraction = 0;
  int count = 0;
};

class Ppo final : public pgb::Algorithm {
 public:
  explicit Ppo(const pgb::AlgorithmContext& context)
      : hp_(context.hyperparameters),
        num_envs_(context.num_envs),
        obs_dim_(static_cast<Index>(context.observation_space.dim())),
        rng_(context.seed),
        policy_(context.observation_space, context.action_space, rng_),
        critic_(pgb::onpolicy::make_mlp(obs_dim_, 1, rng_, 1.0f)),
        policy_optimizer_(policy_.network().num_parameters(), adam()),
        log_std_optimizer_(policy_.log_std().size(), adam()),
        critic_optimizer_(critic_.num_parameters(), adam()),
        observation_normalizer_(obs_dim_),
        return_normalizer_(num_envs_, hp_.gamma),
        rollout_(num_envs_, std::max<Index>(1, hp_.steps_per_batch / num_envs_), obs_dim_, policy_.action_dim()),
        final_observations_(obs_dim_, rollout_.size()),
        act_workspace_(policy_.network(), num_envs_),
        policy_workspace_(policy_.network(), hp_.minibatch_size),
        critic_workspace_(critic_, rollout_.size()) {
    if (hp_.lr_decay && context.total_env_steps > 0) lr_schedule_.emplace(hp_.learning_rate, context.total_env_steps);
    final_observations_.setZero();
  }

  void act(pgb::ConstRows obs, pgb::ActionRows actions) override {
    check_rows(obs.rows);
    const Index t = rollout_.step();
    const ConstMatrixMap<double> raw(obs.data, obs_dim_, obs.rows);
    if (hp_.normalize_observations) observation_normalizer_.update(raw);
    auto observations = rollout_.observations(t);
    normalize(raw, observations);
    const auto outputs = policy_.network().forward(act_workspace_, observations);
    auto stored = rollout_.actions(t);
    policy_.sample(outputs, rng_, stored);
    policy_.log_prob(outputs, stored, rollout_.log_probs(t));
    policy_.write_actions(stored, actions);
  }

  void act_eval(pgb::ConstRows obs, pgb::ActionRows actions) const override {
    const ConstMatrixMap<double> raw(obs.data, obs_dim_, obs.rows);
    Matrix<float> observations(obs_dim_, obs.rows);
    normalize(raw, observations);
    Mlp<float>::Workspace workspace(policy_.network(), obs.rows);
    const auto outputs = policy_.network().forward(workspace, observations);
    Matrix<float> mode(policy_.action_dim(), obs.rows);
    policy_.mode(outputs, mode);
    policy_.write_actions(mode, actions);
  }

  bool observe(const pgb::Transitions& batch) override {
    check_rows(batch.rows());
    const Index t = rollout_.step();
    auto ends = rollout_.ends(t);
    for (Index i = 0; i < num_envs_; ++i) ends[i] = episode_end(batch.terminated[i], batch.truncated[i]);
    const ConstVectorMap<double> rewards(batch.reward.data(), num_envs_);
    if (hp_.normalize_returns) {
      return_normalizer_.update(rewards, ends);
      return_normalizer_.normalize(rewards, rollout_.rewards(t));
    } else {
      rollout_.rewards(t) = rewards.transpose().cast<float>();
    }
    // The next observations, kept for the bootstraps that GAE needs: V(true final observation)
    // after a truncation, V(s_T) after the last step. The critic evaluates them in update(),
    // after each epoch's change, not here.
    normalize(ConstMatrixMap<double>(batch.next_observation.data, obs_dim_, num_envs_),
              final_observations_.middleCols(t * num_envs_, num_envs_));
    rollout_.advance();
    return rollout_.full();
  }

  void update(std::uint64_t env_steps_done, const pgb::Metrics& metrics) override {
    const double lr = lr_schedule_ ? lr_schedule_->at(env_steps_done) : hp_.learning_rate;
    for (Optimizer<float>* o : {static_cast<Optimizer<float>*>(&policy_optimizer_),
                                static_cast<Optimizer<float>*>(&log_std_optimizer_),
                                static_cast<Optimizer<float>*>(&critic_optimizer_)})
      o->set_learning_rate(lr);

    const Index batch = rollout_.size();
    estimate_advantages();
    const double explained_variance = explained_variance_of(rollout_.values(), rollout_.returns());
    std::vector<Index> order(static_cast<std::size_t>(batch));
    std::iota(order.begin(), order.end(), Index{0});

    MinibatchMeans means;
    bool stop = false;
    for (std::int64_t epoch = 0; epoch < hp_.epochs && !stop; ++epoch) {
      if (epoch > 0 && hp_.recompute_advantages) estimate_advantages();
      shuffle(order);
      for (Index start = 0; start < batch && !stop; start += hp_.minibatch_size) {
        const Index size = std::min<Index>(hp_.minibatch_size, batch - start);
        stop = !train_minibatch({order.data() + start, static_cast<std::size_t>(size)}, means);
      }
    }
    rollout_.clear();

    const double n = std::max(1, means.count);
    metrics("loss/policy", means.policy_loss / n);
    metrics("loss/value", means.value_loss / n);
    metrics("policy/entropy", means.entropy / n);
    metrics("policy/approx_kl", means.approx_kl / n);
    metrics("policy/clip_fraction", means.clip_fraction / n);
    metrics("value/explained_variance", explained_variance);
    metrics("optim/lr", lr);
  }

  void save(pgb::OutputArchive& out, pgb::StateScope scope) const override {
    out.tag("ppo");
    observation_normalizer_.save(out);
    policy_.save(out);
    if (scope == pgb::StateScope::Policy) return;
    critic_.save(out);
    policy_optimizer_.save(out);
    log_std_optimizer_.save(out);
    critic_optimizer_.save(out);
    return_normalizer_.save(out);
    rollout_.save(out);
    save_dense(out, final_observations_);
    save_rng(out, rng_);
  }

  void load(pgb::InputArchive& in, pgb::StateScope scope) override {
    in.expect_tag("ppo");
    observation_normalizer_.load(in);
    policy_.load(in);
    if (scope == pgb::StateScope::Policy) return;
    critic_.load(in);
    policy_optimizer_.load(in);
    log_std_optimizer_.load(in);
    critic_optimizer_.load(in);
    return_normalizer_.load(in);
    rollout_.load(in);
    load_dense(in, final_observations_, "ppo final observations");
    load_rng(in, rng_);
  }

 private:
  AdamOptions adam() const { return {.learning_rate = hp_.learning_rate, .epsilon = hp_.adam_epsilon}; }

  void check_rows(std::uint32_t rows) const {
    if (rows != static_cast<std::uint32_t>(num_envs_))
      throw pgb::InvalidArgument("ppo: a training batch has " + std::to_string(rows) + " rows, expected num_envs = " +
                                 std::to_string(num_envs_));
  }

  template <class Out>
  void normalize(const ConstMatrixMap<double>& raw, Out&& out) const {
    if (hp_.normalize_observations) observation_normalizer_.normalize(raw, out);
    else out = raw.cast<float>();
  }

  // V(s_t) for every sample, then GAE: the bootstraps V(final observation) after truncations and
  // V(s_T) after the last step come from the same (current) critic.
  void estimate_advantages() {
    const Index n = num_envs_, steps = rollout_.num_steps();
    const auto values = critic_.forward(critic_workspace_, rollout_.observations());
    for (Index t = 0; t < steps; ++t) rollout_.values(t) = values.middleCols(t * n, n);
    const auto next_values = critic_.forward(critic_workspace_, final_observations_);
    for (Index t = 0; t < steps; ++t) {
      const auto ends = rollout_.ends(t);
      auto truncation_values = rollout_.truncation_values(t);
      for (Index i = 0; i < n; ++i)
        truncation_values[i] = ends[i] == EpisodeEnd::truncated ? next_values(0, t * n + i) : 0.0f;
    }
    rollout_.bootstrap_values() = next_values.rightCols(n).transpose();
    rollout_.compute_gae(static_cast<float>(hp_.gamma), static_cast<float>(hp_.gae_lambda));
  }

  // Fisher–Yates with the algorithm's own generator.
  void shuffle(std::vector<Index>& order) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng_.below(i)]);
  }

  // One gradient step on the samples `index`; returns false (without stepping) when the target-KL
  // early stop fires.
  bool train_minibatch(std::span<const Index> index, MinibatchMeans& means) {
    const Index size = static_cast<Index>(index.size());
    gather(index);
    if (hp_.normalize_advantages && size > 1) {
      const double mean = mb_advantages_.mean();
      const double std = std::sqrt((mb_advantages_.array() - mean).square().sum() / (size - 1));
      mb_advantages_ = ((mb_advantages_.array() - mean) / (std + 1e-8)).matrix();
    }

    // The actor: −L^CLIP − c_H · H.
    const auto outputs = policy_.network().forward(policy_workspace_, mb_observations_);
    RowVector<float> log_probs(size), dloss_dlogp(size), entropy(size);
    policy_.log_prob(outputs, mb_actions_, log_probs);
    const pgb::ppo::SurrogateStats surrogate =
        pgb::ppo::clipped_surrogate(log_probs, mb_old_log_probs_, mb_advantages_, hp_.clip_epsilon, dloss_dlogp);
    if (hp_.target_kl > 0 && surrogate.approx_kl > 1.5 * hp_.target_kl) return false;
    policy_.entropy(outputs, entropy);
    Matrix<float> output_gradient = Matrix<float>::Zero(outputs.rows(), size);
    Vector<float> log_std_gradient = Vector<float>::Zero(policy_.log_std().size());
    policy_.add_log_prob_gradient(outputs, mb_actions_, dloss_dlogp, output_gradient, log_std_gradient);
    if (hp_.entropy_coef > 0)
      policy_.add_entropy_gradient(outputs, RowVector<float>::Constant(size, static_cast<float>(-hp_.entropy_coef / size)),
                                   output_gradient, log_std_gradient);
    Vector<float> policy_gradient(policy_.network().num_parameters());
    policy_.network().backward(policy_workspace_, output_gradient, policy_gradient);

    // The critic: c_V · L^V.
    const auto values = critic_.forward(critic_workspace_, mb_observations_);
    RowVector<float> value_gradient(size);
    const double value_loss =
        pgb::ppo::value_loss(values, mb_returns_, mb_old_values_, hp_.value_clip, value_gradient);
    value_gradient *= static_cast<float>(hp_.value_coef);
    Vector<float> critic_gradient(critic_.num_parameters());
    critic_.backward(critic_workspace_, value_gradient, critic_gradient);

    clip_by_global_norm(hp_.max_grad_norm, policy_gradient, log_std_gradient, critic_gradient);
    policy_optimizer_.step(policy_.network().parameters(), policy_gradient);
    if (!policy_.discrete()) log_std_optimizer_.step(policy_.log_std(), log_std_gradient);
    critic_optimizer_.step(critic_.parameters(), critic_gradient);

    means.policy_loss += surrogate.loss;
    means.value_loss += value_loss;
    means.entropy += entropy.mean();
    means.approx_kl += surrogate.approx_kl;
    means.clip_fraction += surrogate.clip_fraction;
    ++means.count;
    return true;
  }

  // Copies the samples `index` of the rollout into the minibatch arrays.
  void gather(std::span<const Index> index) {
    const Index size = static_cast<Index>(index.size());
    mb_observations_.resize(obs_dim_, size);
    mb_actions_.resize(policy_.action_dim(), size);
    mb_old_log_probs_.resize(size);
    mb_advantages_.resize(size);
    mb_returns_.resize(size);
    mb_old_values_.resize(size);
    const auto observations = rollout_.observations();
    const auto actions = rollout_.actions();
    for (Index j = 0; j < size; ++j) {
      const Index k = index[static_cast<std::size_t>(j)];
      mb_observations_.col(j) = observations.col(k);
      mb_actions_.col(j) = actions.col(k);
      mb_old_log_probs_[j] = rollout_.log_probs()[k];
      mb_advantages_[j] = rollout_.advantages()[k];
      mb_returns_[j] = rollout_.returns()[k];
      mb_old_values_[j] = rollout_.values()[k];
    }
  }

  // 1 − Var[R − V] / Var[R]: the share of the returns' variance the critic accounts for.
  static double explained_variance_of(const ConstRowVectorRef<float>& values, const ConstRowVectorRef<float>& returns) {
    const auto variance = [](const auto& x) {
      const double mean = x.template cast<double>().mean();
      return (x.template cast<double>().array() - mean).square().mean();
    };
    const double total = variance(returns);
    return total > 0 ? 1.0 - variance((returns - values).eval()) / total : 0.0;
  }

  Hyperparameters hp_;
  Index num_envs_, obs_dim_;
  pgb::Rng rng_;
  StochasticPolicy policy_;
  Mlp<float> critic_;
  Adam<float> policy_optimizer_, log_std_optimizer_, critic_optimizer_;
  std::optional<LinearDecay> lr_schedule_;
  ObservationNormalizer observation_normalizer_;
  ReturnNormalizer return_normalizer_;
  RolloutStorage<float> rollout_;
  Matrix<float> final_observations_;  // normalised s_{t+1} of every sample (obs_dim × T·N)
  Mlp<float>::Workspace act_workspace_, policy_workspace_, critic_workspace_;
  Matrix<float> mb_observations_, mb_actions_;
  RowVector<float> mb_old_log_probs_, mb_advantages_, mb_returns_, mb_old_values_;
};

}  // namespace

PGB_REGISTER_ALGORITHM(Ppo, "org.pgbench.algo.ppo/1")
    .name("ppo")
    .description("Proximal Policy Optimization, clipped surrogate (Schulman et al. 2017)")
    .param("learning_rate", 3e-4, "Adam step size (decayed linearly to 0 over the budget when lr_decay)", 0.0, 1.0)
    .param("lr_decay", true, "decay the learning rate linearly to 0 over the run's env-step budget")
    .param("steps_per_batch", 2048, "env steps per update, spread over the sub-envs (T = steps_per_batch / num_envs)",
           1.0, 1e7)
    .param("epochs", 10, "passes over each batch", 1.0, 1000.0)
    .param("minibatch_size", 64, "samples per Adam step", 1.0, 1e7)
    .param("gamma", 0.99, "discount factor", 0.0, 1.0)
    .param("gae_lambda", 0.95, "GAE lambda", 0.0, 1.0)
    .param("clip_epsilon", 0.2, "surrogate clip range epsilon", 0.0, 1.0)
    .param("value_coef", 0.25, "value loss coefficient", 0.0, 1e3)
    .param("value_clip", 0.0, "value clipping range around the old prediction (0 = no value clipping)", 0.0, 1e6)
    .param("entropy_coef", 0.0, "entropy bonus coefficient", 0.0, 1.0)
    .param("max_grad_norm", 0.5, "global gradient-norm clip over actor and critic", 0.0, 1e6)
    .param("target_kl", 0.0, "stop the update's epochs when approx KL exceeds 1.5 x target_kl (0 = never)", 0.0,
           10.0)
    .param("recompute_advantages", true, "re-estimate values and GAE advantages with the current critic each epoch")
    .param("normalize_advantages", true, "standardise advantages within each minibatch")
    .param("normalize_observations", true, "running observation normalisation (frozen in evaluation)")
    .param("normalize_returns", true, "scale rewards by the running std of the discounted return")
    .param("adam_epsilon", 1e-5, "Adam epsilon", 0.0, 1.0);

PGB_PLUGIN("org.pgbench.ppo", "PPO", "1.0.0", "Proximal Policy Optimization (clipped surrogate)")
