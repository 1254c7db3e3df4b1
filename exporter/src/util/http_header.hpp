// What an HTTP header may hold, for every module that writes one (the server's responses, the
// notifiers' configured headers): a name is an RFC 9110 token, and a value has no CR, LF or
// NUL, which would end the header or the head early (header injection).
#pragma once

#include <string_view>

namespace lagwatch::util {

inline bool is_header_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

inline bool is_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

}  // namespace lagwatch::util
