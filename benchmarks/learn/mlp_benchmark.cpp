// Forward and backward passes of the MLPs the built-in algorithms use, in samples per second:
//   64×64 tanh   the on-policy actors and critics (17 observations → 6 action means, HalfCheetah),
//   256×256 ReLU DDPG's critic ([17 observations; 6 actions] → Q).
#include <pgbench/sdk/learn/mlp.hpp>

#include <benchmark/benchmark.h>

#include <cmath>

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

void forward(benchmark::State& state, Shape shape) {
  Setup setup(shape, state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(setup.network.forward(setup.workspace, setup.inputs).data());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void forward_backward(benchmark::State& state, Shape shape) {
  Setup setup(shape, state.range(0));
  for (auto _ : state) {
    setup.network.forward(setup.workspace, setup.inputs);
    setup.network.backward(setup.workspace, setup.output_gradient, setup.parameter_gradient);
    benchmark::DoNotOptimize(setup.parameter_gradient.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK_CAPTURE(forward, 64x64_tanh, kOnPolicy)->Arg(1)->Arg(64)->Arg(256)->Arg(2048);
BENCHMARK_CAPTURE(forward_backward, 64x64_tanh, kOnPolicy)->Arg(1)->Arg(64)->Arg(256)->Arg(2048);
BENCHMARK_CAPTURE(forward, 256x256_relu, kDdpgCritic)->Arg(1)->Arg(64)->Arg(256);
BENCHMARK_CAPTURE(forward_backward, 256x256_relu, kDdpgCritic)->Arg(1)->Arg(64)->Arg(256);

}  // namespace
}  // namespace pgb::learn
