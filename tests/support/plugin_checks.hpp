// The checkpoint contract every algorithm plugin keeps, checked through the C ABI on one task
// with 2 sub-envs (see algorithm_runner.hpp).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "algorithm_runner.hpp"

namespace pgbench::test {

// Two identical runs; the second hands its state mid-rollout (after 106 host steps) to a fresh
// instance built with another seed. From there both must take the same actions and end in
// the same state, byte for byte.
inline void expect_save_load_continue_is_running_on(const std::string& env, const std::string& algorithm,
                                                    const Overrides& overrides) {
  Runner first(env, 2, 7), second(env, 2, 7);
  AlgoHandle original = first.make(algorithm, overrides, 1), twin = second.make(algorithm, overrides, 1);
  ASSERT_EQ(first.run(original, 106), second.run(twin, 106));

  AlgoHandle resumed = second.make(algorithm, overrides, 999);
  resumed.load(PGB_STATE_FULL, twin.save(PGB_STATE_FULL));
  EXPECT_EQ(first.run(original, 90), second.run(resumed, 90));
  EXPECT_EQ(original.save(PGB_STATE_FULL), resumed.save(PGB_STATE_FULL));
}

// A Policy-scope checkpoint of a trained instance gives another instance the same evaluation
// policy, and act_eval is a pure function of the observation.
inline void expect_policy_checkpoint_restores_the_evaluation_policy(const std::string& env,
                                                                   const std::string& algorithm,
                                                                   const Overrides& overrides) {
  Runner runner(env, 2, 3);
  AlgoHandle trained = runner.make(algorithm, overrides, 5);
  runner.run(trained, 100);
  AlgoHandle restored = runner.make(algorithm, overrides, 6);
  restored.load(PGB_STATE_POLICY, trained.save(PGB_STATE_POLICY));

  std::vector<std::uint8_t> a(64), b(64), c(64);
  const std::vector<double>& obs = runner.observations();
  trained.act_eval(obs.data(), 2, a.data());
  trained.act_eval(obs.data(), 2, b.data());
  restored.act_eval(obs.data(), 2, c.data());
  EXPECT_EQ(a, b) << "act_eval must be a pure function of the observation";
  EXPECT_EQ(a, c);
}

}  // namespace pgbench::test
