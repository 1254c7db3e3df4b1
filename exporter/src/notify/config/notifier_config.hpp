// The `notifiers:` section of lagwatch's configuration: notify/'s own. config/ reads the YAML
// into this struct (and checks the ranges of config/bounds.hpp, as for every other duration and
// count); what the settings mean, and whether they fit the notifier's kind, is checked here
// (notify/config/notifier_problem.hpp), by the module that uses them.
//
// One notifier hears about consumer-group status changes, Burrow's notifier style
// (docs/notifications.md), and delivers them in the way of its `kind` (notify/config/kind.hpp):
// a webhook, Slack, Microsoft Teams, PagerDuty or email. The YAML keys are the member names,
// except `groups` and `clusters` ({allow, deny}), `backoff` ({initial, max}), `template`
// (template_text) and `smtp` ({host, port, security, username, password}).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lagwatch::notify {

// Where an email notifier hands its mail over.
struct SmtpConfig {
  std::string host;
  int port = 0;                       // 0: the security's usual port (587 starttls, 465 tls, 25 none)
  std::string security = "starttls";  // starttls (required), tls (implicit, port 465) or none
  std::string username;               // AUTH when set
  std::string password;               // secret: from ${env:..}/${file:..}; never printed nor logged

  bool operator==(const SmtpConfig&) const = default;
};

struct NotifierConfig {
  std::string name;              // unique, A-Z a-z 0-9 _ . - ; the `notifier` label of its counters
  std::string kind = "webhook";  // webhook, slack, teams, pagerduty or email (notify/config/kind.hpp)
  // http[s]://host[:port][/path][?query]; the kind's default when empty (PagerDuty's Events API).
  // May contain ${env:NAME}/${file:PATH}, already resolved here; the path and query are treated
  // as secret (webhook tokens live there) and never printed or logged.
  std::string url;
  // TLS (https:// URLs, and SMTP over TLS): PEM CA certificates to verify the receiver with,
  // instead of the system store; and no verification at all (certificate nor host name; for
  // tests only).
  std::string ca_file;
  bool insecure_skip_verify = false;
  std::string method = "POST";  // POST, PUT or PATCH
  // Sent with every request, after the kind's own; values may contain ${env:..}/${file:..}
  // (already resolved) and are never printed (except Content-Type, Accept, User-Agent) nor logged.
  std::map<std::string, std::string> headers;
  // The body template (notification/body_template.hpp); empty = the kind's default body. When
  // template_file is set, template_text holds that file's content, read at load time.
  std::string template_text;
  std::optional<std::string> template_file;
  // A link for the people notified (a Grafana dashboard, lagwatch's status page): a template
  // whose fields are percent-encoded, e.g. "https://grafana/d/lagwatch-group?var-group={{group}}".
  std::string link;
  std::string routing_key;  // pagerduty: the integration's routing key (secret, like url)
  // email: the envelope and headers. `subject` is a template (the kind's default when empty).
  std::string from;
  std::vector<std::string> to;
  std::string subject;
  SmtpConfig smtp;
  std::vector<std::string> group_allow, group_deny;      // regexes on group names, as clusters[].groups
  std::vector<std::string> cluster_allow, cluster_deny;  // regexes on cluster names
  std::string min_severity = "WARN";                     // WARN or ERR: notify when a group's status is at least this
  bool send_resolved = true;                             // one "resolved" when a notified group falls back below it
  std::chrono::milliseconds repeat_interval{0};          // 0: only on change; else re-send while it lasts
  std::chrono::milliseconds timeout{5'000};              // whole delivery: resolve, connect, send, answer
  int max_attempts = 5;                                  // first try included
  std::chrono::milliseconds backoff_initial{1'000};      // wait before the first retry, doubled each time
  std::chrono::milliseconds backoff_max{60'000};         // ... up to this
  int queue_size = 1000;                                 // notifications waiting for delivery; more are dropped

  bool operator==(const NotifierConfig&) const = default;
};

}  // namespace lagwatch::notify
