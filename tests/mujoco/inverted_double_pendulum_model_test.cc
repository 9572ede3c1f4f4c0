// InvertedDoublePendulum model: shared/specs/mujoco-tasks.md section 9 and Appendix B.
#include "model_test_support.h"

namespace pgbench::mujoco_test {
namespace {

constexpr int kFrameSkip = 5;             // substeps per environment step (not the file's 2)
constexpr double kEnvStepSeconds = 0.05;  // dt = timestep x frame skip

class InvertedDoublePendulumModel : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("inverted_double_pendulum.xml"); }
};

TEST_F(InvertedDoublePendulumModel, SizesAndTiltedGravity) {
  const mjModel* m = model();
  EXPECT_EQ(m->nq, 3);
  EXPECT_EQ(m->nv, 3);
  EXPECT_EQ(m->nu, 1);
  EXPECT_EQ(m->opt.integrator, mjINT_RK4);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.01);
  EXPECT_NEAR(m->opt.timestep * kFrameSkip, kEnvStepSeconds, 1e-15);
  EXPECT_DOUBLE_EQ(m->opt.gravity[0], 1e-5);
  EXPECT_DOUBLE_EQ(m->opt.gravity[1], 0);
  EXPECT_DOUBLE_EQ(m->opt.gravity[2], -9.81);
}

TEST_F(InvertedDoublePendulumModel, BodyMasses) {
  ExpectBodies(model(), {{"cart", 10.472}, {"pole", 4.1987}, {"pole2", 4.1987}},
               10.472 + 2 * 4.1987);
}

TEST_F(InvertedDoublePendulumModel, OnlyTheSliderIsLimitedWithAMargin) {
  const mjModel* m = model();
  ExpectJoints(m, {"slider", "hinge", "hinge2"});
  ExpectQpos0(m, {0, 0, 0});
  ExpectJointRange(m, "slider", -1, 1);
  EXPECT_DOUBLE_EQ(m->jnt_margin[0], 0.01);
  EXPECT_EQ(m->jnt_limited[1], 0);
  EXPECT_EQ(m->jnt_limited[2], 0);
}

TEST_F(InvertedDoublePendulumModel, TipSiteIsAtHeightOnePointTwoWhenUpright) {
  const mjModel* m = model();
  const int tip = mj_name2id(m, mjOBJ_SITE, "tip");
  ASSERT_GE(tip, 0);
  mjData* d = mj_makeData(m);
  mj_forward(m, d);
  EXPECT_NEAR(d->site_xpos[3 * tip + 0], 0.0, 1e-12);
  EXPECT_NEAR(d->site_xpos[3 * tip + 2], 1.2, 1e-12);
  mj_deleteData(d);
}

TEST_F(InvertedDoublePendulumModel, ActionPushesTheCart) {
  ExpectActuators(model(), {{"slider", 500, -1, 1}});
}

TEST_F(InvertedDoublePendulumModel, ReproducesReferenceRollout) {
  const RolloutReference reference{
      .qpos_step1 = {0.002647, -0.005452, 0.006924},
      .qvel_step1 = {0.106125, -0.220158, 0.281454},
      .qpos_step20 = {0.990702, -5.127578, 0.204120},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

}  // namespace
}  // namespace pgbench::mujoco_test
