// Hopper model: shared/specs/mujoco-tasks.md section 3 and Appendix B.
#include "model_test_support.h"

namespace pgbench::mujoco_test {
namespace {

constexpr int kFrameSkip = 4;              // substeps per environment step
constexpr double kEnvStepSeconds = 0.008;  // dt = timestep x frame skip

class HopperModel : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("hopper.xml"); }
};

TEST_F(HopperModel, SizesAndSimulationOptions) {
  const mjModel* m = model();
  EXPECT_EQ(m->nq, 6);
  EXPECT_EQ(m->nv, 6);
  EXPECT_EQ(m->nu, 3);
  EXPECT_EQ(m->opt.integrator, mjINT_RK4);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.002);
  EXPECT_NEAR(m->opt.timestep * kFrameSkip, kEnvStepSeconds, 1e-15);
}

TEST_F(HopperModel, BodyMasses) {
  ExpectBodies(model(),
               {{"torso", 3.6652}, {"thigh", 4.0579}, {"leg", 2.7814}, {"foot", 5.3156}},
               15.8200);
}

TEST_F(HopperModel, RootHeightIsTheTorsoHeight) {
  ExpectJoints(model(), {"rootx", "rootz", "rooty", "thigh_joint", "leg_joint", "foot_joint"});
  // rootz's reference 1.25 makes qpos[1] the absolute torso height (health test: > 0.7).
  ExpectQpos0(model(), {0, 1.25, 0, 0, 0, 0});
  ExpectJointRange(model(), "thigh_joint", DegreesToRadians(-150), 0);
  ExpectJointRange(model(), "foot_joint", DegreesToRadians(-45), DegreesToRadians(45));
}

TEST_F(HopperModel, ActuatorsInActionOrder) {
  ExpectActuators(model(), {{"thigh_joint", 200, -1, 1}, {"leg_joint", 200, -1, 1},
                            {"foot_joint", 200, -1, 1}});
}

TEST_F(HopperModel, ReproducesReferenceRollout) {
  // Floor contact starts within the first steps; see kReferenceTolerance for why 1e-6 holds.
  const RolloutReference reference{
      .qpos_step1 = {0.000031, 1.249667, 0.000127, 0.000057, 0.000110, 0.000839},
      .qvel_step1 = {0.006316, -0.083125, 0.020573, 0.007983, 0.014833, 0.210393},
      .qpos_step20 = {0.038532, 1.223515, 0.032777, 0.001774, -0.014679, 0.180730},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

}  // namespace
}  // namespace pgbench::mujoco_test
