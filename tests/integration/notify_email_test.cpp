// Kind email end to end: the configuration of docs/notifications.md ("### Email"), its password
// from a file as the docs say, delivered through a local SMTP server (tests/support/
// smtp_server.hpp) that requires STARTTLS with the test CA and AUTH: one mail per transition,
// the subject and body the kind's, the password in no log line. Then what is retried (SMTP 4xx)
// and what is not (5xx; a server that does not offer STARTTLS gets no credentials).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "captured_log.hpp"
#include "config/config.hpp"
#include "notify/notifier.hpp"
#include "notify_steps.hpp"
#include "smtp_server.hpp"
#include "test_certificates.hpp"

namespace lagwatch::notify {
namespace {

using evaluate::Status;
using std::chrono::milliseconds;
using testing::eventually;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::warn_then_resolve;

const char* const kPassword = "sm7p-Pa55word";

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

struct Fixture {
  testing::TestPki pki;
  std::filesystem::path password_file = std::filesystem::path(pki.dir) / "smtp-password";

  Fixture() { std::ofstream(password_file) << kPassword << "\n"; }

  // The docs' notifier, pointed at `server` (host and port are all that change, and ca_file).
  NotifierConfig notifier_for(const testing::SmtpServer& server) const {
    const std::string yaml =
        "clusters: [{name: prod, bootstrap_servers: [\"kafka-1:9092\"]}]\n" +
        replaced(testing::docs_yaml_after("### Email"), "/run/secrets/smtp-password", password_file.string());
    auto config = config::parse_yaml(yaml, "docs/notifications.md ### Email");
    NotifierConfig c = config.notifiers.at(0);
    c.smtp.host = "localhost";
    c.smtp.port = server.port();
    c.ca_file = pki.ca_file;
    c.max_attempts = 3;
    c.backoff_initial = milliseconds(10);
    c.backoff_max = milliseconds(20);
    return c;
  }

  testing::SmtpServerOptions server_options() const {
    testing::SmtpServerOptions o;
    o.tls = testing::SmtpServerOptions::Tls::starttls;
    o.cert_file = pki.server_cert_file;
    o.key_file = pki.server_key_file;
    o.username = "lagwatch";
    o.password = kPassword;
    return o;
  }
};

TEST(NotifyEmail, OneMailPerTransitionOverStartTlsWithAuth) {
  Fixture f;
  testing::SmtpServer server(f.server_options());
  testing::CapturedLog log;
  {
    Notifier notifier(f.notifier_for(server));
    warn_then_resolve(notifier);
    ASSERT_TRUE(eventually([&] { return notifier.counters().sent == 2; })) << notifier.counters().failed;
    notifier.stop();
  }
  const auto mails = server.messages();
  ASSERT_EQ(mails.size(), 2u);
  for (const auto& m : mails) {
    EXPECT_TRUE(m.tls);
    EXPECT_TRUE(m.authenticated);
    EXPECT_EQ(m.mail_from, "lagwatch@example.com");
    EXPECT_EQ(m.rcpt_to, std::vector<std::string>{"kafka-oncall@example.com"});
    EXPECT_EQ(m.headers.at("from"), "\"lagwatch\" <lagwatch@example.com>");
  }
  EXPECT_EQ(mails[0].subject, "[lagwatch] WARN: prod/billing");
  EXPECT_EQ(mails[1].subject, "[lagwatch] RESOLVED: prod/billing");
  EXPECT_THAT(mails[0].body, HasSubstr("Consumer group billing on cluster prod is WARN (it was OK)."));
  EXPECT_THAT(mails[0].body, HasSubstr("Total lag:          4200 messages"));
  EXPECT_THAT(mails[0].body, HasSubstr("orders [0]  WARN  lag 4200, 12.5 s"));
  EXPECT_THAT(mails[1].body, HasSubstr("is OK again (it was WARN)."));
  bool sent_logged = false;
  for (const auto& line : log.lines()) {
    EXPECT_THAT(line, Not(HasSubstr(kPassword)));
    sent_logged =
        sent_logged || line.find("sent firing for prod/billing (OK -> WARN) to localhost:") != std::string::npos;
  }
  EXPECT_TRUE(sent_logged);
}

TEST(NotifyEmail, Smtp4xxIsRetriedAnd5xxIsNot) {
  Fixture f;
  {
    auto o = f.server_options();
    o.fail_at = {{"RCPT", 451}};
    testing::SmtpServer server(o);
    Notifier notifier(f.notifier_for(server));
    warn_then_resolve(notifier);
    ASSERT_TRUE(eventually([&] { return notifier.counters().failed == 2; }));
    EXPECT_EQ(notifier.counters().retries, 4u);  // 3 attempts each
    EXPECT_EQ(notifier.counters().sent, 0u);
  }
  {
    auto o = f.server_options();
    o.fail_at = {{"RCPT", 550}};
    testing::SmtpServer server(o);
    testing::CapturedLog log;
    Notifier notifier(f.notifier_for(server));
    warn_then_resolve(notifier);
    ASSERT_TRUE(eventually([&] { return notifier.counters().failed == 2; }));
    EXPECT_EQ(notifier.counters().retries, 0u);
    bool named = false;
    for (const auto& line : log.lines()) {
      named = named || (line.find("gave up") != std::string::npos && line.find("550") != std::string::npos &&
                        line.find("(not retried)") != std::string::npos);
    }
    EXPECT_TRUE(named);
  }
}

TEST(NotifyEmail, NoCredentialsToAServerWithoutStartTls) {
  Fixture f;
  auto o = f.server_options();
  o.offer_starttls = false;
  testing::SmtpServer server(o);
  testing::CapturedLog log;
  Notifier notifier(f.notifier_for(server));
  warn_then_resolve(notifier);
  ASSERT_TRUE(eventually([&] { return notifier.counters().failed == 2; }));
  EXPECT_TRUE(server.messages().empty());
  for (const auto& command : server.commands()) EXPECT_THAT(command, Not(HasSubstr("AUTH")));
  for (const auto& line : log.lines()) EXPECT_THAT(line, Not(HasSubstr(kPassword)));
}

}  // namespace
}  // namespace lagwatch::notify
