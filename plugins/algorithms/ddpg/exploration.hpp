// DDPG's behaviour policy adds noise to μ(s) in u-space ([−1, 1]^k, see ddpg_learner.hpp), one
// noise process per sub-env:
//   gaussian  ε ~ N(0, σ² I), independent at every step (Fujimoto et al. 2018's DDPG baseline);
//   ou        the Ornstein–Uhlenbeck process of Lillicrap et al. 2016 in its discrete form with
//             unit time step, x ← x − θ x + σ ε (θ = 0.15, σ = 0.2 in the paper), restarted
//             from 0 at each episode start, so that consecutive actions explore together.
// σ in u-space is σ × half the action range in the Box.
#pragma once

#include <pgbench/sdk/archive.hpp>
#include <pgbench/sdk/errors.hpp>
#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/types.hpp>
#include <pgbench/sdk/rng.hpp>

#include <string>

namespace pgb::ddpg {

class ExplorationNoise {
 public:
  enum class Kind { gaussian, ornstein_uhlenbeck };

  static Kind parse(const std::string& name) {
    if (name == "gaussian") return Kind::gaussian;
    if (name == "ou") return Kind::ornstein_uhlenbeck;
    throw InvalidArgument("ddpg: unknown exploration noise '" + name + "'; accepted: gaussian, ou");
  }

  ExplorationNoise(Kind kind, double sigma, double theta, learn::Index action_dim, learn::Index num_envs)
      : kind_(kind), sigma_(sigma), theta_(theta), state_(learn::Matrix<double>::Zero(action_dim, num_envs)) {}

  // The noise of sub-env `env` at this step (action_dim values).
  auto sample(Rng& rng, learn::Index env) {
    auto x = state_.col(env);
    for (learn::Index d = 0; d < x.size(); ++d)
      x(d) = kind_ == Kind::gaussian ? sigma_ * rng.normal() : x(d) - theta_ * x(d) + sigma_ * rng.normal();
    return x;
  }

  // A new episode starts in sub-env `env`.
  void reset(learn::Index env) { state_.col(env).setZero(); }

  void save(OutputArchive& out) const { learn::save_dense(out, state_); }
  void load(InputArchive& in) { learn::load_dense(in, state_, "the exploration noise state"); }

 private:
  Kind kind_;
  double sigma_, theta_;
  learn::Matrix<double> state_;  // action_dim × num_envs: the OU state, or the last Gaussian draw
};

}  // namespace pgb::ddpg
