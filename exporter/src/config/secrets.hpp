// Secret references in librdkafka property values.
//
// A value may contain, anywhere inside it and any number of times:
//   ${env:NAME}    the value of environment variable NAME (set but empty is allowed)
//   ${file:PATH}   the content of file PATH with trailing newlines removed
//                  (Kubernetes secret volumes and `echo pw > file` both end with one)
//   $${            a literal "${"
// so that passwords live in the environment or a mounted file and never in the YAML file.
// Substitution happens once: a secret that itself contains "${" is used as is.
#pragma once

#include <string>
#include <string_view>

namespace lagwatch::config {

// Returns `value` with every reference replaced. Throws ConfigError naming the variable or
// file (the caller prefixes where the property is); the message never quotes the value,
// which may be a literal password.
std::string resolve_references(std::string_view value);

}  // namespace lagwatch::config
