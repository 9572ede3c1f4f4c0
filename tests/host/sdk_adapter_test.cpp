// The SDK's C adapters, seen from the host: exceptions become statuses with messages, the
// episode bookkeeping refuses stepping an ended episode, declared parameters are enforced.
#include <gtest/gtest.h>

#include "host/instances.hpp"
#include "test_support.hpp"

namespace pgbench {
namespace {

class SdkAdapterTest : public ::testing::Test {
 protected:
  const EnvType& counter() { return *plugins_.find_env("sdk-counter"); }
  const AlgoType& echo() { return *plugins_.find_algorithm("sdk-echo"); }
  ResolvedConfig counter_config(const Overrides& o = {}) {
    return resolve_config("t", counter().desc->params, counter().desc->param_count, o);
  }
  PluginRegistry plugins_ = test::load_plugins({"sdk_plugin"}, false);
};

pgb_step_out_t step_out(std::vector<double>& obs, std::vector<double>& reward, std::vector<std::uint8_t>& term,
                        std::vector<std::uint8_t>& trunc) {
  pgb_step_out_t out{};
  out.struct_size = sizeof out;
  out.num_envs = static_cast<std::uint32_t>(reward.size());
  out.observation = obs.data();
  out.reward = reward.data();
  out.terminated = term.data();
  out.truncated = trunc.data();
  return out;
}

TEST_F(SdkAdapterTest, DescriptorsCarryTheRegisteredParameters) {
  const pgb_env_desc_t* d = counter().desc;
  ASSERT_EQ(d->param_count, 4u);
  EXPECT_STREQ(d->params[0]->key, "length");
  EXPECT_EQ(d->params[0]->default_value.type, PGB_VALUE_INT);
  EXPECT_EQ(d->params[0]->min, 1.0);
  EXPECT_STREQ(d->params[3]->choices, "box|discrete");
  EXPECT_EQ(d->flags & PGB_ENV_DETERMINISTIC, PGB_ENV_DETERMINISTIC);
  EXPECT_EQ(echo().desc->params[2]->default_value.type, PGB_VALUE_BOOL);
}

TEST_F(SdkAdapterTest, SteppingAnEndedEpisodeIsABadStateUntilReset) {
  EnvHandle env(counter(), 1, counter_config({{"length", "2"}}), 3);
  std::vector<double> obs(1), reward(1);
  std::vector<std::uint8_t> term(1), trunc(1);
  const double action[2] = {0, 0};
  env.reset(nullptr, nullptr, obs.data());
  const auto out = step_out(obs, reward, term, trunc);
  env.step(action, nullptr, out);
  env.step(action, nullptr, out);
  EXPECT_EQ(term[0], 1);
  try {
    env.step(action, nullptr, out);
    FAIL() << "stepping an ended episode must fail";
  } catch (const PluginError& e) {
    EXPECT_NE(std::string(e.what()).find("step failed (BAD_STATE): step: sub-env 0 has ended; reset it first"), std::string::npos)
        << e.what();
  }
}

TEST_F(SdkAdapterTest, AnExceptionInsideTheEnvBecomesAStatusAndAMessage) {
  EnvHandle env(counter(), 1, counter_config({{"fail_at_step", "2"}}), 3);
  std::vector<double> obs(1), reward(1);
  std::vector<std::uint8_t> term(1), trunc(1);
  const double action[2] = {0, 0};
  env.reset(nullptr, nullptr, obs.data());
  const auto out = step_out(obs, reward, term, trunc);
  env.step(action, nullptr, out);
  try {
    env.step(action, nullptr, out);
    FAIL() << "the env's exception must surface as a PluginError";
  } catch (const PluginError& e) {
    EXPECT_NE(std::string(e.what()).find("(INTERNAL): sdk-counter: failing on purpose at step 2"), std::string::npos) << e.what();
  }
}

TEST_F(SdkAdapterTest, CreateRejectsUndeclaredKeysWithTheAcceptedOnes) {
  // The host validates first; this checks the SDK's own guard for hosts that do not.
  ResolvedConfig config = counter_config();
  config.emplace_back("lenght", std::int64_t{3});
  try {
    EnvHandle env(counter(), 1, config, 0);
    FAIL() << "an undeclared key must be refused";
  } catch (const PluginError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown parameter 'lenght'; accepted: length, reward_scale, fail_at_step, actions"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(SdkAdapterTest, SaveAndLoadRoundTripAndRefuseAnotherAlgorithmsCheckpoint) {
  EnvHandle env(counter(), 1, counter_config(), 0);
  const auto hp = resolve_config("t", echo().desc->params, echo().desc->param_count, {});
  AlgoHandle a(echo(), 1, *env.info().observation_space, *env.info().action_space, hp, 1, 100);
  const auto bytes = a.save(PGB_STATE_FULL);
  AlgoHandle b(echo(), 1, *env.info().observation_space, *env.info().action_space, hp, 1, 100);
  EXPECT_NO_THROW(b.load(PGB_STATE_FULL, bytes));
  EXPECT_EQ(b.save(PGB_STATE_FULL), bytes);
  auto corrupted = bytes;
  corrupted[10] ^= 0xFF;  // inside the algorithm id the SDK writes first
  try {
    b.load(PGB_STATE_FULL, corrupted);
    FAIL() << "a checkpoint of another algorithm must be refused";
  } catch (const PluginError& e) {
    EXPECT_NE(std::string(e.what()).find("(VERSION): load: checkpoint of"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pgbench
