// An email notifier's SMTP settings as the SMTP client takes them (defined in kind_email.cpp,
// whose check runs smtp::options_problem on them, so a setting the client would refuse is a
// configuration error with its key, not a failure at the first mail).
#pragma once

#include "notify/config/notifier_config.hpp"
#include "smtp/smtp_client.hpp"

namespace lagwatch::notify {

// smtp.port 0 means the security's usual port: 587 (starttls), 465 (tls), 25 (none).
smtp::ClientOptions smtp_options_of(const NotifierConfig& c);

}  // namespace lagwatch::notify
