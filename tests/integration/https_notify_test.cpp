// The HTTP client (http_client/) over TLS, against a local HTTPS receiver whose certificates
// test_certificates.hpp makes at test time: delivery with ca_file = the test CA, refusal of a
// certificate the client does not trust or that names another host (a clear error, counted as
// a failed attempt by a notifier), cancel() and the deadline during a stalled handshake, and
// the proxy path (CONNECT for https://, absolute-form for http://).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <future>
#include <thread>

#include "captured_log.hpp"
#include "connect_proxy.hpp"
#include "http_client/http_client.hpp"
#include "notify/notifier.hpp"
#include "notify_steps.hpp"
#include "synthetic_view.hpp"
#include "test_certificates.hpp"
#include "webhook_receiver.hpp"

namespace lagwatch::http_client {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

HttpUrl url_of(const std::string& text) {
  std::string problem;
  auto u = util::parse_http_url(text, problem);
  EXPECT_TRUE(u.has_value()) << problem;
  return u.value_or(HttpUrl{});
}

HttpRequest post(const std::string& body = R"({"x":1})") {
  HttpRequest r;
  r.body = body;
  return r;
}

ClientOptions trusting(const std::string& ca_file) {
  ClientOptions o;
  o.ca_file = ca_file;
  return o;
}

testing::ReceiverTls tls_with(const std::string& cert_file, const testing::TestPki& pki) {
  return testing::ReceiverTls{cert_file, pki.server_key_file};
}

using testing::eventually;

TEST(HttpsClient, DeliversWhenTheCaFileSignedTheServer) {
  testing::TestPki pki;
  testing::WebhookReceiver receiver({}, false, tls_with(pki.server_cert_file, pki));
  HttpClient client(trusting(pki.ca_file));
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    const HttpOutcome o = client.send(url_of(receiver.url("/hook?token=T0KEN", host)), post(), milliseconds(5'000));
    EXPECT_EQ(o.status, 200) << host << ": " << o.error;
  }
  const auto got = receiver.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].target, "/hook?token=T0KEN");
  EXPECT_EQ(got[0].body, R"({"x":1})");
  EXPECT_EQ(got[0].headers.at("host"), "127.0.0.1:" + std::to_string(receiver.port()));
  EXPECT_EQ(got[1].headers.at("host"), "localhost:" + std::to_string(receiver.port()));
  EXPECT_EQ(receiver.tls_failures(), 0);
}

TEST(HttpsClient, RefusesACertificateItDoesNotTrust) {
  testing::TestPki pki;
  testing::WebhookReceiver receiver({}, false, tls_with(pki.server_cert_file, pki));
  // Trusting only an unrelated CA, and trusting the system store (which has never heard of the
  // test CA): the same refusal.
  HttpClient other(trusting(pki.other_ca_file));
  HttpClient system;
  for (HttpClient* client : {&other, &system}) {
    const HttpOutcome o = client->send(url_of(receiver.url("/hook/T0KEN")), post(), milliseconds(5'000));
    EXPECT_EQ(o.status, 0);
    EXPECT_FALSE(o.cancelled);
    EXPECT_EQ(o.error, "TLS: certificate verify failed: unable to get local issuer certificate");
    EXPECT_THAT(o.error, Not(HasSubstr("T0KEN")));
  }
  EXPECT_TRUE(receiver.requests().empty());  // nothing was sent
  EXPECT_TRUE(eventually([&] { return receiver.tls_failures() == 2; }));
}

TEST(HttpsClient, RefusesACertificateForAnotherHost) {
  testing::TestPki pki;
  HttpClient client(trusting(pki.ca_file));
  {
    testing::WebhookReceiver dns_only({}, false, tls_with(pki.localhost_only_cert_file, pki));
    HttpOutcome o = client.send(url_of(dns_only.url("/hook", "127.0.0.1")), post(), milliseconds(5'000));
    EXPECT_EQ(o.error, "TLS: certificate verify failed: IP address mismatch");
    o = client.send(url_of(dns_only.url("/hook", "localhost")), post(), milliseconds(5'000));
    EXPECT_EQ(o.status, 200) << o.error;
  }
  {
    testing::WebhookReceiver ip_only({}, false, tls_with(pki.ip_only_cert_file, pki));
    HttpOutcome o = client.send(url_of(ip_only.url("/hook", "localhost")), post(), milliseconds(5'000));
    EXPECT_EQ(o.error, "TLS: certificate verify failed: hostname mismatch");
    o = client.send(url_of(ip_only.url("/hook", "127.0.0.1")), post(), milliseconds(5'000));
    EXPECT_EQ(o.status, 200) << o.error;
  }
}

TEST(HttpsClient, InsecureSkipVerifyAcceptsAnyCertificate) {
  testing::TestPki pki;
  testing::WebhookReceiver receiver({}, false, tls_with(pki.localhost_only_cert_file, pki));
  ClientOptions o;
  o.insecure_skip_verify = true;
  HttpClient client(o);
  const HttpOutcome out = client.send(url_of(receiver.url()), post(), milliseconds(5'000));
  EXPECT_EQ(out.status, 200) << out.error;
}

TEST(HttpsClient, UnreadableCaFileIsRefusedAtConstruction) {
  EXPECT_THROW(HttpClient{trusting("/nonexistent/ca.pem")}, std::invalid_argument);
  testing::TestPki pki;
  EXPECT_THROW(HttpClient{trusting(pki.server_key_file)}, std::invalid_argument);  // a key, no certificate
  EXPECT_EQ(ca_file_problem(pki.ca_file), std::nullopt);
  EXPECT_THAT(ca_file_problem(pki.dir).value_or(""), HasSubstr("not a regular file"));
}

// A server that accepts connections (the kernel does, from the listen backlog) but never
// answers the ClientHello.
struct StalledServer {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  std::string url() const { return "https://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/h"; }
};

TEST(HttpsClient, CancelDuringAStalledHandshakeReturnsPromptly) {
  StalledServer stalled;
  testing::TestPki pki;
  HttpClient client(trusting(pki.ca_file));
  auto pending =
      std::async(std::launch::async, [&] { return client.send(url_of(stalled.url()), post(), milliseconds(30'000)); });
  std::this_thread::sleep_for(milliseconds(200));
  const auto t = Clock::now();
  client.cancel();
  ASSERT_EQ(pending.wait_for(std::chrono::seconds(2)), std::future_status::ready);
  EXPECT_LT(Clock::now() - t, milliseconds(1'000));
  const HttpOutcome o = pending.get();
  EXPECT_TRUE(o.cancelled);
  EXPECT_EQ(o.status, 0);
}

TEST(HttpsClient, TheDeadlineCoversTheHandshake) {
  StalledServer stalled;
  HttpClient client;
  const auto t = Clock::now();
  const HttpOutcome o = client.send(url_of(stalled.url()), post(), milliseconds(300));
  EXPECT_LT(Clock::now() - t, milliseconds(3'000));
  EXPECT_EQ(o.error, "no answer within 300ms");
  EXPECT_FALSE(o.cancelled);
}

TEST(HttpsClient, ThroughAConnectProxy) {
  testing::TestPki pki;
  testing::WebhookReceiver receiver({}, false, tls_with(pki.server_cert_file, pki));
  testing::ConnectProxy proxy;
  ClientOptions options = trusting(pki.ca_file);
  options.proxies.https_proxy = proxy.url();
  options.proxies.http_proxy = "http://127.0.0.1:1";  // not used for https://
  HttpClient client(options);
  const std::string target = "localhost:" + std::to_string(receiver.port());
  HttpOutcome o = client.send(url_of(receiver.url("/hook/T0KEN", "localhost")), post(), milliseconds(5'000));
  EXPECT_EQ(o.status, 200) << o.error;
  EXPECT_EQ(proxy.targets(), std::vector<std::string>{target});  // the proxy saw host:port, not the path
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].target, "/hook/T0KEN");  // origin-form inside the tunnel

  // The certificate is still checked end to end: the proxy cannot stand in for the server.
  ClientOptions untrusting = options;
  untrusting.ca_file = pki.other_ca_file;
  HttpClient refusing(untrusting);
  o = refusing.send(url_of(receiver.url("/hook", "localhost")), post(), milliseconds(5'000));
  EXPECT_EQ(o.error, "TLS: certificate verify failed: unable to get local issuer certificate");

  // NO_PROXY: straight to the receiver.
  options.proxies.no_proxy = "example.com, localhost";
  HttpClient direct(options);
  o = direct.send(url_of(receiver.url("/hook", "localhost")), post(), milliseconds(5'000));
  EXPECT_EQ(o.status, 200) << o.error;
  EXPECT_EQ(proxy.targets().size(), 2u);  // the one above and the refused one; not this one
}

TEST(HttpsClient, AProxyThatRefusesTheTunnelIsNamedInTheError) {
  testing::ConnectProxy proxy(/*refuse=*/true);
  ClientOptions options;
  options.proxies.https_proxy = proxy.url();
  HttpClient client(options);
  const HttpOutcome o = client.send(url_of("https://hooks.example.com/services/T0KEN"), post(), milliseconds(5'000));
  EXPECT_EQ(o.error, "proxy " + proxy.url().substr(7) + ": CONNECT hooks.example.com:443 answered HTTP 403");
  EXPECT_THAT(o.error, Not(HasSubstr("T0KEN")));
}

TEST(HttpsClient, PlainHttpThroughAProxyUsesTheAbsoluteForm) {
  testing::WebhookReceiver proxy;  // records what a proxy would be asked
  ClientOptions options;
  options.proxies.http_proxy = "127.0.0.1:" + std::to_string(proxy.port());  // no scheme: http://
  HttpClient client(options);
  const HttpOutcome o = client.send(url_of("http://relay.invalid:8080/hook?k=1"), post(), milliseconds(5'000));
  EXPECT_EQ(o.status, 200) << o.error;
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_EQ(proxy.requests()[0].target, "http://relay.invalid:8080/hook?k=1");
  EXPECT_EQ(proxy.requests()[0].headers.at("host"), "relay.invalid:8080");
}

config::NotifierConfig https_notifier(const std::string& url, const std::string& ca_file) {
  config::NotifierConfig c;
  c.name = "tls-hook";
  c.url = url;
  c.ca_file = ca_file;
  c.timeout = milliseconds(2'000);
  c.max_attempts = 2;
  c.backoff_initial = milliseconds(20);
  c.backoff_max = milliseconds(40);
  return c;
}

TEST(HttpsNotify, DeliversWithTheTestCaAndCountsARefusedCertificateAsFailed) {
  using evaluate::Status;
  testing::TestPki pki;
  testing::WebhookReceiver receiver({}, false, tls_with(pki.server_cert_file, pki));
  {
    notify::Notifier notifier(https_notifier(receiver.url("/hook/T0KEN"), pki.ca_file));
    notifier.observe(
        *testing::synthetic_view("prod", 1'800'000'000'000, {{"billing", testing::one_partition(Status::OK)}}));
    notifier.observe(
        *testing::synthetic_view("prod", 1'800'000'005'000, {{"billing", testing::one_partition(Status::ERR)}}));
    ASSERT_TRUE(eventually([&] { return notifier.counters().sent == 1; }));
    EXPECT_EQ(receiver.requests().at(0).target, "/hook/T0KEN");
  }
  testing::CapturedLog log;
  notify::Notifier notifier(https_notifier(receiver.url("/hook/T0KEN"), pki.other_ca_file));
  notifier.observe(
      *testing::synthetic_view("prod", 1'800'000'000'000, {{"billing", testing::one_partition(Status::OK)}}));
  notifier.observe(
      *testing::synthetic_view("prod", 1'800'000'005'000, {{"billing", testing::one_partition(Status::ERR)}}));
  ASSERT_TRUE(eventually([&] { return notifier.counters().failed == 1; }));
  EXPECT_EQ(notifier.counters().sent, 0u);
  EXPECT_EQ(notifier.counters().retries, 1u);
  EXPECT_EQ(receiver.requests().size(), 1u);  // only the first notifier's
  notifier.stop();
  bool named = false;
  for (const auto& line : log.lines()) {
    EXPECT_THAT(line, Not(HasSubstr("T0KEN")));
    named = named ||
            (line.find("gave up") != std::string::npos &&
             line.find("TLS: certificate verify failed: unable to get local issuer certificate") != std::string::npos);
  }
  EXPECT_TRUE(named);
}

TEST(HttpsNotify, InsecureSkipVerifyIsLoggedAsAWarning) {
  testing::TestPki pki;
  testing::CapturedLog log;
  auto cfg = https_notifier("https://127.0.0.1:9/hook", "");
  cfg.insecure_skip_verify = true;
  notify::Notifier notifier(cfg);
  notifier.stop();
  bool warned = false;
  for (const auto& line : log.lines()) warned = warned || line.find("insecure_skip_verify is on") != std::string::npos;
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace lagwatch::http_client
