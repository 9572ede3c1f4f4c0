// The settings this pgbench::learn was compiled with, for the SDK's load-time check, and the
// library of its matrix products, for the plugin's build signature (pgbench/sdk/build_signature.hpp).
#include <pgbench/sdk/build_signature.hpp>

#if PGBENCH_GEMM_OPENBLAS
#include <cblas.h>

#include <string>
#endif

extern "C" const char* pgb_learn_build_signature(void) { return PGB_BUILD_SIGNATURE; }

extern "C" const char* pgb_learn_matrix_products(void) {
#if PGBENCH_GEMM_OPENBLAS
  // OpenBLAS names the kernels it chose for this CPU when it loaded, e.g. "OpenBLAS 0.3.21
  // DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64": the part of the results' provenance that the
  // build alone does not fix.
  static const std::string text = std::string("openblas (") + openblas_get_config() + ")";
  return text.c_str();
#else
  return "eigen";
#endif
}
