# The module boundaries of exporter/CMakeLists.txt, checked: each module's include view must
# refuse a header of a module above it (the includes that used to run upward among them), and
# accept one below it (so the check cannot pass merely because nothing compiles).
set(LAGWATCH_VIEWS ${PROJECT_BINARY_DIR}/exporter/include-views)
function(lagwatch_layering_case module header expect_found)
  string(MAKE_C_IDENTIFIER "${module}_${header}" id)
  set(HEADER ${header})
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/layering/upward_include.cpp.in
    ${CMAKE_CURRENT_BINARY_DIR}/layering/${id}.cpp @ONLY)
  add_test(NAME layering_${id}
    COMMAND ${CMAKE_CXX_COMPILER} -std=c++20 -fsyntax-only -I${LAGWATCH_VIEWS}/${module}
            ${CMAKE_CURRENT_BINARY_DIR}/layering/${id}.cpp)
  if(expect_found)
    set_tests_properties(layering_${id} PROPERTIES LABELS unit)
  else()
    # The compiler must fail for exactly this reason, not any other.
    set_tests_properties(layering_${id} PROPERTIES LABELS unit
      PASS_REGULAR_EXPRESSION "${header}: No such file or directory")
  endif()
endfunction()

# Refused: the four includes that ran upward, and the readers of a poll reaching the poller.
lagwatch_layering_case(model store/partition_histories.hpp FALSE)
lagwatch_layering_case(store evaluate/partition_rules.hpp FALSE)
lagwatch_layering_case(evaluate config/config.hpp FALSE)
lagwatch_layering_case(config notify/notifier.hpp FALSE)
lagwatch_layering_case(notification notify/notifier.hpp FALSE)
lagwatch_layering_case(notify collect/poller.hpp FALSE)
lagwatch_layering_case(publish collect/cluster_collector.hpp FALSE)
lagwatch_layering_case(kafka_protocol model/snapshot.hpp FALSE)
lagwatch_layering_case(kafka config/config.hpp FALSE)
lagwatch_layering_case(collect rdkafka/client.hpp FALSE)
lagwatch_layering_case(http_client config/config.hpp FALSE)
lagwatch_layering_case(http_client notify/notifier.hpp FALSE)
# The notifiers' settings sit below config/ and the notifier; the SMTP client below both.
lagwatch_layering_case(notify_config config/config.hpp FALSE)
lagwatch_layering_case(notify_config notify/notifier.hpp FALSE)
lagwatch_layering_case(smtp config/config.hpp FALSE)
lagwatch_layering_case(smtp notify/sender.hpp FALSE)
# Accepted: includes that run downward.
lagwatch_layering_case(evaluate store/group_windows.hpp TRUE)
lagwatch_layering_case(notify core/cluster_view.hpp TRUE)
lagwatch_layering_case(config notification/body_template.hpp TRUE)
lagwatch_layering_case(http_client util/http_url.hpp TRUE)
lagwatch_layering_case(notify http_client/http_client.hpp TRUE)
lagwatch_layering_case(config notify/config/notifier_problem.hpp TRUE)
lagwatch_layering_case(notify smtp/smtp_client.hpp TRUE)
