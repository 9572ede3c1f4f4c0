// Forward and backward passes of the MLPs the built-in algorithms use, in samples per second:
//   64×64 tanh   the on-policy actors and critics (17 observations → 6 action means, HalfCheetah),
//   256×256 ReLU DDPG's critic ([17 observations; 6 actions] → Q).
// FLOP/s counts the multiply-adds of the matrix products (×2); of_sgemm_peak is that as a fraction
// of this machine's best single-core sgemm on the hidden × batch × hidden product, measured in the
// same run (sgemm_peak.hpp; the label names Eigen's and OpenBLAS's rates).
#include <pgbench/sdk/learn/mlp.hpp>

#include <benchmark/benchmark.h>

#include <cmath>

#include "sgemm_peak.hpp"

namespace pgb::learn {
namespace {

struct Shape {
  Index inputs, hidden, outputs;
  Activation activation;
};
constexpr Shape kOnPolicy{17, 64, 6, Activation::tanh};
constexpr Shape kDdpgCritic{23, 256, 1, Activation::relu};

struct Setup {
  explicit Setup(const Shape& shape, Index batch)
      : network({shape.inputs, shape.hidden, shape.hidden, shape.outputs}, shape.activation),
        workspace(network, batch),
        inputs(Eigen::MatrixXf::Random(shape.inputs, batch)),
        output_gradient(Eigen::MatrixXf::Random(shape.outputs, batch)),
        parameter_gradient(network.num_parameters()) {
    Rng rng(0);
    network.initialize_orthogonal(rng, std::sqrt(2.0f));
  }
  Mlp<float> network;
  Mlp<float>::Workspace workspace;
  Eigen::MatrixXf inputs, output_gradient;
  Eigen::VectorXf parameter_gradient;
};

// 2 · batch · Σ_l n_l · n_{l−1}: the products of one forward pass.
double forward_flops(const Shape& shape, Index batch) {
  const double per_sample = double(shape.inputs * shape.hidden + shape.hidden * shape.hidden + shape.hidden * shape.outputs);
  return 2.0 * double(batch) * per_sample;
}

void report(benchmark::State& state, const bench::SgemmPeak& peak, double flops_per_iteration, double cpu_seconds) {
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["FLOP/s"] = benchmark::Counter(flops_per_iteration, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["of_sgemm_peak"] =
      bench::fraction_of_peak(peak, flops_per_iteration, static_cast<double>(state.iterations()), cpu_seconds);
  state.SetLabel(peak.describe());
}

void forward(benchmark::State& state, Shape shape) {
  Setup setup(shape, state.range(0));
  const bench::SgemmPeak& peak = bench::sgemm_peak(shape.hidden, state.range(0), shape.hidden);
  const double start = bench::thread_cpu_seconds();
  for (auto _ : state) benchmark::DoNotOptimize(setup.network.forward(setup.workspace, setup.inputs).data());
  report(state, peak, forward_flops(shape, state.range(0)), bench::thread_cpu_seconds() - start);
}

// Backward: the weight gradients of every layer and δ for every layer above the first, about
// twice the forward's products less the first layer's input gradient.
void forward_backward(benchmark::State& state, Shape shape) {
  Setup setup(shape, state.range(0));
  const bench::SgemmPeak& peak = bench::sgemm_peak(shape.hidden, state.range(0), shape.hidden);
  const double start = bench::thread_cpu_seconds();
  for (auto _ : state) {
    setup.network.forward(setup.workspace, setup.inputs);
    setup.network.backward(setup.workspace, setup.output_gradient, setup.parameter_gradient);
    benchmark::DoNotOptimize(setup.parameter_gradient.data());
  }
  const double cpu_seconds = bench::thread_cpu_seconds() - start;
  const double forward = forward_flops(shape, state.range(0));
  report(state, peak, 3 * forward - 2.0 * double(state.range(0) * shape.inputs * shape.hidden), cpu_seconds);
}

BENCHMARK_CAPTURE(forward, 64x64_tanh, kOnPolicy)->Arg(1)->Arg(64)->Arg(256)->Arg(2048);
BENCHMARK_CAPTURE(forward_backward, 64x64_tanh, kOnPolicy)->Arg(1)->Arg(64)->Arg(256)->Arg(2048);
BENCHMARK_CAPTURE(forward, 256x256_relu, kDdpgCritic)->Arg(1)->Arg(64)->Arg(256);
BENCHMARK_CAPTURE(forward_backward, 256x256_relu, kDdpgCritic)->Arg(1)->Arg(64)->Arg(256);

}  // namespace
}  // namespace pgb::learn
