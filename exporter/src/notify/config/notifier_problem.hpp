// What is wrong with one notifier's settings, as notify/ understands them: a known kind, a URL
// it can post to (or, for email, an SMTP server and addresses), TLS settings that apply, a
// method and headers it can send, templates that compile with the kind's escaping, a severity,
// and what the kind itself requires (notify/config/kind.hpp). config/validate.cpp calls it for
// every notifiers[i] and adds the prefix; the YAML parser points the message at the key's line.
//
// What it leaves to config/: the name (unique across notifiers), the group and cluster filters
// (regexes, checked like every other filter) and the ranges of durations and counts
// (config/bounds.hpp, the one table the docs list).
//
// Messages never quote a URL, a header value, a routing key or a password: each may be a secret.
#pragma once

#include <optional>

#include "notify/config/kind.hpp"
#include "notify/config/notifier_config.hpp"

namespace lagwatch::notify {

std::optional<SettingProblem> notifier_problem(const NotifierConfig& c);

}  // namespace lagwatch::notify
