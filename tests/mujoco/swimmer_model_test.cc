// Swimmer model: shared/specs/mujoco-tasks.md section 6 and Appendix B.
#include "model_test_support.h"

namespace pgbench::mujoco_test {
namespace {

constexpr int kFrameSkip = 4;             // substeps per environment step
constexpr double kEnvStepSeconds = 0.04;  // dt = timestep x frame skip

class SwimmerModel : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("swimmer.xml"); }
};

TEST_F(SwimmerModel, SizesAndViscousFluid) {
  const mjModel* m = model();
  EXPECT_EQ(m->nq, 5);
  EXPECT_EQ(m->nv, 5);
  EXPECT_EQ(m->nu, 2);
  EXPECT_EQ(m->opt.integrator, mjINT_RK4);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.01);
  EXPECT_NEAR(m->opt.timestep * kFrameSkip, kEnvStepSeconds, 1e-15);
  EXPECT_DOUBLE_EQ(m->opt.density, 4000);
  EXPECT_DOUBLE_EQ(m->opt.viscosity, 0.1);
}

TEST_F(SwimmerModel, NoGeomCanCollide) {
  const mjModel* m = model();
  for (int g = 0; g < m->ngeom; ++g) {
    EXPECT_EQ(m->geom_contype[g], 0) << "geom " << g;
    EXPECT_EQ(m->geom_conaffinity[g], 0) << "geom " << g;
  }
}

TEST_F(SwimmerModel, BodyMasses) {
  ExpectBodies(model(), {{"torso", 35.6047}, {"mid", 35.6047}, {"back", 35.6047}}, 106.814);
}

TEST_F(SwimmerModel, JointsAndActuators) {
  ExpectJoints(model(), {"slider1", "slider2", "free_body_rot", "motor1_rot", "motor2_rot"});
  ExpectQpos0(model(), {0, 0, 0, 0, 0});
  ExpectJointRange(model(), "motor1_rot", DegreesToRadians(-100), DegreesToRadians(100));
  ExpectActuators(model(), {{"motor1_rot", 150, -1, 1}, {"motor2_rot", 150, -1, 1}});
}

TEST_F(SwimmerModel, ReproducesReferenceRollout) {
  const RolloutReference reference{
      .qpos_step1 = {-0.000001, 0.000103, -0.000361, -0.000644, 0.003196},
      .qvel_step1 = {-0.000061, 0.005173, -0.018055, -0.032057, 0.159360},
      .qpos_step20 = {0.184357, 0.664923, -0.873429, 0.986193, 0.542275},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

}  // namespace
}  // namespace pgbench::mujoco_test
