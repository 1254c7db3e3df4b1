// The "done when", as a new user would do it: the Slack and PagerDuty configurations
// are read from docs/notifications.md itself (the first ```yaml block under "### Slack" and
// "### PagerDuty"), with their secrets from the environment as the docs say, and delivered over
// HTTPS to a local receiver with a private CA (standing in for hooks.slack.com and
// events.pagerduty.com: the only changes are ca_file and, for PagerDuty, the url). A group goes
// OK -> WARN -> OK; Slack gets the WARN and its resolution, PagerDuty a trigger and a resolve
// for one incident; the log never holds the webhook's secret path or the routing key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "captured_log.hpp"
#include "config/config.hpp"
#include "notify/notifier.hpp"
#include "notify_steps.hpp"
#include "test_certificates.hpp"
#include "webhook_receiver.hpp"

namespace lagwatch::notify {
namespace {

using evaluate::Status;
using testing::eventually;
using testing::warn_then_resolve;
using json = nlohmann::json;
using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

NotifierConfig from_docs(const std::string& heading) {
  const std::string yaml =
      "clusters: [{name: prod, bootstrap_servers: [\"kafka-1:9092\"]}]\n" + testing::docs_yaml_after(heading);
  const auto config = config::parse_yaml(yaml, "docs/notifications.md " + heading);
  EXPECT_EQ(config.notifiers.size(), 1u) << yaml;
  return config.notifiers.at(0);
}

TEST(NotifyKindsFromTheDocs, SlackGetsTheWarnAndItsResolutionOverHttps) {
  testing::TestPki pki;
  testing::WebhookReceiver slack({}, false, testing::ReceiverTls{pki.server_cert_file, pki.server_key_file});
  const std::string secret_path = "/services/T0001/B0001/S3CRETt0ken";
  ::setenv("SLACK_WEBHOOK_URL", slack.url(secret_path, "localhost").c_str(), 1);
  NotifierConfig c = from_docs("### Slack");
  EXPECT_EQ(c.kind, "slack");
  c.ca_file = pki.ca_file;
  testing::CapturedLog log;
  {
    Notifier notifier(c);
    warn_then_resolve(notifier);
    ASSERT_TRUE(eventually([&] { return notifier.counters().sent == 2; })) << notifier.counters().failed;
    notifier.stop();
  }
  const auto got = slack.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].target, secret_path);
  EXPECT_EQ(got[0].headers.at("content-type"), "application/json");
  const json warn = json::parse(got[0].body);
  const json resolved = json::parse(got[1].body);
  EXPECT_EQ(warn["text"], "WARN: consumer group billing on prod");
  EXPECT_EQ(resolved["text"], "Resolved: consumer group billing on prod");
  EXPECT_THAT(warn.dump(), HasSubstr("4200 messages"));
  EXPECT_THAT(warn.dump(), HasSubstr(":large_yellow_circle:"));
  EXPECT_THAT(warn.dump(),
              HasSubstr("<https://grafana.example.com/d/lagwatch-group?var-cluster=prod&amp;var-group=billing|Open>"));
  EXPECT_THAT(resolved.dump(), HasSubstr("WARN → OK"));
  for (const auto& line : log.lines()) EXPECT_THAT(line, Not(HasSubstr("S3CRET"))) << line;
}

TEST(NotifyKindsFromTheDocs, PagerDutyTriggersAndResolvesOneIncidentOverHttps) {
  testing::TestPki pki;
  testing::WebhookReceiver pagerduty({202, 202}, false,
                                     testing::ReceiverTls{pki.server_cert_file, pki.server_key_file});
  ::setenv("PAGERDUTY_ROUTING_KEY", "R0UT1NGKEYdocs0123456789abcdefAB", 1);
  NotifierConfig c = from_docs("### PagerDuty");
  EXPECT_EQ(c.kind, "pagerduty");
  EXPECT_EQ(c.url, "");  // the docs rely on the default, https://events.pagerduty.com/v2/enqueue
  c.url = pagerduty.url("/v2/enqueue", "localhost");
  c.ca_file = pki.ca_file;
  testing::CapturedLog log;
  {
    Notifier notifier(c);
    warn_then_resolve(notifier);
    ASSERT_TRUE(eventually([&] { return notifier.counters().sent == 2; })) << notifier.counters().failed;
    notifier.stop();
  }
  const auto got = pagerduty.requests();
  ASSERT_EQ(got.size(), 2u);
  const json trigger = json::parse(got[0].body);
  const json resolve = json::parse(got[1].body);
  EXPECT_EQ(got[0].target, "/v2/enqueue");
  EXPECT_EQ(trigger["routing_key"], "R0UT1NGKEYdocs0123456789abcdefAB");
  EXPECT_EQ(trigger["event_action"], "trigger");
  EXPECT_EQ(trigger["payload"]["severity"], "warning");
  EXPECT_EQ(trigger["payload"]["source"], "prod");
  EXPECT_EQ(trigger["payload"]["component"], "billing");
  EXPECT_THAT(trigger["payload"]["summary"].get<std::string>(), StartsWith("Consumer group billing on prod is WARN"));
  EXPECT_EQ(resolve["event_action"], "resolve");
  EXPECT_EQ(resolve["routing_key"], trigger["routing_key"]);
  EXPECT_EQ(resolve["dedup_key"], trigger["dedup_key"]);
  EXPECT_EQ(trigger["dedup_key"], "lagwatch/prod/billing");
  for (const auto& line : log.lines()) EXPECT_THAT(line, Not(HasSubstr("R0UT1NGKEY"))) << line;
}

TEST(NotifyKindsFromTheDocs, EveryYamlBlockOfTheKindsParses) {
  ::setenv("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/X", 1);
  ::setenv("TEAMS_WORKFLOW_URL", "https://prod.westeurope.logic.azure.com/workflows/x/triggers/manual/paths/invoke", 1);
  ::setenv("PAGERDUTY_ROUTING_KEY", "R0UT1NGKEY", 1);
  ::setenv("LAGWATCH_WEBHOOK_TOKEN", "t", 1);
  for (const std::string heading : {"### Slack", "### Microsoft Teams", "### PagerDuty", "### Webhook"}) {
    EXPECT_NO_THROW((void)from_docs(heading)) << heading;
  }
}

}  // namespace
}  // namespace lagwatch::notify
