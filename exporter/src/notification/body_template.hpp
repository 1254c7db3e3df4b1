// The body of a notification, rendered from a template: a deliberately small language, so a
// body can be JSON for any webhook (Slack, Teams, PagerDuty, a relay) or the text of a mail, and
// nothing in it can run code or read files.
//
//   {{field}}                     the field's value, escaped for the template's Escape (below):
//                                 in JSON, strings are JSON-escaped (" \ and control characters),
//                                 since a group or topic name may contain any of them; write the
//                                 quotes yourself: "group": "{{group}}". Numbers and true/false
//                                 are written bare: "lag": {{total_lag}}. Blanks inside the braces
//                                 are ignored: {{ group }}.
//   {{#partitions}}...{{/partitions}}
//                                 repeated once per partition that is not OK (sorted by topic,
//                                 then partition); empty for none.
//   {{#top_partitions}}...{{/top_partitions}}
//                                 the same for at most 5 of them, the worst first (errors, then
//                                 WARN; by lag within each): what a chat message has room for.
//                                 {{more_partitions}} counts the ones left out.
//   {{comma}}                     inside a partition section: "," after every item but the last,
//                                 for JSON lists. Partition sections do not nest in each other.
//   {{#cond}}...{{/cond}}         kept only when the condition holds, {{^cond}}...{{/cond}} only
//                                 when it does not. Conditions: firing, resolved, repeat, warn
//                                 (status WARN), err (status ERR), link (a link is configured),
//                                 more_partitions (some were left out of top_partitions). They
//                                 nest, in each other and around partition sections.
//   anything else                 copied as it is.
//
// Group fields (anywhere): notifier, event ("firing"/"resolved"), repeat (true/false), cluster,
// group, status, previous_status, total_lag, max_lag_seconds, partition_count, not_ok_count,
// more_partitions, worst_topic, worst_partition, worst_status, worst_lag, worst_lag_seconds,
// timestamp (RFC 3339, UTC, e.g. "2026-11-01T21:22:52.123Z"), timestamp_ms (Unix milliseconds),
// link (the notifier's link for this group, "" without one), dedup_key ("lagwatch/<cluster>/
// <group>": one incident per group, the same in a trigger and its resolution), routing_key (the
// notifier's PagerDuty routing key, a secret: only ever rendered into the body).
// Partition fields (inside a partition section only): topic, partition, partition_status, lag,
// lag_seconds.
// Seconds are written with up to 3 decimals ("12.5"). A group without partitions (a vanished
// group's "resolved") has worst_topic "", worst_partition -1, worst_status "" and 0 lags.
//
// An unknown field or section, an unclosed "{{" or section, a section closed by the wrong name,
// or a partition field outside a partition section is an error at load time, with the line and
// column in the template.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "notification/notification.hpp"

namespace lagwatch::notify {

class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The body sent when a webhook notifier has no template: one JSON object with every field
// (docs/notifications.md shows it rendered).
extern const char* const kDefaultTemplate;

// How field values are written into the rendered text.
enum class Escape {
  json,   // inside a JSON string: " \ and control characters escaped
  slack,  // json, and & < > as &amp; &lt; &gt;, which Slack's mrkdwn text requires
  text,   // as they are (a mail body)
  url,    // percent-encoded, every byte but A-Z a-z 0-9 - . _ ~ (a link's query or path)
};

// What a render needs besides the notification: per notifier, not per group.
struct RenderContext {
  std::string notifier;
  std::string link;         // already rendered for the group; "" without one
  std::string routing_key;  // PagerDuty's; "" for other kinds
};

class BodyTemplate {
 public:
  // Compiles `text` ("" means kDefaultTemplate). Throws TemplateError naming the line and column.
  explicit BodyTemplate(std::string_view text, Escape escape = Escape::json);
  ~BodyTemplate();
  BodyTemplate(BodyTemplate&&) noexcept;
  BodyTemplate& operator=(BodyTemplate&&) noexcept;

  std::string render(const Notification& n, const RenderContext& context) const;
  std::string render(const Notification& n, const std::string& notifier) const {
    return render(n, RenderContext{notifier, "", ""});
  }

 private:
  struct Piece;
  std::vector<Piece> pieces_;
  Escape escape_ = Escape::json;
};

// What is wrong with `text` as a template (the TemplateError's message), or nullopt.
std::optional<std::string> template_problem(std::string_view text);

// The partitions {{#top_partitions}} lists: at most `limit` of n.partitions_not_ok, the worst
// first (errors, then WARN; the highest lag first within each; ties in topic/partition order).
std::vector<const PartitionFacts*> top_partitions(const Notification& n, size_t limit = 5);  // into n

// "lagwatch/<cluster>/<group>", at most 255 bytes (PagerDuty's limit for a dedup_key): a longer
// one keeps its first 238 bytes and ends with "#" and 16 hex digits of a hash of the whole.
std::string dedup_key(const std::string& cluster, const std::string& group);

// `s` escaped for the inside of a JSON string (without the quotes).
std::string json_escape(std::string_view s);

// Seconds with at most 3 decimals and no trailing zeros: 12.5, 3, 0.125.
std::string format_seconds(double seconds);

// Unix milliseconds as RFC 3339 UTC with milliseconds: "2026-11-01T21:22:52.123Z".
std::string format_timestamp(int64_t unix_ms);

}  // namespace lagwatch::notify
