#include "http_client/proxy.hpp"

#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace lagwatch::http_client {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::string env(const char* lower_name, const char* upper_name) {
  if (const char* v = std::getenv(lower_name); v != nullptr && *v != '\0') return v;
  if (const char* v = std::getenv(upper_name); v != nullptr && *v != '\0') return v;
  return "";
}

std::optional<boost::asio::ip::address> address_of(const std::string& text) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(text, ec);
  if (ec) return std::nullopt;
  return a;
}

// Whether `host` lies in `network`/`bits`, both of the same family.
bool in_range(const boost::asio::ip::address& host, const boost::asio::ip::address& network, int bits) {
  if (host.is_v4() != network.is_v4()) return false;
  std::vector<unsigned char> h, n;
  if (host.is_v4()) {
    auto a = host.to_v4().to_bytes(), b = network.to_v4().to_bytes();
    h.assign(a.begin(), a.end());
    n.assign(b.begin(), b.end());
  } else {
    auto a = host.to_v6().to_bytes(), b = network.to_v6().to_bytes();
    h.assign(a.begin(), a.end());
    n.assign(b.begin(), b.end());
  }
  if (bits < 0 || bits > static_cast<int>(h.size() * 8)) return false;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((h[i] & mask) != (n[i] & mask)) return false;
  }
  return true;
}

bool entry_matches(const std::string& host, const std::optional<boost::asio::ip::address>& host_ip, std::string entry) {
  if (!entry.empty() && entry.front() == '[') {  // [::1] or [::1]:443
    const size_t close = entry.find(']');
    if (close == std::string::npos) return false;
    entry = entry.substr(1, close - 1) + entry.substr(close + 1);
  }
  const size_t slash = entry.find('/');
  if (slash != std::string::npos) {  // a CIDR range
    if (!host_ip) return false;
    const auto network = address_of(entry.substr(0, slash));
    const std::string bits = entry.substr(slash + 1);
    if (!network || bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    return in_range(*host_ip, *network, std::stoi(bits));
  }
  if (auto ip = address_of(entry)) return host_ip && *host_ip == *ip;
  // A host name, possibly with a port (ignored): "example.com:443".
  const size_t colon = entry.find(':');
  if (colon != std::string::npos && entry.find(':', colon + 1) == std::string::npos) entry.resize(colon);
  if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
  if (!entry.empty() && entry.back() == '.') entry.pop_back();
  if (entry.empty() || host_ip) return false;
  if (host == entry) return true;
  return host.size() > entry.size() && host.compare(host.size() - entry.size(), entry.size(), entry) == 0 &&
         host[host.size() - entry.size() - 1] == '.';
}

}  // namespace

ProxySettings proxy_settings_from_environment() {
  return {env("http_proxy", "HTTP_PROXY"), env("https_proxy", "HTTPS_PROXY"), env("no_proxy", "NO_PROXY")};
}

bool no_proxy_matches(const std::string& raw_host, const std::string& list) {
  std::string host = lower(raw_host);
  if (!host.empty() && host.back() == '.') host.pop_back();
  const auto host_ip = address_of(host);
  const std::string entries = lower(list);
  if (trim(entries) == "*") return true;
  size_t start = 0;
  while (start <= entries.size()) {
    size_t comma = entries.find(',', start);
    if (comma == std::string::npos) comma = entries.size();
    const std::string entry = trim(entries.substr(start, comma - start));
    if (entry == "*" || (!entry.empty() && entry_matches(host, host_ip, entry))) return true;
    start = comma + 1;
  }
  return false;
}

std::optional<util::HttpUrl> proxy_for(const util::HttpUrl& url, const ProxySettings& settings, std::string& problem) {
  const std::string& value = url.tls ? settings.https_proxy : settings.http_proxy;
  const char* variable = url.tls ? "HTTPS_PROXY" : "HTTP_PROXY";
  if (value.empty() || no_proxy_matches(url.host, settings.no_proxy)) return std::nullopt;
  std::string text = trim(value);
  const std::string l = lower(text);
  if (l.rfind("https://", 0) == 0) {
    problem = std::string(variable) + " is an https:// proxy, which lagwatch does not support; use http://";
    return std::nullopt;
  }
  const bool has_scheme = l.rfind("http://", 0) == 0;
  if (!has_scheme) {
    if (l.find("://") != std::string::npos) {
      problem = std::string(variable) + " has a scheme other than http://, which lagwatch does not support";
      return std::nullopt;
    }
    text = "http://" + text;
  }
  // curl's default proxy port, when the setting has none.
  const size_t authority_end = text.find_first_of("/?#", 7);
  const std::string authority =
      text.substr(7, authority_end == std::string::npos ? std::string::npos : authority_end - 7);
  const bool has_port =
      authority.find(':', authority.rfind(']') == std::string::npos ? 0 : authority.rfind(']')) != std::string::npos;
  std::string why;
  auto proxy = util::parse_http_url(text, why);
  if (!proxy) {
    problem = std::string(variable) + " is not a usable proxy URL: it " + why;
    return std::nullopt;
  }
  if (!has_port) proxy->port = 1080;
  return proxy;
}

}  // namespace lagwatch::http_client
