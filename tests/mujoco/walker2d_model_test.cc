// Walker2d models, v4 (walker2d.xml) and v5 (walker2d_v5.xml): shared/specs/mujoco-tasks.md
// section 4, Appendix A and Appendix B.
#include "model_test_support.h"

namespace pgbench::mujoco_test {
namespace {

constexpr int kFrameSkip = 4;              // substeps per environment step
constexpr double kEnvStepSeconds = 0.008;  // dt = timestep x frame skip

// Both versions: the rollouts agree at step 1 and part by step 20 (right-foot friction).
const std::vector<double> kQposStep1 = {0.000295, 1.249365, 0.001271, 0.000994, 0.000281,
                                        0.008706, 0.000973, 0.000387, 0.015165};
const std::vector<double> kQvelStep1 = {0.058780, -0.158315, 0.185568, 0.109807, 0.049774,
                                        2.193227, 0.110605, 0.064244, 3.809666};

double SlidingFriction(const mjModel* m, const char* geom) {
  const int id = mj_name2id(m, mjOBJ_GEOM, geom);
  return id >= 0 ? m->geom_friction[3 * id] : -1.0;
}

void ExpectWalkerLayout(const mjModel* m) {
  EXPECT_EQ(m->nq, 9);
  EXPECT_EQ(m->nv, 9);
  EXPECT_EQ(m->nu, 6);
  EXPECT_EQ(m->opt.integrator, mjINT_RK4);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.002);
  EXPECT_NEAR(m->opt.timestep * kFrameSkip, kEnvStepSeconds, 1e-15);
  ExpectBodies(m,
               {{"torso", 3.6652}, {"thigh", 4.0579}, {"leg", 2.7814}, {"foot", 3.1667},
                {"thigh_left", 4.0579}, {"leg_left", 2.7814}, {"foot_left", 3.1667}},
               23.6771);
  ExpectJoints(m, {"rootx", "rootz", "rooty", "thigh_joint", "leg_joint", "foot_joint",
                   "thigh_left_joint", "leg_left_joint", "foot_left_joint"});
  ExpectQpos0(m, {0, 1.25, 0, 0, 0, 0, 0, 0, 0});
  ExpectActuators(m, {{"thigh_joint", 100, -1, 1}, {"leg_joint", 100, -1, 1},
                      {"foot_joint", 100, -1, 1}, {"thigh_left_joint", 100, -1, 1},
                      {"leg_left_joint", 100, -1, 1}, {"foot_left_joint", 100, -1, 1}});
}

class Walker2dV4Model : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("walker2d.xml"); }
};

class Walker2dV5Model : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("walker2d_v5.xml"); }
};

TEST_F(Walker2dV4Model, SizesOptionsMassesAndLayout) { ExpectWalkerLayout(model()); }

TEST_F(Walker2dV5Model, SizesOptionsMassesAndLayout) { ExpectWalkerLayout(model()); }

TEST_F(Walker2dV4Model, FeetHaveTheOriginalAsymmetricFriction) {
  EXPECT_DOUBLE_EQ(SlidingFriction(model(), "foot"), 0.9);
  EXPECT_DOUBLE_EQ(SlidingFriction(model(), "foot_left"), 1.9);
}

TEST_F(Walker2dV5Model, BothFeetHaveFriction1Point9) {
  EXPECT_DOUBLE_EQ(SlidingFriction(model(), "foot"), 1.9);
  EXPECT_DOUBLE_EQ(SlidingFriction(model(), "foot_left"), 1.9);
}

TEST_F(Walker2dV4Model, ReproducesReferenceRollout) {
  const RolloutReference reference{
      .qpos_step1 = kQposStep1,
      .qvel_step1 = kQvelStep1,
      .qpos_step20 = {-0.023671, 1.219116, -0.060721, 0.053957, -0.000040, -0.398989, -0.053744,
                      0.034934, 0.376830},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

TEST_F(Walker2dV5Model, ReproducesReferenceRollout) {
  const RolloutReference reference{
      .qpos_step1 = kQposStep1,
      .qvel_step1 = kQvelStep1,
      .qpos_step20 = {-0.025718, 1.214801, -0.066634, 0.054128, -0.001077, -0.409837, -0.049318,
                      0.047472, 0.437092},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

}  // namespace
}  // namespace pgbench::mujoco_test
