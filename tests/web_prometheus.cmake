# A real Prometheus scraping lagwatch over HTTPS with basic auth (issue 15), included by
# tests/CMakeLists.txt. Prometheus comes from Debian's prometheus package, openssl from openssl
# (scripts/install-deps.sh). Run it alone with: ctest -R web_prometheus
find_program(LAGWATCH_PROMETHEUS prometheus REQUIRED)
find_program(LAGWATCH_OPENSSL openssl REQUIRED)
add_test(NAME web_prometheus_https_basic_auth
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/web_prometheus_test.sh $<TARGET_FILE:lagwatch> ${LAGWATCH_PROMETHEUS})
set_tests_properties(web_prometheus_https_basic_auth PROPERTIES LABELS "integration;web" TIMEOUT 180)

# The demo's incidents seen in a real Prometheus with lagwatch's rules (issue 16): broker-down
# fires KafkaOfflinePartitions and KafkaBrokerDown, reset resolves them. About 3 minutes.
add_test(NAME demo_prometheus_broker_down_alerts
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/demo_alerts_test.sh $<TARGET_FILE:lagwatch> ${LAGWATCH_PROMETHEUS})
# COST: the suite's longest test starts first, so it does not run alone at the end (ctest has
# no timings of its own on a fresh clone).
set_tests_properties(demo_prometheus_broker_down_alerts PROPERTIES LABELS "integration;demo" TIMEOUT 420 COST 300)
