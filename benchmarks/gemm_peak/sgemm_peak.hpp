// The single-core sgemm rate of the machine the benchmarks run on, measured when asked (never a
// figure copied from another machine), so that a benchmark can state its own work as a fraction
// of what the hardware does with the same shapes:
//   C (m × n) = A (m × k) · B (k × n), single precision, column-major, one thread,
// by Eigen (as built, with the build's vector extensions) and by OpenBLAS where it is installed
// (its kernels are chosen for the CPU at run time). Rates are per second of the thread's CPU time,
// as Google Benchmark's are, so that another process on the machine does not skew the ratio.
#pragma once

#include <pgbench/sdk/learn/types.hpp>

#include <string>
#include <vector>

namespace pgb::bench {

struct SgemmPeak {
  double eigen = 0;     // FLOP/s
  double openblas = 0;  // FLOP/s; 0 where OpenBLAS is not installed
  double best() const { return eigen > openblas ? eigen : openblas; }
  // "sgemm peak 256x256x256: Eigen 141 GFLOP/s, OpenBLAS 97 GFLOP/s"
  std::string describe() const;
  learn::Index m = 0, n = 0, k = 0;
};

// The best rate of several timed repetitions of each library; measured once per shape in a
// process (about half a second) and then remembered.
const SgemmPeak& sgemm_peak(learn::Index m, learn::Index n, learn::Index k);

// CPU seconds the calling thread has used: time a benchmark's loop with it to compare with the peak.
double thread_cpu_seconds();

// `flops_per_iteration` over `iterations` done in `cpu_seconds`, as a fraction of the peak.
inline double fraction_of_peak(const SgemmPeak& peak, double flops_per_iteration, double iterations, double cpu_seconds) {
  return flops_per_iteration * iterations / cpu_seconds / peak.best();
}

// The FLOPs of one forward pass of an MLP with these layer sizes over `batch` samples, counting
// its matrix products only (2 · Σ_l batch · n_l · n_{l−1}); a backward pass with weight gradients
// costs about twice that, less the first layer's input gradient (which is not propagated).
inline double mlp_forward_flops(const std::vector<learn::Index>& sizes, learn::Index batch) {
  double flops = 0;
  for (std::size_t l = 1; l < sizes.size(); ++l) flops += 2.0 * double(batch * sizes[l] * sizes[l - 1]);
  return flops;
}

// The FLOPs of an MLP's first-layer product (what a backward pass skips).
inline double mlp_first_layer_flops(const std::vector<learn::Index>& sizes, learn::Index batch) {
  return 2.0 * double(batch * sizes[1] * sizes[0]);
}

}  // namespace pgb::bench
