// Support for the model-level tests of the MuJoCo task models
// (plugins/environments/mujoco/models, facts in shared/specs/mujoco-tasks.md).
#pragma once

#include <mujoco/mujoco.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pgbench::mujoco_test {

// Absolute path of a file in the models folder (given to the build as PGBENCH_MUJOCO_MODELS_DIR).
std::filesystem::path ModelPath(std::string_view file);

// Fixture that loads one task model. MuJoCo's default error handler calls exit(): for the whole
// test, errors are turned into C++ exceptions (a failed test, not a dead test program) and
// warnings are collected so that a test can insist there were none.
class MujocoModelTest : public ::testing::Test {
 protected:
  MujocoModelTest();
  ~MujocoModelTest() override;

  // Loads the model; a load error or a compiler warning is a fatal failure.
  void LoadModel(std::string_view file);
  const mjModel* model() const { return model_; }

 private:
  mjModel* model_ = nullptr;
  void (*saved_error_handler_)(const char*);
  void (*saved_warning_handler_)(const char*);
};

// One body in tree (depth-first) order: its name (empty when the model leaves it unnamed) and
// the spec's computed mass in kg.
struct BodySpec {
  std::string_view name;
  double mass;
};
// Checks the bodies after the world body, in order, and the total mass. The spec prints masses
// to 5 significant digits, so each is compared to 5e-5 relative (half a unit in the last digit).
void ExpectBodies(const mjModel* m, std::initializer_list<BodySpec> bodies, double total_mass);

// Checks joint names in joint order (= qpos order) and the model's qpos0.
void ExpectJoints(const mjModel* m, std::initializer_list<std::string_view> names);
void ExpectQpos0(const mjModel* m, std::initializer_list<double> qpos0);

// One actuator in action order: the joint it drives, its gear and its control range.
struct ActuatorSpec {
  std::string_view joint;
  double gear;
  double ctrl_low;
  double ctrl_high;
};
// Checks that every actuator is a ctrl-limited motor on the named joint with that gear and range.
void ExpectActuators(const mjModel* m, std::initializer_list<ActuatorSpec> actuators);

// A hinge or slide range in model units (radians or metres).
void ExpectJointRange(const mjModel* m, std::string_view joint, double low, double high);

double DegreesToRadians(double degrees);

// An initial qpos entry that the reference procedure sets away from qpos0 (Pusher's object).
struct QposOverride {
  int index;
  double value;
};

// The states recorded by the spec's reference procedure (Appendix B).
struct RolloutRecord {
  std::vector<double> qpos_step1;
  std::vector<double> qvel_step1;
  std::vector<double> qpos_step20;
  // MuJoCo warnings during the rollout: counted in mjData or sent to mju_user_warning.
  std::vector<std::string> warnings;
};

// The reference procedure: mj_resetData; qpos = qpos0 (plus overrides); qvel = 0; mj_forward;
// then for env step t = 0..19: ctrl[i] = 0.5 ctrlrange_high[i] sin(0.1 (t + 1)(i + 1)),
// frame_skip x mj_step, mj_rnePostConstraint.
RolloutRecord RunReferenceRollout(const mjModel* m, int frame_skip,
                                  std::span<const QposOverride> overrides = {});

// The values of Appendix B.
struct RolloutReference {
  std::vector<double> qpos_step1;
  std::vector<double> qvel_step1;
  std::vector<double> qpos_step20;
};

// Appendix B prints 6 decimals, so a faithful model differs from it by at most 5e-7 plus
// round-off. The 20-step rollouts are well conditioned (measured: a 1e-12 change of the first
// control moves qpos after step 20 by at most 1.4e-12, Ant, the worst), so the same bound holds
// for the contact-rich tasks: 1e-6 is the tolerance everywhere.
inline constexpr double kReferenceTolerance = 1e-6;

void ExpectRolloutMatches(const RolloutRecord& actual, const RolloutReference& expected,
                          double tolerance = kReferenceTolerance);

// Elementwise comparison reporting the first mismatching entries by index.
void ExpectAllNear(std::span<const double> actual, std::span<const double> expected,
                   double tolerance, std::string_view what);

}  // namespace pgbench::mujoco_test
