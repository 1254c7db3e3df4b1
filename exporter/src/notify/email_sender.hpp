// Sender for kind email: renders the subject and the plain-text body with the kind's templates
// and hands one mail per notification to the SMTP server (smtp/: STARTTLS by default, AUTH when
// a username is set). What is retried: network failures and SMTP 4xx answers; 5xx (a refused
// recipient, failed authentication) and certificate failures fail at once.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "notification/body_template.hpp"
#include "notify/config/kind.hpp"
#include "notify/sender.hpp"
#include "smtp/smtp_client.hpp"

namespace lagwatch::notify {

class EmailSender : public Sender {
 public:
  EmailSender(const NotifierConfig& config, const KindSpec& kind);

  Attempt send(const Notification& n) override;
  void cancel() override { client_.cancel(); }
  std::string where() const override { return where_; }

 private:
  const std::string name_;
  const std::string where_;
  smtp::Message envelope_;  // from and to; subject and body are rendered per notification
  const BodyTemplate subject_;
  const BodyTemplate body_;
  const std::optional<BodyTemplate> link_;
  const std::chrono::milliseconds timeout_;
  smtp::Client client_;
};

// A rendered subject as a header can carry it: line breaks and other control characters
// (a group name may hold any) become spaces.
std::string one_line(std::string text);

}  // namespace lagwatch::notify
