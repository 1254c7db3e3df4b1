// kind: teams — Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook
// request is received"; the URL is the secret), which takes a message with an Adaptive Card
// attachment. The older Office 365 connectors (MessageCard) are retired; they are not supported.
#include "notify/config/kind.hpp"

namespace lagwatch::notify {
namespace {

constexpr std::string_view kTeamsTemplate = R"({
  "type": "message",
  "attachments": [{
    "contentType": "application/vnd.microsoft.card.adaptive",
    "contentUrl": null,
    "content": {
      "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
      "type": "AdaptiveCard",
      "version": "1.4",
      "msteams": {"width": "Full"},
      "body": [
        {"type": "TextBlock", "size": "Medium", "weight": "Bolder", "wrap": true,
         "color": "{{#err}}Attention{{/err}}{{#warn}}Warning{{/warn}}{{#resolved}}Good{{/resolved}}",
         "text": "{{#firing}}{{#repeat}}Still {{/repeat}}{{status}}{{/firing}}{{#resolved}}Resolved{{/resolved}}: consumer group {{group}} on {{cluster}}"},
        {"type": "FactSet", "facts": [
          {"title": "Cluster", "value": "{{cluster}}"},
          {"title": "Group", "value": "{{group}}"},
          {"title": "Status", "value": "{{previous_status}} → {{status}}"},
          {"title": "Lag", "value": "{{total_lag}} messages, {{max_lag_seconds}} s behind"},
          {"title": "Partitions not OK", "value": "{{not_ok_count}} of {{partition_count}}"}
        ]}{{#firing}},
        {"type": "TextBlock", "wrap": true, "text": "Worst partitions:{{#top_partitions}}\n- {{topic}} [{{partition}}] {{partition_status}}: lag {{lag}}, {{lag_seconds}} s{{/top_partitions}}{{#more_partitions}}\n- … and {{more_partitions}} more{{/more_partitions}}"}{{/firing}},
        {"type": "TextBlock", "isSubtle": true, "size": "Small", "wrap": true, "text": "lagwatch notifier {{notifier}} · {{timestamp}}"}
      ]{{#link}},
      "actions": [{"type": "Action.OpenUrl", "title": "Open", "url": "{{link}}"}]{{/link}}
    }
  }]
}
)";

}  // namespace

extern const KindSpec kTeamsKind = {
    .name = "teams",
    .transport = Transport::http,
    .default_url = "",
    .default_template = kTeamsTemplate,
    .escape = Escape::json,
    .default_subject = "",
    .check = nullptr,
};

}  // namespace lagwatch::notify
