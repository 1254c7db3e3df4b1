// The HTTP server with a web config file (--web.config.file): HTTPS with a private CA, client
// certificates, basic auth, the configured headers, probes without auth, and reloading the file.
// Certificates are made at test time (TestPki); the clients are tests/support's.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "captured_log.hpp"
#include "http/server.hpp"
#include "http/web_security.hpp"
#include "http_get.hpp"
#include "https_get.hpp"
#include "test_certificates.hpp"

namespace {

using namespace std::chrono_literals;
using lagwatch::testing::basic_auth_header;
using lagwatch::testing::CapturedLog;
using lagwatch::testing::https_get;
using lagwatch::testing::HttpsOptions;
using lagwatch::testing::TestPki;

// bcrypt (cost 5, $2y$) of "lagwatch-test", and of "second-password"; test data, not secrets.
constexpr const char* kHash = "$2y$05$abcdefghijklmnopqrstuu19b3e0f3gEuedb27QZzTmuLvBt3SQJO";

class WebTls : public ::testing::Test {
 protected:
  TestPki pki;
  std::string path = pki.dir + "/web.yml";
  CapturedLog log;
  std::shared_ptr<lagwatch::http::WebSecurity> security;
  std::unique_ptr<lagwatch::http::Server> server;

  void write(const std::string& text) {
    std::ofstream(path + ".tmp") << text;
    std::filesystem::rename(path + ".tmp", path);
  }
  void start(const std::string& yaml, std::set<std::string> open_paths = {}) {
    write(yaml);
    security = std::make_shared<lagwatch::http::WebSecurity>(path, std::move(open_paths));
    lagwatch::http::ServerOptions o;
    o.security = security;
    o.read_header_timeout = 2s;
    server = std::make_unique<lagwatch::http::Server>(
        "127.0.0.1:0",
        [](const lagwatch::http::Request& r) {
          lagwatch::http::Response res;
          res.body = "served " + r.path + "\n";
          return res;
        },
        o);
    server->start();
  }
  HttpsOptions trusted(const std::string& password = "") const {
    HttpsOptions o;
    o.ca_file = pki.ca_file;
    if (!password.empty()) o.headers["Authorization"] = basic_auth_header("alice", password);
    return o;
  }
  std::string all_log() const {
    std::string out;
    for (const auto& l : log.lines()) out += l + "\n";
    return out;
  }
};

const std::string kTls = "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n";
const std::string kUsers = std::string("basic_auth_users:\n  alice: ") + kHash + "\n";

TEST_F(WebTls, RightPasswordWrongPasswordAndTheLog) {
  start(
      kTls + kUsers +
      "http_server_config:\n  headers:\n    Strict-Transport-Security: max-age=31536000\n    X-Frame-Options: deny\n");
  auto r = https_get(server->port(), "/metrics", trusted("lagwatch-test"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "served /metrics\n");
  EXPECT_EQ(r.headers["strict-transport-security"], "max-age=31536000");
  EXPECT_EQ(r.headers["x-frame-options"], "deny");
  EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");

  r = https_get(server->port(), "/metrics", trusted("guessed-password"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers["www-authenticate"], "Basic realm=\"lagwatch\"");
  EXPECT_EQ(r.headers["x-frame-options"], "deny");  // refusals carry the headers too
  EXPECT_EQ(r.body.find("served"), std::string::npos);
  r = https_get(server->port(), "/metrics", trusted());
  EXPECT_EQ(r.status, 401);
  HttpsOptions unknown = trusted();
  unknown.headers["Authorization"] = basic_auth_header("mallory", "lagwatch-test");
  EXPECT_EQ(https_get(server->port(), "/", unknown).status, 401);

  const std::string text = all_log();
  EXPECT_NE(text.find("wrong password (user \"alice\")"), std::string::npos) << text;
  EXPECT_NE(text.find("no credentials"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown user (user \"mallory\")"), std::string::npos) << text;
  EXPECT_NE(text.find("from 127.0.0.1:"), std::string::npos) << text;
  EXPECT_EQ(text.find("guessed-password"), std::string::npos) << text;
  EXPECT_EQ(text.find(basic_auth_header("alice", "guessed-password").substr(6)), std::string::npos) << text;
}

TEST_F(WebTls, HandshakeFailsWithoutTheCaAndPlainHttpIsLogged) {
  start(kTls);
  HttpsOptions untrusted;
  untrusted.ca_file = pki.other_ca_file;
  try {
    https_get(server->port(), "/metrics", untrusted);
    FAIL() << "handshake succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("certificate verify failed"), std::string::npos) << e.what();
  }
  // Plain HTTP to the HTTPS port: no answer, and a log line.
  EXPECT_ANY_THROW(lagwatch::testing::http_get(server->port(), "/metrics"));
  for (int i = 0; i < 200 && all_log().find("TLS handshake with 127.0.0.1:") == std::string::npos; ++i) {
    std::this_thread::sleep_for(10ms);  // the server logs on its own thread; bounded wait
  }
  EXPECT_NE(all_log().find("TLS handshake with 127.0.0.1:"), std::string::npos) << all_log();
  // Still serving.
  EXPECT_EQ(https_get(server->port(), "/metrics", trusted()).status, 200);
}

TEST_F(WebTls, RequireAndVerifyClientCert) {
  start(kTls + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n");
  EXPECT_ANY_THROW(https_get(server->port(), "/metrics", trusted()));
  HttpsOptions with_cert = trusted();
  with_cert.client_cert_file = pki.client_cert_file;
  with_cert.client_key_file = pki.client_key_file;
  EXPECT_EQ(https_get(server->port(), "/metrics", with_cert).status, 200);
}

TEST_F(WebTls, ClientAllowedSans) {
  start(kTls +
        "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n  client_allowed_sans: "
        "[other.test]\n");
  HttpsOptions with_cert = trusted();
  with_cert.client_cert_file = pki.client_cert_file;
  with_cert.client_key_file = pki.client_key_file;
  EXPECT_ANY_THROW(https_get(server->port(), "/metrics", with_cert));
  write(kTls +
        "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n  client_allowed_sans: "
        "[prometheus.test]\n");
  security->reload();
  EXPECT_EQ(https_get(server->port(), "/metrics", with_cert).status, 200);
}

TEST_F(WebTls, ProbesNeedAuthUnlessOpened) {
  start(kTls + kUsers);
  EXPECT_EQ(https_get(server->port(), "/healthz", trusted()).status, 401);
  EXPECT_EQ(https_get(server->port(), "/readyz", trusted()).status, 401);
  server->stop();
  start(kTls + kUsers, {"/healthz", "/readyz"});
  EXPECT_EQ(https_get(server->port(), "/healthz", trusted()).status, 200);
  EXPECT_EQ(https_get(server->port(), "/readyz", trusted()).status, 200);
  EXPECT_EQ(https_get(server->port(), "/metrics", trusted()).status, 401);
}

TEST_F(WebTls, ANewPasswordIsPickedUpAndABrokenFileKeepsTheOldOne) {
  start(kTls + kUsers);
  EXPECT_EQ(https_get(server->port(), "/metrics", trusted("lagwatch-test")).status, 200);
  // A broken file: logged, and the old one keeps serving.
  write(kTls + "basic_auth_users:\n  alice: plaintext-password\n");
  const std::string outcome = security->reload();
  EXPECT_NE(outcome.find("basic_auth_users.alice: not a bcrypt hash"), std::string::npos) << outcome;
  EXPECT_NE(all_log().find("still serving with the previous web config"), std::string::npos);
  EXPECT_EQ(https_get(server->port(), "/metrics", trusted("lagwatch-test")).status, 200);

  // A new user, with no reload call: the server looks at the file (at most once a second).
  write(kTls + kUsers + "  bob: " + kHash + "\n");
  HttpsOptions bob = trusted();
  bob.headers["Authorization"] = basic_auth_header("bob", "lagwatch-test");
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {  // bounded: 10 s
    status = https_get(server->port(), "/metrics", bob).status;
    if (status != 200) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(status, 200);
}

TEST_F(WebTls, ARenewedCertificateServesNewConnections) {
  start(kTls);
  EXPECT_EQ(https_get(server->port(), "/", trusted()).status, 200);
  // Renewed by an unrelated CA: new connections get it, so a client trusting the old CA fails.
  TestPki other;
  std::filesystem::copy_file(other.server_cert_file, pki.server_cert_file + ".new");
  std::filesystem::copy_file(other.server_key_file, pki.server_key_file + ".new");
  std::filesystem::rename(pki.server_key_file + ".new", pki.server_key_file);
  std::filesystem::rename(pki.server_cert_file + ".new", pki.server_cert_file);
  security->reload();
  EXPECT_ANY_THROW(https_get(server->port(), "/", trusted()));
  HttpsOptions renewed;
  renewed.ca_file = other.ca_file;
  EXPECT_EQ(https_get(server->port(), "/", renewed).status, 200);
}

}  // namespace
