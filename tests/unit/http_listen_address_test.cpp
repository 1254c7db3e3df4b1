#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "util/listen_address.hpp"

namespace {

using lagwatch::util::ListenSpec;
using lagwatch::util::parse_listen_address;

std::string reason(const std::string& address) {
  try {
    parse_listen_address(address);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(HttpListenAddress, EveryAddress) {
  const ListenSpec s = parse_listen_address(":9721");
  EXPECT_EQ(s.host, "");
  EXPECT_FALSE(s.bracketed);
  EXPECT_EQ(s.port, 9721);
}

TEST(HttpListenAddress, HostAndPort) {
  ListenSpec s = parse_listen_address("localhost:80");
  EXPECT_EQ(s.host, "localhost");
  EXPECT_FALSE(s.bracketed);
  EXPECT_EQ(s.port, 80);
  s = parse_listen_address("127.0.0.1:0");
  EXPECT_EQ(s.host, "127.0.0.1");
  EXPECT_EQ(s.port, 0);
}

TEST(HttpListenAddress, BracketedIpv6) {
  ListenSpec s = parse_listen_address("[::1]:9721");
  EXPECT_EQ(s.host, "::1");
  EXPECT_TRUE(s.bracketed);
  EXPECT_EQ(s.port, 9721);
  s = parse_listen_address("[::]:65535");
  EXPECT_EQ(s.host, "::");
  EXPECT_EQ(s.port, 65535);
}

TEST(HttpListenAddress, RejectsEmptyBrackets) { EXPECT_NE(reason("[]:1"), ""); }

TEST(HttpListenAddress, RejectsBracketsThatAreNotIpv6) {
  EXPECT_NE(reason("[zz]:1"), "");
  EXPECT_NE(reason("[127.0.0.1]:1"), "");
  EXPECT_NE(reason("[localhost]:1"), "");
}

TEST(HttpListenAddress, RejectsMalformed) {
  for (const char* bad : {"", "9721", "host", ":", "host:", ":65536", ":-1", ":12a", ":000001", "::1:9721", "[::1]",
                          "[::1]9721", "[::1", "a]:1", "a[b:1"}) {
    EXPECT_NE(reason(bad), "") << bad;
  }
}

TEST(HttpListenAddress, ReasonOnly) {
  // The caller prefixes the setting's name; the message must not repeat the address itself.
  EXPECT_EQ(reason(":65536"), "invalid port '65536' (expected 0-65535)");
  EXPECT_EQ(reason("[]:1"), "empty IPv6 address in brackets");
}

}  // namespace
