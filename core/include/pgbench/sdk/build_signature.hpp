// pgbench/sdk/build_signature.hpp -- the compile-time settings that change the layout of Eigen's
// objects, as one string, so that a plugin and the pgbench::learn it links can be checked to agree.
//
// Eigen aligns its objects and chooses its vector code by the instruction set the compiler targets
// (16-byte SSE, 32-byte AVX, 64-byte AVX-512) unless told otherwise. A plugin compiled for one that
// links a pgbench::learn compiled for another passes objects whose layout the two sides disagree
// on: a crash, typically a double free. pgbench::learn records the settings it was compiled with
// (pgb_learn_build_signature); the SDK's entry function compares them with the plugin's own and
// refuses to load, in one line, on a mismatch. find_package(pgbench) gives pgbench::learn's
// consumers the options it was compiled with, so a plugin built with default flags agrees.
#pragma once

#if defined(__AVX512F__)
#define PGB_SIGNATURE_VECTOR "avx512f"
#elif defined(__AVX__)
#define PGB_SIGNATURE_VECTOR "avx"
#elif defined(__SSE2__)
#define PGB_SIGNATURE_VECTOR "sse2"
#else
#define PGB_SIGNATURE_VECTOR "scalar"
#endif

#if defined(EIGEN_DONT_VECTORIZE)
#define PGB_SIGNATURE_EIGEN_VECTORIZE ";eigen-vectorize=off"
#else
#define PGB_SIGNATURE_EIGEN_VECTORIZE ""
#endif

// Only what a user sets: Eigen defines its own alignment macros from the instruction set, in the
// translation units that include it, which the vector entry above already stands for.
#if defined(EIGEN_DONT_ALIGN)
#define PGB_SIGNATURE_EIGEN_ALIGN ";eigen-align=off"
#else
#define PGB_SIGNATURE_EIGEN_ALIGN ""
#endif

// e.g. "vector=avx512f"
#define PGB_BUILD_SIGNATURE "vector=" PGB_SIGNATURE_VECTOR PGB_SIGNATURE_EIGEN_VECTORIZE PGB_SIGNATURE_EIGEN_ALIGN

// The compiler, for the plugin descriptor's build_signature (informative: the C++ ABI of GCC and
// Clang agree, so it is not compared).
#if defined(__clang__)
#define PGB_SIGNATURE_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define PGB_SIGNATURE_COMPILER "gcc " __VERSION__
#else
#define PGB_SIGNATURE_COMPILER "unknown compiler"
#endif

// What the plugin descriptor records: "gcc 12.2.0; vector=avx512f".
#define PGB_PLUGIN_BUILD_SIGNATURE PGB_SIGNATURE_COMPILER "; " PGB_BUILD_SIGNATURE

// The signature pgbench::learn was compiled with. Defined in pgbench::learn, whose consumers link
// it in; weak, so that a plugin without pgbench::learn sees a null function and skips the check.
extern "C" const char* pgb_learn_build_signature(void) __attribute__((weak));

// The library that computes pgbench::learn's matrix products: "eigen", or "openblas (...)" with the
// kernels OpenBLAS chose for this CPU (PGBENCH_GEMM; cmake/PgbenchGemm.cmake). It changes no
// layout, only which arithmetic runs, so it is recorded (the plugin's build signature, hence the
// run's manifest), not compared. Weak like the signature.
extern "C" const char* pgb_learn_matrix_products(void) __attribute__((weak));
