// smtp::Client against tests/support/smtp_server.hpp: plain, STARTTLS and implicit TLS, AUTH
// PLAIN and LOGIN, refusals (no STARTTLS, an untrusted certificate), scripted failures and
// how retryable they are, the deadline and cancel().
#include "smtp/smtp_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "smtp/message.hpp"
#include "smtp_server.hpp"
#include "test_certificates.hpp"
#include "util/base64.hpp"

namespace {

using lagwatch::smtp::Client;
using lagwatch::smtp::ClientOptions;
using lagwatch::smtp::Message;
using lagwatch::smtp::Outcome;
using lagwatch::smtp::Security;
using lagwatch::testing::SmtpServer;
using lagwatch::testing::SmtpServerOptions;
using lagwatch::testing::TestPki;
using namespace std::chrono_literals;

constexpr const char* kUser = "alerts@example.com";
constexpr const char* kPassword = "pa55-W0rd!secret";

Message sample() {
  Message m;
  m.from = "lagwatch@example.com";
  m.to = {"oncall@example.com"};
  m.subject = "[WARN] billing on demo";
  m.text_body = "Group billing is lagging.\nPartition invoices/0: lag 5000\n";
  return m;
}

ClientOptions plain_to(const SmtpServer& server) {
  ClientOptions o;
  o.host = "127.0.0.1";
  o.port = server.port();
  o.security = Security::none;
  o.helo_name = "lagwatch.test";
  return o;
}

SmtpServerOptions tls_server(const TestPki& pki, SmtpServerOptions::Tls tls = SmtpServerOptions::Tls::starttls) {
  SmtpServerOptions o;
  o.tls = tls;
  o.cert_file = pki.server_cert_file;
  o.key_file = pki.server_key_file;
  o.username = kUser;
  o.password = kPassword;
  return o;
}

ClientOptions secure_to(const SmtpServer& server, const TestPki& pki) {
  ClientOptions o;
  o.host = "127.0.0.1";
  o.port = server.port();
  o.security = Security::starttls;
  o.username = kUser;
  o.password = kPassword;
  o.ca_file = pki.ca_file;
  return o;
}

bool any_auth(const std::vector<std::string>& commands) {
  for (const auto& c : commands) {
    if (c.rfind("AUTH", 0) == 0) return true;
  }
  return false;
}

TEST(SmtpClient, PlainSendOnLoopback) {
  SmtpServer server;
  Client client(plain_to(server));
  Message m = sample();
  m.to = {"a@example.com", "b@example.org"};
  const Outcome out = client.send(m, 10s);
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_EQ(out.reply_code, 250);
  EXPECT_TRUE(out.error.empty());
  const auto mails = server.wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  const auto& mail = mails[0];
  EXPECT_FALSE(mail.tls);
  EXPECT_FALSE(mail.authenticated);
  EXPECT_EQ(mail.mail_from, "lagwatch@example.com");
  EXPECT_EQ(mail.rcpt_to, (std::vector<std::string>{"a@example.com", "b@example.org"}));
  EXPECT_EQ(mail.headers.at("from"), "lagwatch@example.com");
  EXPECT_EQ(mail.headers.at("to"), "a@example.com, b@example.org");
  EXPECT_EQ(mail.subject, "[WARN] billing on demo");
  EXPECT_EQ(mail.headers.at("subject"), "[WARN] billing on demo");
  EXPECT_EQ(mail.headers.at("mime-version"), "1.0");
  EXPECT_EQ(mail.headers.at("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(mail.headers.at("content-transfer-encoding"), "7bit");
  EXPECT_EQ(mail.body, "Group billing is lagging.\r\nPartition invoices/0: lag 5000\r\n");
  // "Tue, 01 Jul 2025 12:00:00 +0000"
  const std::string date = mail.headers.at("date");
  EXPECT_EQ(date.size(), 31u) << date;
  EXPECT_EQ(date.substr(date.size() - 5), "+0000");
  const std::string id = mail.headers.at("message-id");
  EXPECT_EQ(id.front(), '<');
  EXPECT_NE(id.find("@example.com>"), std::string::npos) << id;
  const auto commands = server.commands();
  ASSERT_FALSE(commands.empty());
  EXPECT_EQ(commands.front(), "EHLO lagwatch.test");
  EXPECT_EQ(commands.back(), "QUIT");
}

TEST(SmtpClient, StartTlsAuthPlainHeadersAndDotStuffing) {
  TestPki pki;
  SmtpServer server(tls_server(pki));
  Client client(secure_to(server, pki));
  Message m = sample();
  m.subject = "Lag über Grenzwert: billing — 5000 messages";
  m.text_body = "first line\n.hidden line starting with a dot\n..two dots\n.\nlast\n";
  const Outcome out = client.send(m, 10s);
  ASSERT_TRUE(out.ok) << out.error;
  const auto mails = server.wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  const auto& mail = mails[0];
  EXPECT_TRUE(mail.tls);
  EXPECT_TRUE(mail.authenticated);
  EXPECT_EQ(mail.auth_mechanism, "PLAIN");
  EXPECT_EQ(mail.subject, m.subject);
  EXPECT_EQ(mail.headers.at("subject").rfind("=?UTF-8?B?", 0), 0u) << mail.headers.at("subject");
  EXPECT_EQ(mail.headers.at("content-transfer-encoding"), "7bit");
  EXPECT_NE(mail.wire_data.find("\r\n..hidden line"), std::string::npos);
  EXPECT_NE(mail.wire_data.find("\r\n...two dots\r\n..\r\nlast"), std::string::npos);
  EXPECT_EQ(mail.body, "first line\r\n.hidden line starting with a dot\r\n..two dots\r\n.\r\nlast\r\n");
  // The commands before STARTTLS carry no credentials.
  const auto commands = server.commands();
  ASSERT_GE(commands.size(), 3u);
  EXPECT_EQ(commands[1], "STARTTLS");
}

TEST(SmtpClient, AuthLoginWhenPlainIsNotOffered) {
  TestPki pki;
  auto options = tls_server(pki);
  options.auth_mechanisms = {"CRAM-MD5", "LOGIN"};
  SmtpServer server(options);
  Client client(secure_to(server, pki));
  const Outcome out = client.send(sample(), 10s);
  ASSERT_TRUE(out.ok) << out.error;
  const auto mails = server.wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].auth_mechanism, "LOGIN");
  EXPECT_TRUE(mails[0].tls);
}

TEST(SmtpClient, NoSupportedAuthMechanism) {
  TestPki pki;
  auto options = tls_server(pki);
  options.auth_mechanisms = {"CRAM-MD5", "XOAUTH2"};
  SmtpServer server(options);
  Client client(secure_to(server, pki));
  const Outcome out = client.send(sample(), 10s);
  EXPECT_FALSE(out.ok);
  EXPECT_FALSE(out.retryable);
  EXPECT_NE(out.error.find("neither AUTH PLAIN nor AUTH LOGIN (offers: CRAM-MD5 XOAUTH2)"), std::string::npos)
      << out.error;
}

TEST(SmtpClient, ImplicitTls) {
  TestPki pki;
  SmtpServer server(tls_server(pki, SmtpServerOptions::Tls::implicit));
  ClientOptions o = secure_to(server, pki);
  o.security = Security::tls;
  Client client(o);
  const Outcome out = client.send(sample(), 10s);
  ASSERT_TRUE(out.ok) << out.error;
  const auto mails = server.wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(mails[0].tls);
  EXPECT_TRUE(mails[0].authenticated);
}

TEST(SmtpClient, RequiredStartTlsNotOfferedIsRefusedBeforeCredentials) {
  TestPki pki;
  auto options = tls_server(pki);
  options.offer_starttls = false;
  SmtpServer server(options);
  Client client(secure_to(server, pki));
  const Outcome out = client.send(sample(), 10s);
  EXPECT_FALSE(out.ok);
  EXPECT_FALSE(out.retryable);
  EXPECT_NE(out.error.find("does not offer STARTTLS"), std::string::npos) << out.error;
  EXPECT_EQ(out.error.rfind("127.0.0.1:" + std::to_string(server.port()) + ": ", 0), 0u) << out.error;
  EXPECT_FALSE(any_auth(server.commands()));
  EXPECT_TRUE(server.messages().empty());
}

TEST(SmtpClient, UntrustedCertificateIsRefused) {
  TestPki pki;
  SmtpServer server(tls_server(pki));
  ClientOptions o = secure_to(server, pki);
  o.ca_file = pki.other_ca_file;
  Client client(o);
  const Outcome out = client.send(sample(), 10s);
  EXPECT_FALSE(out.ok);
  EXPECT_FALSE(out.retryable);
  EXPECT_NE(out.error.find("TLS: certificate verify failed: "), std::string::npos) << out.error;
  EXPECT_FALSE(any_auth(server.commands()));
  EXPECT_TRUE(server.messages().empty());
}

TEST(SmtpClient, CertificateForAnotherNameIsRefused) {
  TestPki pki;
  auto options = tls_server(pki);
  options.cert_file = pki.localhost_only_cert_file;  // names localhost, not 127.0.0.1
  SmtpServer server(options);
  Client client(secure_to(server, pki));
  const Outcome out = client.send(sample(), 10s);
  EXPECT_FALSE(out.ok);
  EXPECT_FALSE(out.retryable);
  EXPECT_NE(out.error.find("certificate verify failed: IP address mismatch"), std::string::npos) << out.error;
}

TEST(SmtpClient, TemporaryFailureAtRcptIsRetryable) {
  SmtpServerOptions options;
  options.fail_at = {{"RCPT", 451}};
  SmtpServer server(options);
  Client client(plain_to(server));
  const Outcome out = client.send(sample(), 10s);
  EXPECT_FALSE(out.ok);
  EXPECT_TRUE(out.retryable);
  EXPECT_EQ(out.reply_code, 451);
  EXPECT_NE(out.error.find(": RCPT TO:<oncall@example.com>: 451 4.0.0 scripted failure at RCPT"), std::string::npos)
      << out.error;
}

TEST(SmtpClient, PermanentFailureAtRcptIsNot) {
  SmtpServerOptions options;
  options.fail_at = {{"RCPT", 550}};
  SmtpServer server(options);
  Client client(plain_to(server));
  const Outcome out = client.send(sample(), 10s);
  EXPECT_FALSE(out.ok);
  EXPECT_FALSE(out.retryable);
  EXPECT_EQ(out.reply_code, 550);
  EXPECT_NE(out.error.find("RCPT TO:<oncall@example.com>: 550 "), std::string::npos) << out.error;
}

TEST(SmtpClient, FailuresAtOtherSteps) {
  for (const auto& [step, code, named] :
       std::vector<std::tuple<std::string, int, std::string>>{{"GREETING", 554, "greeting: 554"},
                                                              {"MAIL", 452, "MAIL FROM:<lagwatch@example.com>: 452"},
                                                              {"DATA", 554, "DATA: 554"},
                                                              {"MESSAGE", 451, "end of DATA: 451"}}) {
    SmtpServerOptions options;
    options.fail_at = {{step, code}};
    SmtpServer server(options);
    Client client(plain_to(server));
    const Outcome out = client.send(sample(), 10s);
    EXPECT_FALSE(out.ok) << step;
    EXPECT_EQ(out.retryable, code / 100 == 4) << step;
    EXPECT_EQ(out.reply_code, code) << step;
    EXPECT_NE(out.error.find(named), std::string::npos) << out.error;
  }
}

TEST(SmtpClient, AuthFailureIsPermanentAndQuotesNoSecret) {
  TestPki pki;
  for (const auto& mechanisms : {std::vector<std::string>{"PLAIN"}, std::vector<std::string>{"LOGIN"}}) {
    auto options = tls_server(pki);
    options.auth_mechanisms = mechanisms;
    options.password = "another password";
    SmtpServer server(options);
    Client client(secure_to(server, pki));
    const Outcome out = client.send(sample(), 10s);
    EXPECT_FALSE(out.ok);
    EXPECT_FALSE(out.retryable);
    EXPECT_EQ(out.reply_code, 535);
    EXPECT_NE(out.error.find("AUTH " + mechanisms[0]), std::string::npos) << out.error;
    EXPECT_NE(out.error.find("535 5.7.8"), std::string::npos) << out.error;
    EXPECT_EQ(out.error.find(kPassword), std::string::npos) << out.error;
    EXPECT_EQ(out.error.find(lagwatch::util::base64_encode(kPassword)), std::string::npos) << out.error;
    EXPECT_TRUE(server.messages().empty());
  }
}

TEST(SmtpClient, ScriptedAuthRefusal) {
  TestPki pki;
  auto options = tls_server(pki);
  options.fail_at = {{"AUTH", 535}};
  SmtpServer server(options);
  Client client(secure_to(server, pki));
  const Outcome out = client.send(sample(), 10s);
  EXPECT_FALSE(out.ok);
  EXPECT_FALSE(out.retryable);
  EXPECT_EQ(out.reply_code, 535);
  EXPECT_EQ(out.error.find(kPassword), std::string::npos) << out.error;
}

TEST(SmtpClient, CredentialsInClearTextOnlyToLoopback) {
  SmtpServerOptions options;
  options.username = kUser;
  options.password = kPassword;
  SmtpServer server(options);
  ClientOptions o = plain_to(server);
  o.username = kUser;
  o.password = kPassword;
  Client client(o);
  const Outcome out = client.send(sample(), 10s);
  ASSERT_TRUE(out.ok) << out.error;
  const auto mails = server.wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(mails[0].authenticated);
  EXPECT_FALSE(mails[0].tls);
  // Anywhere else the client refuses to be built.
  o.host = "192.0.2.10";
  EXPECT_THROW(Client{o}, std::invalid_argument);
}

TEST(SmtpClient, HeloWhenEhloIsNotImplemented) {
  SmtpServerOptions options;
  options.ehlo = false;
  SmtpServer server(options);
  Client client(plain_to(server));
  const Outcome out = client.send(sample(), 10s);
  ASSERT_TRUE(out.ok) << out.error;
  const auto commands = server.commands();
  ASSERT_GE(commands.size(), 2u);
  EXPECT_EQ(commands[1], "HELO lagwatch.test");
}

TEST(SmtpClient, ServerThatNeverGreetsTimesOut) {
  SmtpServerOptions options;
  options.greet = false;
  SmtpServer server(options);
  Client client(plain_to(server));
  const auto start = std::chrono::steady_clock::now();
  const Outcome out = client.send(sample(), 500ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(out.ok);
  EXPECT_TRUE(out.retryable);
  EXPECT_FALSE(out.cancelled);
  EXPECT_LT(took, 5s);
  EXPECT_GE(took, 450ms);
  EXPECT_NE(out.error.find("no answer within 500ms (greeting)"), std::string::npos) << out.error;
}

TEST(SmtpClient, MalformedOrOversizeRepliesAreClearErrors) {
  for (const auto& [greeting, expected] : std::vector<std::pair<std::string, std::string>>{
           {"HTTP/1.1 400 Bad Request\r\n\r\n", "greeting: malformed reply: reply line without a 3-digit code"},
           {"220 " + std::string(100000, 'a'), "greeting: malformed reply: reply line longer than 1024 bytes"},
           {"220-x\r\n221 y\r\n", "greeting: malformed reply: multi-line reply whose lines have different codes"}}) {
    SmtpServerOptions options;
    options.greeting = greeting;
    SmtpServer server(options);
    Client client(plain_to(server));
    const Outcome out = client.send(sample(), 10s);
    EXPECT_FALSE(out.ok);
    EXPECT_TRUE(out.retryable);
    EXPECT_NE(out.error.find(expected), std::string::npos) << out.error;
  }
}

TEST(SmtpClient, StallAtDataTimesOutNamingTheStep) {
  SmtpServerOptions options;
  options.stall_at = "DATA";
  SmtpServer server(options);
  Client client(plain_to(server));
  const Outcome out = client.send(sample(), 700ms);
  EXPECT_FALSE(out.ok);
  EXPECT_TRUE(out.retryable);
  EXPECT_NE(out.error.find("no answer within 700ms (DATA)"), std::string::npos) << out.error;
}

TEST(SmtpClient, CancelCutsASendShort) {
  SmtpServerOptions options;
  options.greet = false;
  SmtpServer server(options);
  Client client(plain_to(server));
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    client.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  const Outcome out = client.send(sample(), 30s);
  const auto took = std::chrono::steady_clock::now() - start;
  canceller.join();
  EXPECT_FALSE(out.ok);
  EXPECT_TRUE(out.cancelled);
  EXPECT_LT(took, 5s);
  // Every later send returns at once.
  const Outcome again = client.send(sample(), 30s);
  EXPECT_TRUE(again.cancelled);
  EXPECT_EQ(server.connections(), 1);
}

TEST(SmtpClient, ConnectionRefusedIsRetryable) {
  uint16_t port = 0;
  {
    SmtpServer gone;
    port = gone.port();
  }
  ClientOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.security = Security::none;
  Client client(o);
  const Outcome out = client.send(sample(), 5s);
  EXPECT_FALSE(out.ok);
  EXPECT_TRUE(out.retryable);
  EXPECT_NE(out.error.find("127.0.0.1:" + std::to_string(port) + ": connect: "), std::string::npos) << out.error;
}

TEST(SmtpClient, MultipartAlternativeWithQuotedPrintable) {
  SmtpServer server;
  Client client(plain_to(server));
  Message m = sample();
  m.text_body = "Größe: 5000\n";
  m.html_body = "<p>Gr&ouml;&szlig;e: <b>5000</b></p>";
  const Outcome out = client.send(m, 10s);
  ASSERT_TRUE(out.ok) << out.error;
  const auto mails = server.wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  const std::string type = mails[0].headers.at("content-type");
  ASSERT_EQ(type.rfind("multipart/alternative; boundary=\"", 0), 0u) << type;
  const std::string boundary = type.substr(33, type.size() - 34);
  EXPECT_NE(mails[0].body.find("--" + boundary +
                               "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                               "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=B6=C3=9Fe: 5000\r\n"),
            std::string::npos)
      << mails[0].body;
  EXPECT_NE(mails[0].body.find("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n<p>"),
            std::string::npos);
  EXPECT_NE(mails[0].body.find("--" + boundary + "--\r\n"), std::string::npos);
}

TEST(SmtpClient, InvalidMessageIsNotSent) {
  SmtpServer server;
  Client client(plain_to(server));
  Message m = sample();
  m.subject = "hello\r\nBcc: victim@example.com";
  Outcome out = client.send(m, 5s);
  EXPECT_FALSE(out.ok);
  EXPECT_FALSE(out.retryable);
  EXPECT_NE(out.error.find("subject: contains a line break"), std::string::npos) << out.error;
  m = sample();
  m.to = {"oncall@example.com>\r\nRCPT TO:<victim@example.com"};
  out = client.send(m, 5s);
  EXPECT_FALSE(out.ok);
  EXPECT_NE(out.error.find("to: address contains a line break"), std::string::npos) << out.error;
  m = sample();
  m.to = {};
  out = client.send(m, 5s);
  EXPECT_NE(out.error.find("to: no recipient"), std::string::npos) << out.error;
  EXPECT_EQ(server.connections(), 0);
}

TEST(SmtpClient, OptionsProblems) {
  using lagwatch::smtp::options_problem;
  ClientOptions o;
  EXPECT_EQ(options_problem(o).value_or(""), "host: empty");
  o.host = "smtp.example.com";
  EXPECT_FALSE(options_problem(o).has_value());
  o.security = Security::none;
  o.username = "u";
  EXPECT_NE(options_problem(o).value_or("").find("not sent without TLS"), std::string::npos);
  o.host = "localhost";
  EXPECT_FALSE(options_problem(o).has_value());
  o.host = "127.0.0.1";
  EXPECT_FALSE(options_problem(o).has_value());
  o.helo_name = "bad name";
  EXPECT_TRUE(options_problem(o).has_value());
  o.helo_name = "";
  o.ca_file = "/nonexistent/ca.pem";
  EXPECT_NE(options_problem(o).value_or("").find("ca_file: cannot read"), std::string::npos);
  EXPECT_THROW(Client{o}, std::invalid_argument);
}

TEST(SmtpClient, AddressProblems) {
  using lagwatch::smtp::address_problem;
  EXPECT_FALSE(address_problem("oncall@example.com").has_value());
  EXPECT_FALSE(address_problem("first.last+tag@sub.example.co.uk").has_value());
  EXPECT_TRUE(address_problem("").has_value());
  EXPECT_TRUE(address_problem("no-at-sign").has_value());
  EXPECT_TRUE(address_problem("@example.com").has_value());
  EXPECT_TRUE(address_problem("user@").has_value());
  EXPECT_TRUE(address_problem("a@b@c").has_value());
  EXPECT_TRUE(address_problem("Ops <ops@example.com>").has_value());
  EXPECT_TRUE(address_problem("ops@example.com\r\n").has_value());
  EXPECT_TRUE(address_problem("öps@example.com").has_value());
  EXPECT_TRUE(address_problem("ops@exa_mple.com").has_value());
  EXPECT_TRUE(address_problem("ops@.example.com").has_value());
  EXPECT_TRUE(address_problem(".ops@example.com").has_value());
  EXPECT_TRUE(address_problem(std::string(65, 'a') + "@example.com").has_value());
}

}  // namespace
