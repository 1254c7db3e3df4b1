# The lab's proof (issue 7), included by tests/CMakeLists.txt: dashboards, compose file and
# Dockerfile, and every PromQL expression of dashboards/ and rules/ evaluated by a real
# Prometheus scraping `lagwatch demo`. Run them alone with: ctest -L lab
# The scripts need Debian's /usr/bin/python3 with python3-yaml, /usr/bin/prometheus,
# promtool, amtool and docker-compose (scripts/install-deps.sh installs them).
set(LAGWATCH_LAB_PYTHON /usr/bin/python3)
set(LAGWATCH_LAB_DIR ${CMAKE_CURRENT_SOURCE_DIR}/lab)

add_test(NAME lab_dashboards
  COMMAND ${LAGWATCH_LAB_PYTHON} ${LAGWATCH_LAB_DIR}/check_dashboards.py
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(lab_dashboards PROPERTIES LABELS lab TIMEOUT 60)

add_test(NAME lab_compose
  COMMAND ${LAGWATCH_LAB_PYTHON} ${LAGWATCH_LAB_DIR}/check_compose.py $<TARGET_FILE:lagwatch>
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(lab_compose PROPERTIES LABELS lab TIMEOUT 120)

# About 70 s: the demo runs for 65 s before the queries are evaluated. It starts its own
# Prometheus and demo on free ports; the lock keeps it from running next to another test
# that starts a Prometheus server (CPU on small CI machines, not ports).
add_test(NAME lab_promql
  COMMAND ${LAGWATCH_LAB_PYTHON} ${LAGWATCH_LAB_DIR}/check_promql.py $<TARGET_FILE:lagwatch>
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(lab_promql PROPERTIES LABELS lab TIMEOUT 300 RESOURCE_LOCK prometheus_server COST 200)
