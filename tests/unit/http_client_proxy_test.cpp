// Proxy selection (http_client/proxy.hpp): NO_PROXY matching as curl does it, and which proxy
// a URL goes through.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http_client/proxy.hpp"

namespace lagwatch::http_client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

util::HttpUrl url(const std::string& text) {
  std::string problem;
  auto u = util::parse_http_url(text, problem);
  EXPECT_TRUE(u.has_value()) << problem;
  return u.value_or(util::HttpUrl{});
}

TEST(NoProxy, HostAndDomainSuffix) {
  EXPECT_TRUE(no_proxy_matches("example.com", "example.com"));
  EXPECT_TRUE(no_proxy_matches("a.example.com", "example.com"));
  EXPECT_TRUE(no_proxy_matches("a.b.example.com", ".example.com"));
  EXPECT_TRUE(no_proxy_matches("example.com", ".example.com"));  // curl: the leading dot is optional
  EXPECT_FALSE(no_proxy_matches("badexample.com", "example.com"));
  EXPECT_FALSE(no_proxy_matches("badexample.com", ".example.com"));
  EXPECT_FALSE(no_proxy_matches("example.com.evil", "example.com"));
  EXPECT_TRUE(no_proxy_matches("Hooks.Example.COM", "EXAMPLE.com"));
  EXPECT_TRUE(no_proxy_matches("example.com.", "example.com"));     // a trailing dot on the host
  EXPECT_TRUE(no_proxy_matches("example.com", "example.com:443"));  // the port is ignored
}

TEST(NoProxy, ListsAndWildcard) {
  EXPECT_TRUE(no_proxy_matches("relay", "localhost, relay ,.internal"));
  EXPECT_TRUE(no_proxy_matches("x.internal", "localhost,relay,.internal"));
  EXPECT_FALSE(no_proxy_matches("hooks.slack.com", "localhost,relay,.internal"));
  EXPECT_TRUE(no_proxy_matches("anything.at.all", "*"));
  EXPECT_TRUE(no_proxy_matches("10.0.0.1", " * "));
  EXPECT_TRUE(no_proxy_matches("h", "a,*"));
  EXPECT_FALSE(no_proxy_matches("h", "*.example.com"));  // "*" only as the whole entry
  EXPECT_FALSE(no_proxy_matches("h", ""));
  EXPECT_FALSE(no_proxy_matches("h", ",,"));
}

TEST(NoProxy, IpAddressesAndRanges) {
  EXPECT_TRUE(no_proxy_matches("127.0.0.1", "localhost,127.0.0.1"));
  EXPECT_FALSE(no_proxy_matches("127.0.0.2", "127.0.0.1"));
  EXPECT_TRUE(no_proxy_matches("10.1.2.3", "10.0.0.0/8"));
  EXPECT_FALSE(no_proxy_matches("11.1.2.3", "10.0.0.0/8"));
  EXPECT_TRUE(no_proxy_matches("192.168.1.77", "192.168.1.64/26"));
  EXPECT_FALSE(no_proxy_matches("192.168.1.128", "192.168.1.64/26"));
  EXPECT_TRUE(no_proxy_matches("::1", "::1"));
  EXPECT_TRUE(no_proxy_matches("::1", "[::1]"));
  EXPECT_TRUE(no_proxy_matches("fd00::17", "fd00::/8"));
  EXPECT_FALSE(no_proxy_matches("fe80::1", "fd00::/8"));
  EXPECT_FALSE(no_proxy_matches("10.1.2.3", "fd00::/8"));
  // An address never matches a name suffix, nor a name a range.
  EXPECT_FALSE(no_proxy_matches("10.0.0.1", "0.0.1"));
  EXPECT_FALSE(no_proxy_matches("ten.example", "10.0.0.0/8"));
  EXPECT_FALSE(no_proxy_matches("10.1.2.3", "10.0.0.0/x"));
  EXPECT_FALSE(no_proxy_matches("10.1.2.3", "10.0.0.0/33"));
}

TEST(ProxyFor, PicksTheVariableOfTheScheme) {
  ProxySettings s{"http://plain-proxy:3128", "http://tls-proxy:8080", ""};
  std::string problem;
  auto p = proxy_for(url("https://hooks.slack.com/x"), s, problem);
  ASSERT_TRUE(p.has_value()) << problem;
  EXPECT_EQ(p->where(), "tls-proxy:8080");
  p = proxy_for(url("http://relay/x"), s, problem);
  ASSERT_TRUE(p.has_value()) << problem;
  EXPECT_EQ(p->where(), "plain-proxy:3128");
  // No scheme: http:// assumed; no port: curl's 1080.
  s.https_proxy = "squid.internal";
  p = proxy_for(url("https://hooks.slack.com/x"), s, problem);
  ASSERT_TRUE(p.has_value()) << problem;
  EXPECT_EQ(p->where(), "squid.internal:1080");
  s.https_proxy = "[fd00::1]:3128";
  p = proxy_for(url("https://hooks.slack.com/x"), s, problem);
  ASSERT_TRUE(p.has_value()) << problem;
  EXPECT_EQ(p->where(), "[fd00::1]:3128");
  // NO_PROXY wins; unset means direct.
  s.no_proxy = ".slack.com";
  EXPECT_FALSE(proxy_for(url("https://hooks.slack.com/x"), s, problem).has_value());
  EXPECT_TRUE(problem.empty());
  EXPECT_FALSE(proxy_for(url("https://h/x"), ProxySettings{}, problem).has_value());
  EXPECT_TRUE(problem.empty());
}

TEST(ProxyFor, UnusableSettingsNameTheVariableNotTheValue) {
  std::string problem;
  const std::string secret = "s3cr3t";
  EXPECT_FALSE(proxy_for(url("https://h/x"), {"", "https://proxy:443", ""}, problem).has_value());
  EXPECT_THAT(problem, HasSubstr("HTTPS_PROXY is an https:// proxy"));
  problem.clear();
  EXPECT_FALSE(proxy_for(url("https://h/x"), {"", "http://user:" + secret + "@proxy:3128", ""}, problem).has_value());
  EXPECT_THAT(problem, HasSubstr("HTTPS_PROXY is not a usable proxy URL"));
  EXPECT_THAT(problem, HasSubstr("user information"));
  EXPECT_THAT(problem, Not(HasSubstr(secret)));
  problem.clear();
  EXPECT_FALSE(proxy_for(url("http://h/x"), {"socks5://proxy:1080", "", ""}, problem).has_value());
  EXPECT_THAT(problem, HasSubstr("HTTP_PROXY has a scheme other than http://"));
}

TEST(ProxyFor, FromTheEnvironmentLowerCaseFirst) {
  ::setenv("https_proxy", "http://lower:1", 1);
  ::setenv("HTTPS_PROXY", "http://upper:2", 1);
  ::setenv("NO_PROXY", "internal", 1);
  ::unsetenv("no_proxy");
  const ProxySettings s = proxy_settings_from_environment();
  ::unsetenv("https_proxy");
  ::unsetenv("HTTPS_PROXY");
  ::unsetenv("NO_PROXY");
  EXPECT_EQ(s.https_proxy, "http://lower:1");
  EXPECT_EQ(s.no_proxy, "internal");
}

}  // namespace
}  // namespace lagwatch::http_client
