#include "stats/run_score.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace pgbench::stats {
namespace {

const std::vector<double> kCurve = {0.0, 10.0, 40.0, 30.0, 20.0};

TEST(RunScore, Definitions) {
  EXPECT_DOUBLE_EQ(run_score(kCurve, ScoreDefinition::parse("final")), 20.0);
  EXPECT_DOUBLE_EQ(run_score(kCurve, ScoreDefinition::parse("last-k", 2)), 25.0);
  EXPECT_DOUBLE_EQ(run_score(kCurve, ScoreDefinition::parse("last-k", 99)), 20.0);  // all of them
  EXPECT_DOUBLE_EQ(run_score(kCurve, ScoreDefinition::parse("auc")), 20.0);
  EXPECT_DOUBLE_EQ(run_score(kCurve, ScoreDefinition::parse("max")), 40.0);
}

TEST(RunScore, NamesAndFlags) {
  EXPECT_EQ(ScoreDefinition::parse("last-k", 3).name(), "last-3");
  EXPECT_TRUE(ScoreDefinition::parse("max").biased_upward());
  EXPECT_FALSE(ScoreDefinition::parse("final").biased_upward());
  EXPECT_NE(ScoreDefinition::parse("max").description().find("biased"), std::string::npos);
}

TEST(RunScore, UnknownNameListsTheAcceptedOnes) {
  try {
    ScoreDefinition::parse("best");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("'best'"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("final, last-k, auc, max"), std::string::npos);
  }
  EXPECT_THROW(ScoreDefinition::parse("last-k", 0), std::invalid_argument);
}

TEST(RunScore, NaNPropagates) {
  const std::vector<double> broken = {1.0, std::nan(""), 3.0};
  EXPECT_TRUE(std::isnan(run_score(broken, ScoreDefinition::parse("max"))));
  EXPECT_TRUE(std::isnan(run_score(broken, ScoreDefinition::parse("auc"))));
  EXPECT_TRUE(std::isnan(run_score({}, ScoreDefinition::parse("final"))));
}

}  // namespace
}  // namespace pgbench::stats
