// pgb::Hyperparameters: one table is both the declaration the host sees and the reader that
// fills the settings struct, with the struct's initialisers as the defaults.
#include <gtest/gtest.h>
#include <pgbench/sdk/plugin.hpp>

#include "host/value.hpp"

namespace {

enum class Noise { gaussian, ou };

struct Options {
  double learning_rate = 3e-4;
  std::int64_t steps_per_batch = 2048;
  bool lr_decay = true;
  std::string label = "x";
  Noise noise = Noise::ou;
};

const pgb::Hyperparameters<Options> kTable{
    {"learning_rate", &Options::learning_rate, "step size", 0.0, 1.0},
    {"steps_per_batch", &Options::steps_per_batch, "env steps per update", 1, 1e9},
    {"lr_decay", &Options::lr_decay, "decay the step size"},
    {"label", &Options::label, "any text"},
    {"noise", &Options::noise, "exploration noise", {{"gaussian", Noise::gaussian}, {"ou", Noise::ou}}},
};

// The declarations as registration makes them.
pgb::sdk::ParamList declarations() {
  pgb::sdk::ParamList list;
  for (const auto& e : kTable.entries()) list.add(e.key(), e.default_value(), e.help(), e.min(), e.max(), e.choices());
  list.finalise();
  return list;
}

TEST(Hyperparameters, DeclareEachSettingWithTheStructsDefault) {
  const auto list = declarations();
  ASSERT_EQ(list.size(), 5u);
  const pgb_param_desc_t* const* p = list.data();
  EXPECT_STREQ(p[0]->key, "learning_rate");
  EXPECT_EQ(p[0]->default_value.type, PGB_VALUE_FLOAT);
  EXPECT_EQ(p[0]->default_value.as.f, 3e-4);
  EXPECT_EQ(p[0]->max, 1.0);
  EXPECT_EQ(p[1]->default_value.type, PGB_VALUE_INT);
  EXPECT_EQ(p[1]->default_value.as.i, 2048);
  EXPECT_EQ(p[2]->default_value.type, PGB_VALUE_BOOL);
  EXPECT_EQ(p[2]->default_value.as.i, 1);
  EXPECT_EQ(p[3]->default_value.type, PGB_VALUE_STRING);
  EXPECT_STREQ(p[3]->default_value.as.s, "x");
  EXPECT_EQ(p[3]->choices, nullptr);
  EXPECT_STREQ(p[4]->default_value.as.s, "ou");
  EXPECT_STREQ(p[4]->choices, "gaussian|ou");
}

TEST(Hyperparameters, ReadEveryFieldFromTheConfiguration) {
  const auto list = declarations();
  const pgbench::ResolvedConfig resolved = pgbench::resolve_config(
      "t", list.data(), list.size(),
      {{"learning_rate", "0.01"}, {"steps_per_batch", "64"}, {"lr_decay", "false"}, {"label", "y"}, {"noise", "gaussian"}});
  const pgbench::CConfig c(resolved);
  const Options o = kTable.read(pgb::Config(c.get(), list.data(), list.size()));
  EXPECT_EQ(o.learning_rate, 0.01);
  EXPECT_EQ(o.steps_per_batch, 64);
  EXPECT_FALSE(o.lr_decay);
  EXPECT_EQ(o.label, "y");
  EXPECT_EQ(o.noise, Noise::gaussian);
  // Nothing given: the struct's own defaults.
  const Options d = kTable.read(pgb::Config(nullptr, list.data(), list.size()));
  EXPECT_EQ(d.learning_rate, 3e-4);
  EXPECT_EQ(d.noise, Noise::ou);
}

}  // namespace
