// The plugin as the host sees it: loaded with dlopen, tasks made through the C ABI from their
// declared defaults (so the models must be found beside the plugin file), errors as statuses.
#include <dlfcn.h>

#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pgbench/abi.h>

namespace {

class MujocoPlugin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    handle_ = dlopen(PGBENCH_MUJOCO_PLUGIN_FILE, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << dlerror();
    using Entry = const pgb_plugin_t* (*)(const pgb_host_t*);
    const auto entry = reinterpret_cast<Entry>(dlsym(handle_, "pgb_plugin_entry_v1"));
    ASSERT_NE(entry, nullptr);
    plugin_ = entry(nullptr);
    ASSERT_NE(plugin_, nullptr);
  }

  static const pgb_env_desc_t* find(const std::string& name) {
    for (std::uint32_t i = 0; i < plugin_->env_count; ++i)
      if (name == plugin_->envs[i]->name) return plugin_->envs[i];
    return nullptr;
  }

  // Creates `name` with `config` (NULL: the declared defaults) and two sub-envs.
  static pgb_env_t* create(const pgb_env_desc_t* desc, const pgb_config_t* config, std::string* error) {
    pgb_env_create_args_t args{};
    args.struct_size = sizeof args;
    args.num_envs = 2;
    args.config = config;
    args.seed = 7;
    pgb_env_t* env = nullptr;
    char message[512] = "";
    const pgb_status status = desc->vtable->create(desc, &args, &env, message, sizeof message);
    if (error) *error = message;
    return status == PGB_OK ? env : nullptr;
  }

  // One STRING setting of a config, e.g. version=v5.
  static pgb_kv_t string_setting(const char* key, const char* value) {
    pgb_kv_t item{};
    item.key = key;
    item.value.type = PGB_VALUE_STRING;
    item.value.as.s = value;
    return item;
  }

  static inline void* handle_ = nullptr;
  static inline const pgb_plugin_t* plugin_ = nullptr;
};

TEST_F(MujocoPlugin, RegistersTheTasksUnderTheirGymnasiumNames) {
  std::set<std::string> names;
  for (std::uint32_t i = 0; i < plugin_->env_count; ++i) names.insert(plugin_->envs[i]->name);
  const std::set<std::string> expected = {"HalfCheetah-v4", "Hopper-v4",   "Walker2d-v4",
                                          "Ant-v4",         "Swimmer-v4",  "Reacher-v4",
                                          "InvertedPendulum-v4", "InvertedDoublePendulum-v4",
                                          "Humanoid-v4",    "HumanoidStandup-v4", "Pusher-v4"};
  EXPECT_EQ(names, expected);
}

// Every task declares the common parameters, v4 by default.
TEST_F(MujocoPlugin, EveryTaskDeclaresVersionFrameSkipAndModelPath) {
  for (std::uint32_t i = 0; i < plugin_->env_count; ++i) {
    const pgb_env_desc_t* desc = plugin_->envs[i];
    std::set<std::string> keys;
    for (std::uint32_t p = 0; p < desc->param_count; ++p) {
      const pgb_param_desc_t& param = *desc->params[p];
      keys.insert(param.key);
      if (std::string(param.key) == "version") {
        EXPECT_STREQ(param.default_value.as.s, "v4") << desc->name;
        EXPECT_STREQ(param.choices, "v4|v5") << desc->name;
      }
    }
    for (const char* key : {"version", "frame_skip", "model_path"}) EXPECT_TRUE(keys.count(key)) << desc->name << " " << key;
    EXPECT_TRUE(desc->flags & PGB_ENV_DETERMINISTIC) << desc->name;
  }
}

// version=v5 through the ABI: the v5 model files are found beside the plugin too.
TEST_F(MujocoPlugin, V5VariantsAreMadeFromTheirOwnModels) {
  for (const char* name : {"Walker2d-v4", "Pusher-v4", "Ant-v4", "Humanoid-v4"}) {
    const pgb_env_desc_t* desc = find(name);
    ASSERT_NE(desc, nullptr) << name;
    const pgb_kv_t item = string_setting("version", "v5");
    const pgb_config_t config{sizeof(pgb_config_t), 1, &item};
    std::string error;
    pgb_env_t* env = create(desc, &config, &error);
    ASSERT_NE(env, nullptr) << name << ": " << error;
    desc->vtable->destroy(env);
  }
}

// Every task is made from its defaults, which finds its model beside the plugin, and steps.
TEST_F(MujocoPlugin, EveryTaskRunsFromItsDefaultsWithTheModelsBesideThePlugin) {
  for (std::uint32_t i = 0; i < plugin_->env_count; ++i) {
    const pgb_env_desc_t* desc = plugin_->envs[i];
    std::string error;
    pgb_env_t* env = create(desc, nullptr, &error);
    ASSERT_NE(env, nullptr) << desc->name << ": " << error;
    pgb_env_info_t info{};
    info.struct_size = sizeof info;
    ASSERT_EQ(desc->vtable->get_info(env, &info), PGB_OK);
    const std::size_t obs_dim = static_cast<std::size_t>(info.observation_space->shape[0]);
    const std::size_t act_dim = static_cast<std::size_t>(info.action_space->shape[0]);
    std::vector<double> observation(2 * obs_dim), actions(2 * act_dim, 0.0), reward(2);
    std::vector<std::uint8_t> terminated(2), truncated(2);
    ASSERT_EQ(desc->vtable->reset(env, nullptr, nullptr, observation.data()), PGB_OK)
        << desc->name << ": " << desc->vtable->last_error(env);
    const pgb_step_out_t out{sizeof(pgb_step_out_t), 2, observation.data(), reward.data(), terminated.data(),
                             truncated.data(), {}};
    EXPECT_EQ(desc->vtable->step(env, actions.data(), nullptr, &out), PGB_OK)
        << desc->name << ": " << desc->vtable->last_error(env);
    for (const double x : observation) EXPECT_TRUE(std::isfinite(x)) << desc->name;
    desc->vtable->destroy(env);
  }
}

TEST_F(MujocoPlugin, DivergenceIsANumericalStatusWithAMessage) {
  const pgb_env_desc_t* desc = find("HalfCheetah-v4");
  ASSERT_NE(desc, nullptr);
  pgb_env_t* env = create(desc, nullptr, nullptr);
  ASSERT_NE(env, nullptr);
  std::vector<double> observation(2 * 17), actions(2 * 6, 0.0), reward(2);
  std::vector<std::uint8_t> terminated(2), truncated(2);
  ASSERT_EQ(desc->vtable->reset(env, nullptr, nullptr, observation.data()), PGB_OK);
  actions[7] = std::nan("");
  const pgb_step_out_t out{sizeof(pgb_step_out_t), 2, observation.data(), reward.data(), terminated.data(),
                           truncated.data(), {}};
  EXPECT_EQ(desc->vtable->step(env, actions.data(), nullptr, &out), PGB_ERR_NUMERICAL);
  EXPECT_NE(std::strstr(desc->vtable->last_error(env), "diverged"), nullptr) << desc->vtable->last_error(env);
  desc->vtable->destroy(env);
}

// Parameters given through the ABI reach the task: with both reward weights at zero the
// HalfCheetah reward is exactly zero.
TEST_F(MujocoPlugin, ConfigValuesReachTheTask) {
  const pgb_env_desc_t* desc = find("HalfCheetah-v4");
  ASSERT_NE(desc, nullptr);
  pgb_kv_t items[2]{};
  items[0].key = "forward_reward_weight";
  items[1].key = "ctrl_cost_weight";
  for (pgb_kv_t& item : items) {
    item.value.type = PGB_VALUE_FLOAT;
    item.value.as.f = 0.0;
  }
  const pgb_config_t config{sizeof(pgb_config_t), 2, items};
  std::string error;
  pgb_env_t* env = create(desc, &config, &error);
  ASSERT_NE(env, nullptr) << error;
  std::vector<double> observation(2 * 17), actions(2 * 6, 0.5), reward(2, 1.0);
  std::vector<std::uint8_t> terminated(2), truncated(2);
  ASSERT_EQ(desc->vtable->reset(env, nullptr, nullptr, observation.data()), PGB_OK);
  const pgb_step_out_t out{sizeof(pgb_step_out_t), 2, observation.data(), reward.data(), terminated.data(),
                           truncated.data(), {}};
  ASSERT_EQ(desc->vtable->step(env, actions.data(), nullptr, &out), PGB_OK);
  EXPECT_EQ(reward, (std::vector<double>{0.0, 0.0}));
  desc->vtable->destroy(env);
}

TEST_F(MujocoPlugin, MissingModelFailsCreateWithAMessage) {
  const pgb_env_desc_t* desc = find("HalfCheetah-v4");
  ASSERT_NE(desc, nullptr);
  const pgb_kv_t item = string_setting("model_path", "no_such_model.xml");
  const pgb_config_t config{sizeof(pgb_config_t), 1, &item};
  std::string error;
  EXPECT_EQ(create(desc, &config, &error), nullptr);
  EXPECT_NE(error.find("mujoco-models/no_such_model.xml"), std::string::npos) << error;
}

}  // namespace
