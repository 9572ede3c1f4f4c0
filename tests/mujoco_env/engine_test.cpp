// The machinery shared by every MuJoCo task: model sharing, model lookup errors, and MuJoCo
// failures turned into pgb errors (never exit(), never a silent restart).
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "env_test_support.hpp"
#include "half_cheetah.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

// A copy of the bundled HalfCheetah model with `from` replaced by `to`, written to a temporary
// file; returns its path.
std::string tampered_cheetah(const std::string& name, const std::string& from, const std::string& to) {
  std::ifstream in(model_file("half_cheetah.xml"));
  std::stringstream text;
  text << in.rdbuf();
  std::string xml = text.str();
  const std::size_t at = xml.find(from);
  if (at == std::string::npos) throw std::runtime_error("tampered_cheetah: '" + from + "' not in the model");
  xml.replace(at, from.size(), to);
  const std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / ("pgbench_mujoco_" + name + ".xml");
  std::ofstream(path) << xml;
  return path.string();
}

HalfCheetah cheetah_from(const std::string& path) {
  auto params = params_for<HalfCheetah>("half_cheetah.xml");
  params.common.model_path = path;
  return HalfCheetah(params);
}

template <class Error>
std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

TEST(MujocoEngine, InstancesShareOneCompiledModelAndOwnTheirData) {
  const HalfCheetah a(params_for<HalfCheetah>("half_cheetah.xml"));
  const HalfCheetah b(params_for<HalfCheetah>("half_cheetah.xml"));
  EXPECT_EQ(&a.model(), &b.model());
  EXPECT_NE(&a.data(), &b.data());
}

TEST(MujocoEngine, ConcurrentFirstLoadsCompileOnce) {
  const std::string path = tampered_cheetah("concurrent_load", "<mujoco model=\"half_cheetah\">",
                                            "<mujoco model=\"half_cheetah_copy\">");
  const mjModel* models[4] = {};
  std::thread threads[4];
  for (int i = 0; i < 4; ++i)
    threads[i] = std::thread([&, i] {
      const HalfCheetah env = cheetah_from(path);
      models[i] = &env.model();  // the cache keeps the model alive after env is gone
    });
  for (auto& t : threads) t.join();
  for (int i = 1; i < 4; ++i) EXPECT_EQ(models[i], models[0]);
}

// frame_skip sets how many MuJoCo steps one env step takes, hence dt and the spec.
TEST(MujocoEngine, FrameSkipSetsTheStepLength) {
  auto params = params_for<HalfCheetah>("half_cheetah.xml");
  params.common.frame_skip = 1;
  HalfCheetah env(params);
  EXPECT_DOUBLE_EQ(env.dt(), 0.01);
  EXPECT_EQ(env.spec().frames_per_step, 1u);
  set_reference_start(env);
  std::vector<double> observation(17);
  step(env, std::vector<double>(6, 0.0), observation);
  EXPECT_DOUBLE_EQ(env.data().time, 0.01);
}

TEST(MujocoEngine, MissingModelFileIsAnInvalidArgumentNamingThePath) {
  const std::string message = message_of<pgb::InvalidArgument>([] { cheetah_from("/nonexistent/cheetah.xml"); });
  EXPECT_NE(message.find("not found"), std::string::npos) << message;
  EXPECT_NE(message.find("/nonexistent/cheetah.xml"), std::string::npos) << message;
}

TEST(MujocoEngine, ModelThatDoesNotCompileIsAnInvalidArgumentWithMujocosMessage) {
  const std::string path = tampered_cheetah("bad_xml", "<motor ctrllimited=\"true\"", "<motor ctrllimited=\"maybe\"");
  const std::string message = message_of<pgb::InvalidArgument>([&] { cheetah_from(path); });
  EXPECT_NE(message.find("cannot compile"), std::string::npos) << message;
}

TEST(MujocoEngine, ModelOfTheWrongShapeIsRejected) {
  const std::string message = message_of<pgb::InvalidArgument>([] { cheetah_from(model_file("hopper.xml")); });
  EXPECT_NE(message.find("nq 6"), std::string::npos) << message;
}

TEST(MujocoEngine, NanActionIsANumericalErrorWithMujocosWarning) {
  HalfCheetah env(params_for<HalfCheetah>("half_cheetah.xml"));
  set_reference_start(env);
  std::vector<double> observation(17), action(6, 0.0);
  action[2] = std::nan("");
  const std::string message = message_of<pgb::NumericalError>([&] { step(env, action, observation); });
  EXPECT_NE(message.find("HalfCheetah-v4"), std::string::npos) << message;
  EXPECT_NE(message.find("CTRL"), std::string::npos) << message;  // MuJoCo's "bad value in CTRL"
}

TEST(MujocoEngine, NanOrHugeStateInjectedThroughTheApiIsANumericalError) {
  for (const double bad : {std::nan(""), 1e20}) {
    HalfCheetah env(params_for<HalfCheetah>("half_cheetah.xml"));
    std::vector<double> qpos(9, 0.0), qvel(9, 0.0), observation(17);
    qvel[4] = bad;
    env.set_state(qpos, qvel);
    EXPECT_THROW(step(env, std::vector<double>(6, 0.0), observation), pgb::NumericalError) << bad;
  }
}

// Without control limits, a huge action makes the simulation blow up within a step or two.
TEST(MujocoEngine, UnstableSimulationIsANumericalErrorNotACrash) {
  HalfCheetah env = cheetah_from(
      tampered_cheetah("unlimited", "<motor ctrllimited=\"true\"", "<motor ctrllimited=\"false\""));
  std::vector<double> observation(17);
  env.rng().reseed(1);
  env.reset(observation);
  const std::vector<double> huge(6, 1e12);
  const std::string message = message_of<pgb::NumericalError>([&] {
    for (int t = 0; t < 10; ++t) step(env, huge, observation);
  });
  EXPECT_NE(message.find("diverged"), std::string::npos) << message;

  // The instance is usable again after a reset.
  env.reset(observation);
  EXPECT_NO_THROW(step(env, std::vector<double>(6, 0.0), observation));
}

// MuJoCo's own errors reach us as exceptions instead of exit(), and leave other instances
// working. Here: a stack (nstack) that suffices in the air but not once the feet touch the floor.
TEST(MujocoEngine, MujocoErrorBecomesAPgbErrorAndTheProcessLivesOn) {
  HalfCheetah env = cheetah_from(tampered_cheetah("small_stack", "<mujoco model=\"half_cheetah\">",
                                                  "<mujoco model=\"half_cheetah\"><size nstack=\"400\"/>"));
  std::vector<double> observation(17);
  env.rng().reseed(1);
  ASSERT_NO_THROW(env.reset(observation));
  std::vector<double> qpos(9, 0.0), qvel(9, 0.0);
  qvel[1] = -30.0;  // m/s downwards: the whole body hits the floor within one step
  env.set_state(qpos, qvel);
  const std::string message = message_of<pgb::Error>([&] { step(env, std::vector<double>(6, 0.0), observation); });
  EXPECT_NE(message.find("MuJoCo error during step"), std::string::npos) << message;

  HalfCheetah healthy(params_for<HalfCheetah>("half_cheetah.xml"));
  healthy.rng().reseed(1);
  healthy.reset(observation);
  EXPECT_NO_THROW(for (int t = 0; t < 100; ++t) step(healthy, std::vector<double>(6, 0.0), observation));
}

// Instances on different threads do not disturb each other: the same seed gives the same
// trajectory on two threads at once as on one.
TEST(MujocoEngine, ConcurrentInstancesAreIndependent) {
  HalfCheetah reference(params_for<HalfCheetah>("half_cheetah.xml"));
  const std::vector<double> expected = trajectory(reference, 5, 200);
  std::vector<double> results[2];
  std::thread threads[2];
  for (int i = 0; i < 2; ++i)
    threads[i] = std::thread([&, i] {
      HalfCheetah env(params_for<HalfCheetah>("half_cheetah.xml"));
      results[i] = trajectory(env, 5, 200);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
}

}  // namespace
}  // namespace mujoco_control
