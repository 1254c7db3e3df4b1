#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lagwatch::util {

// A listen address split into its parts, before any resolving or binding.
struct ListenSpec {
  std::string host;        // "" = every address; without the brackets when bracketed
  bool bracketed = false;  // "[v6addr]:port": host is a valid IPv6 literal
  uint16_t port = 0;       // 0 = a free port picked at bind time
};

// Parses the forms the HTTP server listens on:
//   ":port"          every IPv4 and IPv6 address;
//   "host:port"      an IPv4 literal or a host name (not checked here: that needs a resolver);
//   "[v6addr]:port"  an IPv6 literal, e.g. "[::1]:9721".
// It is the one definition of a valid listen address: the server and the config validator both
// call it, so `check-config` accepts exactly what `serve` accepts.
// Throws std::invalid_argument carrying the reason only (e.g. "empty IPv6 address in brackets"),
// so each caller can say which setting it was.
ListenSpec parse_listen_address(std::string_view address);

}  // namespace lagwatch::util
