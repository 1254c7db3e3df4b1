// Webhook URLs (util/http_url.hpp): what is accepted, what is refused and why, and masking.
#include "util/http_url.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lagwatch::util {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string problem_of(const std::string& text) {
  std::string problem;
  auto url = parse_http_url(text, problem);
  EXPECT_FALSE(url.has_value()) << text;
  EXPECT_FALSE(problem.empty()) << text;
  return problem;
}

TEST(HttpUrl, Accepted) {
  std::string problem;
  auto u = parse_http_url("http://relay.internal:8080/hooks/lagwatch?token=abc", problem);
  ASSERT_TRUE(u.has_value()) << problem;
  EXPECT_EQ(u->host, "relay.internal");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->target, "/hooks/lagwatch?token=abc");
  EXPECT_EQ(u->where(), "relay.internal:8080");
  EXPECT_EQ(u->host_header(), "relay.internal:8080");

  u = parse_http_url("HTTP://example.com", problem);
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->host_header(), "example.com");

  u = parse_http_url("http://[::1]:9000?x=1", problem);
  ASSERT_TRUE(u.has_value()) << problem;
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->target, "/?x=1");
  EXPECT_EQ(u->where(), "[::1]:9000");
  EXPECT_EQ(u->host_header(), "[::1]:9000");

  u = parse_http_url("http://127.0.0.1:1/", problem);
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->host, "127.0.0.1");
}

TEST(HttpUrl, HttpsDefaultsToPort443) {
  std::string problem;
  auto u = parse_http_url("https://hooks.slack.com/services/T0/B0/XYZ", problem);
  ASSERT_TRUE(u.has_value()) << problem;
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "hooks.slack.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/services/T0/B0/XYZ");
  EXPECT_EQ(u->where(), "hooks.slack.com:443");
  EXPECT_EQ(u->host_header(), "hooks.slack.com");
  EXPECT_STREQ(u->scheme(), "https://");

  u = parse_http_url("HTTPS://[::1]:8443?k=v", problem);
  ASSERT_TRUE(u.has_value()) << problem;
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->target, "/?k=v");
  EXPECT_EQ(u->host_header(), "[::1]:8443");

  // Port 80 is not the default of https://, nor 443 of http://.
  u = parse_http_url("https://h:80/", problem);
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->host_header(), "h:80");
  u = parse_http_url("http://h:443/", problem);
  ASSERT_TRUE(u.has_value());
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host_header(), "h:443");
}

TEST(HttpUrl, RefusedWithAReasonThatNeverQuotesThePath) {
  const std::string secret = "T0KEN-s3cr3t";
  EXPECT_THAT(problem_of("ftp://x/" + secret), HasSubstr("must start with http:// or https://"));
  EXPECT_THAT(problem_of("relay:8080/" + secret), HasSubstr("must start with http:// or https://"));
  EXPECT_THAT(problem_of("https://h:0/" + secret), HasSubstr("invalid port"));
  EXPECT_THAT(problem_of("https:///" + secret), HasSubstr("no host"));
  EXPECT_THAT(problem_of("https://user:" + secret + "@h/"), HasSubstr("user information"));
  EXPECT_THAT(problem_of(""), HasSubstr("is empty"));
  EXPECT_THAT(problem_of("http:///" + secret), HasSubstr("no host"));
  EXPECT_THAT(problem_of("http://h:0/" + secret), HasSubstr("invalid port"));
  EXPECT_THAT(problem_of("http://h:65536/" + secret), HasSubstr("invalid port"));
  EXPECT_THAT(problem_of("http://h:/" + secret), HasSubstr("invalid port"));
  EXPECT_THAT(problem_of("http://h:80x/" + secret), HasSubstr("invalid port"));
  EXPECT_THAT(problem_of("http://user:" + secret + "@h/"), HasSubstr("user information"));
  EXPECT_THAT(problem_of("http://h/" + secret + " x"), HasSubstr("space"));
  EXPECT_THAT(problem_of("http://h/" + secret + "#frag"), HasSubstr("fragment"));
  EXPECT_THAT(problem_of("http://[::1/" + secret), HasSubstr("IPv6"));
  EXPECT_THAT(problem_of("http://[zz]:1/"), HasSubstr("IPv6"));
  EXPECT_THAT(problem_of("http://h%41st/" + secret), HasSubstr("host name"));
  for (const std::string& bad : {"https://h/" + secret + "#f", "http://user:" + secret + "@h/",
                                 "http://h/" + secret + " x", "http://h:0/" + secret, "http://h/" + secret + "#frag"}) {
    EXPECT_THAT(problem_of(bad), Not(HasSubstr(secret))) << bad;
  }
}

TEST(HttpUrl, MaskHidesPathAndQuery) {
  EXPECT_EQ(mask_url("http://relay:8080/hooks/T0KEN?sig=abc"), "http://relay:8080/***");
  EXPECT_EQ(mask_url("http://relay:80/T0KEN"), "http://relay/***");
  EXPECT_EQ(mask_url("http://relay:8080"), "http://relay:8080/");
  EXPECT_EQ(mask_url("http://[::1]:9000/x"), "http://[::1]:9000/***");
  EXPECT_EQ(mask_url("not a url T0KEN"), "***");
  EXPECT_EQ(mask_url("https://hooks.slack.com/services/T0KEN"), "https://hooks.slack.com/***");
  EXPECT_EQ(mask_url("https://h:443/T0KEN"), "https://h/***");
  EXPECT_EQ(mask_url("https://h:8443"), "https://h:8443/");
  EXPECT_EQ(mask_url("https://h/T0KEN#frag"), "https://***");
  std::string problem;
  EXPECT_TRUE(
      parse_http_url(mask_url("http://relay:8080/T0KEN"), problem).has_value());  // printable config stays valid
}

}  // namespace
}  // namespace lagwatch::util
