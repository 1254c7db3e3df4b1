# Prometheus rules and Alertmanager configuration (issue 6), included by tests/CMakeLists.txt.
# Run them alone with: ctest -L rules   (they need no C++ target)
# promtool and amtool come from Debian's prometheus and prometheus-alertmanager packages,
# check_rules.py needs /usr/bin/python3 with python3-yaml (scripts/install-deps.sh).
find_program(LAGWATCH_PROMTOOL promtool REQUIRED)
find_program(LAGWATCH_AMTOOL amtool REQUIRED)
set(LAGWATCH_RULES_PYTHON /usr/bin/python3)
set(LAGWATCH_RULES_DIR ${PROJECT_SOURCE_DIR}/rules)
set(LAGWATCH_ALERTMANAGER_CONFIG ${PROJECT_SOURCE_DIR}/alerts/alertmanager.yml)

# Syntax, PromQL and templates of every rule file; duplicate rules are errors.
file(GLOB LAGWATCH_RULE_FILES CONFIGURE_DEPENDS ${LAGWATCH_RULES_DIR}/*.yml)
foreach(rule_file IN LISTS LAGWATCH_RULE_FILES)
  get_filename_component(name ${rule_file} NAME_WE)
  add_test(NAME rules_check_${name}
    COMMAND ${LAGWATCH_PROMTOOL} check rules --lint-fatal ${rule_file})
  set_tests_properties(rules_check_${name} PROPERTIES LABELS rules TIMEOUT 60)
endforeach()

# The unit tests: every alert firing and not firing, the threshold overrides, recording rules.
file(GLOB LAGWATCH_RULE_TESTS CONFIGURE_DEPENDS ${LAGWATCH_RULES_DIR}/tests/*.yml)
foreach(test_file IN LISTS LAGWATCH_RULE_TESTS)
  get_filename_component(name ${test_file} NAME_WE)
  add_test(NAME rules_test_${name}
    COMMAND ${LAGWATCH_PROMTOOL} test rules ${test_file}
    WORKING_DIRECTORY ${LAGWATCH_RULES_DIR}/tests)
  set_tests_properties(rules_test_${name} PROPERTIES LABELS rules TIMEOUT 120)
endforeach()

# Conventions promtool does not check (severity, annotations, runbook sections in
# docs/alerts.md, a firing and a quiet test per alert, inhibit rules naming real alerts).
add_test(NAME rules_conventions
  COMMAND ${LAGWATCH_RULES_PYTHON} ${LAGWATCH_RULES_DIR}/tests/check_rules.py
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(rules_conventions PROPERTIES LABELS rules TIMEOUT 60)

add_test(NAME alertmanager_check_config
  COMMAND ${LAGWATCH_AMTOOL} check-config ${LAGWATCH_ALERTMANAGER_CONFIG})
set_tests_properties(alertmanager_check_config PROPERTIES LABELS rules TIMEOUT 60)

# Routing: which receiver an alert with these labels reaches (by severity, then cluster).
function(lagwatch_route_test name receiver)
  add_test(NAME alertmanager_route_${name}
    COMMAND ${LAGWATCH_AMTOOL} config routes test
      --config.file=${LAGWATCH_ALERTMANAGER_CONFIG} --verify.receivers=${receiver} ${ARGN})
  set_tests_properties(alertmanager_route_${name} PROPERTIES LABELS rules TIMEOUT 60)
endfunction()
lagwatch_route_test(critical critical alertname=KafkaBrokerDown severity=critical cluster=lab broker=2)
lagwatch_route_test(critical_prod prod-oncall alertname=KafkaBrokerDown severity=critical cluster=prod-eu broker=2)
lagwatch_route_test(warning warning alertname=KafkaConsumerGroupLagHigh severity=warning cluster=lab consumergroup=analytics)
lagwatch_route_test(warning_prod prod-team alertname=KafkaConsumerGroupLagHigh severity=warning cluster=prod-eu consumergroup=analytics)
lagwatch_route_test(info info alertname=KafkaTopicChecklistViolation severity=info cluster=lab topic=fragile)
lagwatch_route_test(no_severity default alertname=Watchdog)
