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

}  // namespace pgb::bench
