#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "http/request_parsing.hpp"

namespace lagwatch::http {
namespace {

ParsedRequest get(const std::string& target, bool accept_post = false) {
  return parse_request_bytes("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n", accept_post);
}

TEST(HttpRequestParsing, GoodRequestIsFilled) {
  const ParsedRequest p = parse_request_bytes(
      "GET /v3/kafka/demo/consumer/caf%C3%A9?a=1&b=x+y&a=2&flag HTTP/1.1\r\nHost: h:1\r\nX-A: 1\r\nx-a: 2\r\n\r\n");
  ASSERT_EQ(p.status, 0) << p.problem;
  EXPECT_EQ(p.request.method, "GET");
  EXPECT_EQ(p.request.path, "/v3/kafka/demo/consumer/caf\xc3\xa9");
  EXPECT_EQ(p.request.query.at("a"), "1");
  EXPECT_EQ(p.request.query.at("b"), "x y");
  EXPECT_EQ(p.request.query.at("flag"), "");
  EXPECT_EQ(p.request.headers.at("x-a"), "1, 2");
  EXPECT_EQ(p.request.host, "h:1");
  EXPECT_EQ(p.request.body, "");
}

TEST(HttpRequestParsing, InvalidUtf8PathIs400) {
  for (const char* target :
       {"/v3/kafka/demo/consumer/billing/%ff", "/%c0%af", "/%ed%a0%80", "/%e2%82", "/%f4%90%80%80", "/\xff"}) {
    SCOPED_TRACE(target);
    const ParsedRequest p = get(target);
    EXPECT_EQ(p.status, 400);
    EXPECT_TRUE(p.keep_open);
    EXPECT_NE(p.problem.find("UTF-8"), std::string::npos) << p.problem;
  }
}

TEST(HttpRequestParsing, ControlCharactersAre400) {
  for (const char* target :
       {"/a%00b", "/a%0d%0aSet-Cookie:%20x", "/%09", "/%7f", "/?q=%00", "/?q=a%0ab", "/?%01=v", "/?q=%ff"}) {
    SCOPED_TRACE(target);
    const ParsedRequest p = get(target);
    EXPECT_EQ(p.status, 400);
    EXPECT_FALSE(p.problem.empty());
  }
}

TEST(HttpRequestParsing, ValidUtf8AndPercentEscapesPass) {
  EXPECT_EQ(get("/%e2%82%ac").status, 0);           // U+20AC
  EXPECT_EQ(get("/%f0%9f%98%80").status, 0);        // U+1F600
  EXPECT_EQ(get("/?q=%ef%bf%bd&r=%20").status, 0);  // U+FFFD, space
  EXPECT_EQ(get("/a%2Fb").request.path, "/a/b");
}

TEST(HttpRequestParsing, BadPercentEncodingIs400) {
  EXPECT_EQ(get("/%zz").status, 400);
  EXPECT_EQ(get("/%4").status, 400);
  EXPECT_EQ(get("/?a=%").status, 400);
}

TEST(HttpRequestParsing, MethodsOtherThanGetAndHeadAre405) {
  for (const char* method : {"PUT", "DELETE", "OPTIONS", "PATCH", "POST"}) {
    SCOPED_TRACE(method);
    const ParsedRequest p =
        parse_request_bytes(std::string(method) + " / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(p.status, 405);
    EXPECT_TRUE(p.keep_open);
    const Response r = error_response(p, false);
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].first, "Allow");
    EXPECT_EQ(r.headers[0].second, "GET, HEAD");
  }
  EXPECT_EQ(parse_request_bytes("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n").status, 0);
}

TEST(HttpRequestParsing, PostWhenAcceptedCarriesTheBody) {
  const std::string raw = "POST /-/reload HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello";
  const ParsedRequest p = parse_request_bytes(raw, true);
  ASSERT_EQ(p.status, 0) << p.problem;
  EXPECT_EQ(p.request.method, "POST");
  EXPECT_EQ(p.request.body, "hello");
  EXPECT_EQ(error_response(parse_request_bytes("PUT / HTTP/1.1\r\n\r\n", true), true).headers.at(0).second,
            "GET, HEAD, POST");
}

TEST(HttpRequestParsing, FramingErrorsCloseTheConnection) {
  ParsedRequest p = parse_request_bytes("NOT HTTP\r\n\r\n");
  EXPECT_EQ(p.status, 400);
  EXPECT_FALSE(p.keep_open);
  p = parse_request_bytes("GET / HTTP/1.1\r\nHost: h\r\n");  // cut short
  EXPECT_EQ(p.status, 400);
  EXPECT_FALSE(p.keep_open);
  p = parse_request_bytes("");
  EXPECT_EQ(p.status, 400);
  p = parse_request_bytes("GET / HTTP/1.1\r\nX: " + std::string(kMaxHeaderBytes, 'a') + "\r\n\r\n");
  EXPECT_EQ(p.status, 431);
  p = parse_request_bytes("POST / HTTP/1.1\r\nContent-Length: " + std::to_string(kMaxBodyBytes + 1) + "\r\n\r\n", true);
  EXPECT_EQ(p.status, 413);
}

TEST(HttpRequestParsing, OnlyTheFirstRequestCounts) {
  const ParsedRequest p = parse_request_bytes("GET /one HTTP/1.1\r\n\r\nGET /two HTTP/1.1\r\n\r\n");
  ASSERT_EQ(p.status, 0);
  EXPECT_EQ(p.request.path, "/one");
}

TEST(HttpRequestParsing, EscapeForLog) {
  EXPECT_EQ(escape_for_log("/metrics?x=1"), "/metrics?x=1");
  EXPECT_EQ(escape_for_log("/a\xff\r\nb\\"), "/a\\xff\\x0d\\x0ab\\x5c");
  EXPECT_EQ(escape_for_log(std::string(300, 'a')), std::string(200, 'a') + "...");
  EXPECT_EQ(escape_for_log("abcdef", 3), "abc...");
}

TEST(HttpRequestParsing, CleanUtf8) {
  EXPECT_TRUE(is_clean_utf8(""));
  EXPECT_TRUE(is_clean_utf8("plain ascii ~"));
  EXPECT_TRUE(is_clean_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_clean_utf8("\x80"));
  EXPECT_FALSE(is_clean_utf8("\xc3"));
  EXPECT_FALSE(is_clean_utf8("\xe0\x80\xaf"));  // overlong
  EXPECT_FALSE(is_clean_utf8("\xed\xbf\xbf"));  // surrogate
  EXPECT_FALSE(is_clean_utf8(std::string("a\0b", 3)));
  EXPECT_FALSE(is_clean_utf8("\x1f"));
  EXPECT_FALSE(is_clean_utf8("\x7f"));
}

TEST(HttpRequestParsing, MutatedInputNeverCrashesAndAlwaysDecides) {
  const std::vector<std::string> seeds = {
      "GET /metrics?a=1&b=%41 HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n",
      "POST /-/reload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "GET http://x/v3/kafka/c/consumer/g%c3%a9 HTTP/1.0\r\nContent-Length: 2\r\n\r\nab",
  };
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::string data = seeds[static_cast<size_t>(i) % seeds.size()];
    for (int m = static_cast<int>(rng() % 5); m > 0 && !data.empty(); --m) {
      const size_t at = rng() % data.size();
      switch (rng() % 3) {
        case 0:
          data[at] = static_cast<char>(rng() & 0xff);
          break;
        case 1:
          data.erase(at, 1 + rng() % 4);
          break;
        default:
          data.insert(at, 1, static_cast<char>(rng() & 0xff));
      }
    }
    const ParsedRequest p = parse_request_bytes(data, i % 2 == 0);
    if (p.status == 0) {
      EXPECT_TRUE(is_clean_utf8(p.request.path));
      for (const auto& [name, value] : p.request.query) EXPECT_TRUE(is_clean_utf8(name) && is_clean_utf8(value));
    } else {
      EXPECT_TRUE(p.status == 400 || p.status == 405 || p.status == 413 || p.status == 431) << p.status;
    }
  }
}

}  // namespace
}  // namespace lagwatch::http
