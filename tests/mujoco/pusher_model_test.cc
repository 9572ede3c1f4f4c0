// Pusher models, v4 (pusher.xml) and v5 (pusher_v5.xml): shared/specs/mujoco-tasks.md
// section 12 and Appendix B.
#include "model_test_support.h"

#include <array>

namespace pgbench::mujoco_test {
namespace {

constexpr int kFrameSkip = 5;             // substeps per environment step
constexpr double kEnvStepSeconds = 0.05;  // dt = timestep x frame skip

// The reference procedure starts the object off its rest point: obj_slidey -0.1, obj_slidex 0.1.
constexpr std::array<QposOverride, 2> kObjectStart = {{{7, -0.1}, {8, 0.1}}};

// Both versions alike (the object's mass does not change these 20 steps).
const RolloutReference kReference{
    .qpos_step1 = {0.000154, 0.000416, 0.007792, 0.000310, 0.014992, 0.000642, 0.021383,
                   -0.100000, 0.100000, 0, 0},
    .qvel_step1 = {0.005089, 0.016646, 0.256735, -0.003210, 0.492591, -0.010888, 0.701939, 0, 0,
                   0, 0},
    .qpos_step20 = {0.334977, 0.415689, 0.877114, -1.180359, 1.111987, -0.695060, 0.499927,
                    -0.100000, 0.100000, 0, 0},
};

// What both versions share; they differ only in the object.
void ExpectPusherLayout(const mjModel* m) {
  EXPECT_EQ(m->nq, 11);
  EXPECT_EQ(m->nv, 11);
  EXPECT_EQ(m->nu, 7);
  EXPECT_EQ(m->opt.integrator, mjINT_EULER);
  EXPECT_EQ(m->opt.iterations, 20);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.01);
  EXPECT_NEAR(m->opt.timestep * kFrameSkip, kEnvStepSeconds, 1e-15);
  for (int axis = 0; axis < 3; ++axis) EXPECT_DOUBLE_EQ(m->opt.gravity[axis], 0) << axis;

  ExpectJoints(m, {"r_shoulder_pan_joint", "r_shoulder_lift_joint", "r_upper_arm_roll_joint",
                   "r_elbow_flex_joint", "r_forearm_roll_joint", "r_wrist_flex_joint",
                   "r_wrist_roll_joint", "obj_slidey", "obj_slidex", "goal_slidey",
                   "goal_slidex"});
  ExpectQpos0(m, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  ExpectJointRange(m, "r_shoulder_pan_joint", -2.2854, 1.714602);
  ExpectJointRange(m, "r_elbow_flex_joint", -2.3213, 0);
  ExpectJointRange(m, "obj_slidey", -10.3213, 10.3);
  ExpectActuators(m, {{"r_shoulder_pan_joint", 1, -2, 2}, {"r_shoulder_lift_joint", 1, -2, 2},
                      {"r_upper_arm_roll_joint", 1, -2, 2}, {"r_elbow_flex_joint", 1, -2, 2},
                      {"r_forearm_roll_joint", 1, -2, 2}, {"r_wrist_flex_joint", 1, -2, 2},
                      {"r_wrist_roll_joint", 1, -2, 2}});
}

// Arm masses in tree order (spec, computed); then the object (version-specific) and the goal.
void ExpectPusherBodies(const mjModel* m, double object_mass) {
  constexpr double kGoalMass = 4.0212e-10;  // disc r 0.08, half-height 0.001, density 1e-5
  constexpr double kArmMass = 7.2935 + 3.1416 + 0.085451 + 1.6286 + 0.40715 + 0.085451 +
                              0.84273 + 0.0050265 + 0.18096 + 0.0025133;
  ExpectBodies(m,
               {{"r_shoulder_pan_link", 7.2935}, {"r_shoulder_lift_link", 3.1416},
                {"r_upper_arm_roll_link", 0.085451}, {"r_upper_arm_link", 1.6286},
                {"r_elbow_flex_link", 0.40715}, {"r_forearm_roll_link", 0.085451},
                {"r_forearm_link", 0.84273}, {"r_wrist_flex_link", 0.0050265},
                {"r_wrist_roll_link", 0.18096}, {"tips_arm", 0.0025133},
                {"object", object_mass}, {"goal", kGoalMass}},
               kArmMass + object_mass + kGoalMass);
}

class PusherV4Model : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("pusher.xml"); }
};

class PusherV5Model : public MujocoModelTest {
 protected:
  void SetUp() override { LoadModel("pusher_v5.xml"); }
};

TEST_F(PusherV4Model, SizesOptionsAndLayout) { ExpectPusherLayout(model()); }

TEST_F(PusherV5Model, SizesOptionsAndLayout) { ExpectPusherLayout(model()); }

// v4 object: sphere (5.236e-9 kg) + cylinder (7.854e-9 kg), both density 1e-5: about 1.3e-8 kg.
TEST_F(PusherV4Model, BodyMassesWithNearlyMasslessObject) {
  ExpectPusherBodies(model(), 1.3090e-8);
}

// v5 object: the cylinder alone at density 0.01: about 7.9e-6 kg.
TEST_F(PusherV5Model, BodyMassesWithHeavierObject) { ExpectPusherBodies(model(), 7.8540e-6); }

TEST_F(PusherV4Model, ReproducesReferenceRollout) {
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip, kObjectStart), kReference);
}

TEST_F(PusherV5Model, ReproducesReferenceRollout) {
  ExpectRolloutMatches(RunReferenceRollout(model(), kFrameSkip, kObjectStart), kReference);
}

}  // namespace
}  // namespace pgbench::mujoco_test
