// kind: pagerduty — PagerDuty's Events API v2. A firing is a "trigger" and a resolution a
// "resolve" with the same dedup_key (one per cluster and group), so PagerDuty keeps one incident
// per group and closes it when the group is OK again; a repeat or a WARN -> ERR change triggers
// the same incident again (PagerDuty folds it in as an alert update). The routing key is the
// integration key of a service's "Events API v2" integration; it travels in the body.
#include "notify/config/kind.hpp"

namespace lagwatch::notify {
namespace {

constexpr std::string_view kPagerDutyTemplate = R"({
  "routing_key": "{{routing_key}}",
  "event_action": "{{#firing}}trigger{{/firing}}{{#resolved}}resolve{{/resolved}}",
  "dedup_key": "{{dedup_key}}",{{#firing}}
  "payload": {
    "summary": "Consumer group {{group}} on {{cluster}} is {{status}}: lag {{total_lag}} messages, {{max_lag_seconds}} s behind",
    "source": "{{cluster}}",
    "severity": "{{#err}}error{{/err}}{{#warn}}warning{{/warn}}",
    "timestamp": "{{timestamp}}",
    "component": "{{group}}",
    "group": "{{cluster}}",
    "class": "consumer-lag",
    "custom_details": {
      "status": "{{status}}",
      "previous_status": "{{previous_status}}",
      "total_lag": {{total_lag}},
      "max_lag_seconds": {{max_lag_seconds}},
      "partitions_not_ok": {{not_ok_count}},
      "worst_partitions": [{{#top_partitions}}{"topic": "{{topic}}", "partition": {{partition}}, "status": "{{partition_status}}", "lag": {{lag}}, "lag_seconds": {{lag_seconds}}}{{comma}}{{/top_partitions}}]
    }
  },{{#link}}
  "links": [{"href": "{{link}}", "text": "lagwatch: {{cluster}}/{{group}}"}],{{/link}}{{/firing}}
  "client": "lagwatch"
}
)";

std::optional<SettingProblem> check(const NotifierConfig& c) {
  if (c.routing_key.empty()) {
    return SettingProblem{"routing_key",
                          "required: the integration key of the service's Events API v2 integration, e.g. "
                          "routing_key: ${env:PAGERDUTY_ROUTING_KEY}"};
  }
  for (unsigned char ch : c.routing_key) {
    if (ch <= 0x20 || ch == 0x7f) {
      return SettingProblem{"routing_key", "contains a blank or control character; a routing key has none"};
    }
  }
  return std::nullopt;
}

}  // namespace

extern const KindSpec kPagerDutyKind = {
    .name = "pagerduty",
    .transport = Transport::http,
    .default_url = "https://events.pagerduty.com/v2/enqueue",
    .default_template = kPagerDutyTemplate,
    .escape = Escape::json,
    .default_subject = "",
    .check = check,
};

}  // namespace lagwatch::notify
