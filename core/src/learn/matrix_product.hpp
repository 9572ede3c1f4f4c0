// matrix_product.hpp -- the dense matrix products of the learning library, in one place, so that
// the library that computes them is chosen once, at configure time (PGBENCH_GEMM; see
// cmake/PgbenchGemm.cmake):
//
//   eigen     Eigen's own kernels, compiled for the build's instruction set. With PGBENCH_NATIVE
//             off they are the same instructions on every x86-64 machine, so a portable build
//             gives the same bits everywhere (what the reference results are computed with).
//   openblas  OpenBLAS's sgemm/dgemm, one thread (the grid runs cells in parallel, not products).
//             OpenBLAS picks its kernels for the CPU when it loads, so the bits are fixed for a
//             build and a machine but may differ between machines.
//
// Nothing here is timed or chosen at run time: the same build on the same machine always takes
// the same path, which is what keeps a seed's results bit-identical.
#pragma once

#include <pgbench/sdk/learn/types.hpp>

#if PGBENCH_GEMM_OPENBLAS
#include <cblas.h>

#include <algorithm>
#include <mutex>
#include <type_traits>
#endif

namespace pgb::learn::detail {

enum class Transpose { no, yes };

#if PGBENCH_GEMM_OPENBLAS
inline void use_one_openblas_thread() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

inline CBLAS_TRANSPOSE cblas(Transpose t) { return t == Transpose::yes ? CblasTrans : CblasNoTrans; }

// BLAS wants a leading dimension of at least 1, also for an empty matrix.
inline blasint leading(Index outer_stride) { return static_cast<blasint>(std::max<Index>(outer_stride, 1)); }
#endif

// c ← op_a(a) · op_b(b)            (accumulate = false)
// c ← op_a(a) · op_b(b) + c        (accumulate = true)
// a, b and c are column-major Eigen objects with direct access (Map, Ref, Matrix); c must not
// alias a or b. Dimensions: op_a(a) is c.rows() × k, op_b(b) is k × c.cols().
template <class A, class B, class C>
void multiply(const A& a, Transpose op_a, const B& b, Transpose op_b, C&& c, bool accumulate = false) {
#if PGBENCH_GEMM_OPENBLAS
  using Scalar = typename std::remove_cvref_t<C>::Scalar;
  if (c.size() == 0) return;
  const Index k = op_a == Transpose::yes ? a.rows() : a.cols();
  if (k == 0) {
    if (!accumulate) c.setZero();
    return;
  }
  use_one_openblas_thread();
  const auto m = static_cast<blasint>(c.rows()), n = static_cast<blasint>(c.cols());
  const Scalar beta = accumulate ? Scalar(1) : Scalar(0);
  if constexpr (std::is_same_v<Scalar, float>)
    cblas_sgemm(CblasColMajor, cblas(op_a), cblas(op_b), m, n, static_cast<blasint>(k), 1.0f, a.data(),
                leading(a.outerStride()), b.data(), leading(b.outerStride()), beta, c.data(), leading(c.outerStride()));
  else
    cblas_dgemm(CblasColMajor, cblas(op_a), cblas(op_b), m, n, static_cast<blasint>(k), 1.0, a.data(),
                leading(a.outerStride()), b.data(), leading(b.outerStride()), beta, c.data(), leading(c.outerStride()));
#else
  // Spelled out, because Eigen's product kernels differ by expression (a transposed operand is
  // packed differently), and these are the expressions the library has always computed.
  const auto product = [&](auto&& left, auto&& right) {
    if (accumulate)
      c.noalias() += left * right;
    else
      c.noalias() = left * right;
  };
  if (op_a == Transpose::no && op_b == Transpose::no) product(a, b);
  else if (op_a == Transpose::no) product(a, b.transpose());
  else if (op_b == Transpose::no) product(a.transpose(), b);
  else product(a.transpose(), b.transpose());
#endif
}

}  // namespace pgb::learn::detail
