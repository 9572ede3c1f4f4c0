#include "sgemm_peak.hpp"

#include <fmt/format.h>

#include <time.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>

#ifdef PGBENCH_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace pgb::bench {
namespace {

using learn::Index;
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;

// The best of `repetitions` rates, each over as many products as fill `window`.
template <class Product>
double best_rate(double flops_per_product, Product&& product) {
  constexpr int repetitions = 5;
  constexpr double window_s = 0.05;
  product();  // first touch, and the library's own one-time set-up
  double best = 0;
  for (int r = 0; r < repetitions; ++r) {
    long count = 0;
    const double start = thread_cpu_seconds();
    double now = start;
    do {
      product();
      ++count;
      now = thread_cpu_seconds();
    } while (now - start < window_s);
    best = std::max(best, flops_per_product * static_cast<double>(count) / (now - start));
  }
  return best;
}

SgemmPeak measure(Index m, Index n, Index k) {
  const Matrix a = Matrix::Random(m, k), b = Matrix::Random(k, n);
  Matrix c(m, n);
  const double flops = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  SgemmPeak peak;
  peak.m = m;
  peak.n = n;
  peak.k = k;
  Eigen::setNbThreads(1);
  peak.eigen = best_rate(flops, [&] { c.noalias() = a * b; });
#ifdef PGBENCH_HAVE_OPENBLAS
  openblas_set_num_threads(1);
  peak.openblas = best_rate(flops, [&] {
    cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
                1.0f, a.data(), static_cast<int>(m), b.data(), static_cast<int>(k), 0.0f, c.data(), static_cast<int>(m));
  });
#endif
  return peak;
}

}  // namespace

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

std::string SgemmPeak::describe() const {
  std::string text = fmt::format("sgemm peak {}x{}x{}: Eigen {:.0f} GFLOP/s", m, n, k, eigen / 1e9);
  text += openblas > 0 ? fmt::format(", OpenBLAS {:.0f} GFLOP/s", openblas / 1e9) : std::string(", OpenBLAS not installed");
  return text;
}

const SgemmPeak& sgemm_peak(Index m, Index n, Index k) {
  static std::mutex mutex;
  static std::map<std::tuple<Index, Index, Index>, SgemmPeak> measured;
  const std::lock_guard lock(mutex);
  const auto key = std::make_tuple(m, n, k);
  auto found = measured.find(key);
  if (found == measured.end()) found = measured.emplace(key, measure(m, n, k)).first;
  return found->second;
}

}  // namespace pgb::bench
