// The kinds of notifier, chosen by a notifier's `kind` key as Burrow chooses a notifier module
// by its class. A kind is what a notifier's settings default to and require; how it delivers is
// its transport (an HTTP request, or a mail). Adding a kind is one file, kind_<name>.cpp, that
// defines its KindSpec, one line in kind.cpp's table, and its section in docs/notifications.md.
//
//   kind       transport  url default                                 required           body
//   webhook    http       -                                           url                JSON, every field
//   slack      http       -                                           url (the webhook)  Slack blocks
//   teams      http       -                                           url (workflow)     Adaptive Card
//   pagerduty  http       https://events.pagerduty.com/v2/enqueue     routing_key        Events API v2
//   email      smtp       (no url)                                    smtp.host, from, to  plain text
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notification/body_template.hpp"
#include "notify/config/notifier_config.hpp"

namespace lagwatch::notify {

enum class Transport { http, smtp };

// A problem with one setting: its key inside the notifier ("url", "smtp.host") and what is wrong.
struct SettingProblem {
  std::string key;
  std::string what;
};

struct KindSpec {
  std::string_view name;
  Transport transport;
  std::string_view default_url;       // "" : the url is required (http), or not used (smtp)
  std::string_view default_template;  // the body when the notifier gives no template
  Escape escape;                      // how fields are written into the body
  std::string_view default_subject;   // smtp only: the subject template
  // What this kind requires beyond the common settings (a routing key, an SMTP server), or
  // nullopt. Never quotes a secret.
  std::optional<SettingProblem> (*check)(const NotifierConfig&);
};

// The kind called `name`, or nullptr.
const KindSpec* find_kind(std::string_view name);

// Every kind's name, in the table's order, for messages ("webhook, slack, ...").
std::vector<std::string> kind_names();

// The body template a notifier uses: its own, or its kind's.
std::string_view body_template_of(const NotifierConfig& c, const KindSpec& kind);

// The URL a notifier posts to: its own, or its kind's.
std::string_view url_of(const NotifierConfig& c, const KindSpec& kind);

}  // namespace lagwatch::notify
