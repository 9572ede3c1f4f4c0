# cmake -P script: `pgbench new` as a plugin author uses it, from the templates to a benchmark.
#   1. pgbench new algorithm: build out of tree with default flags (linking pgbench::learn),
#      pgbench check passes, and run as the README runs it (classic-control, --algos ppo,NAME) it
#      learns CartPole-v1 (mean final return over 3 seeds >= 195 within 100k env steps), the
#      report comparing it with PPO in one table; its own suite file runs too.
#   2. pgbench new env: build, pgbench check passes, list and describe show it with its bounds.
file(REMOVE_RECURSE ${WORK})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(failed)
    string(REPLACE ";" " " line "${ARGN}")
    message(FATAL_ERROR "${line} failed:\n${out}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(build_project dir)
  run(${CMAKE_COMMAND} -S ${dir} -B ${dir}/build -DCMAKE_BUILD_TYPE=Release -Dpgbench_DIR=${PGBENCH_DIR})
  run(${CMAKE_COMMAND} --build ${dir}/build)
endfunction()

# ---- an algorithm
run(${PGBENCH} new algorithm tvpg ${WORK}/tvpg)
build_project(${WORK}/tvpg)
run(${PGBENCH} check ${WORK}/tvpg/build)
string(FIND "${out}" "8 checks: 8 passed, 0 failed" found)
if(found EQUAL -1)
  message(FATAL_ERROR "pgbench check on the new algorithm:\n${out}")
endif()
# As the README runs it: the shipped classic-control suite, the new algorithm added next to PPO.
run(${PGBENCH} --suite classic-control --envs CartPole-v1 --algos ppo,tvpg --seeds 3 --plugin-path ${WORK}/tvpg/build
    --out ${WORK}/run --threads 2)
set(sum 0)
foreach(seed 0 1 2)
  file(READ ${WORK}/run/cells/CartPole-v1/tvpg/seed-${seed}/summary.json summary)
  string(JSON status GET "${summary}" status)
  string(JSON final GET "${summary}" final_eval_return_mean)
  if(NOT status STREQUAL "ok")
    message(FATAL_ERROR "tvpg seed ${seed}: status ${status}")
  endif()
  string(REGEX REPLACE "\\..*" "" whole "${final}")  # cmake's math is integer: the floor, a conservative sum
  math(EXPR sum "${sum} + ${whole}")
endforeach()
math(EXPR mean "${sum} / 3")
message(STATUS "the template algorithm on CartPole-v1, 100k steps: mean final return ${mean} over 3 seeds")
if(mean LESS 195)
  message(FATAL_ERROR "the template algorithm did not learn CartPole-v1: mean final return ${mean} < 195")
endif()
file(READ ${WORK}/run/report/report.md report)
string(FIND "${report}" "| Task | ppo | tvpg |" found)
if(found EQUAL -1)
  message(FATAL_ERROR "the report does not compare tvpg and ppo in one table:\n${report}")
endif()

run(${PGBENCH} --suite ${WORK}/tvpg/tvpg.yaml --plugin-path ${WORK}/tvpg/build --out ${WORK}/own-suite --seeds 1
    --no-report)

# ---- an environment
run(${PGBENCH} new env TestMass-v0 ${WORK}/test-mass)
build_project(${WORK}/test-mass)
run(${PGBENCH} check ${WORK}/test-mass/build)
string(FIND "${out}" "0 failed" found)
if(found EQUAL -1)
  message(FATAL_ERROR "pgbench check on the new environment:\n${out}")
endif()
run(${PGBENCH} list --plugin-path ${WORK}/test-mass/build)
string(FIND "${out}" "TestMass-v0" found)
if(found EQUAL -1)
  message(FATAL_ERROR "pgbench list does not show the new environment:\n${out}")
endif()
run(${PGBENCH} describe TestMass-v0 --plugin-path ${WORK}/test-mass/build)
string(FIND "${out}" "observation: Box(2) in [-2, 2] x [-5, 5]" found)
if(found EQUAL -1)
  message(FATAL_ERROR "pgbench describe does not show the new environment's bounds:\n${out}")
endif()

# ---- refusals: nothing already there is overwritten, names are checked
execute_process(COMMAND ${PGBENCH} new algorithm tvpg ${WORK}/tvpg RESULT_VARIABLE code ERROR_VARIABLE err)
if(NOT code EQUAL 2 OR NOT err MATCHES "already exists and is not an empty folder")
  message(FATAL_ERROR "pgbench new over an existing project: exit ${code}, ${err}")
endif()
execute_process(COMMAND ${PGBENCH} new env mass ${WORK}/x RESULT_VARIABLE code ERROR_VARIABLE err)
if(NOT code EQUAL 2 OR NOT err MATCHES "Gymnasium's form")
  message(FATAL_ERROR "pgbench new env with a bad name: exit ${code}, ${err}")
endif()
message(STATUS "pgbench new: both templates built, checked and run: ok")
