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
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <span>
#include <vector>

#include "on_policy.hpp"
#include "ppo_loss.hpp"

namespace {

using namespace pgb::learn;
using pgb::ppo::OnPolicyAgent;

struct Hyperparameters {
  explicit Hyperparameters(const pgb::Config& c)
      : learning_rate(c.get_double("learning_rate")),
        lr_decay(c.get_bool("lr_decay")),
        epochs(c.get_int("epochs")),
        minibatch_size(c.get_int("minibatch_size")),
        clip_epsilon(c.get_double("clip_epsilon")),
        value_coef(c.get_double("value_coef")),
        value_clip(c.get_double("value_clip")),
        entropy_coef(c.get_double("entropy_coef")),
        max_grad_norm(c.get_double("max_grad_norm")),
        target_kl(c.get_double("target_kl")),
        recompute_advantages(c.get_bool("recompute_advantages")),
        normalize_advantages(c.get_bool("normalize_advantages")),
        adam_epsilon(c.get_double("adam_epsilon")) {}
  double learning_rate;
  bool lr_decay;
  std::int64_t epochs, minibatch_size;
  double clip_epsilon, value_coef, value_clip, entropy_coef, max_grad_norm, target_kl;
  bool recompute_advantages, normalize_advantages;
  double adam_epsilon;
};

// Per-update means of the minibatch diagnostics.
struct MinibatchMeans {
  double policy_loss = 0, value_loss = 0, entropy = 0, approx_kl = 0, clip_fraction = 0;
  int count = 0;
};

class Ppo final : public OnPolicyAgent {
 public:
  explicit Ppo(const pgb::AlgorithmContext& context)
      : OnPolicyAgent(context, pgb::ppo::CollectionSettings(context.hyperparameters)),
        hp_(context.hyperparameters),
        policy_optimizer_(policy_.network().num_parameters(), adam()),
        log_std_optimizer_(policy_.log_std().size(), adam()),
        critic_optimizer_(critic_.num_parameters(), adam()),
        policy_workspace_(policy_.network(), hp_.minibatch_size) {
    if (hp_.lr_decay && context.total_env_steps > 0) lr_schedule_.emplace(hp_.learning_rate, context.total_env_steps);
  }

  void update(std::uint64_t env_steps_done, const pgb::Metrics& metrics) override {
    const double lr = lr_schedule_ ? lr_schedule_->at(env_steps_done) : hp_.learning_rate;
    policy_optimizer_.set_learning_rate(lr);
    log_std_optimizer_.set_learning_rate(lr);
    critic_optimizer_.set_learning_rate(lr);

    const Index batch = rollout_.size();
    estimate_advantages();
    const double explained = explained_variance();
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
    metrics("value/explained_variance", explained);
    metrics("optim/lr", lr);
  }

  void save(pgb::OutputArchive& out, pgb::StateScope scope) const override {
    save_collection(out, scope);
    if (scope == pgb::StateScope::Policy) return;
    out.tag("ppo");
    policy_optimizer_.save(out);
    log_std_optimizer_.save(out);
    critic_optimizer_.save(out);
  }

  void load(pgb::InputArchive& in, pgb::StateScope scope) override {
    load_collection(in, scope);
    if (scope == pgb::StateScope::Policy) return;
    in.expect_tag("ppo");
    policy_optimizer_.load(in);
    log_std_optimizer_.load(in);
    critic_optimizer_.load(in);
  }

 private:
  AdamOptions adam() const { return {.learning_rate = hp_.learning_rate, .epsilon = hp_.adam_epsilon}; }

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
      policy_.add_entropy_gradient(outputs,
                                   RowVector<float>::Constant(size, static_cast<float>(-hp_.entropy_coef / size)),
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

  Hyperparameters hp_;
  Adam<float> policy_optimizer_, log_std_optimizer_, critic_optimizer_;
  std::optional<LinearDecay> lr_schedule_;
  Mlp<float>::Workspace policy_workspace_;
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
    .param("adam_epsilon", 1e-5, "Adam epsilon (added outside the square root)", 0.0, 1.0);

PGB_PLUGIN("org.pgbench.ppo", "PPO", "1.0.0", "Proximal Policy Optimization (clipped surrogate)")
