// How a notifier delivers one notification: one Sender per transport (an HTTP request, a mail),
// chosen by the notifier's kind (notify/config/kind.hpp). The Notifier around it owns the queue,
// the retries and the counters; a Sender only renders and makes one attempt.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "notification/body_template.hpp"
#include "notification/notification.hpp"
#include "notify/config/notifier_config.hpp"

namespace lagwatch::notify {

struct Attempt {
  bool delivered = false;
  bool retryable = false;  // worth another attempt after a backoff (no answer, 408, 429, 5xx, SMTP 4xx)
  bool cancelled = false;  // cancel() cut it short
  // What happened, for logs: "HTTP 202", "SMTP 250", "connect: Connection refused",
  // "HTTP 301 (redirects are not followed)". Never a secret.
  std::string outcome;
};

class Sender {
 public:
  virtual ~Sender() = default;
  // One attempt, blocking the notifier's thread until done, timed out or cancelled.
  virtual Attempt send(const Notification& n) = 0;
  // From any thread: the attempt in progress returns at once, and later ones without trying.
  virtual void cancel() = 0;
  // The receiver for logs, without secrets: "hooks.slack.com:443", "smtp.example.com:587".
  virtual std::string where() const = 0;
};

// The sender for a config that passed notify/config/notifier_problem (the Notifier checks it
// first), so its templates compile and its URL parses. Throws config::ConfigError naming the
// notifier when what validation read is gone since (a ca_file).
std::unique_ptr<Sender> make_sender(const NotifierConfig& config);

// The notifier's link template (values percent-encoded), or nullopt without one; and the link
// it gives for one notification ("" without one). Both senders put it in their messages.
std::optional<BodyTemplate> link_template(const NotifierConfig& config);
std::string render_link(const std::optional<BodyTemplate>& link, const Notification& n, const std::string& notifier);

}  // namespace lagwatch::notify
