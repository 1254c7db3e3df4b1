// Which proxy, if any, a request goes through: HTTPS_PROXY for https:// URLs (a CONNECT tunnel,
// then TLS end to end), HTTP_PROXY for http:// URLs (the request in absolute form), unless
// NO_PROXY names the host. As curl reads them:
//
//   - the lower-case variable wins over the upper-case one (https_proxy over HTTPS_PROXY);
//   - a proxy is http://HOST[:PORT] (port 1080 when left out, as curl's default) or just
//     HOST[:PORT]; an https:// proxy and proxy credentials are not supported;
//   - NO_PROXY is a comma-separated list: "*" alone matches every host; otherwise each entry
//     matches that host and its subdomains ("example.com" and ".example.com" both match
//     example.com and a.example.com, never badexample.com), case-insensitively; an IP address
//     matches that address, and ADDRESS/BITS a CIDR range (IPv4 or IPv6, with or without
//     brackets), when the URL's host is an IP literal. Ports in entries are ignored.
//
// Nothing is special about localhost: as with curl, put "localhost,127.0.0.1" in NO_PROXY.
#pragma once

#include <optional>
#include <string>

#include "util/http_url.hpp"

namespace lagwatch::http_client {

struct ProxySettings {
  std::string http_proxy;   // for http:// URLs; empty: none
  std::string https_proxy;  // for https:// URLs; empty: none
  std::string no_proxy;

  bool operator==(const ProxySettings&) const = default;
};

// From the environment (http_proxy, HTTP_PROXY, https_proxy, HTTPS_PROXY, no_proxy, NO_PROXY).
ProxySettings proxy_settings_from_environment();

// Whether NO_PROXY's `list` exempts `host` (a name, or an IP literal without brackets).
bool no_proxy_matches(const std::string& host, const std::string& list);

// The proxy `url` goes through, or nullopt for a direct connection. A proxy setting that does
// not parse sets `problem` (naming the variable, never its value: it may hold a password) and
// returns nullopt.
std::optional<util::HttpUrl> proxy_for(const util::HttpUrl& url, const ProxySettings& settings, std::string& problem);

}  // namespace lagwatch::http_client
