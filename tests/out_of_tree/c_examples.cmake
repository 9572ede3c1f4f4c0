# cmake -P script: the plain-C examples (examples/c-algorithm, examples/c-environment) build
# out of tree with -std=c99 -pedantic -Wall -Wextra -Werror, pass pgbench check, and run in a
# grid next to a built-in environment and algorithm; the C algorithm learns the C environment.
file(REMOVE_RECURSE ${WORK})
foreach(example c-algorithm c-environment)
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${EXAMPLES}/${example} -B ${WORK}/${example} -DCMAKE_BUILD_TYPE=Release
                          -Dpgbench_DIR=${PGBENCH_DIR} "-DCMAKE_C_FLAGS=-std=c99 -pedantic -Wall -Wextra -Werror"
                  RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT failed)
    execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}/${example} RESULT_VARIABLE failed OUTPUT_VARIABLE out
                    ERROR_VARIABLE out)
  endif()
  if(failed)
    message(FATAL_ERROR "building examples/${example} with -std=c99 -pedantic -Werror failed:\n${out}")
  endif()
  execute_process(COMMAND ${PGBENCH} check ${WORK}/${example} RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(failed)
    message(FATAL_ERROR "pgbench check on examples/${example}:\n${out}")
  endif()
endforeach()
execute_process(COMMAND ${PGBENCH} --suite ${SUITE} --plugin-path ${WORK}/c-algorithm --plugin-path ${WORK}/c-environment
                        --out ${WORK}/run --threads 2
                RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(failed)
  message(FATAL_ERROR "the grid with the C examples failed:\n${out}")
endif()
function(final_return task algorithm seed out_var)
  file(READ ${WORK}/run/cells/${task}/${algorithm}/seed-${seed}/summary.json summary)
  string(JSON value GET "${summary}" final_eval_return_mean)
  set(${out_var} ${value} PARENT_SCOPE)
endfunction()
foreach(seed 0 1)
  final_return(Corridor-v0 linear-reinforce ${seed} learned)
  final_return(Corridor-v0 random ${seed} random)
  # Reaching the end scores 1 minus 0.01 per step; a random walk seldom gets there in 200 steps.
  if(NOT learned GREATER 0.5 OR NOT random LESS learned)
    message(FATAL_ERROR "linear-reinforce did not learn Corridor-v0 (seed ${seed}): ${learned}, random ${random}")
  endif()
endforeach()
message(STATUS "the C examples: built with -Werror -pedantic, checked, run in a grid: ok")
