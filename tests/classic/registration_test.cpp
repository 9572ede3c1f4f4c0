// The four tasks as the plugin registers them: ids, names, declared parameters, and instances
// made from a resolved configuration the way the SDK makes them for the host.
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <numbers>
#include <string>

#include <gtest/gtest.h>
#include <pgbench/sdk/plugin.hpp>

#include "acrobot.hpp"
#include "cartpole.hpp"
#include "classic_test_support.hpp"
#include "mountain_car_continuous.hpp"
#include "pendulum.hpp"

namespace classic_control {
namespace {

// The registration of `id`, with its C descriptor filled in (as the plugin entry would).
pgb::sdk::EnvRegistration& registration(const std::string& id) {
  for (auto& r : pgb::sdk::Registry::instance().envs)
    if (r.finalise()->id == id) return r;
  throw std::runtime_error("not registered: " + id);
}

pgb_value_t float_value(double x) {
  pgb_value_t v{};
  v.type = PGB_VALUE_FLOAT;
  v.as.f = x;
  return v;
}

TEST(ClassicRegistration, IdsNamesAndParameters) {
  const std::map<std::string, std::pair<std::string, std::vector<std::string>>> expected = {
      {"org.pgbench.classic.cartpole/1", {"CartPole-v1", {"sutton_barto_reward"}}},
      {"org.pgbench.classic.acrobot/1", {"Acrobot-v1", {}}},
      {"org.pgbench.classic.pendulum/1", {"Pendulum-v1", {"g"}}},
      {"org.pgbench.classic.mountain-car-continuous/1", {"MountainCarContinuous-v0", {"goal_velocity"}}},
  };
  for (const auto& [id, name_and_params] : expected) {
    const pgb_env_desc_t* desc = registration(id).finalise();
    EXPECT_EQ(std::string(desc->name), name_and_params.first);
    EXPECT_GT(std::string(desc->description).size(), 20u) << id;
    EXPECT_TRUE(desc->flags & PGB_ENV_DETERMINISTIC) << id;
    ASSERT_EQ(desc->param_count, name_and_params.second.size()) << id;
    for (std::uint32_t i = 0; i < desc->param_count; ++i)
      EXPECT_EQ(std::string(desc->params[i]->key), name_and_params.second[i]);
  }
}

TEST(ClassicRegistration, DefaultsAreGymnasiumDefaults) {
  const pgb_param_desc_t& g = *registration("org.pgbench.classic.pendulum/1").finalise()->params[0];
  EXPECT_EQ(g.default_value.type, PGB_VALUE_FLOAT);
  EXPECT_EQ(g.default_value.as.f, 10.0);
  const pgb_param_desc_t& goal = *registration("org.pgbench.classic.mountain-car-continuous/1").finalise()->params[0];
  EXPECT_EQ(goal.default_value.as.f, 0.0);
  const pgb_param_desc_t& sutton_barto = *registration("org.pgbench.classic.cartpole/1").finalise()->params[0];
  EXPECT_EQ(sutton_barto.default_value.type, PGB_VALUE_BOOL);
  EXPECT_EQ(sutton_barto.default_value.as.i, 0);
}

// Every task can be made from its declared defaults alone, and its first observation lies in
// its observation box.
TEST(ClassicRegistration, EveryTaskIsMadeFromItsDefaults) {
  for (const char* id : {"org.pgbench.classic.cartpole/1", "org.pgbench.classic.acrobot/1",
                         "org.pgbench.classic.pendulum/1", "org.pgbench.classic.mountain-car-continuous/1"}) {
    const std::unique_ptr<pgb::Environment> env = registration(id).make(nullptr);
    const pgb::EnvSpec spec = env->spec();
    std::vector<double> observation(spec.observation.dim());
    env->rng().reseed(1);
    env->reset(observation);
    for (std::size_t i = 0; i < observation.size(); ++i) {
      EXPECT_GE(observation[i], spec.observation.low()[i]) << id;
      EXPECT_LE(observation[i], spec.observation.high()[i]) << id;
    }
  }
}

TEST(ClassicRegistration, ConfigurationReachesTheDynamics) {
  const pgb_kv_t gravity{.key = "g", .value = float_value(9.81)};
  const pgb_config_t config{.struct_size = sizeof(pgb_config_t), .count = 1, .items = &gravity};
  const std::unique_ptr<pgb::Environment> env = registration("org.pgbench.classic.pendulum/1").make(&config);
  auto& pendulum = dynamic_cast<Pendulum&>(*env);
  pendulum.set_state({.theta = std::numbers::pi / 2.0, .theta_dot = 0.0});
  std::array<double, 3> observation{};
  testing::step_box(pendulum, 0.0, observation);
  EXPECT_NEAR(pendulum.state().theta_dot, 1.5 * 9.81 * 0.05, 1e-15);
}

TEST(ClassicRegistration, OutOfRangeParameterIsRefusedByName) {
  const pgb_kv_t gravity{.key = "g", .value = float_value(-1.0)};
  const pgb_config_t config{.struct_size = sizeof(pgb_config_t), .count = 1, .items = &gravity};
  try {
    registration("org.pgbench.classic.pendulum/1").make(&config);
    FAIL() << "g = -1 was accepted";
  } catch (const pgb::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'g'"), std::string::npos) << e.what();
  }
}

// A regression guard for round_to_float32 (see float32.hpp): six round trips into one array
// is the shape GCC 12.2's vectoriser gets wrong (noinline keeps the shape as written here).
[[gnu::noinline]] std::array<double, 6> round_six(const std::array<double, 6>& values) {
  return {round_to_float32(values[0]), round_to_float32(values[1]), round_to_float32(values[2]),
          round_to_float32(values[3]), round_to_float32(values[4]), round_to_float32(values[5])};
}

// A double is a float32 value exactly when its significand fits in 24 bits, which is checked
// here without any float conversion.
TEST(ClassicFloat32, SixRoundTripsInARowAreAllRounded) {
  // Read through volatile so that the compiler cannot fold the rounding at compile time.
  const volatile double source[6] = {0.1, 0.2, 0.3, 0.4, 0.0123555918368351, -0.22611612106544465};
  std::array<double, 6> values;
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = source[i];
  const std::array<double, 6> rounded = round_six(values);
  for (std::size_t i = 0; i < rounded.size(); ++i) {
    int exponent = 0;
    const double significand = std::ldexp(std::frexp(rounded[i], &exponent), 24);
    EXPECT_EQ(significand, std::trunc(significand)) << i;
    EXPECT_NEAR(rounded[i], values[i], 1e-7 * std::abs(values[i])) << i;
  }
}

}  // namespace
}  // namespace classic_control
