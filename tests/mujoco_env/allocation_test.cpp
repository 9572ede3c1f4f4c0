// No task allocates while stepping: every global operator new of this test program is counted,
// and a hundred steps of each task must leave the count unchanged.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

#include <gtest/gtest.h>

#include "ant.hpp"
#include "env_test_support.hpp"
#include "half_cheetah.hpp"
#include "hopper.hpp"
#include "humanoid.hpp"
#include "inverted_double_pendulum.hpp"
#include "inverted_pendulum.hpp"
#include "pusher.hpp"
#include "reacher.hpp"
#include "swimmer.hpp"
#include "walker2d.hpp"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace mujoco_control {
namespace {

using namespace testing;

template <class Env>
void expect_no_allocation_while_stepping(const char* file, Version version) {
  Env env(params_for<Env>(file, version));
  std::vector<double> observation(obs_dim(env));
  std::vector<std::vector<double>> actions;
  for (int t = 0; t < 100; ++t) actions.push_back(reference_action(env, t));
  env.rng().reseed(1);
  env.reset(observation);
  const long before = g_allocations.load();
  for (const auto& action : actions)
    if (env.step(std::span<const double>(action), observation).terminated) env.reset(observation);
  env.reset(observation);
  EXPECT_EQ(g_allocations.load() - before, 0) << env.task_name();
}

TEST(MujocoAllocation, TheCounterSeesAllocations) {
  const long before = g_allocations.load();
  const auto p = std::make_unique<double>(1.0);
  EXPECT_EQ(g_allocations.load() - before, 1);
}

TEST(MujocoAllocation, StepAndResetNeverAllocate) {
  for (const Version v : {Version::v4, Version::v5}) {
    expect_no_allocation_while_stepping<HalfCheetah>("half_cheetah.xml", v);
    expect_no_allocation_while_stepping<Hopper>("hopper.xml", v);
    expect_no_allocation_while_stepping<Walker2d>(Walker2d::default_model_file(v), v);
    expect_no_allocation_while_stepping<Ant>("ant.xml", v);
    expect_no_allocation_while_stepping<Swimmer>("swimmer.xml", v);
    expect_no_allocation_while_stepping<Reacher>("reacher.xml", v);
    expect_no_allocation_while_stepping<InvertedPendulum>("inverted_pendulum.xml", v);
    expect_no_allocation_while_stepping<InvertedDoublePendulum>("inverted_double_pendulum.xml", v);
    expect_no_allocation_while_stepping<Humanoid>("humanoid.xml", v);
    expect_no_allocation_while_stepping<HumanoidStandup>("humanoidstandup.xml", v);
    expect_no_allocation_while_stepping<Pusher>(Pusher::default_model_file(v), v);
  }
}

}  // namespace
}  // namespace mujoco_control
