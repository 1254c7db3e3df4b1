#include "util/http_url.hpp"

#include <algorithm>
#include <cctype>

namespace lagwatch::util {
namespace {

bool starts_with_ci(const std::string& s, const std::string& prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

bool host_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'; }

}  // namespace

std::string HttpUrl::where() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string HttpUrl::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  const std::string h = v6 ? "[" + host + "]" : host;
  return port == (tls ? 443 : 80) ? h : h + ":" + std::to_string(port);
}

std::optional<HttpUrl> parse_http_url(const std::string& text, std::string& problem) {
  constexpr const char* kExample =
      "expected http[s]://host[:port]/path, e.g. \"https://hooks.example.com/hook\" or \"http://127.0.0.1:9000/hook\"";
  if (text.empty()) {
    problem = std::string("is empty; ") + kExample;
    return std::nullopt;
  }
  const bool tls = starts_with_ci(text, "https://");
  if (!tls && !starts_with_ci(text, "http://")) {
    problem = std::string("must start with http:// or https://; ") + kExample;
    return std::nullopt;
  }
  const std::string rest = text.substr(tls ? 8 : 7);
  const size_t end = rest.find_first_of("/?#");
  const std::string authority = rest.substr(0, end);
  std::string target = end == std::string::npos ? "/" : rest.substr(end);
  if (target.find('#') != std::string::npos) {
    problem = "has a fragment (#...), which is never sent to a server; remove it";
    return std::nullopt;
  }
  if (target.front() == '?') target.insert(0, "/");
  for (unsigned char c : target) {
    if (c <= 0x20 || c == 0x7f) {
      problem = "contains a space or a control character in its path or query; percent-encode it (%20)";
      return std::nullopt;
    }
  }
  if (authority.find('@') != std::string::npos) {
    problem = "has user information (user:password@); send credentials in a header, e.g. Authorization";
    return std::nullopt;
  }
  HttpUrl url;
  url.tls = tls;
  url.port = tls ? 443 : 80;
  url.target = target;
  std::string port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) {
      problem = "has an unterminated IPv6 address (missing \"]\")";
      return std::nullopt;
    }
    url.host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        problem = "has something other than :port after the IPv6 address";
        return std::nullopt;
      }
      port = after.substr(1);
      if (port.empty()) port = "-";
    }
    if (url.host.empty() || !std::all_of(url.host.begin(), url.host.end(),
                                         [](unsigned char c) { return std::isxdigit(c) || c == ':' || c == '.'; })) {
      problem = "has an invalid IPv6 address";
      return std::nullopt;
    }
  } else {
    const size_t colon = authority.find(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) port = "-";
    }
    if (url.host.empty()) {
      problem = std::string("has no host; ") + kExample;
      return std::nullopt;
    }
    if (!std::all_of(url.host.begin(), url.host.end(), host_char)) {
      problem = "has an invalid host name (letters, digits, \"-\", \".\" and \"_\" only; IPv6 in brackets)";
      return std::nullopt;
    }
  }
  if (!port.empty()) {
    const bool digits =
        port.size() <= 5 && std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); });
    const int value = digits ? std::stoi(port) : 0;
    if (!digits || value < 1 || value > 65535) {
      problem = "has an invalid port; expected a number from 1 to 65535";
      return std::nullopt;
    }
    url.port = static_cast<uint16_t>(value);
  }
  return url;
}

std::string mask_url(const std::string& text) {
  std::string problem;
  // A URL that does not parse is printed masked whole: its text may be anything, even a token.
  auto url = parse_http_url(text, problem);
  if (!url) {
    return starts_with_ci(text, "https://") ? "https://***" : "***";
  }
  const std::string base = url->scheme() + url->host_header();
  return url->target == "/" ? base + "/" : base + "/***";
}

}  // namespace lagwatch::util
