#include "model_test_support.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace pgbench::mujoco_test {
namespace {

std::vector<std::string>& WarningLog() {
  static std::vector<std::string> log;
  return log;
}

// Thrown out of MuJoCo, which is never to return from its error handler. libmujoco is built with
// unwind tables (the x86-64 default), so the exception reaches the test body, where GoogleTest
// reports it as a failure.
[[noreturn]] void ThrowMujocoError(const char* message) {
  throw std::runtime_error(std::string("MuJoCo error: ") + message);
}

void RecordMujocoWarning(const char* message) { WarningLog().emplace_back(message); }

std::string NameOf(const mjModel* m, mjtObj type, int id) {
  const char* name = mj_id2name(m, type, id);
  return name ? name : "";
}

}  // namespace

std::filesystem::path ModelPath(std::string_view file) {
  return std::filesystem::path(PGBENCH_MUJOCO_MODELS_DIR) / file;
}

MujocoModelTest::MujocoModelTest()
    : saved_error_handler_(mju_user_error), saved_warning_handler_(mju_user_warning) {
  mju_user_error = ThrowMujocoError;
  mju_user_warning = RecordMujocoWarning;
  WarningLog().clear();
}

MujocoModelTest::~MujocoModelTest() {
  if (model_) mj_deleteModel(model_);
  mju_user_error = saved_error_handler_;
  mju_user_warning = saved_warning_handler_;
}

void MujocoModelTest::LoadModel(std::string_view file) {
  const std::string path = ModelPath(file).string();
  char error[1024] = "";
  model_ = mj_loadXML(path.c_str(), nullptr, error, sizeof error);
  ASSERT_NE(model_, nullptr) << "cannot load " << path << ": " << error;
  // On success the buffer holds the compiler's warnings, if any.
  ASSERT_STREQ(error, "") << "compiler warning for " << path;
}

void ExpectBodies(const mjModel* m, std::initializer_list<BodySpec> bodies, double total_mass) {
  constexpr double kMassRelTolerance = 5e-5;
  ASSERT_EQ(m->nbody, static_cast<int>(bodies.size()) + 1) << "bodies besides the world";
  int id = 1;
  for (const BodySpec& body : bodies) {
    EXPECT_EQ(NameOf(m, mjOBJ_BODY, id), body.name) << "body " << id;
    EXPECT_NEAR(m->body_mass[id], body.mass, kMassRelTolerance * body.mass)
        << "mass of body " << id << " '" << body.name << "'";
    ++id;
  }
  EXPECT_NEAR(mj_getTotalmass(m), total_mass, kMassRelTolerance * total_mass) << "total mass";
}

void ExpectJoints(const mjModel* m, std::initializer_list<std::string_view> names) {
  ASSERT_EQ(m->njnt, static_cast<int>(names.size()));
  int id = 0;
  for (std::string_view name : names) {
    EXPECT_EQ(NameOf(m, mjOBJ_JOINT, id), name) << "joint " << id;
    ++id;
  }
}

void ExpectQpos0(const mjModel* m, std::initializer_list<double> qpos0) {
  ExpectAllNear(std::span(m->qpos0, m->nq), std::span(qpos0.begin(), qpos0.size()), 1e-12, "qpos0");
}

void ExpectActuators(const mjModel* m, std::initializer_list<ActuatorSpec> actuators) {
  ASSERT_EQ(m->nu, static_cast<int>(actuators.size()));
  int id = 0;
  for (const ActuatorSpec& actuator : actuators) {
    SCOPED_TRACE("actuator " + std::to_string(id) + " on " + std::string(actuator.joint));
    EXPECT_EQ(m->actuator_trntype[id], mjTRN_JOINT);
    EXPECT_EQ(NameOf(m, mjOBJ_JOINT, m->actuator_trnid[2 * id]), actuator.joint);
    EXPECT_EQ(m->actuator_gaintype[id], mjGAIN_FIXED);
    EXPECT_EQ(m->actuator_biastype[id], mjBIAS_NONE);
    EXPECT_DOUBLE_EQ(m->actuator_gainprm[id * mjNGAIN], 1.0) << "a motor's gain is 1";
    EXPECT_DOUBLE_EQ(m->actuator_gear[id * 6], actuator.gear);
    EXPECT_EQ(m->actuator_ctrllimited[id], 1);
    EXPECT_DOUBLE_EQ(m->actuator_ctrlrange[2 * id], actuator.ctrl_low);
    EXPECT_DOUBLE_EQ(m->actuator_ctrlrange[2 * id + 1], actuator.ctrl_high);
    ++id;
  }
}

void ExpectJointRange(const mjModel* m, std::string_view joint, double low, double high) {
  const int id = mj_name2id(m, mjOBJ_JOINT, std::string(joint).c_str());
  ASSERT_GE(id, 0) << "no joint " << joint;
  EXPECT_EQ(m->jnt_limited[id], 1) << joint;
  EXPECT_NEAR(m->jnt_range[2 * id], low, 1e-9) << joint;
  EXPECT_NEAR(m->jnt_range[2 * id + 1], high, 1e-9) << joint;
}

double DegreesToRadians(double degrees) { return degrees * std::numbers::pi / 180.0; }

RolloutRecord RunReferenceRollout(const mjModel* m, int frame_skip,
                                  std::span<const QposOverride> overrides) {
  constexpr int kEnvSteps = 20;
  const std::size_t warnings_before = WarningLog().size();
  mjData* d = mj_makeData(m);
  mj_resetData(m, d);
  for (int i = 0; i < m->nq; ++i) d->qpos[i] = m->qpos0[i];
  for (const QposOverride& o : overrides) d->qpos[o.index] = o.value;
  for (int i = 0; i < m->nv; ++i) d->qvel[i] = 0.0;
  mj_forward(m, d);

  RolloutRecord record;
  for (int t = 0; t < kEnvSteps; ++t) {
    for (int i = 0; i < m->nu; ++i) {
      d->ctrl[i] = 0.5 * m->actuator_ctrlrange[2 * i + 1] * std::sin(0.1 * (t + 1) * (i + 1));
    }
    for (int k = 0; k < frame_skip; ++k) mj_step(m, d);
    mj_rnePostConstraint(m, d);
    if (t == 0) {
      record.qpos_step1.assign(d->qpos, d->qpos + m->nq);
      record.qvel_step1.assign(d->qvel, d->qvel + m->nv);
    }
  }
  record.qpos_step20.assign(d->qpos, d->qpos + m->nq);
  for (int w = 0; w < mjNWARNING; ++w) {
    if (d->warning[w].number > 0) {
      record.warnings.push_back("warning type " + std::to_string(w) + " raised " +
                                std::to_string(d->warning[w].number) + " times");
    }
  }
  record.warnings.insert(record.warnings.end(), WarningLog().begin() + warnings_before,
                         WarningLog().end());
  mj_deleteData(d);
  return record;
}

void ExpectRolloutMatches(const RolloutRecord& actual, const RolloutReference& expected,
                          double tolerance) {
  EXPECT_TRUE(actual.warnings.empty()) << actual.warnings.front();
  ExpectAllNear(actual.qpos_step1, expected.qpos_step1, tolerance, "qpos after step 1");
  ExpectAllNear(actual.qvel_step1, expected.qvel_step1, tolerance, "qvel after step 1");
  ExpectAllNear(actual.qpos_step20, expected.qpos_step20, tolerance, "qpos after step 20");
}

void ExpectAllNear(std::span<const double> actual, std::span<const double> expected,
                   double tolerance, std::string_view what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], tolerance) << what << " [" << i << "]";
  }
}

}  // namespace pgbench::mujoco_test
