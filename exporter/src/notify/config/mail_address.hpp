// Mail addresses as an email notifier's from and to take them: "ops@example.com", or with a
// display name, "Kafka lag <lagwatch@example.com>". Deliberately narrower than RFC 5322 (no
// comments, quoted local parts or groups): the address part is what smtp::address_problem
// accepts, so it goes into the SMTP envelope and a header as it is, and nothing in it can
// inject a header or an SMTP command.
#pragma once

#include <optional>
#include <string>

namespace lagwatch::notify {

struct MailAddress {
  std::string display_name;  // "" when none
  std::string address;       // local@domain, for the envelope (MAIL FROM, RCPT TO)
};

// The parsed address, or nullopt with `problem` saying what is wrong.
std::optional<MailAddress> parse_mail_address(const std::string& text, std::string& problem);

}  // namespace lagwatch::notify
