// Humanoid (humanoid.xml) and HumanoidStandup (humanoidstandup.xml) models:
// shared/specs/mujoco-tasks.md sections 10 and 11, and Appendix B.
#include "model_test_support.h"

namespace pgbench::mujoco_test {
namespace {

constexpr int kFrameSkip = 5;              // substeps per environment step (both tasks)
constexpr double kEnvStepSeconds = 0.015;  // dt = timestep x frame skip

double JointStiffness(const mjModel* m, const char* joint) {
  return m->jnt_stiffness[mj_name2id(m, mjOBJ_JOINT, joint)];
}

double JointArmature(const mjModel* m, const char* joint) {
  return m->dof_armature[m->jnt_dofadr[mj_name2id(m, mjOBJ_JOINT, joint)]];
}

// What the two models share: options, bodies and masses, joints, actuators.
void ExpectHumanoidLayout(const mjModel* m) {
  EXPECT_EQ(m->nq, 24);
  EXPECT_EQ(m->nv, 23);
  EXPECT_EQ(m->nu, 17);
  EXPECT_EQ(m->opt.integrator, mjINT_RK4);
  EXPECT_EQ(m->opt.solver, mjSOL_PGS);
  EXPECT_EQ(m->opt.iterations, 50);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.003);
  EXPECT_NEAR(m->opt.timestep * kFrameSkip, kEnvStepSeconds, 1e-15);

  // Body order fixes the rows of cinert, cvel and cfrc_ext in the observation.
  ExpectBodies(m,
               {{"torso", 8.9075}, {"lwaist", 2.2619}, {"pelvis", 6.6162},
                {"right_thigh", 4.7518}, {"right_shin", 2.7557}, {"right_foot", 1.7671},
                {"left_thigh", 4.7518}, {"left_shin", 2.7557}, {"left_foot", 1.7671},
                {"right_upper_arm", 1.6611}, {"right_lower_arm", 1.2295},
                {"left_upper_arm", 1.6611}, {"left_lower_arm", 1.2295}},
               42.1160);

  ExpectJoints(m, {"root", "abdomen_z", "abdomen_y", "abdomen_x", "right_hip_x", "right_hip_z",
                   "right_hip_y", "right_knee", "left_hip_x", "left_hip_z", "left_hip_y",
                   "left_knee", "right_shoulder1", "right_shoulder2", "right_elbow",
                   "left_shoulder1", "left_shoulder2", "left_elbow"});
  EXPECT_EQ(m->jnt_type[0], mjJNT_FREE);
  // The original's left/right asymmetries are kept.
  EXPECT_DOUBLE_EQ(JointStiffness(m, "right_knee"), 0);
  EXPECT_DOUBLE_EQ(JointStiffness(m, "left_knee"), 1);
  EXPECT_DOUBLE_EQ(JointArmature(m, "right_hip_y"), 0.008);
  EXPECT_DOUBLE_EQ(JointArmature(m, "left_hip_y"), 0.01);

  // Action 0 is abdomen_y although qpos starts with abdomen_z.
  ExpectActuators(m, {{"abdomen_y", 100, -0.4, 0.4}, {"abdomen_z", 100, -0.4, 0.4},
                      {"abdomen_x", 100, -0.4, 0.4}, {"right_hip_x", 100, -0.4, 0.4},
                      {"right_hip_z", 100, -0.4, 0.4}, {"right_hip_y", 300, -0.4, 0.4},
                      {"right_knee", 200, -0.4, 0.4}, {"left_hip_x", 100, -0.4, 0.4},
                      {"left_hip_z", 100, -0.4, 0.4}, {"left_hip_y", 300, -0.4, 0.4},
                      {"left_knee", 200, -0.4, 0.4}, {"right_shoulder1", 25, -0.4, 0.4},
                      {"right_shoulder2", 25, -0.4, 0.4}, {"right_elbow", 25, -0.4, 0.4},
                      {"left_shoulder1", 25, -0.4, 0.4}, {"left_shoulder2", 25, -0.4, 0.4},
                      {"left_elbow", 25, -0.4, 0.4}});
}

class HumanoidModel : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("humanoid.xml"); }
};

class HumanoidStandupModel : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("humanoidstandup.xml"); }
};

TEST_F(HumanoidModel, SizesOptionsMassesAndLayout) { ExpectHumanoidLayout(model()); }

TEST_F(HumanoidStandupModel, SizesOptionsMassesAndLayout) { ExpectHumanoidLayout(model()); }

TEST_F(HumanoidModel, StandsUprightAtQpos0) {
  ExpectQpos0(model(), {0, 0, 1.4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  ExpectJointRange(model(), "left_hip_y", DegreesToRadians(-110), DegreesToRadians(20));
  ExpectJointRange(model(), "right_hip_y", DegreesToRadians(-110), DegreesToRadians(20));
}

TEST_F(HumanoidStandupModel, LiesOnItsBackAtQpos0) {
  ExpectQpos0(model(),
              {0, 0, 0.105, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  // Only difference in the joints: the left hip flexes further.
  ExpectJointRange(model(), "left_hip_y", DegreesToRadians(-120), DegreesToRadians(20));
  ExpectJointRange(model(), "right_hip_y", DegreesToRadians(-110), DegreesToRadians(20));
}

TEST_F(HumanoidModel, ReproducesReferenceRollout) {
  // Feet on the floor, falling, body-body contacts, PGS solver; see kReferenceTolerance for why
  // 1e-6 still holds.
  const RolloutReference reference{
      .qpos_step1 = {-0.001397, -0.000373, 1.398809, 0.999972, -0.000429, 0.005193, -0.005351,
                     0.009467, -0.034587, 0.004942, -0.003057, 0.019721, 0.029103, -0.003643,
                     0.005775, 0.030704, 0.030461, -0.002739, 0.005546, 0.022130, -0.002397,
                     0.018346, 0.007988, 0.015210},
      .qvel_step1 = {-0.154856, -0.045272, -0.162591, -0.101958, 0.984543, -1.255361, 0.992981,
                     -3.623049, 0.572297, -0.284411, 1.870417, 3.224876, -0.389097, 0.756336,
                     2.829587, 3.432117, -0.293942, 0.834297, 2.427585, -0.137119, 2.046953,
                     1.132178, 1.831582},
      .qpos_step20 = {-0.057387, -0.006424, 0.937017, 0.945800, 0.006342, -0.313567, -0.084253,
                      0.140570, 0.451444, 0.130680, 0.069355, 0.190855, -0.028860, -1.683319,
                      0.080192, -0.070835, -0.297101, -1.753434, 0.204795, -0.012873, -0.085855,
                      -0.144451, 0.313239, -0.096552},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

TEST_F(HumanoidStandupModel, ReproducesReferenceRollout) {
  // Lying on the floor: many contacts all along; see kReferenceTolerance.
  const RolloutReference reference{
      .qpos_step1 = {-0.003498, -0.000432, 0.107376, 0.999966, -0.000212, 0.007990, -0.001857,
                     0.006733, -0.037897, 0.007790, 0.013834, -0.003231, 0.027561, -0.003665,
                     0.031418, 0.003131, 0.031507, -0.002631, -0.024764, 0.028809, -0.020581,
                     0.039734, -0.018119, -0.013808},
      .qvel_step1 = {-0.361510, -0.049675, 0.223012, -0.051437, 1.539379, -0.456813, 0.810506,
                     -3.914895, 0.918211, 1.287932, -0.422252, 3.044817, -0.390853, 2.845747,
                     0.317325, 3.518116, -0.290178, -2.485253, 2.973992, -1.959204, 4.269677,
                     -1.648385, -1.120634},
      .qpos_step20 = {0.002151, 0.010063, 0.104900, 0.997557, -0.045839, -0.045656, -0.026356,
                      0.091171, 0.242547, -0.112724, -0.043404, -0.092663, -0.173786, -0.179656,
                      0.080005, 0.034531, -0.136601, 0.030958, -0.056357, -0.181077, -0.209180,
                      0.276692, 0.033282, -0.136018},
  };
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip), reference);
}

}  // namespace
}  // namespace pgbench::mujoco_test
