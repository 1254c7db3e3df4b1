// kind: slack — a Slack incoming webhook (https://hooks.slack.com/services/...; the URL is the
// secret). The message: a headline with the status, the group's facts, the worst partitions,
// and the notifier's link. Every text is mrkdwn, so fields are escaped for it (& < >).
#include "notify/config/kind.hpp"

namespace lagwatch::notify {
namespace {

constexpr std::string_view kSlackTemplate = R"({
  "text": "{{#firing}}{{#repeat}}Still {{/repeat}}{{status}}{{/firing}}{{#resolved}}Resolved{{/resolved}}: consumer group {{group}} on {{cluster}}",
  "blocks": [
    {"type": "section", "text": {"type": "mrkdwn", "text": "{{#err}}:red_circle:{{/err}}{{#warn}}:large_yellow_circle:{{/warn}}{{#resolved}}:large_green_circle:{{/resolved}} *{{#firing}}{{#repeat}}Still {{/repeat}}{{status}}{{/firing}}{{#resolved}}Resolved{{/resolved}}: consumer group `{{group}}` on `{{cluster}}`*"}},
    {"type": "section", "fields": [
      {"type": "mrkdwn", "text": "*Cluster*\n{{cluster}}"},
      {"type": "mrkdwn", "text": "*Group*\n{{group}}"},
      {"type": "mrkdwn", "text": "*Status*\n{{previous_status}} → {{status}}"},
      {"type": "mrkdwn", "text": "*Lag*\n{{total_lag}} messages, {{max_lag_seconds}} s behind"}
    ]}{{#firing}},
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Worst partitions* ({{not_ok_count}} of {{partition_count}} not OK){{#top_partitions}}\n• `{{topic}}` [{{partition}}] {{partition_status}}: lag {{lag}}, {{lag_seconds}} s{{/top_partitions}}{{#more_partitions}}\n… and {{more_partitions}} more{{/more_partitions}}"}}{{/firing}},
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "{{#link}}<{{link}}|Open> · {{/link}}lagwatch notifier {{notifier}} · {{timestamp}}"}]}
  ]
}
)";

}  // namespace

extern const KindSpec kSlackKind = {
    .name = "slack",
    .transport = Transport::http,
    .default_url = "",
    .default_template = kSlackTemplate,
    .escape = Escape::slack,
    .default_subject = "",
    .check = nullptr,
};

}  // namespace lagwatch::notify
