#include "notify/config/mail_address.hpp"

#include <algorithm>

namespace lagwatch::notify {
namespace {

// Printable ASCII that may appear in an addr-spec here: no blank, no specials that would need
// quoting (RFC 5322 3.2.3) other than "." and "@" where they belong.
bool address_char(unsigned char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  return std::string_view("()<>[]:;@\\,\"").find(static_cast<char>(c)) == std::string_view::npos;
}

}  // namespace

std::optional<MailAddress> parse_mail_address(const std::string& text, std::string& problem) {
  if (text.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
    problem = "contains a line break or NUL character";
    return std::nullopt;
  }
  MailAddress out;
  std::string spec = text;
  if (const size_t lt = text.find('<'); lt != std::string::npos) {
    if (text.back() != '>' || text.find('<', lt + 1) != std::string::npos) {
      problem = "expected \"Name <user@example.com>\" or user@example.com";
      return std::nullopt;
    }
    out.display_name = text.substr(0, lt);
    while (!out.display_name.empty() && out.display_name.back() == ' ') out.display_name.pop_back();
    for (unsigned char c : out.display_name) {
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        problem = "the name before <...> may not contain quotes, backslashes or control characters";
        return std::nullopt;
      }
    }
    spec = text.substr(lt + 1, text.size() - lt - 2);
  }
  const size_t at = spec.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == spec.size() || spec.find('@', at + 1) != std::string::npos) {
    problem = "\"" + spec + "\" is not an address of the form user@example.com";
    return std::nullopt;
  }
  const auto ok = [](std::string_view part) {
    return !part.empty() && part.front() != '.' && part.back() != '.' &&
           std::all_of(part.begin(), part.end(), [](char c) { return address_char(static_cast<unsigned char>(c)); });
  };
  if (!ok(std::string_view(spec).substr(0, at)) || !ok(std::string_view(spec).substr(at + 1))) {
    problem = "\"" + spec + "\" is not an address of the form user@example.com (no blanks, quotes or brackets)";
    return std::nullopt;
  }
  if (spec.size() > 254) {
    problem = "is longer than 254 characters, the most an SMTP path holds";
    return std::nullopt;
  }
  out.address = spec;
  return out;
}

}  // namespace lagwatch::notify
