// Base64 (RFC 4648 4, the standard alphabet), for the protocols that carry it: SMTP AUTH and
// encoded words (smtp/), HTTP basic auth (http/).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lagwatch::util {

// With "=" padding.
std::string base64_encode(std::string_view bytes);

// The bytes, or nullopt for a character outside the alphabet, misplaced or excess "=", or a
// length no encoding has. Padding may be left out (some clients do).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace lagwatch::util
