// What the off-policy update benchmarks share (DDPG's in benchmarks/ddpg, TD3's and SAC's in
// benchmarks/off_policy): one learner on a fixed minibatch of random transitions, its update as the
// benchmark's loop, and the same counters, so that the three compare side by side.
//
//   FLOP/update       the matrix products of one update, as the caller counts them
//   FLOP/s            that work per second of wall time
//   env_steps/s_bound updates per second: at one update per env step, the most env steps per
//                     second a run can reach whatever the environment costs
//   of_sgemm_peak     FLOP/s as a fraction of this machine's best single-core sgemm (Eigen's or
//                     OpenBLAS's, measured in the same run) on the update's largest product,
//                     hidden × batch × hidden; the label names both rates
#pragma once

#include <benchmark/benchmark.h>

#include <pgbench/sdk/learn/replay_buffer.hpp>

#include "sgemm_peak.hpp"

namespace pgb::bench {

// Builds a Learner from `settings` (which name observation_dim, action_dim, hidden_size and
// batch_size) and runs `update(learner, batch, rng)` as the benchmark's loop.
template <class Learner, class Settings, class Update>
void run_update_benchmark(benchmark::State& state, const Settings& settings, double flops, Update update) {
  Rng rng(1);
  Learner learner(settings, rng);
  const learn::ReplayBuffer<float> buffer(1, settings.observation_dim, settings.action_dim);
  learn::ReplayBuffer<float>::Batch batch(buffer, settings.batch_size);
  batch.observations.setRandom();
  batch.actions.setRandom();
  batch.rewards.setRandom();
  batch.next_observations.setRandom();
  batch.terminated.setZero();

  const SgemmPeak& peak = sgemm_peak(settings.hidden_size, settings.batch_size, settings.hidden_size);
  const double start = thread_cpu_seconds();
  for (auto _ : state) benchmark::DoNotOptimize(update(learner, batch, rng));
  const double cpu_seconds = thread_cpu_seconds() - start;
  state.counters["FLOP/update"] = flops;
  state.counters["FLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["of_sgemm_peak"] = fraction_of_peak(peak, flops, static_cast<double>(state.iterations()), cpu_seconds);
  state.counters["env_steps/s_bound"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(peak.describe());
}

}  // namespace pgb::bench
