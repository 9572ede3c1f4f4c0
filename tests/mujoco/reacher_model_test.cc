// Reacher model: shared/specs/mujoco-tasks.md section 7 and Appendix B.
#include "model_test_support.h"

namespace pgbench::mujoco_test {
namespace {

constexpr int kFrameSkip = 2;             // substeps per environment step
constexpr double kEnvStepSeconds = 0.02;  // dt = timestep x frame skip

class ReacherModel : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("reacher.xml"); }
};

TEST_F(ReacherModel, SizesAndSimulationOptions) {
  const mjModel* m = model();
  EXPECT_EQ(m->nq, 4);
  EXPECT_EQ(m->nv, 4);
  EXPECT_EQ(m->nu, 2);
  EXPECT_EQ(m->opt.integrator, mjINT_RK4);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.01);
  EXPECT_NEAR(m->opt.timestep * kFrameSkip, kEnvStepSeconds, 1e-15);
}

TEST_F(ReacherModel, BodyMasses) {
  ExpectBodies(model(),
               {{"body0", 0.035605}, {"body1", 0.035605}, {"fingertip", 0.0041888},
                {"target", 0.0030536}},
               0.035605 * 2 + 0.0041888 + 0.0030536);
}

TEST_F(ReacherModel, TargetSlidesReadAsWorldCoordinates) {
  const mjModel* m = model();
  ExpectJoints(m, {"joint0", "joint1", "target_x", "target_y"});
  // The slide references put the target's world x, y into qpos[2], qpos[3].
  ExpectQpos0(m, {0, 0, 0.1, -0.1});
  EXPECT_EQ(m->jnt_limited[0], 0) << "the shoulder turns freely";
  ExpectJointRange(m, "joint1", -3, 3);
  ExpectJointRange(m, "target_x", -0.27, 0.27);
  ExpectJointRange(m, "target_y", -0.27, 0.27);
}

TEST_F(ReacherModel, ActuatorsInActionOrder) {
  ExpectActuators(model(), {{"joint0", 200, -1, 1}, {"joint1", 200, -1, 1}});
}

TEST_F(ReacherModel, ReproducesReferenceRollout) {
  const RolloutReference reference{
      .qpos_step1 = {0.001980, 0.003946, 0.100000, -0.100000},
      .qvel_step1 = {0.197301, 0.393243, 0, 0},
      .qpos_step20 = {4.172537, 2.913143, 0.100000, -0.100000},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

}  // namespace
}  // namespace pgbench::mujoco_test
