/* A well-formed shared library that is not a pgbench plugin: it exports no entry symbol. */
int pgbench_test_not_a_plugin(void) { return 42; }
