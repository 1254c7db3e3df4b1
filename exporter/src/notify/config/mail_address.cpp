#include "notify/config/mail_address.hpp"

#include "smtp/smtp_client.hpp"

namespace lagwatch::notify {

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
  if (auto p = smtp::address_problem(spec)) {
    problem = "\"" + spec + "\": " + *p;
    return std::nullopt;
  }
  out.address = spec;
  return out;
}

}  // namespace lagwatch::notify
