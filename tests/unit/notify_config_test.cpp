// The notifiers: section of the configuration: parsing, defaults, errors with file:line:col,
// secrets in URLs and headers (resolved, masked, never in messages), and --notifier.url.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "config/command_line.hpp"
#include "config/config.hpp"

namespace lagwatch::config {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kSecret = "hunter2-n0t1fy-SECRET";
const std::string kCluster = "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n";

std::string parse_error(const std::string& yaml) {
  try {
    parse_yaml(yaml, "t.yml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for:\n" << yaml;
  return "";
}

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/lagwatch-notify-test-XXXXXX";
    const int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = name;
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(NotifierConfig, EveryKeyParsed) {
  setenv("LAGWATCH_TEST_TOKEN", kSecret, 1);
  const Config c = parse_yaml(kCluster + R"(notifiers:
  - name: ops
    url: http://relay.internal:8080/hooks/${env:LAGWATCH_TEST_TOKEN}
    method: put
    headers:
      Authorization: Bearer ${env:LAGWATCH_TEST_TOKEN}
      Content-Type: application/json; charset=utf-8
    template: '{"text": "{{cluster}}/{{group}} is {{status}}"}'
    groups:
      allow: ["billing.*"]
      deny: [".*-test"]
    clusters:
      allow: [prod]
    min_severity: ERR
    send_resolved: false
    repeat_interval: 30m
    timeout: 2s
    max_attempts: 3
    backoff:
      initial: 500ms
      max: 10s
    queue_size: 50
)",
                              "t.yml");
  ASSERT_EQ(c.notifiers.size(), 1u);
  const NotifierConfig& n = c.notifiers[0];
  EXPECT_EQ(n.name, "ops");
  EXPECT_EQ(n.url, std::string("http://relay.internal:8080/hooks/") + kSecret);
  EXPECT_EQ(n.method, "put");
  EXPECT_EQ(n.headers.at("Authorization"), std::string("Bearer ") + kSecret);
  EXPECT_EQ(n.headers.at("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(n.template_text, R"({"text": "{{cluster}}/{{group}} is {{status}}"})");
  EXPECT_FALSE(n.template_file.has_value());
  EXPECT_EQ(n.group_allow, std::vector<std::string>{"billing.*"});
  EXPECT_EQ(n.group_deny, std::vector<std::string>{".*-test"});
  EXPECT_EQ(n.cluster_allow, std::vector<std::string>{"prod"});
  EXPECT_TRUE(n.cluster_deny.empty());
  EXPECT_EQ(n.min_severity, "ERR");
  EXPECT_FALSE(n.send_resolved);
  EXPECT_EQ(n.repeat_interval, milliseconds(1'800'000));
  EXPECT_EQ(n.timeout, milliseconds(2'000));
  EXPECT_EQ(n.max_attempts, 3);
  EXPECT_EQ(n.backoff_initial, milliseconds(500));
  EXPECT_EQ(n.backoff_max, milliseconds(10'000));
  EXPECT_EQ(n.queue_size, 50);
  unsetenv("LAGWATCH_TEST_TOKEN");
}

TEST(NotifierConfig, Defaults) {
  const Config c = parse_yaml(kCluster + "notifiers:\n  - name: ops\n    url: http://127.0.0.1:9000/hook\n", "t.yml");
  ASSERT_EQ(c.notifiers.size(), 1u);
  const NotifierConfig& n = c.notifiers[0];
  EXPECT_EQ(n.method, "POST");
  EXPECT_TRUE(n.headers.empty());
  EXPECT_EQ(n.template_text, "");  // the default JSON body
  EXPECT_EQ(n.min_severity, "WARN");
  EXPECT_TRUE(n.send_resolved);
  EXPECT_EQ(n.repeat_interval, milliseconds(0));
  EXPECT_EQ(n.timeout, milliseconds(5'000));
  EXPECT_EQ(n.max_attempts, 5);
  EXPECT_EQ(n.backoff_initial, milliseconds(1'000));
  EXPECT_EQ(n.backoff_max, milliseconds(60'000));
  EXPECT_EQ(n.queue_size, 1000);
  EXPECT_TRUE(n.group_allow.empty() && n.group_deny.empty() && n.cluster_allow.empty() && n.cluster_deny.empty());
  // No notifiers: none, and an empty list is fine.
  EXPECT_TRUE(parse_yaml(kCluster, "t.yml").notifiers.empty());
  EXPECT_TRUE(parse_yaml(kCluster + "notifiers: []\n", "t.yml").notifiers.empty());
  EXPECT_TRUE(parse_yaml(kCluster + "notifiers:\n", "t.yml").notifiers.empty());
}

TEST(NotifierConfig, ErrorsNameFileLineColumnAndKey) {
  const std::string n = kCluster + "notifiers:\n  - name: hook\n";  // the next line is line 6
  EXPECT_THAT(parse_error(n + "    url: ftp://hooks.example.com/x\n"),
              StartsWith("t.yml:6:10: notifiers[0].url: must start with http:// or https://"));
  EXPECT_THAT(parse_error(n + "    url: http://h/x\n    ca_file: /nonexistent/ca.pem\n"),
              StartsWith("t.yml:7:14: notifiers[0].ca_file: applies to https:// URLs only"));
  EXPECT_THAT(parse_error(n + "    url: https://h/x\n    ca_file: /nonexistent/ca.pem\n"),
              StartsWith("t.yml:7:14: notifiers[0].ca_file: cannot read /nonexistent/ca.pem: no such file"));
  EXPECT_THAT(
      parse_error(n + "    url: https://h/x\n    ca_file: " + std::string(LAGWATCH_SOURCE_DIR) + "/README.md\n"),
      HasSubstr("notifiers[0].ca_file: " + std::string(LAGWATCH_SOURCE_DIR) + "/README.md holds no PEM certificate"));
  EXPECT_THAT(parse_error(n + "    url: http://h/x\n    insecure_skip_verify: true\n"),
              StartsWith("t.yml:7:27: notifiers[0].insecure_skip_verify: applies to https:// URLs only"));
  EXPECT_THAT(parse_error(n + "    url: http://h/x\n    min_severty: ERR\n"),
              StartsWith("t.yml:7:5: notifiers[0].min_severty: unknown key (did you mean \"min_severity\"?); expected "
                         "one of: name, kind, url,"));
  EXPECT_EQ(parse_error(n + "    url: http://h/x\n    min_severity: INFO\n"),
            "t.yml:7:19: notifiers[0].min_severity: \"INFO\" is not a severity; expected WARN or ERR");
  EXPECT_EQ(parse_error(n + "    url: http://h/x\n    min_severity: OK\n"),
            "t.yml:7:19: notifiers[0].min_severity: \"OK\" is not a severity; expected WARN or ERR");
  EXPECT_THAT(parse_error(n + "    url: http://h/x\n    template: \"{{nope}}\"\n"),
              StartsWith("t.yml:7:15: notifiers[0].template: template line 1, column 1: unknown field \"{{nope}}\""));
  EXPECT_THAT(parse_error(n), StartsWith("t.yml:5:5: notifiers[0].url: required"));
  EXPECT_THAT(parse_error(kCluster + "notifiers:\n  - url: http://h/x\n"),
              StartsWith("t.yml:5:5: notifiers[0].name: required"));
  EXPECT_EQ(parse_error(n + "    url: http://h/x\n    method: GET\n"),
            "t.yml:7:13: notifiers[0].method: \"GET\" is not supported; expected POST, PUT or PATCH");
  EXPECT_EQ(
      parse_error(n + "    url: http://h/x\n    repeat_interval: 500ms\n"),
      "t.yml:7:22: notifiers[0].repeat_interval: 500ms is out of range; expected 0 (only on change) or 1s to 30d");
  EXPECT_THAT(parse_error(n + "    url: http://h/x\n    repeat_interval: 5\n"),
              StartsWith("t.yml:7:22: notifiers[0].repeat_interval: invalid duration \"5\": missing unit"));
  EXPECT_EQ(parse_error(n + "    url: http://h/x\n    backoff:\n      initial: 2s\n      max: 1s\n"),
            "t.yml:9:12: notifiers[0].backoff.max: 1s is out of range; expected from backoff.initial (2s) to 24h");
  EXPECT_THAT(parse_error(n + "    url: http://h/x\n    backoff: {first: 1s}\n"),
              StartsWith("t.yml:7:15: notifiers[0].backoff.first: unknown key"));
  EXPECT_EQ(parse_error(n + "    url: http://h/x\n    max_attempts: 0\n"),
            "t.yml:7:19: notifiers[0].max_attempts: 0 is out of range; expected 1 to 100");
  EXPECT_EQ(parse_error(n + "    url: http://h/x\n    queue_size: 0\n"),
            "t.yml:7:17: notifiers[0].queue_size: 0 is out of range; expected 1 to 1000000");
  EXPECT_EQ(parse_error(n + "    url: http://h/x\n    timeout: 50ms\n"),
            "t.yml:7:14: notifiers[0].timeout: 50ms is out of range; expected 100ms to 10m");
  EXPECT_THAT(parse_error(n + "    url: http://h/x\n    groups:\n      deny: [\"(\"]\n"),
              StartsWith("t.yml:8:14: notifiers[0].groups.deny[0]: invalid regular expression \"(\""));
  EXPECT_THAT(parse_error(n + "    url: http://h/x\n    clusters:\n      allow: [\"[\"]\n"),
              StartsWith("t.yml:8:15: notifiers[0].clusters.allow[0]: invalid regular expression"));
  EXPECT_EQ(parse_error(n + "    url: http://h/x\n    headers:\n      Host: x\n"),
            "t.yml:8:13: notifiers[0].headers.Host: is set by lagwatch itself; remove it");
  EXPECT_THAT(parse_error(n + "    url: http://h/x\n    headers:\n      \"Bad Name\": x\n"),
              StartsWith("t.yml:8:19: notifiers[0].headers.Bad Name: is not a valid header name"));
  EXPECT_THAT(parse_error(n + "    url: http://h/x\n    template: x\n    template_file: /tmp/x\n"),
              StartsWith("t.yml:8:5: notifiers[0].template_file: give either template (the text) or template_file (a "
                         "path), not both"));
  EXPECT_EQ(parse_error(n + "    url: http://h/x\n    template_file: /nonexistent/body.tmpl\n"),
            "t.yml:7:20: notifiers[0].template_file: cannot read /nonexistent/body.tmpl: No such file or directory");
  EXPECT_EQ(parse_error(n + "    url: http://h/x\n" + "  - name: hook\n    url: http://h/y\n"),
            "t.yml:7:11: notifiers[1].name: \"hook\" is already used by another notifier; names must be unique");
  EXPECT_EQ(parse_error(kCluster + "notifiers:\n  - name: \"a b\"\n    url: http://h/x\n"),
            "t.yml:5:11: notifiers[0].name: \"a b\" may only contain A-Z a-z 0-9 _ . -");
  EXPECT_THAT(parse_error(kCluster + "notifiers:\n  hook: {url: http://h/x}\n"),
              StartsWith("t.yml:5:3: notifiers: expected a list of notifiers"));
  EXPECT_THAT(parse_error(kCluster + "notifier:\n  - name: x\n"),
              StartsWith("t.yml:4:1: notifier: unknown key (did you mean \"notifiers\"?)"));
}

TEST(NotifierConfig, TemplateFileIsReadAtLoadTime) {
  TempFile body("{\"text\": \"{{group}} is {{status}}\"}\n");
  const Config c = parse_yaml(
      kCluster + "notifiers:\n  - name: hook\n    url: http://h/x\n    template_file: " + body.path() + "\n", "t.yml");
  EXPECT_EQ(c.notifiers[0].template_text, "{\"text\": \"{{group}} is {{status}}\"}\n");
  EXPECT_EQ(c.notifiers[0].template_file, body.path());
  EXPECT_THAT(to_masked_yaml(c), HasSubstr("template_file: " + body.path()));

  TempFile bad("line one\n{{#partitions}}\n");
  EXPECT_THAT(
      parse_error(kCluster + "notifiers:\n  - name: hook\n    url: http://h/x\n    template_file: " + bad.path() +
                  "\n"),
      StartsWith("t.yml:7:20: notifiers[0].template_file: template line 2, column 1: {{#partitions}} is never closed"));
}

TEST(NotifierConfig, SecretsAreResolvedMaskedAndNeverInErrors) {
  setenv("LAGWATCH_TEST_TOKEN", kSecret, 1);
  TempFile token(std::string(kSecret) + "\n");
  const std::string doc = kCluster +
                          "notifiers:\n  - name: hook\n    url: http://relay:8080/services/${env:LAGWATCH_TEST_TOKEN}\n"
                          "    headers:\n      Authorization: Bearer ${file:" +
                          token.path() +
                          "}\n"
                          "      X-Custom: " +
                          kSecret + "\n      Content-Type: text/plain\n";
  const Config c = parse_yaml(doc, "t.yml");
  EXPECT_EQ(c.notifiers[0].headers.at("Authorization"), std::string("Bearer ") + kSecret);
  const std::string out = to_masked_yaml(c);
  EXPECT_THAT(out, Not(HasSubstr(kSecret)));
  EXPECT_THAT(out, HasSubstr("url: http://relay:8080/***"));
  EXPECT_THAT(out, HasSubstr("Authorization: \"***\""));
  EXPECT_THAT(out, HasSubstr("X-Custom: \"***\""));
  EXPECT_THAT(out, HasSubstr("Content-Type: text/plain"));
  // Whatever else is wrong, the message never carries a secret.
  for (const std::string& tail :
       {std::string("    bogus: 1\n"), std::string("    method: GET\n"), std::string("    timeout: x\n"),
        std::string("      Host: x\n"), std::string("      Y: \"${vault:" + std::string(kSecret) + "}\"\n")}) {
    const std::string e = parse_error(doc + tail);
    EXPECT_FALSE(e.empty()) << tail;
    EXPECT_THAT(e, Not(HasSubstr(kSecret))) << tail;
  }
  EXPECT_THAT(
      parse_error(kCluster +
                  "notifiers:\n  - name: hook\n    url: https://hooks.slack.com/${env:LAGWATCH_TEST_TOKEN}#x\n"),
      Not(HasSubstr(kSecret)));
  const Config tls = parse_yaml(
      kCluster + "notifiers:\n  - name: hook\n    url: https://hooks.slack.com/services/${env:LAGWATCH_TEST_TOKEN}\n",
      "t.yml");
  EXPECT_EQ(tls.notifiers[0].url, std::string("https://hooks.slack.com/services/") + kSecret);
  EXPECT_THAT(to_masked_yaml(tls), HasSubstr("url: https://hooks.slack.com/***"));
  EXPECT_THAT(to_masked_yaml(tls), Not(HasSubstr(kSecret)));
  EXPECT_THAT(parse_error(kCluster + "notifiers:\n  - name: hook\n    url: ${env:LAGWATCH_TEST_UNSET_VARIABLE}\n"),
              StartsWith("t.yml:6:10: notifiers[0].url: environment variable LAGWATCH_TEST_UNSET_VARIABLE"));
  unsetenv("LAGWATCH_TEST_TOKEN");
}

TEST(NotifierConfig, PrintedConfigParsesBackToTheSame) {
  const std::string doc = kCluster + R"(notifiers:
  - name: ops
    url: http://relay:8080/hook
    method: PATCH
    headers:
      Accept: "*/*"
      X-Api-Key: abc
    template: |
      {"text": "{{group}}: {{status}}",
       "parts": [{{#partitions}}"{{topic}}"{{comma}}{{/partitions}}]}
    groups: {allow: ["a|b"], deny: ["x: y"]}
    clusters: {deny: [staging]}
    min_severity: ERR
    send_resolved: false
    repeat_interval: 1h30m
    backoff: {initial: 250ms, max: 5m}
  - name: plain
    url: http://127.0.0.1:9000
  - name: tls
    url: https://hooks.example.com:8443/T0KEN
    insecure_skip_verify: true
)";
  const Config c = parse_yaml(doc, "t.yml");
  const std::string once = to_masked_yaml(c);
  const Config again = parse_yaml(once, "printed");
  EXPECT_EQ(to_masked_yaml(again), once);
  ASSERT_EQ(again.notifiers.size(), 3u);
  EXPECT_EQ(again.notifiers[2].url, "https://hooks.example.com:8443/***");
  EXPECT_TRUE(again.notifiers[2].insecure_skip_verify);
  EXPECT_FALSE(again.notifiers[1].insecure_skip_verify);
  EXPECT_EQ(again.notifiers[0].template_text, c.notifiers[0].template_text);
  EXPECT_EQ(again.notifiers[0].group_deny, c.notifiers[0].group_deny);
  EXPECT_EQ(again.notifiers[0].cluster_deny, c.notifiers[0].cluster_deny);
  EXPECT_EQ(again.notifiers[0].repeat_interval, milliseconds(5'400'000));
  EXPECT_EQ(again.notifiers[0].backoff_initial, milliseconds(250));
  EXPECT_EQ(again.notifiers[0].headers.at("Accept"), "*/*");
  EXPECT_EQ(again.notifiers[0].headers.at("X-Api-Key"), "***");
  EXPECT_EQ(again.notifiers[1].url, "http://127.0.0.1:9000/");
  EXPECT_THAT(to_masked_yaml(parse_yaml(kCluster, "t.yml")), HasSubstr("notifiers: []"));
}

TEST(NotifierConfig, NotifierUrlFlagAndVariableAddNotifiersWithDefaults) {
  CommandLine cl =
      parse_command_line({"demo", "--notifier.url=http://127.0.0.1:9000/a", "--notifier.url", "http://h:1/b"});
  Config c = parse_yaml(kCluster, "t.yml");
  apply_overrides(c, cl.overrides);
  EXPECT_NO_THROW(validate(c));
  ASSERT_EQ(c.notifiers.size(), 2u);
  EXPECT_EQ(c.notifiers[0].name, "webhook-1");
  EXPECT_EQ(c.notifiers[0].url, "http://127.0.0.1:9000/a");
  EXPECT_EQ(c.notifiers[1].name, "webhook-2");
  EXPECT_EQ(c.notifiers[1].min_severity, "WARN");

  CommandLine from_env = parse_command_line({"serve"});
  merge_environment(from_env, {{"LAGWATCH_NOTIFIER_URL", "http://relay:8080/x,y"}});  // one URL, never split
  ASSERT_EQ(from_env.overrides.notifier_urls, std::vector<std::string>{"http://relay:8080/x,y"});
  CommandLine both = parse_command_line({"--notifier.url=http://flag/"});
  merge_environment(both, {{"LAGWATCH_NOTIFIER_URL", "http://env/"}});
  EXPECT_EQ(both.overrides.notifier_urls, std::vector<std::string>{"http://flag/"});  // the flag wins

  Config tls = parse_yaml(kCluster, "t.yml");
  apply_overrides(tls, parse_command_line({"--notifier.url=https://hooks.example.com/T0KEN"}).overrides);
  EXPECT_NO_THROW(validate(tls));
  Config bad = parse_yaml(kCluster, "t.yml");
  apply_overrides(bad, parse_command_line({"--notifier.url=https://hooks.example.com/T0KEN#x"}).overrides);
  try {
    validate(bad);
    FAIL() << "a fragment accepted";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), StartsWith("config: notifiers[0].url: has a fragment"));
    EXPECT_THAT(e.what(), Not(HasSubstr("T0KEN")));
  }
  EXPECT_THAT(usage_text(), HasSubstr("--notifier.url URL"));
  EXPECT_THAT(usage_text(), HasSubstr("LAGWATCH_NOTIFIER_URL"));
}

}  // namespace
}  // namespace lagwatch::config
