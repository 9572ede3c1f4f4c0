// The loader: what it accepts, what it refuses and the one line it says about each refusal.
#include <gtest/gtest.h>

#include "host/instances.hpp"
#include "test_support.hpp"

namespace pgbench {
namespace {

namespace fs = std::filesystem;
using test::load_plugins;
using test::test_plugin;

const PluginRejection* rejection_for(const PluginRegistry& r, const std::string& file_part) {
  for (const auto& rej : r.rejections())
    if (rej.path.string().find(file_part) != std::string::npos) return &rej;
  return nullptr;
}

TEST(PluginLoader, LoadsTheBuiltInPlugins) {
  const PluginRegistry r = load_plugins({});
  EXPECT_TRUE(r.rejections().empty()) << r.rejections().front().line();
  EXPECT_NE(r.find_algorithm("random"), nullptr);
  EXPECT_NE(r.find_algorithm("org.pgbench.algo.random/1"), nullptr);
  for (const char* env : {"CartPole-v1", "Acrobot-v1", "Pendulum-v1", "MountainCarContinuous-v0"})
    EXPECT_NE(r.find_env(env), nullptr) << env;
  for (const auto& lib : r.libraries()) EXPECT_EQ(lib->sha256.size(), 64u);
}

TEST(PluginLoader, LoadsAPluginWrittenInPlainC) {
  const PluginRegistry r = load_plugins({"c_plugin"}, false);
  ASSERT_TRUE(r.rejections().empty()) << r.rejections().front().line();
  ASSERT_NE(r.find_env("c-chain"), nullptr);
  EXPECT_NE(r.find_algorithm("c-right"), nullptr);
  EXPECT_STREQ(r.libraries().front()->plugin->id, "org.pgbench.test.c");
}

TEST(PluginLoader, RefusesAPluginBuiltForAnotherAbiMajor) {
  const PluginRegistry r = load_plugins({"c_plugin_wrong_abi"}, false);
  const PluginRejection* rej = rejection_for(r, "c_plugin_wrong_abi");
  ASSERT_NE(rej, nullptr);
  EXPECT_NE(rej->reason.find("built for another pgbench ABI (exports pgb_plugin_entry_v2)"), std::string::npos) << rej->line();
  EXPECT_NE(rej->line().find("c_plugin_wrong_abi.so"), std::string::npos);
}

TEST(PluginLoader, RefusesASharedLibraryWithoutTheEntrySymbol) {
  const PluginRegistry r = load_plugins({"not_a_plugin"}, false);
  const PluginRejection* rej = rejection_for(r, "not_a_plugin");
  ASSERT_NE(rej, nullptr);
  EXPECT_NE(rej->reason.find("no exported entry symbol pgb_plugin_entry_v1"), std::string::npos) << rej->line();
}

TEST(PluginLoader, RefusesAFileThatIsNotASharedLibrary) {
  test::TempDir dir;
  test::write_file(dir / "notes.so", "these are notes, not machine code\n");
  PluginRegistry r;
  r.load({dir.path()});
  ASSERT_EQ(r.rejections().size(), 1u);
  EXPECT_NE(r.rejections()[0].reason.find("not a shared library"), std::string::npos) << r.rejections()[0].line();
  EXPECT_NE(r.rejections()[0].line().find("notes.so"), std::string::npos);
}

TEST(PluginLoader, RefusesAMalformedDescriptor) {
  const PluginRegistry r = load_plugins({"c_plugin_malformed"}, false);
  const PluginRejection* rej = rejection_for(r, "c_plugin_malformed");
  ASSERT_NE(rej, nullptr);
  EXPECT_NE(rej->reason.find("malformed descriptor: environment 'org.pgbench.test.c-chain/1' has an incomplete function table"),
            std::string::npos)
      << rej->line();
  EXPECT_TRUE(r.envs().empty());
}

TEST(PluginLoader, RefusesADescriptorWithANullString) {
  const PluginRegistry r = load_plugins({"c_plugin_null_vendor"}, false);
  const PluginRejection* rej = rejection_for(r, "c_plugin_null_vendor");
  ASSERT_NE(rej, nullptr);
  EXPECT_NE(rej->reason.find("plugin 'org.pgbench.test.c' has a NULL vendor"), std::string::npos) << rej->line();
  EXPECT_TRUE(r.libraries().empty());
}

TEST(PluginLoader, ReportsThePluginsOwnReasonWhenItRefuses) {
  const PluginRegistry r = load_plugins({"c_plugin_refuses"}, false);
  const PluginRejection* rej = rejection_for(r, "c_plugin_refuses");
  ASSERT_NE(rej, nullptr);
  EXPECT_NE(rej->reason.find("refused to load: this test plugin always refuses"), std::string::npos) << rej->line();
}

TEST(PluginLoader, RefusesADuplicateIdAndKeepsTheFirst) {
  test::TempDir dir;
  fs::copy_file(test_plugin("c_plugin") / "c_plugin.so", dir / "a_first.so");
  fs::copy_file(test_plugin("c_plugin") / "c_plugin.so", dir / "b_second.so");
  PluginRegistry r;
  r.load({dir.path()});
  ASSERT_EQ(r.libraries().size(), 1u);
  EXPECT_EQ(r.libraries()[0]->path.filename(), "a_first.so");
  ASSERT_EQ(r.rejections().size(), 1u);
  EXPECT_NE(r.rejections()[0].reason.find("duplicate plugin id 'org.pgbench.test.c'"), std::string::npos)
      << r.rejections()[0].line();
  EXPECT_NE(r.rejections()[0].reason.find("a_first.so"), std::string::npos);
}

TEST(PluginLoader, OneBadPluginDoesNotStopTheOthers) {
  const PluginRegistry r =
      load_plugins({"c_plugin_wrong_abi", "not_a_plugin", "c_plugin_malformed", "c_plugin_refuses", "c_plugin"}, true);
  EXPECT_EQ(r.rejections().size(), 4u);
  EXPECT_NE(r.find_env("c-chain"), nullptr);
  EXPECT_NE(r.find_env("CartPole-v1"), nullptr);
  EXPECT_NE(r.find_algorithm("random"), nullptr);
}

TEST(PluginLoader, AMissingSearchPathEntryIsReported) {
  PluginRegistry r;
  r.load({"/nonexistent/pgbench/plugins"});
  ASSERT_EQ(r.rejections().size(), 1u);
  EXPECT_NE(r.rejections()[0].reason.find("no such file or folder"), std::string::npos);
}

TEST(PluginLoader, TheLibraryStaysLoadedWhileAnInstanceLives) {
  auto registry = std::make_unique<PluginRegistry>(load_plugins({"c_plugin"}, false));
  auto env = std::make_unique<EnvHandle>(*registry->find_env("c-chain"), 2, ResolvedConfig{}, 1);
  registry.reset();  // drops the registry's own reference to the library
  std::vector<double> obs(2);
  env->reset(nullptr, nullptr, obs.data());  // would crash if the code had been unmapped
  EXPECT_DOUBLE_EQ(obs[0], 0.5);
}

}  // namespace
}  // namespace pgbench
