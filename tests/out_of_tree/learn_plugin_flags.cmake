# cmake -P script: builds the out-of-tree pgbench::learn plugin (learn_plugin/) twice against the
# build tree's package: with default flags, where it must load and run its cells; and with vector
# units disabled (-mno-avx), where the SDK must refuse it at load in one line and the grid must
# end with a clear error, never a crash.
file(REMOVE_RECURSE ${WORK})
foreach(variant default mismatched)
  set(flags "")
  if(variant STREQUAL "mismatched")
    set(flags "-mno-avx")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${WORK}/${variant} -DCMAKE_BUILD_TYPE=Release
                          -Dpgbench_DIR=${PGBENCH_DIR} "-DCMAKE_CXX_FLAGS=${flags}"
                  RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(failed)
    message(FATAL_ERROR "configuring the ${variant} plugin failed:\n${out}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}/${variant} RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(failed)
    message(FATAL_ERROR "building the ${variant} plugin failed:\n${out}")
  endif()
  execute_process(COMMAND ${PGBENCH} --suite smoke --envs Pendulum-v1 --algos mlp-policy --plugin-path ${WORK}/${variant}
                          --no-report --out ${WORK}/run-${variant}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(variant STREQUAL "default")
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "the plugin built with default flags did not run (status ${status}):\n${out}")
    endif()
  else()
    if(NOT status EQUAL 2)
      message(FATAL_ERROR "the plugin built with other vector units was not refused (status ${status}):\n${out}")
    endif()
    string(FIND "${out}" "but links a pgbench::learn compiled with" found)
    if(found EQUAL -1)
      message(FATAL_ERROR "no one-line refusal naming the mismatch:\n${out}")
    endif()
  endif()
endforeach()
message(STATUS "out-of-tree pgbench::learn plugin: runs with default flags, refused with mismatched ones")
