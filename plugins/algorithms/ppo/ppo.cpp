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
#include <pgbench/sdk/learn/on_policy.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/policy.hpp>
#include <pgbench/sdk/plugin.hpp>

#include <algorithm>
#include <numeric>
#include <span>
#include <vector>

#include "ppo_loss.hpp"

namespace {

using namespace pgb::learn;

constexpr double kInitialLogStd = -0.5;

// The settings; the initialisers are the defaults.
struct Options {
  double learning_rate = 3e-4;
  bool lr_decay = true;
  std::int64_t steps_per_batch = 2048;
  std::int64_t epochs = 10;
  std::int64_t minibatch_size = 64;
  double gamma = 0.99;
  double gae_lambda = 0.95;
  double clip_epsilon = 0.2;
  double value_coef = 0.25;
  double value_clip = 0.0;
  double entropy_coef = 0.0;
  double max_grad_norm = 0.5;
  double target_kl = 0.0;
  bool recompute_advantages = true;
  bool normalize_advantages = true;
  bool normalize_observations = true;
  bool normalize_returns = true;
  double adam_epsilon = 1e-5;
};

const pgb::Hyperparameters<Options> kHyperparameters{
    {"learning_rate", &Options::learning_rate, "Adam step size (decayed linearly to 0 over the budget when lr_decay)", 0.0, 1.0},
    {"lr_decay", &Options::lr_decay, "decay the learning rate linearly to 0 over the run's env-step budget"},
    {"steps_per_batch", &Options::steps_per_batch, "env steps per update, spread over the sub-envs (T = steps_per_batch / num_envs)", 1.0, 1e7},
    {"epochs", &Options::epochs, "passes over each batch", 1.0, 1000.0},
    {"minibatch_size", &Options::minibatch_size, "samples per Adam step", 1.0, 1e7},
    {"gamma", &Options::gamma, "discount factor", 0.0, 1.0},
    {"gae_lambda", &Options::gae_lambda, "GAE lambda", 0.0, 1.0},
    {"clip_epsilon", &Options::clip_epsilon, "surrogate clip range epsilon", 0.0, 1.0},
    {"value_coef", &Options::value_coef, "value loss coefficient", 0.0, 1e3},
    {"value_clip", &Options::value_clip, "value clipping range around the old prediction (0 = no value clipping)", 0.0, 1e6},
    {"entropy_coef", &Options::entropy_coef, "entropy bonus coefficient", 0.0, 1.0},
    {"max_grad_norm", &Options::max_grad_norm, "global gradient-norm clip over actor and critic", 0.0, 1e6},
    {"target_kl", &Options::target_kl, "stop the update's epochs when approx KL exceeds 1.5 x target_kl (0 = never)", 0.0, 10.0},
    {"recompute_advantages", &Options::recompute_advantages, "re-estimate values and GAE advantages with the current critic each epoch"},
    {"normalize_advantages", &Options::normalize_advantages, "standardise advantages within each minibatch"},
    {"normalize_observations", &Options::normalize_observations, "running observation normalisation (frozen in evaluation)"},
    {"normalize_returns", &Options::normalize_returns, "scale rewards by the running std of the discounted return"},
    {"adam_epsilon", &Options::adam_epsilon, "Adam epsilon (added outside the square root)", 0.0, 1.0},
};

// Per-update means of the minibatch diagnostics.
struct MinibatchMeans {
  double policy_loss = 0, value_loss = 0, entropy = 0, approx_kl = 0, clip_fraction = 0;
  int count = 0;
};

class Ppo final : public OnPolicyAlgorithm {
 public:
  explicit Ppo(const pgb::AlgorithmContext& context) : Ppo(context, kHyperparameters.read(context.hyperparameters)) {}

  void update(std::uint64_t env_steps_done, const pgb::Metrics& metrics) override {
    const double lr = learning_rate_.at(env_steps_done);
    for (Adam<float>* optimizer : {&policy_optimizer_, &log_std_optimizer_, &critic_optimizer_})
      optimizer->set_learning_rate(lr);

    auto& rollout = this->rollout();
    const Index batch = rollout.size();
    estimate_advantages();
    const double explained = explained_variance(rollout.values(), rollout.returns());
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
    rollout.clear();

    const double n = std::max(1, means.count);
    metrics("loss/policy", means.policy_loss / n);
    metrics("loss/value", means.value_loss / n);
    metrics("policy/entropy", means.entropy / n);
    metrics("policy/approx_kl", means.approx_kl / n);
    metrics("policy/clip_fraction", means.clip_fraction / n);
    metrics("value/explained_variance", explained);
    metrics("optim/lr", lr);
  }

 private:
  Ppo(const pgb::AlgorithmContext& context, const Options& hp)
      : OnPolicyAlgorithm(context, {"ppo", std::max<Index>(1, hp.steps_per_batch / context.num_envs),
                                    kInitialLogStd, hp.normalize_observations, hp.normalize_returns, hp.gamma}),
        hp_(hp),
        policy_optimizer_(policy().network().num_parameters(), adam()),
        log_std_optimizer_(policy().log_std().size(), adam()),
        critic_optimizer_(critic().num_parameters(), adam()),
        learning_rate_(linear_decay_over_budget(hp_.learning_rate, hp_.lr_decay ? context.total_env_steps : 0)),
        policy_workspace_(policy().network(), hp_.minibatch_size),
        critic_workspace_(critic(), rollout().size()) {}

  void save_optimizers(pgb::OutputArchive& out) const override {
    policy_optimizer_.save(out);
    log_std_optimizer_.save(out);
    critic_optimizer_.save(out);
  }
  void load_optimizers(pgb::InputArchive& in) override {
    policy_optimizer_.load(in);
    log_std_optimizer_.load(in);
    critic_optimizer_.load(in);
  }

  AdamOptions adam() const { return {.learning_rate = hp_.learning_rate, .epsilon = hp_.adam_epsilon}; }

  // V with the current critic, then Â and R = Â + V by GAE(γ, λ).
  void estimate_advantages() {
    collector().estimate_values(critic(), critic_workspace_);
    rollout().compute_gae(static_cast<float>(hp_.gamma), static_cast<float>(hp_.gae_lambda));
  }

  // Fisher–Yates with the algorithm's own generator.
  void shuffle(std::vector<Index>& order) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng().below(i)]);
  }

  // One gradient step on the samples `index` of the rollout; returns false (without stepping)
  // when the target-KL early stop fires.
  bool train_minibatch(std::span<const Index> index, MinibatchMeans& means) {
    // mb.log_probs and mb.values are those of π_old and V_old, which collected and scored the batch.
    RolloutSamples<float>& mb = minibatch_;
    mb.gather(rollout(), index);
    const Index size = mb.size();
    if (hp_.normalize_advantages) normalize_advantages(mb.advantages);

    // The actor: −L^CLIP − c_H · H.
    const auto outputs = policy().network().forward(policy_workspace_, mb.observations);
    RowVector<float> log_probs(size), dloss_dlogp(size), entropy(size);
    policy().log_prob(outputs, mb.actions, log_probs);
    const pgb::ppo::SurrogateStats surrogate =
        pgb::ppo::clipped_surrogate(log_probs, mb.log_probs, mb.advantages, hp_.clip_epsilon, dloss_dlogp);
    if (hp_.target_kl > 0 && surrogate.approx_kl > 1.5 * hp_.target_kl) return false;
    policy().entropy(outputs, entropy);
    Policy::Gradient policy_gradient;
    policy().backward(policy_workspace_, mb.actions, dloss_dlogp, static_cast<float>(-hp_.entropy_coef / size),
                      policy_gradient);

    // The critic: c_V · L^V.
    const auto values = critic().forward(critic_workspace_, mb.observations);
    RowVector<float> value_gradient(size);
    const double value_loss = pgb::ppo::value_loss(values, mb.returns, mb.values, hp_.value_clip, value_gradient);
    value_gradient *= static_cast<float>(hp_.value_coef);
    Vector<float> critic_gradient(critic().num_parameters());
    critic().backward(critic_workspace_, value_gradient, critic_gradient);

    clip_by_global_norm(hp_.max_grad_norm, policy_gradient.network, policy_gradient.log_std, critic_gradient);
    policy_optimizer_.step(policy().network().parameters(), policy_gradient.network);
    if (!policy().discrete()) log_std_optimizer_.step(policy().log_std(), policy_gradient.log_std);
    critic_optimizer_.step(critic().parameters(), critic_gradient);

    means.policy_loss += surrogate.loss;
    means.value_loss += value_loss;
    means.entropy += entropy.mean();
    means.approx_kl += surrogate.approx_kl;
    means.clip_fraction += surrogate.clip_fraction;
    ++means.count;
    return true;
  }

  Options hp_;
  Adam<float> policy_optimizer_, log_std_optimizer_, critic_optimizer_;
  LinearDecay learning_rate_;
  Mlp<float>::Workspace policy_workspace_;  // a minibatch
  Mlp<float>::Workspace critic_workspace_;  // the whole batch
  RolloutSamples<float> minibatch_;
};

}  // namespace

PGB_REGISTER_ALGORITHM(Ppo, "org.pgbench.algo.ppo/1")
    .name("ppo")
    .description("Proximal Policy Optimization, clipped surrogate (Schulman et al. 2017)")
    .num_envs(8)  // the reference setting: the 2048-step batch over 8 envs
    .params(kHyperparameters);

PGB_PLUGIN("org.pgbench.ppo", "PPO", "1.0.0", "Proximal Policy Optimization (clipped surrogate)")
