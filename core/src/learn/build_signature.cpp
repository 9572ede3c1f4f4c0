// The settings this pgbench::learn was compiled with, for the SDK's load-time check
// (pgbench/sdk/build_signature.hpp).
#include <pgbench/sdk/build_signature.hpp>

extern "C" const char* pgb_learn_build_signature(void) { return PGB_BUILD_SIGNATURE; }
