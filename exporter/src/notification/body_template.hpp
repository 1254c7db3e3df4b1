// The body of a notification, rendered from a template: a deliberately small language, so a
// body can be JSON for any webhook (Slack, Teams, an incident tool, a relay) and nothing in it
// can run code or read files.
//
//   {{field}}                     the field's value. Strings are JSON-escaped (" \ and control
//                                 characters), since a group or topic name may contain any of
//                                 them; write the quotes yourself: "group": "{{group}}".
//                                 Numbers and true/false are written bare: "lag": {{total_lag}}.
//                                 Blanks inside the braces are ignored: {{ group }}.
//   {{#partitions}}...{{/partitions}}
//                                 repeated once per partition that is not OK (sorted by topic,
//                                 then partition); empty for none. Sections do not nest.
//   {{comma}}                     inside the section: "," after every item but the last, for
//                                 JSON lists.
//   anything else                 copied as it is.
//
// Group fields (anywhere): notifier, event ("firing"/"resolved"), repeat (true/false), cluster,
// group, status, previous_status, total_lag, max_lag_seconds, partition_count, not_ok_count,
// worst_topic, worst_partition, worst_status, worst_lag, worst_lag_seconds, timestamp (RFC 3339,
// UTC, e.g. "2026-11-01T21:22:52.123Z"), timestamp_ms (Unix milliseconds).
// Partition fields (inside the section only): topic, partition, partition_status, lag,
// lag_seconds.
// Seconds are written with up to 3 decimals ("12.5"). A group without partitions (a vanished
// group's "resolved") has worst_topic "", worst_partition -1, worst_status "" and 0 lags.
//
// An unknown field, an unclosed "{{" or section, or a partition field outside the section is
// an error at load time, with the line and column in the template.
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

// The body sent when a notifier has no template: one JSON object with every field
// (docs/notifications.md shows it rendered).
extern const char* const kDefaultTemplate;

class BodyTemplate {
 public:
  // Compiles `text` ("" means kDefaultTemplate). Throws TemplateError naming the line and column.
  explicit BodyTemplate(std::string_view text);
  ~BodyTemplate();
  BodyTemplate(BodyTemplate&&) noexcept;
  BodyTemplate& operator=(BodyTemplate&&) noexcept;

  std::string render(const Notification& n, const std::string& notifier) const;

 private:
  struct Piece;
  std::vector<Piece> pieces_;
};

// What is wrong with `text` as a template (the TemplateError's message), or nullopt.
std::optional<std::string> template_problem(std::string_view text);

// `s` escaped for the inside of a JSON string (without the quotes).
std::string json_escape(std::string_view s);

// Seconds with at most 3 decimals and no trailing zeros: 12.5, 3, 0.125.
std::string format_seconds(double seconds);

// Unix milliseconds as RFC 3339 UTC with milliseconds: "2026-11-01T21:22:52.123Z".
std::string format_timestamp(int64_t unix_ms);

}  // namespace lagwatch::notify
