# pgbench_add_plugin(<name> SOURCES <src>... [LIBRARIES <lib>...] [OUTPUT_DIRECTORY <dir>])
#
# Builds one pgbench plugin: a shared library that exports exactly one symbol
# (pgb_plugin_entry_v<major>) and hides everything else, so two plugins that bundle different
# versions of a library cannot interpose on each other. In the pgbench tree the library lands in
# the build's plugins/ folder, where the host finds it; out of tree it lands in the caller's
# binary dir (point pgbench at it with --plugin-path or PGBENCH_PLUGIN_PATH).
function(pgbench_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "pgbench_add_plugin(${name}): SOURCES is required")
  endif()
  add_library(${name} MODULE ${arg_SOURCES})
  if(TARGET pgbench_sdk)
    target_link_libraries(${name} PRIVATE pgbench_sdk)
  else()
    target_link_libraries(${name} PRIVATE pgbench::sdk)
  endif()
  target_link_libraries(${name} PRIVATE ${arg_LIBRARIES})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "pgbench-${name}"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${name} PRIVATE "LINKER:--exclude-libs,ALL" "LINKER:--no-undefined")
  if(arg_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${arg_OUTPUT_DIRECTORY})
  elseif(DEFINED PGBENCH_PLUGIN_OUTPUT_DIR)
    # In the pgbench tree: beside the host, where it looks (bin/../lib/pgbench/plugins).
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${PGBENCH_PLUGIN_OUTPUT_DIR})
    install(TARGETS ${name} LIBRARY DESTINATION lib/pgbench/plugins)
    set_property(GLOBAL APPEND PROPERTY PGBENCH_BUILTIN_PLUGINS ${name})
  endif()
endfunction()
