// Pins the ABI: the size and the offset of every field a plugin and the host exchange. A change
// here is a change of the binary contract: it needs a new ABI major version (or, for fields
// appended at the end of a struct that starts with struct_size, a minor version). The numbers
// are those of the LP64 data model (Linux and macOS on 64-bit machines).
#include <cstddef>

#include <gtest/gtest.h>
#include <pgbench/abi.h>

#if defined(__LP64__)
static_assert(sizeof(pgb_value_t) == 16, "ABI layout changed");
static_assert(offsetof(pgb_value_t, as) == 8, "ABI layout changed");
static_assert(sizeof(pgb_kv_t) == 24, "ABI layout changed");
static_assert(offsetof(pgb_kv_t, value) == 8, "ABI layout changed");
static_assert(sizeof(pgb_config_t) == 16, "ABI layout changed");
static_assert(offsetof(pgb_config_t, items) == 8, "ABI layout changed");
static_assert(sizeof(pgb_param_desc_t) == 64, "ABI layout changed");
static_assert(offsetof(pgb_param_desc_t, key) == 8, "ABI layout changed");
static_assert(offsetof(pgb_param_desc_t, default_value) == 24, "ABI layout changed");
static_assert(offsetof(pgb_param_desc_t, min) == 40, "ABI layout changed");
static_assert(offsetof(pgb_param_desc_t, choices) == 56, "ABI layout changed");
static_assert(sizeof(pgb_space_t) == 144, "ABI layout changed");
static_assert(offsetof(pgb_space_t, shape) == 16, "ABI layout changed");
static_assert(offsetof(pgb_space_t, low) == 80, "ABI layout changed");
static_assert(offsetof(pgb_space_t, n) == 96, "ABI layout changed");
static_assert(offsetof(pgb_space_t, reserved) == 112, "ABI layout changed");
static_assert(sizeof(pgb_host_t) == 72, "ABI layout changed");
static_assert(offsetof(pgb_host_t, log) == 32, "ABI layout changed");
static_assert(sizeof(pgb_env_create_args_t) == 64, "ABI layout changed");
static_assert(offsetof(pgb_env_create_args_t, config) == 16, "ABI layout changed");
static_assert(offsetof(pgb_env_create_args_t, seed) == 24, "ABI layout changed");
static_assert(sizeof(pgb_env_info_t) == 64, "ABI layout changed");
static_assert(offsetof(pgb_env_info_t, observation_space) == 8, "ABI layout changed");
static_assert(offsetof(pgb_env_info_t, frames_per_step) == 24, "ABI layout changed");
static_assert(offsetof(pgb_env_info_t, max_episode_steps) == 28, "ABI layout changed");
static_assert(sizeof(pgb_step_out_t) == 72, "ABI layout changed");
static_assert(offsetof(pgb_step_out_t, observation) == 8, "ABI layout changed");
static_assert(offsetof(pgb_step_out_t, truncated) == 32, "ABI layout changed");
static_assert(sizeof(pgb_env_vtable_t) == 104, "ABI layout changed");
static_assert(offsetof(pgb_env_vtable_t, create) == 8, "ABI layout changed");
static_assert(offsetof(pgb_env_vtable_t, step) == 40, "ABI layout changed");
static_assert(offsetof(pgb_env_vtable_t, last_error) == 48, "ABI layout changed");
// ABI 1.1 appended the optional state functions after the 1.0 table (88 bytes).
static_assert(offsetof(pgb_env_vtable_t, save_state) == 88, "ABI layout changed");
static_assert(offsetof(pgb_env_vtable_t, load_state) == 96, "ABI layout changed");
static_assert(sizeof(pgb_env_desc_t) == 96, "ABI layout changed");
static_assert(offsetof(pgb_env_desc_t, params) == 40, "ABI layout changed");
static_assert(offsetof(pgb_env_desc_t, flags) == 48, "ABI layout changed");
static_assert(offsetof(pgb_env_desc_t, vtable) == 56, "ABI layout changed");
static_assert(sizeof(pgb_algo_create_args_t) == 88, "ABI layout changed");
static_assert(offsetof(pgb_algo_create_args_t, hyperparameters) == 32, "ABI layout changed");
static_assert(offsetof(pgb_algo_create_args_t, seed) == 40, "ABI layout changed");
static_assert(offsetof(pgb_algo_create_args_t, total_env_steps) == 48, "ABI layout changed");
static_assert(sizeof(pgb_transition_batch_t) == 88, "ABI layout changed");
static_assert(offsetof(pgb_transition_batch_t, observation) == 8, "ABI layout changed");
static_assert(offsetof(pgb_transition_batch_t, truncated) == 48, "ABI layout changed");
static_assert(sizeof(pgb_algo_vtable_t) == 112, "ABI layout changed");
static_assert(offsetof(pgb_algo_vtable_t, create) == 8, "ABI layout changed");
static_assert(offsetof(pgb_algo_vtable_t, act_eval) == 32, "ABI layout changed");
static_assert(offsetof(pgb_algo_vtable_t, update) == 48, "ABI layout changed");
static_assert(offsetof(pgb_algo_vtable_t, last_error) == 72, "ABI layout changed");
// ABI 1.2 appended default_num_envs after the 1.0 descriptor (96 bytes).
static_assert(sizeof(pgb_algo_desc_t) == 104, "ABI layout changed");
static_assert(offsetof(pgb_algo_desc_t, default_num_envs) == 96, "ABI layout changed");
static_assert(offsetof(pgb_algo_desc_t, flags) == 48, "ABI layout changed");
static_assert(offsetof(pgb_algo_desc_t, vtable) == 56, "ABI layout changed");
// ABI 1.2 appended build_signature, file_extensions and open_file after the 1.0 descriptor (104 bytes).
static_assert(sizeof(pgb_plugin_t) == 128, "ABI layout changed");
static_assert(offsetof(pgb_plugin_t, build_signature) == 104, "ABI layout changed");
static_assert(offsetof(pgb_plugin_t, file_extensions) == 112, "ABI layout changed");
static_assert(offsetof(pgb_plugin_t, open_file) == 120, "ABI layout changed");
static_assert(offsetof(pgb_plugin_t, abi_version) == 4, "ABI layout changed");
static_assert(offsetof(pgb_plugin_t, env_count) == 48, "ABI layout changed");
static_assert(offsetof(pgb_plugin_t, envs) == 56, "ABI layout changed");
static_assert(offsetof(pgb_plugin_t, algos) == 64, "ABI layout changed");
static_assert(sizeof(pgb_ostream_t) == 16, "ABI layout changed");
static_assert(sizeof(pgb_istream_t) == 16, "ABI layout changed");
static_assert(sizeof(pgb_metric_sink_t) == 16, "ABI layout changed");
#endif

static_assert(PGB_ABI_VERSION == PGB_ABI_VERSION_MAJOR * 1000000u + PGB_ABI_VERSION_MINOR * 1000u + PGB_ABI_VERSION_PATCH);
static_assert(PGB_ABI_MAJOR_OF(PGB_ABI_VERSION) == 1);

TEST(AbiLayout, HasFieldReadsOnlyWhatTheProducerBuilt) {
  // An older producer that knew pgb_env_info_t only up to frames_per_step.
  pgb_env_info_t info{};
  info.struct_size = offsetof(pgb_env_info_t, frames_per_step) + sizeof(info.frames_per_step);
  EXPECT_TRUE(PGB_HAS_FIELD(&info, pgb_env_info_t, frames_per_step));
  EXPECT_FALSE(PGB_HAS_FIELD(&info, pgb_env_info_t, max_episode_steps));
  info.struct_size = sizeof info;
  EXPECT_TRUE(PGB_HAS_FIELD(&info, pgb_env_info_t, max_episode_steps));
}

TEST(AbiLayout, EntrySymbolCarriesTheMajorVersion) {
  EXPECT_STREQ(PGB_ENTRY_SYMBOL, "pgb_plugin_entry_v1");
}
