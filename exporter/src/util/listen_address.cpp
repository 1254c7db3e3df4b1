#include "util/listen_address.hpp"

#include <boost/asio/ip/address_v6.hpp>
#include <boost/system/error_code.hpp>
#include <stdexcept>

namespace lagwatch::util {

ListenSpec parse_listen_address(std::string_view a) {
  const std::string forms = "expected host:port, :port or [ipv6]:port";
  if (a.empty()) throw std::invalid_argument("empty address; " + forms);
  ListenSpec spec;
  std::string_view port;
  if (a.front() == '[') {
    const size_t close = a.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("missing ']' after the IPv6 address");
    spec.host = std::string(a.substr(1, close - 1));
    spec.bracketed = true;
    if (spec.host.empty()) throw std::invalid_argument("empty IPv6 address in brackets");
    // Checked here rather than at bind time so that the config validator, which never binds,
    // rejects "[zz]:1" too.
    boost::system::error_code ec;
    (void)boost::asio::ip::make_address_v6(spec.host, ec);
    if (ec) throw std::invalid_argument("'" + spec.host + "' in brackets is not an IPv6 address");
    const std::string_view rest = a.substr(close + 1);
    if (rest.empty() || rest.front() != ':') throw std::invalid_argument("missing port; " + forms);
    port = rest.substr(1);
  } else {
    const size_t colon = a.rfind(':');
    if (colon == std::string_view::npos) throw std::invalid_argument("missing port; " + forms);
    spec.host = std::string(a.substr(0, colon));
    if (spec.host.find(':') != std::string::npos) {
      throw std::invalid_argument("an IPv6 address needs brackets, e.g. [::1]:9721");
    }
    if (spec.host.find_first_of("[]") != std::string::npos) {
      throw std::invalid_argument("misplaced bracket; " + forms);
    }
    port = a.substr(colon + 1);
  }
  unsigned value = 0;
  bool ok = !port.empty() && port.size() <= 5;
  for (char c : port) {
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (!ok || value > 65535) throw std::invalid_argument("invalid port '" + std::string(port) + "' (expected 0-65535)");
  spec.port = static_cast<uint16_t>(value);
  return spec;
}

}  // namespace lagwatch::util
