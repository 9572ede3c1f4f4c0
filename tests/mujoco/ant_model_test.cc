// Ant model: shared/specs/mujoco-tasks.md section 5 and Appendix B.
#include "model_test_support.h"

namespace pgbench::mujoco_test {
namespace {

constexpr int kFrameSkip = 5;             // substeps per environment step
constexpr double kEnvStepSeconds = 0.05;  // dt = timestep x frame skip

class AntModel : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("ant.xml"); }
};

TEST_F(AntModel, SizesAndSimulationOptions) {
  const mjModel* m = model();
  EXPECT_EQ(m->nq, 15);
  EXPECT_EQ(m->nv, 14);
  EXPECT_EQ(m->nu, 8);
  EXPECT_EQ(m->opt.integrator, mjINT_RK4);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.01);
  EXPECT_NEAR(m->opt.timestep * kFrameSkip, kEnvStepSeconds, 1e-15);
}

// 14 bodies with the world: the welded *_leg bodies and the unnamed lower legs each keep their
// own row in cfrc_ext (the v5 observation and the contact cost read all of them).
TEST_F(AntModel, BodiesInTreeOrderWithDensityFiveMasses) {
  constexpr double kTorso = 0.32725, kSegment = 0.039158, kLowerLeg = 0.067592;
  ExpectBodies(model(),
               {{"torso", kTorso},
                {"front_left_leg", kSegment}, {"aux_1", kSegment}, {"", kLowerLeg},
                {"front_right_leg", kSegment}, {"aux_2", kSegment}, {"", kLowerLeg},
                {"back_leg", kSegment}, {"aux_3", kSegment}, {"", kLowerLeg},
                {"right_back_leg", kSegment}, {"aux_4", kSegment}, {"", kLowerLeg}},
               0.91088);
}

TEST_F(AntModel, FreeRootThenHipAnklePairs) {
  const mjModel* m = model();
  ExpectJoints(m, {"root", "hip_1", "ankle_1", "hip_2", "ankle_2", "hip_3", "ankle_3", "hip_4",
                   "ankle_4"});
  EXPECT_EQ(m->jnt_type[0], mjJNT_FREE);
  ExpectQpos0(m, {0, 0, 0.75, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  // The ankle ranges exclude the zero of qpos0: the limits push the ankles in at the start.
  ExpectJointRange(m, "ankle_1", DegreesToRadians(30), DegreesToRadians(70));
  ExpectJointRange(m, "ankle_2", DegreesToRadians(-70), DegreesToRadians(-30));
  ExpectJointRange(m, "ankle_3", DegreesToRadians(-70), DegreesToRadians(-30));
  ExpectJointRange(m, "ankle_4", DegreesToRadians(30), DegreesToRadians(70));
  ExpectJointRange(m, "hip_1", DegreesToRadians(-30), DegreesToRadians(30));
}

TEST_F(AntModel, ActionOrderStartsWithLegFour) {
  ExpectActuators(model(), {{"hip_4", 150, -1, 1}, {"ankle_4", 150, -1, 1},
                            {"hip_1", 150, -1, 1}, {"ankle_1", 150, -1, 1},
                            {"hip_2", 150, -1, 1}, {"ankle_2", 150, -1, 1},
                            {"hip_3", 150, -1, 1}, {"ankle_3", 150, -1, 1}});
}

TEST_F(AntModel, ReproducesReferenceRollout) {
  // Floor contacts and joint-limit impacts from the first step; see kReferenceTolerance.
  const RolloutReference reference{
      .qpos_step1 = {0.000232, 0.002164, 0.771905, 0.999940, 0.000788, -0.003117, -0.010489,
                     0.027310, 0.438590, 0.044004, -0.405578, 0.058779, -0.400856, 0.009632,
                     0.431294},
      .qvel_step1 = {0.015967, 0.083274, 0.200604, 0.103537, -0.393243, -0.818867, 1.084239,
                     10.273051, 1.747398, -8.136898, 2.331882, -7.812951, 0.379474, 9.822676},
      .qpos_step20 = {-0.175964, -0.308377, 0.678525, 0.988786, 0.099593, 0.039478, 0.104044,
                      -0.524196, 1.294877, 0.407417, -1.251763, -0.186261, -0.520827, 0.524963,
                      0.602474},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

}  // namespace
}  // namespace pgbench::mujoco_test
