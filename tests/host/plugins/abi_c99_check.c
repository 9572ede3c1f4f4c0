/* Compiled as C99 with -pedantic -Wpadded -Werror: abi.h is plain C with no implicit padding. */
#include <pgbench/abi.h>

int pgbench_abi_c99_check(void) { return (int)PGB_ABI_VERSION_MAJOR; }
