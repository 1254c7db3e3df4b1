#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <latch>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "captured_log.hpp"
#include "http/gzip.hpp"
#include "http/server.hpp"

namespace lagwatch::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

using ClientResponse = bhttp::response<bhttp::string_body>;

// A raw HTTP client. Every operation is asynchronous with a deadline, so a server bug fails the
// test with a timeout instead of hanging the suite.
class Client {
 public:
  explicit Client(uint16_t port, const std::string& address = "127.0.0.1") : stream_(ioc_) {
    stream_.expires_after(10s);
    std::optional<beast::error_code> result;
    stream_.async_connect(tcp::endpoint(net::ip::make_address(address), port),
                          [&](beast::error_code ec) { result = ec; });
    const auto ec = wait(result);
    if (ec) throw std::runtime_error("connect: " + ec.message());
  }

  void send_raw(const std::string& data) {
    stream_.expires_after(10s);
    std::optional<beast::error_code> result;
    net::async_write(stream_, net::buffer(data), [&](beast::error_code ec, std::size_t) { result = ec; });
    const auto ec = wait(result);
    if (ec) throw std::runtime_error("write: " + ec.message());
  }

  void send(bhttp::request<bhttp::string_body> req) {
    req.prepare_payload();
    std::ostringstream os;
    os << req;
    send_raw(os.str());
  }

  // `head`: the response to a HEAD, whose Content-Length describes a body that is not sent.
  ClientResponse read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head);
    stream_.expires_after(10s);
    std::optional<beast::error_code> result;
    bhttp::async_read(stream_, buffer_, parser, [&](beast::error_code ec, std::size_t) { result = ec; });
    const auto ec = wait(result);
    if (ec) throw std::runtime_error("read: " + ec.message());
    return parser.release();
  }

  ClientResponse get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {},
                     bhttp::verb method = bhttp::verb::get) {
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    for (const auto& [name, value] : headers) req.set(name, value);
    send(std::move(req));
    return read(method == bhttp::verb::head);
  }

  // Tells the server that nothing more is coming, then returns everything it sends until it
  // closes the connection.
  std::string finish_and_drain() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    std::string received(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.consume(buffer_.size());
    stream_.expires_after(10s);
    for (;;) {
      std::optional<beast::error_code> result;
      char chunk[4096];
      std::size_t n = 0;
      stream_.async_read_some(net::buffer(chunk), [&](beast::error_code ec, std::size_t got) {
        result = ec;
        n = got;
      });
      const auto ec = wait(result);
      received.append(chunk, n);
      if (ec == beast::error::timeout) throw std::runtime_error("server neither answered nor closed");
      if (ec) return received;
    }
  }

  // True when the server has closed the connection (EOF, or a reset after it closed), i.e.
  // nothing more arrives.
  bool closed_by_server() {
    stream_.expires_after(10s);
    std::optional<beast::error_code> result;
    char byte;
    if (buffer_.size() > 0) return false;
    stream_.async_read_some(net::buffer(&byte, 1), [&](beast::error_code ec, std::size_t) { result = ec; });
    const auto ec = wait(result);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

 private:
  beast::error_code wait(std::optional<beast::error_code>& result) {
    ioc_.restart();
    ioc_.run();
    if (!result) throw std::runtime_error("operation did not complete");
    return *result;
  }

  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

std::string make_text(size_t n) {
  std::string s;
  while (s.size() < n) s += "lagwatch_consumergroup_lag{group=\"g" + std::to_string(s.size() % 97) + "\"} 42\n";
  s.resize(n);
  return s;
}

// Built once: under the sanitizers building it per request would dominate the test's run time.
const std::string& metrics_body() {
  static const std::string body = make_text(300'000);
  return body;
}

const std::string& large_body() {
  static const std::string body = make_text(2 * 1024 * 1024);
  return body;
}

// The routes the tests talk to, and what the handler saw.
class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>("127.0.0.1:0", [this](const Request& r) { return handle(r); });
    server_->start();
  }

  Response handle(const Request& req) {
    {
      std::lock_guard lock(mu_);
      last_ = req;
    }
    Response res;
    if (req.path == "/hello") {
      res.body = "hello\n";
    } else if (req.path == "/echo") {
      res.body = "echo\n";
    } else if (req.path == "/large") {
      res.body = large_body();
    } else if (req.path == "/shared") {
      res.shared_pieces = {std::string_view(*shared_).substr(0, 1000), std::string_view(*shared_).substr(1000)};
      res.shared_owner = shared_;
      res.body = "tail\n";
    } else if (req.path == "/throw") {
      throw std::runtime_error("boom");
    } else if (req.path == "/throw-int") {
      throw 42;
    } else if (req.path == "/metrics") {
      const std::string& body = metrics_body();
      res.content_type = "text/plain; version=0.0.4; charset=utf-8";
      res.headers.emplace_back("Vary", "Accept-Encoding");
      if (req.accepts_gzip()) {
        res.body = gzip(body);
        res.body_is_gzip = true;
      } else {
        res.body = body;
      }
    } else if (req.path == "/headers") {
      res.headers.emplace_back("X-Good", "yes");
      res.headers.emplace_back("X-Evil", "a\r\nSet-Cookie: stolen=1");
      res.headers.emplace_back("Bad Name", "v");
      res.headers.emplace_back("Content-Length", "999");
      res.headers.emplace_back("Connection", "close");
      res.headers.emplace_back("Content-Type", "application/json");
      res.body = "{}";
    } else if (req.path == "/status") {
      res.status = std::stoi(req.query.at("code"));
      res.body = "whatever";
    } else {
      res.status = 404;
      res.body = "not found\n";
    }
    return res;
  }

  Request last() {
    std::lock_guard lock(mu_);
    return last_;
  }

  // A large body shared by every response, as /metrics shares the page rendered per poll.
  std::shared_ptr<const std::string> shared_ = std::make_shared<const std::string>(large_body());
  std::unique_ptr<Server> server_;
  std::mutex mu_;
  Request last_;
};

TEST_F(HttpServerTest, ServesGet) {
  ASSERT_NE(server_->port(), 0);
  Client c(server_->port());
  const auto res = c.get("/hello");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "hello\n");
  EXPECT_EQ(res[bhttp::field::server], "lagwatch");
  EXPECT_EQ(res[bhttp::field::content_length], "6");
  EXPECT_EQ(res[bhttp::field::content_type], "text/plain; charset=utf-8");
  EXPECT_TRUE(res.keep_alive());
}

TEST_F(HttpServerTest, DecodesPathQueryAndHeaders) {
  Client c(server_->port());
  const std::string target = "/ec%68o?name=x%2Fy&plus=a+b%2B&flag&&dup=1&dup=2&sp%20ace=%C3%A9";
  const auto res = c.get(target, {{"X-Custom", "one"}, {"Accept-Encoding", "gzip"}});
  ASSERT_EQ(res.result_int(), 200);
  const Request r = last();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/echo");
  EXPECT_EQ(r.target, target);
  EXPECT_EQ(r.host, "localhost");
  const std::map<std::string, std::string> expected_query = {
      {"name", "x/y"}, {"plus", "a b+"}, {"flag", ""}, {"dup", "1"}, {"sp ace", "\xC3\xA9"}};
  EXPECT_EQ(r.query, expected_query);
  EXPECT_EQ(r.headers.at("x-custom"), "one");
  EXPECT_EQ(r.headers.at("host"), "localhost");
  EXPECT_TRUE(r.accepts_gzip());
}

TEST_F(HttpServerTest, RepeatedHeadersAreJoined) {
  Client c(server_->port());
  c.send_raw("GET /echo HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\n\r\n");
  EXPECT_EQ(c.read().result_int(), 200);
  EXPECT_EQ(last().headers.at("x-a"), "1, 2");
}

TEST_F(HttpServerTest, AbsoluteFormTarget) {
  Client c(server_->port());
  EXPECT_EQ(c.get("http://example.com:9721/echo?a=1").result_int(), 200);
  EXPECT_EQ(last().path, "/echo");
  EXPECT_EQ(last().query.at("a"), "1");
}

TEST_F(HttpServerTest, BadPercentEncodingIs400) {
  Client c(server_->port());
  EXPECT_EQ(c.get("/echo%zz").result_int(), 400);
  EXPECT_EQ(c.get("/echo?a=%4").result_int(), 400);
  EXPECT_EQ(c.get("/hello").result_int(), 200);  // the connection survives: framing was fine
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Client c(server_->port());
  const auto first = c.get("/hello");
  const auto second = c.get("/large");
  const auto third = c.get("/hello");
  EXPECT_EQ(first.body(), "hello\n");
  EXPECT_EQ(second.body().size(), 2u * 1024 * 1024);
  EXPECT_EQ(third.body(), "hello\n");
  EXPECT_TRUE(third.keep_alive());
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Client c(server_->port());
  c.send_raw("GET /hello HTTP/1.1\r\nHost: h\r\n\r\nGET /nope HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(c.read().result_int(), 200);
  EXPECT_EQ(c.read().result_int(), 404);
}

TEST_F(HttpServerTest, ConnectionCloseAndHttp10) {
  {
    Client c(server_->port());
    const auto res = c.get("/hello", {{"Connection", "close"}});
    EXPECT_EQ(res.body(), "hello\n");
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(c.closed_by_server());
  }
  {
    Client c(server_->port());
    c.send_raw("GET /hello HTTP/1.0\r\n\r\n");
    const auto res = c.read();
    EXPECT_EQ(res.version(), 10u);
    EXPECT_EQ(res.body(), "hello\n");
    EXPECT_TRUE(c.closed_by_server());
  }
}

TEST_F(HttpServerTest, HeadSendsHeadersWithoutBody) {
  Client c(server_->port());
  const auto res = c.get("/large", {}, bhttp::verb::head);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_length], std::to_string(2 * 1024 * 1024));
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(last().method, "HEAD");
  // Had the body been sent, it would now be parsed as the next response and fail.
  EXPECT_EQ(c.get("/hello").body(), "hello\n");
}

TEST_F(HttpServerTest, SharedBodyIsSentBeforeTheOwnedOneWithoutBeingConsumed) {
  Client c(server_->port());
  for (int i = 0; i < 2; ++i) {  // the second response proves the shared body is still whole
    const auto res = c.get("/shared");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res[bhttp::field::content_length], std::to_string(shared_->size() + 5));
    EXPECT_TRUE(res.body() == *shared_ + "tail\n");
  }
  const auto head = c.get("/shared", {}, bhttp::verb::head);
  EXPECT_EQ(head[bhttp::field::content_length], std::to_string(shared_->size() + 5));
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(c.get("/hello").body(), "hello\n");
}

TEST_F(HttpServerTest, OtherMethodsAre405) {
  Client c(server_->port());
  bhttp::request<bhttp::string_body> post{bhttp::verb::post, "/hello", 11};
  post.set(bhttp::field::host, "h");
  post.body() = "some=data";
  c.send(post);
  const auto res = c.read();
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(res[bhttp::field::allow], "GET, HEAD");
  for (auto verb : {bhttp::verb::put, bhttp::verb::delete_, bhttp::verb::options}) {
    const auto r = c.get("/hello", {}, verb);
    EXPECT_EQ(r.result_int(), 405);
  }
  EXPECT_EQ(c.get("/hello").result_int(), 200);
}

TEST_F(HttpServerTest, HandlerStatusIsPassedThrough) {
  Client c(server_->port());
  const auto res = c.get("/nope");
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(res.body(), "not found\n");
  EXPECT_EQ(c.get("/status?code=503").result_int(), 503);
  // Out of range: the server refuses to send it.
  EXPECT_EQ(c.get("/status?code=42").result_int(), 500);
  EXPECT_EQ(c.get("/status?code=1000").result_int(), 500);
  const auto no_content = c.get("/status?code=204");
  EXPECT_EQ(no_content.result_int(), 204);
  EXPECT_TRUE(no_content.body().empty());
  EXPECT_EQ(no_content.count(bhttp::field::content_length), 0u);
  EXPECT_EQ(c.get("/hello").body(), "hello\n");
}

TEST_F(HttpServerTest, ThrowingHandlerGives500AndServerSurvives) {
  Client c(server_->port());
  const auto res = c.get("/throw");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(res.body(), "internal server error\n");
  EXPECT_EQ(c.get("/throw-int").result_int(), 500);
  EXPECT_EQ(c.get("/hello").result_int(), 200);
}

TEST_F(HttpServerTest, GzipResponse) {
  Client c(server_->port());
  const auto zipped = c.get("/metrics", {{"Accept-Encoding", "deflate, gzip;q=0.8"}});
  ASSERT_EQ(zipped.result_int(), 200);
  EXPECT_EQ(zipped[bhttp::field::content_encoding], "gzip");
  EXPECT_EQ(zipped[bhttp::field::vary], "Accept-Encoding");
  EXPECT_EQ(zipped[bhttp::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(zipped[bhttp::field::content_length], std::to_string(zipped.body().size()));
  EXPECT_LT(zipped.body().size(), 300'000u / 5);
  EXPECT_EQ(gunzip(zipped.body()), metrics_body());

  const auto plain = c.get("/metrics");
  EXPECT_EQ(plain.count(bhttp::field::content_encoding), 0u);
  EXPECT_EQ(plain.body(), metrics_body());
}

TEST_F(HttpServerTest, UnsafeHandlerHeadersAreDropped) {
  Client c(server_->port());
  const auto res = c.get("/headers");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res["X-Good"], "yes");
  EXPECT_EQ(res.count("X-Evil"), 0u);
  EXPECT_EQ(res.count("Set-Cookie"), 0u);
  EXPECT_EQ(res[bhttp::field::content_length], "2");
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_TRUE(res.keep_alive());
  EXPECT_EQ(res.body(), "{}");
}

TEST_F(HttpServerTest, MalformedRequestLineIs400) {
  for (const std::string raw : {"GARBAGE\r\n\r\n", "GET /hello HTTP/9\r\n\r\n", "GET  HTTP/1.1\r\n\r\n",
                                "GET /hello HTTP/1.1\r\nNo colon here\r\n\r\n", "\x01\x02\x03\r\n\r\n"}) {
    SCOPED_TRACE(raw);
    Client c(server_->port());
    c.send_raw(raw);
    const auto res = c.read();
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(c.closed_by_server());
  }
  Client c(server_->port());
  EXPECT_EQ(c.get("/hello").result_int(), 200);
}

TEST_F(HttpServerTest, OversizedHeaderIsRejected) {
  Client c(server_->port());
  c.send_raw("GET /hello HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(16 * 1024, 'a') + "\r\n\r\n");
  const auto res = c.read();
  EXPECT_TRUE(res.result_int() == 431 || res.result_int() == 400) << res.result_int();
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(HttpServerTest, HeaderJustUnderTheLimitIsFine) {
  Client c(server_->port());
  EXPECT_EQ(c.get("/hello", {{"X-Big", std::string(7 * 1024, 'a')}}).result_int(), 200);
}

TEST_F(HttpServerTest, OversizedBodyIs413) {
  Client c(server_->port());
  c.send_raw("POST /hello HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(2 * 1024 * 1024) + "\r\n\r\n" +
             std::string(2 * 1024 * 1024, 'b'));
  const auto res = c.read();
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(HttpServerTest, ClientsInParallel) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      Client c(server_->port());
      for (int i = 0; i < 25; ++i) {
        if (c.get(i % 2 ? "/hello" : "/metrics").result_int() == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 100);
}

TEST_F(HttpServerTest, GarbageNeverCrashesTheServer) {
  const std::vector<std::string> seeds = {
      "GET /hello?a=1&b=%41 HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n",
      "HEAD /large HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
      "POST /hello HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "GET /hello HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
      "GET http://x/echo HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\nGET /throw HTTP/1.1\r\n\r\n",
  };
  std::mt19937 rng(20240601);
  for (int i = 0; i < 80; ++i) {
    std::string data = seeds[static_cast<size_t>(i) % seeds.size()];
    const int mutations = static_cast<int>(rng() % 4);
    for (int m = 0; m < mutations && !data.empty(); ++m) {
      const size_t at = rng() % data.size();
      switch (rng() % 4) {
        case 0:
          data[at] = static_cast<char>(rng() & 0xff);
          break;  // flip a byte
        case 1:
          data.erase(at, 1 + rng() % 8);
          break;  // drop some
        case 2:
          data.insert(at, std::string(1 + rng() % 8, static_cast<char>(rng() & 0xff)));
          break;
        default:
          data.resize(at);
          break;  // truncate
      }
    }
    SCOPED_TRACE("case " + std::to_string(i));
    Client c(server_->port());
    c.send_raw(data);
    const std::string reply = c.finish_and_drain();
    if (!reply.empty()) {
      EXPECT_EQ(reply.rfind("HTTP/1.", 0), 0u) << reply.substr(0, 40);
    }
  }
  Client c(server_->port());
  EXPECT_EQ(c.get("/hello").body(), "hello\n");
}

TEST_F(HttpServerTest, EveryResponseSaysNosniff) {
  Client c(server_->port());
  for (const std::string target : {"/hello", "/nope", "/echo%zz", "/throw", "/status?code=204", "/headers"}) {
    SCOPED_TRACE(target);
    EXPECT_EQ(c.get(target)["X-Content-Type-Options"], "nosniff");
  }
  EXPECT_EQ(c.get("/hello", {}, bhttp::verb::put)["X-Content-Type-Options"], "nosniff");
  Client bad(server_->port());
  bad.send_raw("GARBAGE\r\n\r\n");
  EXPECT_EQ(bad.read()["X-Content-Type-Options"], "nosniff");
}

TEST_F(HttpServerTest, InvalidUtf8OrControlsAfterDecodingAre400AndNeverReachTheHandler) {
  Client c(server_->port());
  EXPECT_EQ(c.get("/hello").result_int(), 200);
  for (const std::string target : {"/v3/kafka/demo/consumer/billing/%ff", "/echo%00", "/echo%0d%0aX:%20y",
                                   "/echo?group=%c3%28", "/echo?a=%1b[31m"}) {
    SCOPED_TRACE(target);
    const auto res = c.get(target);
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_EQ(res[bhttp::field::content_type], "text/plain; charset=utf-8");
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(last().path, "/hello");  // the handler saw none of them
  }
  EXPECT_EQ(c.get("/echo?name=%C3%A9").result_int(), 200);
}

TEST(HttpServer, AcceptsGzipParsing) {
  const auto accepts = [](const std::string& value) {
    Request r;
    r.headers["accept-encoding"] = value;
    return r.accepts_gzip();
  };
  EXPECT_FALSE(Request().accepts_gzip());
  EXPECT_TRUE(accepts("gzip"));
  EXPECT_TRUE(accepts("GZIP"));
  EXPECT_TRUE(accepts("x-gzip"));
  EXPECT_TRUE(accepts("deflate, gzip"));
  EXPECT_TRUE(accepts("gzip;q=0.5"));
  EXPECT_TRUE(accepts("gzip ; q = 1.0"));
  EXPECT_TRUE(accepts("br;q=1.0, gzip;q=0.8, *;q=0.1"));
  EXPECT_TRUE(accepts("*"));
  EXPECT_TRUE(accepts("identity, *;q=0.001"));
  EXPECT_FALSE(accepts(""));
  EXPECT_FALSE(accepts("identity"));
  EXPECT_FALSE(accepts("deflate, br"));
  EXPECT_FALSE(accepts("gzip;q=0"));
  EXPECT_FALSE(accepts("gzip;q=0.000"));
  EXPECT_FALSE(accepts("gzip;q=0, *"));
  EXPECT_FALSE(accepts("*;q=0"));
  EXPECT_FALSE(accepts("gzipper"));
  EXPECT_FALSE(accepts("gzip;q=abc"));
}

TEST(HttpServer, BadListenAddressesThrowClearly) {
  const auto handler = [](const Request&) { return Response{}; };
  for (const std::string address : {"nohost:x", "1.2.3.4:99999", "nocolon", "", ":", "[::1", "[::1]", "[]:80",
                                    "[nothex]:80", "::1:80", "127.0.0.1:-1", "127.0.0.1:123456"}) {
    SCOPED_TRACE(address);
    Server s(address, handler);
    try {
      s.start();
      ADD_FAILURE() << "start() did not throw";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("cannot listen on " + address + ": ", 0), 0u) << e.what();
    }
    EXPECT_EQ(s.port(), 0);
  }
  // Parses, but is not an address of this host.
  Server foreign("192.0.2.1:0", handler);
  EXPECT_THROW(foreign.start(), std::runtime_error);
}

TEST(HttpServer, PortInUseThrows) {
  const auto handler = [](const Request&) { return Response{}; };
  Server first("127.0.0.1:0", handler);
  first.start();
  Server second("127.0.0.1:" + std::to_string(first.port()), handler);
  try {
    second.start();
    ADD_FAILURE() << "second bind succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:"), std::string::npos) << e.what();
  }
}

TEST(HttpServer, ConstructorRejectsBadArguments) {
  const auto handler = [](const Request&) { return Response{}; };
  EXPECT_THROW(Server("127.0.0.1:0", Handler{}), std::invalid_argument);
  EXPECT_THROW(Server("127.0.0.1:0", handler, 0), std::invalid_argument);
  EXPECT_THROW(Server("127.0.0.1:0", handler, ServerOptions{}, 0), std::invalid_argument);
  const auto rejects = [&](auto change) {
    ServerOptions o;
    change(o);
    EXPECT_THROW(Server("127.0.0.1:0", handler, o), std::invalid_argument);
  };
  rejects([](ServerOptions& o) { o.read_header_timeout = 99ms; });
  rejects([](ServerOptions& o) { o.read_header_timeout = o.read_timeout + 1ms; });
  rejects([](ServerOptions& o) { o.read_timeout = 2h; });
  rejects([](ServerOptions& o) { o.write_timeout = 0ms; });
  rejects([](ServerOptions& o) { o.idle_timeout = -1ms; });
  rejects([](ServerOptions& o) { o.max_connections = 0; });
  rejects([](ServerOptions& o) { o.max_connections = 1'000'001; });
  ServerOptions edges;
  edges.read_header_timeout = edges.read_timeout = edges.write_timeout = edges.idle_timeout = 100ms;
  edges.max_connections = 1;
  EXPECT_NO_THROW(Server("127.0.0.1:0", handler, edges, 1));
  EXPECT_NO_THROW(validate(ServerOptions{}));
  Server defaults("127.0.0.1:0", handler, 3);
  EXPECT_EQ(defaults.options().max_connections, 1024u);
  EXPECT_EQ(defaults.options().read_header_timeout, 5s);
}

TEST(HttpServer, AllAddressesAcceptIpv4) {
  Server s(
      ":0",
      [](const Request&) {
        return Response{200, "text/plain", "any\n", false, {}};
      },
      1);
  s.start();
  ASSERT_NE(s.port(), 0);
  Client c(s.port(), "127.0.0.1");
  EXPECT_EQ(c.get("/").body(), "any\n");
}

TEST(HttpServer, Ipv6Loopback) {
  {
    net::io_context probe_ioc;
    tcp::acceptor probe(probe_ioc);
    beast::error_code ec;
    probe.open(tcp::v6(), ec);
    if (!ec) probe.bind(tcp::endpoint(net::ip::make_address("::1"), 0), ec);
    if (ec) GTEST_SKIP() << "no IPv6 loopback here: " << ec.message();
  }
  Server s("[::1]:0", [](const Request& r) { return Response{200, "text/plain", r.host, false, {}}; });
  s.start();
  Client c(s.port(), "::1");
  EXPECT_EQ(c.get("/").body(), "localhost");
}

TEST(HttpServer, HostNameAddress) {
  Server s("localhost:0", [](const Request&) { return Response{}; });
  s.start();
  EXPECT_NE(s.port(), 0);
}

TEST(HttpServer, StopClosesEverythingWithoutHanging) {
  auto server = std::make_unique<Server>("127.0.0.1:0", [](const Request&) {
    return Response{200, "text/plain", "x", false, {}};
  });
  server->start();
  const uint16_t port = server->port();
  Client idle(port);  // keep-alive connection between requests
  EXPECT_EQ(idle.get("/").body(), "x");
  Client partial(port);  // request half sent
  partial.send_raw("GET / HTTP/1.1\r\nHost: h\r\n");
  Client silent(port);  // connected, never says anything

  const auto begin = std::chrono::steady_clock::now();
  server->stop();
  server->stop();  // idempotent
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  EXPECT_EQ(server->port(), port);
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_TRUE(partial.closed_by_server());
  EXPECT_TRUE(silent.closed_by_server());
  EXPECT_THROW(Client{port}, std::runtime_error);  // nothing listens any more
  EXPECT_THROW(server->start(), std::logic_error);
  server.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
}

TEST(HttpServer, LifecycleEdges) {
  const auto handler = [](const Request&) { return Response{}; };
  { Server never_started("127.0.0.1:0", handler); }
  {
    Server s("127.0.0.1:0", handler);
    s.stop();
    EXPECT_THROW(s.start(), std::logic_error);
  }
  {
    Server s("127.0.0.1:0", handler);
    s.start();
    EXPECT_THROW(s.start(), std::logic_error);
  }
  {
    // A failed start() leaves a server that can still be destroyed or stopped cleanly.
    Server s("nohost:x", handler);
    EXPECT_THROW(s.start(), std::runtime_error);
    s.stop();
  }
}

TEST(HttpServer, StopFromHandlerThreadIsRefused) {
  Server* self = nullptr;
  std::string error;
  Server s("127.0.0.1:0", [&](const Request&) {
    try {
      self->stop();
    } catch (const std::logic_error& e) {
      error = e.what();
    }
    return Response{};
  });
  self = &s;
  s.start();
  Client c(s.port());
  EXPECT_EQ(c.get("/").result_int(), 200);
  EXPECT_NE(error.find("server thread"), std::string::npos);
}

// ---- Hardening: deadlines, the connection cap, logging ----

using lagwatch::testing::CapturedLog;

// Whether the server has closed a plain socket, without waiting: EOF or reset is closed, "would
// block" is open.
bool closed_now(tcp::socket& s) {
  s.non_blocking(true);
  char byte;
  beast::error_code ec;
  s.read_some(net::buffer(&byte, 1), ec);
  s.non_blocking(false);
  return ec == net::error::eof || ec == net::error::connection_reset;
}

// Polls `condition` for up to `limit`; for states the server reaches asynchronously.
template <class F>
bool eventually(F condition, std::chrono::milliseconds limit = 5000ms) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

Response hello(const Request&) {
  Response r;
  r.body = "hello\n";
  return r;
}

ServerOptions small_cap(std::size_t max) {
  ServerOptions o;
  o.max_connections = max;
  return o;
}

TEST(HttpServerLimits, AtTheCapTheIdleConnectionIsEvictedBeforeTheReadingOne) {
  CapturedLog log;
  Server s("127.0.0.1:0", hello, small_cap(2));
  s.start();
  Client idle(s.port());
  EXPECT_EQ(idle.get("/").body(), "hello\n");  // now waiting for its next request
  Client reading(s.port());
  reading.send_raw("GET / HTTP/1.1\r\nHost: h\r\n");  // head incomplete
  // Both are registered once the server has read the partial head and finished the write.
  std::this_thread::sleep_for(200ms);
  Client third(s.port());
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_EQ(third.get("/").body(), "hello\n");
  // `reading` survived: it can finish its request.
  reading.send_raw("\r\n");
  EXPECT_EQ(reading.read().body(), "hello\n");
  bool logged = false;
  for (const auto& line : log.lines()) logged = logged || line.find("longest-idle") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST(HttpServerLimits, WithoutIdleConnectionsTheLongestReadingHeadIsEvicted) {
  Server s("127.0.0.1:0", hello, small_cap(2));
  s.start();
  net::io_context ioc;
  const tcp::endpoint server(net::ip::make_address("127.0.0.1"), s.port());
  tcp::socket oldest(ioc);
  oldest.connect(server);
  net::write(oldest, net::buffer(std::string("GET / HT")));
  std::this_thread::sleep_for(50ms);
  tcp::socket younger(ioc);
  younger.connect(server);
  net::write(younger, net::buffer(std::string("GET / HT")));
  std::this_thread::sleep_for(50ms);
  Client scrape(s.port());  // evicts `oldest`, then is served
  EXPECT_EQ(scrape.get("/").body(), "hello\n");
  EXPECT_TRUE(eventually([&] { return closed_now(oldest); }));
  EXPECT_FALSE(closed_now(younger));
}

TEST(HttpServerLimits, ATrickledBodyIsEvictedToo) {
  Server s("127.0.0.1:0", hello, small_cap(1));
  s.start();
  Client body(s.port());
  body.send_raw("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nab");
  std::this_thread::sleep_for(200ms);  // the head is parsed: the session is reading the body
  Client scrape(s.port());
  EXPECT_EQ(scrape.get("/").body(), "hello\n");
  EXPECT_TRUE(body.closed_by_server());
}

TEST(HttpServerLimits, WhenEveryConnectionIsBusyTheNewOneGets503) {
  CapturedLog log;
  std::latch entered(1);
  std::latch release(1);
  Server s(
      "127.0.0.1:0",
      [&](const Request&) {
        entered.count_down();
        release.wait();
        return hello(Request{});
      },
      small_cap(1));
  s.start();
  Client busy(s.port());
  busy.send_raw("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  entered.wait();
  Client refused(s.port());
  refused.send_raw("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  const auto res = refused.read();
  EXPECT_EQ(res.result_int(), 503);
  EXPECT_EQ(res[bhttp::field::retry_after], "1");
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_TRUE(refused.closed_by_server());
  release.count_down();
  EXPECT_EQ(busy.read().body(), "hello\n");
  bool logged = false;
  for (const auto& line : log.lines()) logged = logged || line.find("503") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST(HttpServerLimits, TricklingDoesNotExtendTheHeadDeadline) {
  ServerOptions o;
  o.read_header_timeout = 1s;
  Server s("127.0.0.1:0", hello, o);
  s.start();
  net::io_context ioc;
  tcp::socket slow(ioc);
  slow.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), s.port()));
  const std::string head = "GET / HTTP/1.1\r\nHost: h\r\nX-Slow: " + std::string(100, 'a');
  const auto begin = std::chrono::steady_clock::now();
  bool closed = false;
  // A byte every 200 ms for up to 5 s; a per-read timeout would never fire.
  for (std::size_t i = 0; i < 25 && !closed; ++i) {
    beast::error_code ec;
    net::write(slow, net::buffer(&head[i], 1), ec);
    std::this_thread::sleep_for(200ms);
    closed = ec || closed_now(slow);
  }
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_TRUE(closed);
  EXPECT_LT(elapsed, 3s);  // ~1 s; the loop alone would last 5 s
}

TEST(HttpServerLimits, SilentNewConnectionIsClosedAtTheHeadDeadline) {
  ServerOptions o;
  o.read_header_timeout = 300ms;
  Server s("127.0.0.1:0", hello, o);
  s.start();
  Client silent(s.port());
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.closed_by_server());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
}

TEST(HttpServerLimits, IdleKeepAliveConnectionIsClosed) {
  ServerOptions o;
  o.idle_timeout = 300ms;
  Server s("127.0.0.1:0", hello, o);
  s.start();
  Client c(s.port());
  EXPECT_EQ(c.get("/").body(), "hello\n");
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  EXPECT_TRUE(eventually([&] { return s.open_connections() == 0; }));
}

TEST(HttpServerLimits, HeadDeadlineOfAKeepAliveRequestStartsAtItsFirstByte) {
  ServerOptions o;
  o.read_header_timeout = 300ms;
  o.idle_timeout = 5s;
  Server s("127.0.0.1:0", hello, o);
  s.start();
  Client c(s.port());
  EXPECT_EQ(c.get("/").body(), "hello\n");
  std::this_thread::sleep_for(700ms);  // idle longer than read_header_timeout, shorter than idle_timeout
  EXPECT_EQ(c.get("/").body(), "hello\n");
}

TEST(HttpServerLimits, PostIsPassedOnlyWhenAccepted) {
  std::mutex mu;
  Request seen;
  ServerOptions o;
  o.accept_post = true;
  Server s(
      "127.0.0.1:0",
      [&](const Request& r) {
        std::lock_guard lock(mu);
        seen = r;
        return hello(r);
      },
      o);
  s.start();
  Client c(s.port());
  bhttp::request<bhttp::string_body> post{bhttp::verb::post, "/-/reload", 11};
  post.set(bhttp::field::host, "h");
  post.body() = "please";
  c.send(post);
  EXPECT_EQ(c.read().result_int(), 200);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(seen.method, "POST");
    EXPECT_EQ(seen.body, "please");
  }
  const auto put = c.get("/", {}, bhttp::verb::put);
  EXPECT_EQ(put.result_int(), 405);
  EXPECT_EQ(put[bhttp::field::allow], "GET, HEAD, POST");
}

TEST(HttpServerLimits, HandlerExceptionLogIsEscaped) {
  CapturedLog log;
  Server s("127.0.0.1:0",
           [](const Request&) -> Response { throw std::runtime_error("bad \x1b[31mred\n" + std::string(600, 'x')); });
  s.start();
  Client c(s.port());
  EXPECT_EQ(c.get("/caf%C3%A9").result_int(), 500);
  bool found = false;
  for (const auto& line : log.lines()) {
    if (line.find("failed") == std::string::npos) continue;
    found = true;
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_NE(line.find("\\x1b[31m"), std::string::npos) << line;
    EXPECT_LT(line.size(), 800u);
  }
  EXPECT_TRUE(found);
}

TEST(HttpServerLimits, ManySlowConnectionsDoNotFloodTheLog) {
  CapturedLog log;
  ServerOptions o;
  o.read_header_timeout = 200ms;
  o.max_connections = 8;
  Server s("127.0.0.1:0", hello, o);
  s.start();
  net::io_context ioc;
  std::vector<tcp::socket> held;
  const tcp::endpoint server(net::ip::make_address("127.0.0.1"), s.port());
  for (int i = 0; i < 100; ++i) {  // 92 evictions and then 8 head timeouts
    held.emplace_back(ioc);
    held.back().connect(server);
    net::write(held.back(), net::buffer(std::string("G")));
  }
  Client c(s.port());
  EXPECT_EQ(c.get("/").body(), "hello\n");
  std::this_thread::sleep_for(500ms);
  s.stop();
  std::size_t warnings = 0;
  for (const auto& line : log.lines()) {
    if (line.find("listening on") == std::string::npos && line.find("stopped") == std::string::npos) ++warnings;
  }
  // One line when each kind first happens, one summary per kind at stop().
  EXPECT_LE(warnings, 6u);
}

}  // namespace
}  // namespace lagwatch::http
