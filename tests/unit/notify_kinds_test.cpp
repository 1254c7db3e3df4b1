// Notifier kinds (notify/config/kind.hpp): each kind's default body, rendered for a firing and
// its resolution and compared byte for byte with tests/data/notify-golden/ (regenerate with
// LAGWATCH_UPDATE_GOLDEN=1 after a deliberate change, and review the diff); the JSON bodies
// parse and carry what the receiving service requires; the template language's conditions and
// top partitions; and the settings each kind requires or refuses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/config.hpp"
#include "notification/body_template.hpp"
#include "notify/config/kind.hpp"
#include "notify/config/mail_address.hpp"
#include "notify/config/notifier_problem.hpp"

namespace lagwatch::notify {
namespace {

using evaluate::Status;
using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// ERR with seven partitions not OK: more than the five a chat message lists.
Notification firing() {
  Notification n;
  n.cluster = "prod-eu";
  n.group = "billing";
  n.event = Event::firing;
  n.status = Status::ERR;
  n.previous_status = Status::WARN;
  n.total_lag = 48'210;
  n.max_lag_seconds = 312.25;
  n.partition_count = 12;
  n.partitions_not_ok = {{"invoices", 0, Status::WARN, 1'200, 30},    {"invoices", 1, Status::WARN, 900, 22.5},
                         {"invoices", 2, Status::WARN, 150, 4},       {"orders", 0, Status::STOP, 20'000, 312.25},
                         {"orders", 1, Status::STALL, 15'000, 200.5}, {"orders", 2, Status::WARN, 10'000, 150},
                         {"orders", 3, Status::WARN, 960, 12}};
  n.worst = n.partitions_not_ok[3];
  n.timestamp_ms = 1'796'132'452'123;  // 2026-12-01T14:20:52.123Z
  return n;
}

Notification resolved() {
  Notification n = firing();
  n.event = Event::resolved;
  n.status = Status::OK;
  n.previous_status = Status::ERR;
  n.total_lag = 12;
  n.max_lag_seconds = 0.5;
  n.partitions_not_ok.clear();
  n.worst = PartitionFacts{"orders", 0, Status::OK, 4, 0.5};
  n.timestamp_ms += 600'000;
  return n;
}

NotifierConfig config_of(const std::string& kind) {
  NotifierConfig c;
  c.name = "oncall";
  c.kind = kind;
  c.link = "https://grafana.example.com/d/lagwatch-group?var-cluster={{cluster}}&var-group={{group}}";
  if (kind == "pagerduty") c.routing_key = "R0UT1NGKEY0123456789abcdefABCDEF";
  if (kind == "email") {
    c.smtp.host = "smtp.example.com";
    c.from = "lagwatch <lagwatch@example.com>";
    c.to = {"kafka-oncall@example.com"};
  } else if (kind != "pagerduty") {
    c.url = "https://hooks.example.com/services/T000/B000/XXXX";
  }
  return c;
}

// The body the kind's sender would send (HttpSender and the email sender render the same way).
std::string body(const std::string& kind, const Notification& n) {
  const NotifierConfig c = config_of(kind);
  const KindSpec* spec = find_kind(kind);
  EXPECT_NE(spec, nullptr) << kind;
  const BodyTemplate link(c.link, Escape::url);
  return BodyTemplate(body_template_of(c, *spec), spec->escape)
      .render(n, RenderContext{c.name, link.render(n, c.name), c.routing_key});
}

std::string golden_path(const std::string& name) {
  return std::string(LAGWATCH_SOURCE_DIR) + "/tests/data/notify-golden/" + name;
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = golden_path(name);
  if (std::getenv("LAGWATCH_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << path << " (LAGWATCH_UPDATE_GOLDEN=1 writes it)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "the " << name << " body changed; if that is intended, run the test with "
                                    << "LAGWATCH_UPDATE_GOLDEN=1 and review the diff";
}

TEST(NotifierKinds, EveryKindIsInTheTableAndItsDefaultsCompile) {
  EXPECT_EQ(kind_names(), (std::vector<std::string>{"webhook", "slack", "teams", "pagerduty", "email"}));
  for (const auto& name : kind_names()) {
    EXPECT_EQ(notifier_problem(config_of(name)), std::nullopt) << name;
  }
}

TEST(NotifierKinds, GoldenBodies) {
  for (const std::string kind : {"webhook", "slack", "teams", "pagerduty"}) {
    expect_golden(kind + "-firing.json", body(kind, firing()));
    expect_golden(kind + "-resolved.json", body(kind, resolved()));
    // Each is JSON, whatever the group's name holds.
    Notification odd = firing();
    odd.group = "a \"quoted\" <group> & \\ more\n";
    EXPECT_TRUE(json::accept(body(kind, odd))) << kind << ":\n" << body(kind, odd);
  }
  expect_golden("email-firing.txt", body("email", firing()));
  expect_golden("email-resolved.txt", body("email", resolved()));
  const NotifierConfig c = config_of("email");
  const BodyTemplate subject(find_kind("email")->default_subject, Escape::text);
  EXPECT_EQ(subject.render(firing(), c.name), "[lagwatch] ERR: prod-eu/billing");
  EXPECT_EQ(subject.render(resolved(), c.name), "[lagwatch] RESOLVED: prod-eu/billing");
}

TEST(NotifierKinds, PagerDutyTriggersAndResolvesOneIncidentPerGroup) {
  const json trigger = json::parse(body("pagerduty", firing()));
  const json resolve = json::parse(body("pagerduty", resolved()));
  EXPECT_EQ(trigger["event_action"], "trigger");
  EXPECT_EQ(resolve["event_action"], "resolve");
  EXPECT_EQ(trigger["dedup_key"], "lagwatch/prod-eu/billing");
  EXPECT_EQ(trigger["dedup_key"], resolve["dedup_key"]);
  EXPECT_EQ(trigger["routing_key"], "R0UT1NGKEY0123456789abcdefABCDEF");
  EXPECT_EQ(trigger["payload"]["severity"], "error");
  EXPECT_EQ(trigger["payload"]["source"], "prod-eu");
  EXPECT_EQ(trigger["payload"]["custom_details"]["worst_partitions"].size(), 5u);
  EXPECT_EQ(trigger["payload"]["custom_details"]["worst_partitions"][0]["topic"], "orders");
  EXPECT_EQ(trigger["links"][0]["href"],
            "https://grafana.example.com/d/lagwatch-group?var-cluster=prod-eu&var-group=billing");
  // A resolve carries no payload (the Events API ignores one), and no links.
  EXPECT_FALSE(resolve.contains("payload"));
  EXPECT_FALSE(resolve.contains("links"));
  Notification warn = firing();
  warn.status = Status::WARN;
  EXPECT_EQ(json::parse(body("pagerduty", warn))["payload"]["severity"], "warning");
  // Another group is another incident.
  Notification other = firing();
  other.group = "shipping";
  EXPECT_NE(json::parse(body("pagerduty", other))["dedup_key"], trigger["dedup_key"]);
}

TEST(NotifierKinds, SlackTextIsEscapedForMrkdwn) {
  Notification n = firing();
  n.group = "<!channel> & co";
  const json j = json::parse(body("slack", n));
  EXPECT_THAT(j["text"].get<std::string>(), HasSubstr("&lt;!channel&gt; &amp; co"));
  EXPECT_THAT(j.dump(), Not(HasSubstr("<!channel>")));
  // The link keeps its query, & included (Slack decodes &amp; in a <url|text> link).
  EXPECT_THAT(
      j["blocks"].back()["elements"][0]["text"].get<std::string>(),
      HasSubstr("<https://grafana.example.com/d/lagwatch-group?var-cluster=prod-eu&amp;var-group=%3C%21channel%3E"
                "%20%26%20co|Open>"));
}

TEST(NotifierKinds, ChatMessagesListTheFiveWorstPartitions) {
  const std::string slack = body("slack", firing());
  EXPECT_THAT(slack, HasSubstr("`orders` [0] STOP: lag 20000, 312.25 s\\n• `orders` [1] STALL"));
  EXPECT_THAT(slack, HasSubstr("… and 2 more"));
  EXPECT_THAT(slack, Not(HasSubstr("`invoices` [2]")));  // the two smallest WARNs are left out
  const Notification n = firing();
  const auto top = top_partitions(n);  // points into n
  ASSERT_EQ(top.size(), 5u);
  EXPECT_EQ(top[0]->status, Status::STOP);
  EXPECT_EQ(top[1]->status, Status::STALL);
  EXPECT_EQ(top[2]->lag, 10'000);
  EXPECT_EQ(top[3]->lag, 1'200);
  EXPECT_EQ(top[4]->lag, 960);
}

TEST(BodyTemplateConditions, KeepTheirTextOnlyWhenTheyHold) {
  const BodyTemplate t(
      "{{#firing}}F{{/firing}}{{^firing}}f{{/firing}}{{#resolved}}R{{/resolved}}{{#err}}E{{/err}}"
      "{{#warn}}W{{/warn}}{{#repeat}}P{{/repeat}}{{#link}}L={{link}}{{/link}}"
      "{{#more_partitions}}+{{more_partitions}}{{/more_partitions}}");
  EXPECT_EQ(t.render(firing(), RenderContext{"x", "", ""}), "FE+2");
  Notification again = firing();
  again.repeat = true;
  again.status = Status::WARN;
  EXPECT_EQ(t.render(again, RenderContext{"x", "u", ""}), "FWPL=u+2");
  EXPECT_EQ(t.render(resolved(), RenderContext{"x", "", ""}), "fR");
  // Conditions nest, and hold partition sections.
  const BodyTemplate nested(
      "{{#firing}}[{{#top_partitions}}{{#err}}{{partition}}{{/err}}{{/top_partitions}}]{{/firing}}");
  EXPECT_EQ(nested.render(firing(), "x"), "[01203]");
  EXPECT_EQ(nested.render(resolved(), "x"), "");
}

TEST(BodyTemplateConditions, ErrorsNameTheSection) {
  auto error = [](const std::string& text) { return template_problem(text).value_or("(no error)"); };
  EXPECT_THAT(error("{{#firing}}x{{/resolved}}"), HasSubstr("{{/resolved}} closes {{#firing}}"));
  EXPECT_THAT(error("{{#firing}}x"), HasSubstr("{{#firing}} is never closed by {{/firing}}"));
  EXPECT_THAT(error("{{^partitions}}{{/partitions}}"), HasSubstr("is not a condition"));
  EXPECT_THAT(error("{{#partitions}}{{#top_partitions}}{{/top_partitions}}{{/partitions}}"), HasSubstr("do not nest"));
  EXPECT_THAT(error("{{#firing}}{{topic}}{{/firing}}"), HasSubstr("partition field"));
  EXPECT_THAT(error("{{#fireing}}{{/fireing}}"), HasSubstr("unknown section \"{{#fireing}}\"; expected one of: "
                                                           "partitions, top_partitions, firing"));
}

TEST(BodyTemplateEscapes, EachModeEscapesWhatItsReaderNeeds) {
  Notification n = firing();
  n.group = "a&b <c> \"d\"/é";
  EXPECT_EQ(BodyTemplate("{{group}}", Escape::json).render(n, "x"), "a&b <c> \\\"d\\\"/é");
  EXPECT_EQ(BodyTemplate("{{group}}", Escape::slack).render(n, "x"), "a&amp;b &lt;c&gt; \\\"d\\\"/é");
  EXPECT_EQ(BodyTemplate("{{group}}", Escape::text).render(n, "x"), "a&b <c> \"d\"/é");
  EXPECT_EQ(BodyTemplate("{{group}}", Escape::url).render(n, "x"), "a%26b%20%3Cc%3E%20%22d%22%2F%C3%A9");
}

TEST(DedupKey, IsStableAndFitsPagerDutysLimit) {
  EXPECT_EQ(dedup_key("prod", "billing"), "lagwatch/prod/billing");
  const std::string long_group(400, 'g');
  const std::string k = dedup_key("prod", long_group);
  EXPECT_LE(k.size(), 255u);
  EXPECT_EQ(k, dedup_key("prod", long_group));
  EXPECT_NE(k, dedup_key("prod", long_group + "h"));
  // Never cut inside a UTF-8 character.
  std::string accents;
  for (int i = 0; i < 150; ++i) accents += "é";
  const std::string ka = dedup_key("prod", accents);
  EXPECT_TRUE(json::accept("\"" + ka + "\""));
}

TEST(NotifierSettings, EachKindRequiresWhatItNeeds) {
  auto problem = [](const NotifierConfig& c) {
    auto p = notifier_problem(c);
    return p ? p->key + ": " + p->what : std::string("(none)");
  };
  NotifierConfig c = config_of("slack");
  c.kind = "slak";
  EXPECT_EQ(problem(c),
            "kind: \"slak\" is not a notifier kind; expected one of webhook, slack, teams, pagerduty, email");
  c = config_of("slack");
  c.url.clear();
  EXPECT_THAT(problem(c), HasSubstr("url: required: the incoming webhook"));
  c = config_of("pagerduty");
  c.routing_key.clear();
  EXPECT_THAT(problem(c), HasSubstr("routing_key: required"));
  c = config_of("pagerduty");
  EXPECT_EQ(url_of(c, *find_kind("pagerduty")), "https://events.pagerduty.com/v2/enqueue");
  c.routing_key = "abc def";
  EXPECT_THAT(problem(c), HasSubstr("routing_key: contains a blank"));
  EXPECT_THAT(problem(c), Not(HasSubstr("abc def")));
  c = config_of("slack");
  c.routing_key = "secret";
  EXPECT_EQ(problem(c), "routing_key: applies to kind pagerduty only; this notifier's kind is slack");
  c = config_of("webhook");
  c.smtp.host = "smtp";
  EXPECT_THAT(problem(c), HasSubstr("smtp: applies to kind email only"));
  c = config_of("email");
  c.smtp.host.clear();
  EXPECT_THAT(problem(c), HasSubstr("smtp.host: required"));
  c = config_of("email");
  c.url = "https://x";
  EXPECT_THAT(problem(c), HasSubstr("url: an email notifier has no url"));
  c = config_of("email");
  c.to = {"oncall@example.com", "bad address@example.com"};
  EXPECT_THAT(problem(c), HasSubstr("to[1]: \"bad address@example.com\": address contains a space"));
  c = config_of("email");
  c.smtp.security = "ssl";
  EXPECT_THAT(problem(c), HasSubstr("smtp.security: \"ssl\" is not one of starttls, tls or none"));
  c = config_of("email");
  c.smtp.password = "pw";
  EXPECT_THAT(problem(c), HasSubstr("smtp.username: required with smtp.password"));
  c = config_of("email");
  c.subject = "{{#partitions}}";
  EXPECT_THAT(problem(c), HasSubstr("subject: template line 1, column 1"));
  c = config_of("teams");
  c.link = "grafana/d/x";
  EXPECT_THAT(problem(c), HasSubstr("link: must start with https://"));
  c.link = "https://grafana/d/x?g={{grop}}";
  EXPECT_THAT(problem(c), HasSubstr("link: template line 1, column 23: unknown field"));
}

TEST(MailAddresses, PlainOrWithADisplayNameAndNothingThatCouldInject) {
  std::string problem;
  auto a = parse_mail_address("Kafka lag <lagwatch@example.com>", problem);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->display_name, "Kafka lag");
  EXPECT_EQ(a->address, "lagwatch@example.com");
  EXPECT_TRUE(parse_mail_address("ops@example.com", problem));
  for (const std::string bad :
       {"ops", "@example.com", "ops@", "a@b@c", "ops@example.com\r\nBcc: x@y", "<ops@example.com", "ops@example.com>",
        "x <a@b> <c@d>", "o ps@example.com", ".ops@example.com", "\"x\" <a@b.c>", "ops@exa,mple.com"}) {
    EXPECT_FALSE(parse_mail_address(bad, problem)) << bad;
  }
}

TEST(NotifierSettings, YamlReadsEveryKindsKeysAndThePrintoutMasksSecrets) {
  ::setenv("LAGWATCH_TEST_PD_KEY", "pd-secret-key", 1);
  ::setenv("LAGWATCH_TEST_SMTP_PW", "smtp-secret-pw", 1);
  const auto c = config::parse_yaml(R"(
clusters: [{name: a, bootstrap_servers: ["k:9092"]}]
notifiers:
  - name: pd
    kind: pagerduty
    routing_key: ${env:LAGWATCH_TEST_PD_KEY}
    link: https://grafana.example.com/d/lagwatch-group?var-group={{group}}
  - name: mail
    kind: email
    from: lagwatch <lagwatch@example.com>
    to: [oncall@example.com]
    subject: "lag: {{group}}"
    smtp: {host: smtp.example.com, port: 2525, security: starttls, username: lagwatch, password: "${env:LAGWATCH_TEST_SMTP_PW}"}
)",
                                    "t.yml");
  ASSERT_EQ(c.notifiers.size(), 2u);
  EXPECT_EQ(c.notifiers[0].routing_key, "pd-secret-key");
  EXPECT_EQ(c.notifiers[1].smtp.password, "smtp-secret-pw");
  EXPECT_EQ(c.notifiers[1].smtp.port, 2525);
  const std::string printed = config::to_masked_yaml(c);
  EXPECT_THAT(printed, Not(HasSubstr("pd-secret-key")));
  EXPECT_THAT(printed, Not(HasSubstr("smtp-secret-pw")));
  EXPECT_THAT(printed, HasSubstr("kind: pagerduty"));
  // The printout reads back (with the secrets as "***").
  EXPECT_NO_THROW((void)config::parse_yaml(printed, "printed.yml")) << printed;
  EXPECT_THROW((void)config::parse_yaml(R"(
clusters: [{name: a, bootstrap_servers: ["k:9092"]}]
notifiers: [{name: pd, kind: pagerduty}]
)",
                                        "t.yml"),
               config::ConfigError);
}

}  // namespace
}  // namespace lagwatch::notify
