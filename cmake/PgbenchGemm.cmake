# Which library computes the learning library's matrix products (core/src/learn/matrix_product.hpp).
#
#   PGBENCH_GEMM = auto (default) | eigen | openblas
#
# auto is a rule on the build's target, never a timing, so a build always takes the same path:
#   - a portable build (PGBENCH_NATIVE off) uses Eigen: the same instructions, hence the same bits,
#     on every x86-64 machine;
#   - a native build for a CPU with AVX-512 uses Eigen, whose AVX-512 kernels are the faster there
#     (benchmarks/gemm_peak measures both; the README's performance section has the figures);
#   - a native build for a CPU without AVX-512 uses OpenBLAS where it is installed: there Eigen's
#     AVX2 kernels fell to about 0.6 of OpenBLAS's sgemm on an AVX2-only EPYC (issue 15), while
#     OpenBLAS's hand-written kernels are within a few percent of Eigen at worst.
# Sets PGBENCH_GEMM_LIBRARY (eigen or openblas) and, where OpenBLAS is found,
# PGBENCH_OPENBLAS_LIBRARY and PGBENCH_OPENBLAS_INCLUDE_DIR (also used by benchmarks/gemm_peak).
set(PGBENCH_GEMM auto CACHE STRING "Library of the learning code's matrix products: auto, eigen or openblas")
set_property(CACHE PGBENCH_GEMM PROPERTY STRINGS auto eigen openblas)

find_library(PGBENCH_OPENBLAS_LIBRARY NAMES openblas)
find_path(PGBENCH_OPENBLAS_INCLUDE_DIR cblas.h
          PATHS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-pthread /usr/include/openblas NO_DEFAULT_PATH)
set(pgbench_have_openblas FALSE)
if(PGBENCH_OPENBLAS_LIBRARY AND PGBENCH_OPENBLAS_INCLUDE_DIR)
  set(pgbench_have_openblas TRUE)
endif()

if(PGBENCH_GEMM STREQUAL "openblas")
  if(NOT pgbench_have_openblas)
    message(FATAL_ERROR "PGBENCH_GEMM=openblas: OpenBLAS not found (apt-get install libopenblas-dev), "
                        "or choose PGBENCH_GEMM=eigen or auto")
  endif()
  set(PGBENCH_GEMM_LIBRARY openblas)
elseif(PGBENCH_GEMM STREQUAL "eigen")
  set(PGBENCH_GEMM_LIBRARY eigen)
elseif(PGBENCH_GEMM STREQUAL "auto")
  set(PGBENCH_GEMM_LIBRARY eigen)
  if(PGBENCH_NATIVE AND PGBENCH_HAS_MARCH_NATIVE AND pgbench_have_openblas)
    include(CheckCXXSourceCompiles)
    set(CMAKE_REQUIRED_FLAGS -march=native)
    check_cxx_source_compiles("#ifndef __AVX512F__\n#error no AVX-512\n#endif\nint main() { return 0; }"
                              PGBENCH_TARGET_HAS_AVX512F)
    unset(CMAKE_REQUIRED_FLAGS)
    if(NOT PGBENCH_TARGET_HAS_AVX512F)
      set(PGBENCH_GEMM_LIBRARY openblas)
    endif()
  endif()
else()
  message(FATAL_ERROR "PGBENCH_GEMM=${PGBENCH_GEMM}: expected auto, eigen or openblas")
endif()
message(STATUS "pgbench: matrix products by ${PGBENCH_GEMM_LIBRARY} (PGBENCH_GEMM=${PGBENCH_GEMM})")
