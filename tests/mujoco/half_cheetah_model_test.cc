// HalfCheetah model: shared/specs/mujoco-tasks.md section 2 and Appendix B.
#include "model_test_support.h"

namespace pgbench::mujoco_test {
namespace {

constexpr int kFrameSkip = 5;              // substeps per environment step
constexpr double kEnvStepSeconds = 0.05;   // dt = timestep x frame skip

class HalfCheetahModel : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("half_cheetah.xml"); }
};

TEST_F(HalfCheetahModel, SizesAndSimulationOptions) {
  const mjModel* m = model();
  EXPECT_EQ(m->nq, 9);
  EXPECT_EQ(m->nv, 9);
  EXPECT_EQ(m->nu, 6);
  EXPECT_EQ(m->opt.integrator, mjINT_EULER);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.01);
  EXPECT_NEAR(m->opt.timestep * kFrameSkip, kEnvStepSeconds, 1e-15);
  EXPECT_DOUBLE_EQ(m->opt.gravity[2], -9.81);
}

TEST_F(HalfCheetahModel, BodiesAreScaledToFourteenKilograms) {
  ExpectBodies(model(),
               {{"torso", 6.2502}, {"bthigh", 1.5435}, {"bshin", 1.5874}, {"bfoot", 1.0954},
                {"fthigh", 1.4381}, {"fshin", 1.2008}, {"ffoot", 0.8845}},
               14.0);
}

TEST_F(HalfCheetahModel, JointsInQposOrderWithRadianRanges) {
  ExpectJoints(model(), {"rootx", "rootz", "rooty", "bthigh", "bshin", "bfoot", "fthigh", "fshin",
                         "ffoot"});
  ExpectQpos0(model(), {0, 0, 0, 0, 0, 0, 0, 0, 0});
  ExpectJointRange(model(), "bthigh", -0.52, 1.05);
  ExpectJointRange(model(), "ffoot", -0.5, 0.5);
  EXPECT_EQ(model()->jnt_limited[0], 0) << "the planar root is free";
}

TEST_F(HalfCheetahModel, ActuatorsInActionOrder) {
  ExpectActuators(model(), {{"bthigh", 120, -1, 1}, {"bshin", 90, -1, 1}, {"bfoot", 60, -1, 1},
                            {"fthigh", 120, -1, 1}, {"fshin", 60, -1, 1}, {"ffoot", 30, -1, 1}});
}

TEST_F(HalfCheetahModel, ReproducesReferenceRollout) {
  const RolloutReference reference{
      .qpos_step1 = {0.006052, -0.016061, -0.013556, 0.014640, 0.038698, 0.054506, 0.052154,
                     0.054258, 0.064542},
      .qvel_step1 = {0.178550, -0.527111, -0.369269, 0.479177, 0.940411, 1.332123, 1.526482,
                     1.551001, 1.865270},
      .qpos_step20 = {0.063672, -0.127853, 0.078900, 0.256648, -0.151222, -0.053021, 0.381714,
                      -0.195375, -0.242861},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

}  // namespace
}  // namespace pgbench::mujoco_test
