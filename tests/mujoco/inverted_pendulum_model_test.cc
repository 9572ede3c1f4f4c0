// InvertedPendulum model: shared/specs/mujoco-tasks.md section 8 and Appendix B.
#include "model_test_support.h"

namespace pgbench::mujoco_test {
namespace {

constexpr int kFrameSkip = 2;             // substeps per environment step
constexpr double kEnvStepSeconds = 0.04;  // dt = timestep x frame skip

class InvertedPendulumModel : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("inverted_pendulum.xml"); }
};

TEST_F(InvertedPendulumModel, SizesAndSimulationOptions) {
  const mjModel* m = model();
  EXPECT_EQ(m->nq, 2);
  EXPECT_EQ(m->nv, 2);
  EXPECT_EQ(m->nu, 1);
  EXPECT_EQ(m->opt.integrator, mjINT_RK4);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.02);
  EXPECT_NEAR(m->opt.timestep * kFrameSkip, kEnvStepSeconds, 1e-15);
}

TEST_F(InvertedPendulumModel, BodyMasses) {
  ExpectBodies(model(), {{"cart", 10.472}, {"pole", 5.0186}}, 10.472 + 5.0186);
}

TEST_F(InvertedPendulumModel, CartAndPoleJoints) {
  ExpectJoints(model(), {"slider", "hinge"});
  ExpectQpos0(model(), {0, 0});
  ExpectJointRange(model(), "slider", -1, 1);
  ExpectJointRange(model(), "hinge", DegreesToRadians(-90), DegreesToRadians(90));
}

TEST_F(InvertedPendulumModel, ActionPushesTheCartWithinThree) {
  ExpectActuators(model(), {{"slider", 100, -3, 3}});
}

TEST_F(InvertedPendulumModel, ReproducesReferenceRollout) {
  const RolloutReference reference{
      .qpos_step1 = {0.000992, -0.002262},
      .qvel_step1 = {0.049487, -0.111970},
      .qpos_step20 = {1.008283, -1.575241},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

}  // namespace
}  // namespace pgbench::mujoco_test
