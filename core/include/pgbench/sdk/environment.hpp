// pgbench/sdk/environment.hpp -- write an environment as one C++ class.
//
// An environment class models ONE episode-based task instance; the SDK runs num_envs copies of
// it behind the C ABI, gives each its own generator, keeps track of which are mid-episode and
// catches every exception at the boundary. A class needs a constructor from `const pgb::Config&`
// and the three functions below (randomness comes from rng()), then one PGB_REGISTER_ENV line (see plugin.hpp).
#pragma once

#include <cstdint>
#include <span>

#include "pgbench/sdk/archive.hpp"
#include "pgbench/sdk/config.hpp"
#include "pgbench/sdk/errors.hpp"
#include "pgbench/sdk/rng.hpp"
#include "pgbench/sdk/space.hpp"

namespace pgb {

// What an instance is: its spaces (which may depend on its config), how many simulator frames
// one step advances, and the time limit the task is registered with (the host applies it).
struct EnvSpec {
  Space observation;
  Space action;
  std::uint32_t frames_per_step = 1;
  std::uint32_t max_episode_steps = 0;  // 0 = none
};

// One action: the values of a Box action, or the index of a Discrete one.
class ActionRef {
 public:
  ActionRef(std::span<const double> values) : values_(values) {}  // NOLINT: implicit by design
  ActionRef(std::int64_t index) : index_(index) {}                 // NOLINT
  std::span<const double> values() const noexcept { return values_; }
  std::int64_t index() const noexcept { return index_; }

 private:
  std::span<const double> values_;
  std::int64_t index_ = 0;
};

struct StepResult {
  double reward = 0.0;
  bool terminated = false;  // reached a terminal state of the MDP
  bool truncated = false;   // cut for a reason of the env's own; time limits belong to the host
};

class Environment {
 public:
  virtual ~Environment() = default;

  virtual EnvSpec spec() const = 0;

  // Starts an episode: draws the initial state from rng() and writes the first observation.
  virtual void reset(std::span<double> observation) = 0;

  // Applies `action` (already validated by the host against the action space), advances one
  // step and writes the next observation.
  virtual StepResult step(ActionRef action, std::span<double> observation) = 0;

  // Optional (ABI 1.1): everything reset() and step() leave behind that the next step depends
  // on, beyond rng() (which the SDK saves itself, with the episode flag). Override both to let the
  // host checkpoint a run mid-way and continue it bit-for-bit; without them an interrupted run of
  // this environment starts again from step 0.
  virtual void save_state(OutputArchive& out) const;
  virtual void load_state(InputArchive& in);

  // This instance's generator: the only randomness it may use. The SDK seeds it from the seed
  // the host gives for this sub-env, and reseeds it when reset() comes with a seed.
  Rng& rng() noexcept { return rng_; }

 private:
  Rng rng_;
};

inline void Environment::save_state(OutputArchive&) const {
  throw Unsupported("this environment cannot save its state");
}
inline void Environment::load_state(InputArchive&) { throw Unsupported("this environment cannot load a state"); }

}  // namespace pgb
