// OnPolicyAlgorithm, the plugin the on-policy algorithms derive from: what it accepts, and that
// its checkpoint, with the derived algorithm's optimiser state, is the run that never stopped.
#include <pgbench/sdk/learn/on_policy.hpp>

#include "support/toy_envs.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace pgb::learn {
namespace {

// The smallest derived algorithm: one Adam step of the policy gradient on GAE advantages per
// rollout, so that resuming needs the optimiser's moments from the hook as well.
class ActorCritic final : public OnPolicyAlgorithm {
 public:
  explicit ActorCritic(const AlgorithmContext& context)
      : OnPolicyAlgorithm(context, {"test", 4, -0.5, true, true, 0.99}),
        optimizer_(policy().network().num_parameters()),
        policy_workspace_(policy().network(), rollout().size()),
        critic_workspace_(critic(), rollout().size()) {}

  void update(std::uint64_t, const Metrics&) override {
    collector().estimate_values(critic(), critic_workspace_);
    rollout().compute_gae(0.99f, 0.95f);
    Policy::Gradient gradient = policy().zero_gradient();
    policy().policy_gradient_loss(policy_workspace_, rollout().observations(), rollout().actions(),
                                  rollout().advantages(), 0.0f, gradient);
    optimizer_.step(policy().network().parameters(), gradient.network);
    rollout().clear();
  }

 private:
  void save_optimizers(OutputArchive& out) const override { optimizer_.save(out); }
  void load_optimizers(InputArchive& in) override { optimizer_.load(in); }

  Adam<float> optimizer_;
  Policy::Workspace policy_workspace_;
  Critic::Workspace critic_workspace_;
};

ActorCritic make(const AlgorithmContext& context) { return ActorCritic(context); }

TEST(OnPolicyAlgorithm, RejectsANonBoxObservationSpace) {
  AlgorithmContext context = test::toy_context(Space::discrete(2), 2, 1);
  context.observation_space = Space::discrete(4);
  EXPECT_THROW(ActorCritic{context}, Unsupported);
}

TEST(OnPolicyAlgorithm, FullCheckpointResumesMidRollout) {
  test::expect_resumable(make, Space::box(2, -1.0, 1.0), 2, 11);
  test::expect_resumable(make, Space::discrete(3), 3, 10);
}

TEST(OnPolicyAlgorithm, PolicyCheckpointRestoresTheEvaluationPolicy) {
  test::expect_policy_scope_restores_the_evaluation_policy(make, 9);
}

}  // namespace
}  // namespace pgb::learn
