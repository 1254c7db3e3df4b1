// An http:// or https:// URL, as a notifier's webhook is: only what lagwatch's HTTP client
// (http_client/) needs from it. In util/ because config/ validates and masks URLs and the
// client sends to them.
//
//   http[s]://HOST[:PORT][/PATH][?QUERY]
//
// HOST is a name, an IPv4 literal or a bracketed IPv6 literal ("[::1]"); PORT defaults to 80
// for http:// and 443 for https://. User information ("user:pw@host") and fragments are
// refused: credentials go in a header.
//
// The path and query often hold the webhook's secret token (Slack, Teams, Discord), so
// messages about a URL never quote it, and logs name only where() ("host:port").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lagwatch::util {

struct HttpUrl {
  bool tls = false;  // https://
  std::string host;  // without brackets, e.g. "::1" or "relay.internal"
  uint16_t port = 80;
  std::string target;  // path and query as sent in the request line, "/" at least

  // "host:port" ("[::1]:8080" for IPv6): how logs and messages name the receiver.
  std::string where() const;
  // The Host header's value: "host" with the scheme's default port, else "host:port".
  std::string host_header() const;
  // "http://" or "https://".
  const char* scheme() const { return tls ? "https://" : "http://"; }
};

// The URL, or nullopt with `problem` set to what is wrong, in words that never repeat the
// path or query.
std::optional<HttpUrl> parse_http_url(const std::string& text, std::string& problem);

// `text` with the path and query replaced by "/***" when there is any ("http://relay:8080/***",
// "https://hooks.slack.com/***"),
// for printing the configuration. Text that is not a URL at all becomes "***".
std::string mask_url(const std::string& text);

}  // namespace lagwatch::util
