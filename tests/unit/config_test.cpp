// Configuration parsing, validation, secrets and printing.
#include "config/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "config/secrets.hpp"

namespace lagwatch::config {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

#ifdef LAGWATCH_SOURCE_DIR
const std::string kExample = std::string(LAGWATCH_SOURCE_DIR) + "/lagwatch.example.yml";
#else
const std::string kExample = "lagwatch.example.yml";
#endif

constexpr const char* kSecret = "hunter2-s3cr3t-VALUE";

// The message of the ConfigError `yaml` raises; fails the test for any other outcome.
std::string parse_error(const std::string& yaml) {
  try {
    parse_yaml(yaml, "t.yml");
  } catch (const ConfigError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "non-ConfigError escaped: " << e.what();
    return "";
  }
  ADD_FAILURE() << "no error for:\n" << yaml;
  return "";
}

std::string validate_error(const Config& c) {
  try {
    validate(c);
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "validate accepted the config";
  return "";
}

Config minimal() {
  Config c;
  c.clusters.emplace_back();
  c.clusters[0].name = "prod";
  c.clusters[0].bootstrap_servers = {"kafka:9092"};
  return c;
}

// A temporary file removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char tmpl[] = "/tmp/lagwatch-config-test-XXXXXX";
    const int fd = mkstemp(tmpl);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = tmpl;
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// --- durations ---

TEST(Duration, ParsesUnitsAndCombinations) {
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("30s"), milliseconds(30'000));
  EXPECT_EQ(parse_duration("5m"), milliseconds(300'000));
  EXPECT_EQ(parse_duration("2h"), milliseconds(7'200'000));
  EXPECT_EQ(parse_duration("1d"), milliseconds(86'400'000));
  EXPECT_EQ(parse_duration("1m30s"), milliseconds(90'000));
  EXPECT_EQ(parse_duration("1h1m1s1ms"), milliseconds(3'661'001));
  EXPECT_EQ(parse_duration("1.5s"), milliseconds(1'500));
  EXPECT_EQ(parse_duration(".5m"), milliseconds(30'000));
  EXPECT_EQ(parse_duration("0.001s"), milliseconds(1));
  EXPECT_EQ(parse_duration("0"), milliseconds(0));
  EXPECT_EQ(parse_duration("0s"), milliseconds(0));
  EXPECT_EQ(parse_duration(" 30s "), milliseconds(30'000));
}

TEST(Duration, RejectsMalformed) {
  for (const char* bad : {"", "  ", "30", "1.5", "abc", "s", "-5s", "+5s", "5S", "5 s", "1m30", "30sec", "1.s",
                          "0.0001s", "1..5s", "99999999999999999h", "99999999999999999999ms", "5w", "1e3ms"}) {
    try {
      parse_duration(bad);
      ADD_FAILURE() << "accepted \"" << bad << "\"";
    } catch (const ConfigError& e) {
      EXPECT_THAT(e.what(), StartsWith("invalid duration \"" + std::string(bad) + "\"")) << bad;
    }
  }
}

TEST(Duration, MessagesExplainTheProblem) {
  auto msg = [](const char* s) {
    try {
      parse_duration(s);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_THAT(msg("30"), HasSubstr("missing unit"));
  EXPECT_THAT(msg("5w"), HasSubstr("unknown unit \"w\""));
  EXPECT_THAT(msg("-1s"), HasSubstr("negative"));
  EXPECT_THAT(msg("0.0001s"), HasSubstr("finer than a millisecond"));
  EXPECT_THAT(msg("99999999999999999h"), HasSubstr("too large"));
}

TEST(Duration, FormatsAndRoundTrips) {
  EXPECT_EQ(format_duration(milliseconds(0)), "0s");
  EXPECT_EQ(format_duration(milliseconds(500)), "500ms");
  EXPECT_EQ(format_duration(milliseconds(1'500)), "1s500ms");
  EXPECT_EQ(format_duration(milliseconds(30'000)), "30s");
  EXPECT_EQ(format_duration(milliseconds(90'000)), "1m30s");
  EXPECT_EQ(format_duration(milliseconds(7'200'000)), "2h");
  EXPECT_EQ(format_duration(milliseconds(86'400'000)), "24h");
  for (long ms : {1L, 999L, 1'000L, 61'001L, 3'600'000L, 93'784'005L}) {
    EXPECT_EQ(parse_duration(format_duration(milliseconds(ms))), milliseconds(ms)) << ms;
  }
}

// --- parsing ---

TEST(ParseYaml, FullDocument) {
  setenv("LAGWATCH_TEST_PW", kSecret, 1);
  const Config c = parse_yaml(R"(
web:
  listen_address: "127.0.0.1:9000"
  telemetry_path: /m
log:
  level: debug
poll:
  interval: 1m
  request_timeout: 2500ms
  group_concurrency: 4
lag:
  history_points: 1000
clusters:
  - name: prod
    bootstrap_servers: [a:9092, b:9093]
    poll_interval: 15s
    properties:
      security.protocol: SASL_SSL
      sasl.password: ${env:LAGWATCH_TEST_PW}
      fetch.wait.max.ms: 100
      enable.ssl.certificate.verification: false
    groups:
      discover: false
      names: [billing]
      allow: ["bill.*"]
      deny: ["^console-consumer-.*"]
    topics:
      allow: [orders]
      deny: [tmp.*]
      include_internal: true
)",
                              "t.yml");
  EXPECT_EQ(c.web.listen_address, "127.0.0.1:9000");
  EXPECT_EQ(c.web.telemetry_path, "/m");
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.poll.interval, milliseconds(60'000));
  EXPECT_EQ(c.poll.request_timeout, milliseconds(2'500));
  EXPECT_EQ(c.poll.group_concurrency, 4);
  EXPECT_EQ(c.lag.history_points, 1000);
  ASSERT_EQ(c.clusters.size(), 1u);
  const ClusterConfig& p = c.clusters[0];
  EXPECT_EQ(p.name, "prod");
  EXPECT_EQ(p.bootstrap_servers, (std::vector<std::string>{"a:9092", "b:9093"}));
  EXPECT_EQ(c.poll_interval_for(p), milliseconds(15'000));
  EXPECT_EQ(p.properties.at("security.protocol"), "SASL_SSL");
  EXPECT_EQ(p.properties.at("sasl.password"), kSecret);
  EXPECT_EQ(p.properties.at("fetch.wait.max.ms"), "100");
  EXPECT_EQ(p.properties.at("enable.ssl.certificate.verification"), "false");
  EXPECT_FALSE(p.groups.discover);
  EXPECT_EQ(p.groups.names, std::vector<std::string>{"billing"});
  EXPECT_EQ(p.groups.allow, std::vector<std::string>{"bill.*"});
  EXPECT_EQ(p.groups.deny, std::vector<std::string>{"^console-consumer-.*"});
  EXPECT_EQ(p.topics.allow, std::vector<std::string>{"orders"});
  EXPECT_EQ(p.topics.deny, std::vector<std::string>{"tmp.*"});
  EXPECT_TRUE(p.topics.include_internal);
  unsetenv("LAGWATCH_TEST_PW");
}

TEST(ParseYaml, DefaultsForEverythingLeftOut) {
  const Config c = parse_yaml("clusters:\n  - name: a\n    bootstrap_servers: [k:9092]\n", "t.yml");
  const Config d;
  EXPECT_EQ(c.web.listen_address, ":9721");
  EXPECT_EQ(c.web.telemetry_path, "/metrics");
  EXPECT_EQ(c.log_level, "info");
  EXPECT_EQ(c.poll.interval, milliseconds(30'000));
  EXPECT_EQ(c.poll.request_timeout, milliseconds(10'000));
  EXPECT_EQ(c.poll.group_concurrency, d.poll.group_concurrency);
  EXPECT_EQ(c.lag.history_points, 120);
  EXPECT_TRUE(c.clusters[0].groups.discover);
  EXPECT_FALSE(c.clusters[0].poll_interval.has_value());
  EXPECT_EQ(c.poll_interval_for(c.clusters[0]), milliseconds(30'000));
  EXPECT_FALSE(c.clusters[0].topics.include_internal);
}

TEST(ParseYaml, EmptySectionsMeanDefaults) {
  // Every line of a section commented out leaves "web:" with a null value.
  const Config c =
      parse_yaml("web:\nlog:\npoll:\nclusters:\n  - name: a\n    bootstrap_servers: k:1\n    groups:\n", "t.yml");
  EXPECT_EQ(c.web.listen_address, ":9721");
  EXPECT_TRUE(c.clusters[0].groups.allow.empty());
}

TEST(ParseYaml, MultipleClusters) {
  const Config c = parse_yaml(R"(poll:
  interval: 20s
clusters:
  - name: prod
    bootstrap_servers: "p1:9092, p2:9092,"
    groups:
      allow: ["a.*"]
  - name: staging
    bootstrap_servers: [s1:9092]
    poll_interval: 2m
  - name: dev.eu-1_x
    bootstrap_servers: ["d1:9092,d2:9092"]
)",
                              "t.yml");
  ASSERT_EQ(c.clusters.size(), 3u);
  EXPECT_EQ(c.clusters[0].bootstrap_servers, (std::vector<std::string>{"p1:9092", "p2:9092"}));
  EXPECT_EQ(c.clusters[2].bootstrap_servers, (std::vector<std::string>{"d1:9092", "d2:9092"}));
  EXPECT_EQ(c.clusters[0].groups.allow, std::vector<std::string>{"a.*"});
  EXPECT_TRUE(c.clusters[1].groups.allow.empty());
  EXPECT_EQ(c.poll_interval_for(c.clusters[0]), milliseconds(20'000));
  EXPECT_EQ(c.poll_interval_for(c.clusters[1]), milliseconds(120'000));
  EXPECT_EQ(c.clusters[2].name, "dev.eu-1_x");
}

TEST(ParseYaml, Ipv6BootstrapServer) {
  const Config c = parse_yaml("clusters:\n  - name: a\n    bootstrap_servers: [\"[::1]:9092\"]\n", "t.yml");
  EXPECT_EQ(c.clusters[0].bootstrap_servers[0], "[::1]:9092");
}

// --- errors point at file, line, column and key ---

TEST(ParseYamlErrors, UnknownKeyTopLevel) {
  const std::string e = parse_error("web:\n  listen_address: \":1\"\npol:\n  interval: 5s\n");
  EXPECT_THAT(e, StartsWith("t.yml:3:1: pol: unknown key"));
  EXPECT_THAT(e, HasSubstr("did you mean \"poll\""));
  EXPECT_THAT(e, HasSubstr("expected one of: web, log, poll, lag, log_dirs, evaluation, clusters"));
}

TEST(ParseYamlErrors, UnknownKeyInCluster) {
  const std::string e = parse_error(R"(clusters:
  - name: a
    bootstrap_servers: [k:1]
  - name: b
    bootstrap.servers: [k:1]
)");
  EXPECT_THAT(e, StartsWith("t.yml:5:5: clusters[1].bootstrap.servers: unknown key"));
  EXPECT_THAT(e, HasSubstr("did you mean \"bootstrap_servers\""));
}

TEST(ParseYamlErrors, UnknownKeyInGroups) {
  const std::string e =
      parse_error("clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    groups:\n      whitelist: [x]\n");
  EXPECT_THAT(e, StartsWith("t.yml:5:7: clusters[0].groups.whitelist: unknown key"));
  EXPECT_THAT(e, HasSubstr("discover, names, allow, deny"));
}

TEST(ParseYamlErrors, MapWhereListExpected) {
  const std::string e = parse_error("clusters:\n  prod:\n    bootstrap_servers: [k:1]\n");
  EXPECT_THAT(e, StartsWith("t.yml:2:3: clusters: expected a list of clusters"));
  EXPECT_THAT(e, HasSubstr("got a map"));
}

TEST(ParseYamlErrors, MapWhereRegexListExpected) {
  const std::string e =
      parse_error("clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    topics:\n      allow: {a: b}\n");
  EXPECT_THAT(e, StartsWith("t.yml:5:14: clusters[0].topics.allow: expected a list of regular expressions"));
}

TEST(ParseYamlErrors, StringForInteger) {
  const std::string e = parse_error("poll:\n  group_concurrency: abc\n");
  EXPECT_EQ(e, "t.yml:2:22: poll.group_concurrency: expected an integer, got \"abc\"");
}

TEST(ParseYamlErrors, IntegerOutOfRange) {
  const std::string e =
      parse_error("lag:\n  history_points: 5\nclusters:\n  - name: a\n    bootstrap_servers: [k:1]\n");
  EXPECT_THAT(e, StartsWith("t.yml:2:19: lag.history_points: 5 is out of range; expected 16 to 100000"));
}

TEST(ParseYamlErrors, BadBoolean) {
  const std::string e =
      parse_error("clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    topics:\n      include_internal: maybe\n");
  EXPECT_THAT(e, StartsWith("t.yml:5:25: clusters[0].topics.include_internal: expected true or false"));
}

TEST(ParseYamlErrors, ListWhereScalarExpected) {
  const std::string e = parse_error("log:\n  level: [info]\n");
  EXPECT_THAT(e, StartsWith("t.yml:2:10: log.level: expected trace, debug, info, warn or error, got a list"));
}

TEST(ParseYamlErrors, InvalidRegex) {
  const std::string e = parse_error(R"(clusters:
  - name: a
    bootstrap_servers: [k:1]
    groups:
      deny:
        - "ok.*"
        - "bad(["
)");
  EXPECT_THAT(e, StartsWith("t.yml:7:11: clusters[0].groups.deny[1]: invalid regular expression \"bad([\""));
}

TEST(ParseYamlErrors, MissingBootstrap) {
  const std::string e =
      parse_error("clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n  - name: b\n    poll_interval: 5s\n");
  EXPECT_THAT(e, StartsWith("t.yml:4:5: clusters[1].bootstrap_servers: required"));
}

TEST(ParseYamlErrors, EmptyBootstrap) {
  const std::string e = parse_error("clusters:\n  - name: a\n    bootstrap_servers: []\n");
  EXPECT_THAT(e, StartsWith("t.yml:3:24: clusters[0].bootstrap_servers: required"));
}

TEST(ParseYamlErrors, BadBootstrapPort) {
  const std::string e = parse_error("clusters:\n  - name: a\n    bootstrap_servers:\n      - k:1\n      - k:99999\n");
  EXPECT_THAT(e, StartsWith("t.yml:5:9: clusters[0].bootstrap_servers[1]: \"k:99999\" has an invalid port"));
  EXPECT_THAT(parse_error("clusters:\n  - name: a\n    bootstrap_servers: [kafka]\n"), HasSubstr("has no port"));
  EXPECT_THAT(parse_error("clusters:\n  - name: a\n    bootstrap_servers: [\":9092\"]\n"), HasSubstr("has no host"));
  EXPECT_THAT(parse_error("clusters:\n  - name: a\n    bootstrap_servers: [\"k:0\"]\n"), HasSubstr("invalid port"));
  EXPECT_THAT(parse_error("clusters:\n  - name: a\n    bootstrap_servers: [\"::1:9092\"]\n"), HasSubstr("IPv6"));
}

TEST(ParseYamlErrors, BadDuration) {
  const std::string e = parse_error("clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    poll_interval: 30\n");
  EXPECT_THAT(e, StartsWith("t.yml:4:20: clusters[0].poll_interval: invalid duration \"30\": missing unit"));
  EXPECT_THAT(parse_error("poll:\n  interval: soon\n"),
              StartsWith("t.yml:2:13: poll.interval: invalid duration \"soon\""));
}

TEST(ParseYamlErrors, DurationTooShort) {
  EXPECT_THAT(parse_error("poll:\n  interval: 500ms\nclusters:\n  - name: a\n    bootstrap_servers: [k:1]\n"),
              StartsWith("t.yml:2:13: poll.interval: 500ms is out of range; expected 1s to 24h"));
  EXPECT_THAT(parse_error("poll:\n  request_timeout: 50ms\nclusters:\n  - name: a\n    bootstrap_servers: [k:1]\n"),
              StartsWith("t.yml:2:20: poll.request_timeout: 50ms is out of range; expected 100ms to 5m"));
}

TEST(ParseYamlErrors, YamlSyntaxError) {
  const std::string e = parse_error("clusters:\n  - name: a\n    bootstrap_servers: [k:1, k:2\n  - name: b\n");
  EXPECT_THAT(e, StartsWith("t.yml:4:"));
  EXPECT_THAT(e, HasSubstr("invalid YAML"));
  EXPECT_THAT(parse_error("web:\n\tlisten_address: x\n"), StartsWith("t.yml:2:"));
}

TEST(ParseYamlErrors, MissingEnvSecret) {
  unsetenv("LAGWATCH_TEST_MISSING_PW");
  const std::string e = parse_error(R"(clusters:
  - name: a
    bootstrap_servers: [k:1]
    properties:
      sasl.username: me
      sasl.password: ${env:LAGWATCH_TEST_MISSING_PW}
)");
  EXPECT_THAT(e, StartsWith("t.yml:6:22: clusters[0].properties.sasl.password: environment variable "
                            "LAGWATCH_TEST_MISSING_PW"));
  EXPECT_THAT(e, HasSubstr("is not set"));
}

TEST(ParseYamlErrors, UnreadableSecretFile) {
  const std::string e = parse_error(
      "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    properties:\n"
      "      ssl.key.password: ${file:/nonexistent/lagwatch/pw}\n");
  EXPECT_THAT(e, StartsWith("t.yml:5:25: clusters[0].properties.ssl.key.password: cannot read file "
                            "/nonexistent/lagwatch/pw"));
  EXPECT_THAT(e, HasSubstr("No such file or directory"));
}

TEST(ParseYamlErrors, ManagedPropertiesRejected) {
  const std::string base = "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    properties:\n";
  const std::string e = parse_error(base + "      bootstrap.servers: x:1\n");
  EXPECT_THAT(e, StartsWith("t.yml:5:26: clusters[0].properties.bootstrap.servers:"));
  EXPECT_THAT(e, HasSubstr("clusters[0].bootstrap_servers"));
  const std::string g = parse_error(base + "      group.id: me\n");
  EXPECT_THAT(g, StartsWith("t.yml:5:17: clusters[0].properties.group.id: lagwatch manages group.id"));
}

TEST(ParseYamlErrors, PropertyValueMustBeScalar) {
  const std::string e =
      parse_error("clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    properties:\n      sasl.password:\n");
  EXPECT_THAT(e, StartsWith("t.yml:5:7: clusters[0].properties.sasl.password: expected a string, number or boolean, "
                            "got nothing"));
}

TEST(ParseYamlErrors, DuplicateClusterName) {
  const std::string e =
      parse_error("clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n  - name: a\n    bootstrap_servers: [k:2]\n");
  EXPECT_THAT(e, StartsWith("t.yml:4:11: clusters[1].name: \"a\" is already used"));
}

TEST(ParseYamlErrors, BadClusterName) {
  EXPECT_THAT(parse_error("clusters:\n  - name: \"a b\"\n    bootstrap_servers: [k:1]\n"),
              StartsWith("t.yml:2:11: clusters[0].name: \"a b\" may only contain"));
  EXPECT_THAT(parse_error("clusters:\n  - bootstrap_servers: [k:1]\n"),
              StartsWith("t.yml:2:5: clusters[0].name: required"));
}

TEST(ParseYamlErrors, DuplicateKey) {
  const std::string e = parse_error("log:\n  level: info\n  level: debug\n");
  EXPECT_EQ(e, "t.yml:3:3: log.level: duplicate key");
}

TEST(ParseYamlErrors, NoClusters) {
  EXPECT_THAT(parse_error(""), StartsWith("t.yml:1:1: clusters: at least one cluster is required"));
  EXPECT_THAT(parse_error("# only a comment\n"), StartsWith("t.yml:1:1: clusters: at least one"));
  EXPECT_THAT(parse_error("log:\n  level: info\nclusters: []\n"), StartsWith("t.yml:3:11: clusters: at least one"));
}

TEST(ParseYamlErrors, TopLevelNotAMap) {
  EXPECT_THAT(parse_error("- a\n- b\n"), StartsWith("t.yml:1:1: expected a map"));
  EXPECT_THAT(parse_error("just text\n"), StartsWith("t.yml:1:1: expected a map"));
}

TEST(ParseYamlErrors, SecondDocument) {
  EXPECT_THAT(parse_error("clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n---\nlog: {}\n"),
              StartsWith("t.yml:4:1: only one YAML document"));  // the "---" to remove
}

// yaml-cpp 0.7 reports endless empty documents for these without consuming input; LoadAll
// used to collect them until memory ran out (found by fuzz_config_yaml).
TEST(ParseYamlErrors, InputTheYamlParserCannotGetPastIsAnErrorNotAHang) {
  EXPECT_THAT(parse_error(","), StartsWith("t.yml:1:1: invalid YAML: the parser cannot get past this point"));
  EXPECT_THAT(parse_error(",luste;;;rs:\n  - name: demo\n"), StartsWith("t.yml:1:1: invalid YAML"));
}

TEST(ParseYamlErrors, TelemetryPathAndLogLevel) {
  const std::string c = "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n";
  EXPECT_THAT(parse_error("web:\n  telemetry_path: /healthz\n" + c), StartsWith("t.yml:2:19: web.telemetry_path:"));
  EXPECT_THAT(parse_error("web:\n  telemetry_path: metrics\n" + c), HasSubstr("must start with \"/\""));
  EXPECT_THAT(parse_error("log:\n  level: verbose\n" + c),
              StartsWith("t.yml:2:10: log.level: \"verbose\" is not a level"));
  EXPECT_THAT(parse_error("web:\n  listen_address: \"9721\"\n" + c), StartsWith("t.yml:2:19: web.listen_address:"));
}

// Odd documents must come out as ConfigError, never as a yaml-cpp or std exception.
TEST(ParseYamlErrors, OnlyConfigErrorEscapes) {
  for (const char* doc : {"clusters: [[]]", "clusters: [a]", "clusters:\n  - ", "clusters: *nope", "{a: b",
                          "clusters: [{name: {x: 1}}]", "!!binary x: y", "? [a]\n: b\n", "clusters: !!map []",
                          "a: &x [*x]", "clusters:\n  - name: a\n    bootstrap_servers: {a: 1}",
                          "clusters:\n  - name: a\n    bootstrap_servers: [[k:1]]", "\"\\xZZ\"", "%YAML 9.9\n---\na: 1",
                          "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    properties: [a]",
                          "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    properties: {x: [1]}",
                          "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    properties: {\"\": 1}"}) {
    const std::string e = parse_error(doc);
    EXPECT_THAT(e, StartsWith("t.yml:")) << doc;
  }
}

TEST(LoadFile, MissingFile) {
  try {
    load_file("/nonexistent/lagwatch.yml");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "cannot read config file /nonexistent/lagwatch.yml: No such file or directory");
  }
}

TEST(LoadFile, ErrorsNameThePath) {
  TempFile f("clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n    groupz: {}\n");
  try {
    load_file(f.path());
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), StartsWith(f.path() + ":4:5: clusters[0].groupz: unknown key"));
  }
}

TEST(LoadFile, ExampleFileParsesAndValidates) {
  setenv("KAFKA_PASSWORD", kSecret, 1);  // the example reads it with ${env:KAFKA_PASSWORD}
  const Config c = load_file(kExample);
  EXPECT_NO_THROW(validate(c));
  ASSERT_EQ(c.clusters.size(), 2u);
  EXPECT_EQ(c.clusters[0].name, "prod");
  EXPECT_EQ(c.clusters[0].properties.at("sasl.password"), kSecret);
  EXPECT_EQ(c.clusters[1].bootstrap_servers, std::vector<std::string>{"staging-kafka:9092"});
  // The example documents the defaults: the values it spells out must be them.
  const Config d;
  EXPECT_EQ(c.web.listen_address, d.web.listen_address);
  EXPECT_EQ(c.web.telemetry_path, d.web.telemetry_path);
  EXPECT_EQ(c.log_level, d.log_level);
  EXPECT_EQ(c.poll.interval, d.poll.interval);
  EXPECT_EQ(c.poll.request_timeout, d.poll.request_timeout);
  EXPECT_EQ(c.poll.group_concurrency, d.poll.group_concurrency);
  EXPECT_EQ(c.lag.history_points, d.lag.history_points);
  EXPECT_EQ(c.log_dirs, d.log_dirs);
  EXPECT_EQ(c.clusters[0].labels.at("env"), "production");
  unsetenv("KAFKA_PASSWORD");
}

// --- secrets ---

TEST(Secrets, EnvAndFileReferences) {
  setenv("LAGWATCH_TEST_USER", "alice", 1);
  TempFile pw(std::string(kSecret) + "\n\n");
  EXPECT_EQ(resolve_references("${env:LAGWATCH_TEST_USER}"), "alice");
  EXPECT_EQ(resolve_references("${file:" + pw.path() + "}"), kSecret);
  EXPECT_EQ(resolve_references("plain"), "plain");
  EXPECT_EQ(resolve_references(""), "");
  // Embedded, several times, as in a JAAS config line.
  EXPECT_EQ(resolve_references("u=\"${env:LAGWATCH_TEST_USER}\" p=\"${file:" + pw.path() + "}\";"),
            "u=\"alice\" p=\"" + std::string(kSecret) + "\";");
  EXPECT_EQ(resolve_references("a$${env:X}b"), "a${env:X}b");
  EXPECT_EQ(resolve_references("cost $5"), "cost $5");
  setenv("LAGWATCH_TEST_EMPTY", "", 1);
  EXPECT_EQ(resolve_references("[${env:LAGWATCH_TEST_EMPTY}]"), "[]");
  // A substituted value is not scanned again.
  setenv("LAGWATCH_TEST_NESTED", "${env:LAGWATCH_TEST_USER}", 1);
  EXPECT_EQ(resolve_references("${env:LAGWATCH_TEST_NESTED}"), "${env:LAGWATCH_TEST_USER}");
  unsetenv("LAGWATCH_TEST_USER");
  unsetenv("LAGWATCH_TEST_EMPTY");
  unsetenv("LAGWATCH_TEST_NESTED");
}

TEST(Secrets, FileContentKeepsInnerNewlinesAndCarriageReturnsAreTrimmed) {
  TempFile f("line1\nline2\r\n");
  EXPECT_EQ(resolve_references("${file:" + f.path() + "}"), "line1\nline2");
}

TEST(Secrets, ErrorsNameReferenceButNeverTheValue) {
  auto error = [](const std::string& v) {
    try {
      resolve_references(v);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_THAT(error("${env:LAGWATCH_TEST_UNSET_VAR}"), HasSubstr("LAGWATCH_TEST_UNSET_VAR"));
  EXPECT_THAT(error("${file:/nonexistent/x}"), HasSubstr("/nonexistent/x"));
  EXPECT_THAT(error("${file:/tmp}"), HasSubstr("not a regular file (a directory)"));
  // Malformed references inside a literal password: the message must not quote it.
  for (const std::string& v : {std::string(kSecret) + "${", std::string(kSecret) + "${vault:x}",
                               "${" + std::string(kSecret), "${env:}" + std::string(kSecret)}) {
    const std::string e = error(v);
    EXPECT_NE(e, "no error") << v;
    EXPECT_THAT(e, Not(HasSubstr(kSecret)));
  }
}

TEST(Secrets, SecretKeys) {
  for (const char* k :
       {"sasl.password", "SASL.PASSWORD", "ssl.key.password", "ssl.keystore.password", "sasl.jaas.config",
        "sasl.oauthbearer.client.secret", "sasl.oauthbearer.config", "ssl_key", "ssl.key.pem", "ssl.key", "client-key",
        "my_api_key", "sasl.oauthbearer.token", "sasl.oauthbearer.assertion.private.key.passphrase",
        "aws.secret.access.key", "schema.registry.basic.auth.credentials"}) {
    EXPECT_TRUE(is_secret_key(k)) << k;
  }
  for (const char* k : {"security.protocol", "sasl.mechanism", "sasl.username", "ssl.ca.location",
                        "ssl.certificate.location", "client.id", "fetch.wait.max.ms", "ssl.keystore.location"}) {
    EXPECT_FALSE(is_secret_key(k)) << k;
  }
}

// --- printing ---

TEST(MaskedYaml, SecretsMaskedAndDefaultsShown) {
  setenv("LAGWATCH_TEST_PW", kSecret, 1);
  const Config c = parse_yaml(R"(clusters:
  - name: prod
    bootstrap_servers: [a:9092]
    properties:
      sasl.username: lagwatch
      sasl.password: ${env:LAGWATCH_TEST_PW}
      sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required password="${env:LAGWATCH_TEST_PW}";
)",
                              "t.yml");
  const std::string out = to_masked_yaml(c);
  EXPECT_THAT(out, Not(HasSubstr(kSecret)));
  EXPECT_THAT(out, HasSubstr("sasl.password: \"***\""));
  EXPECT_THAT(out, HasSubstr("sasl.jaas.config: \"***\""));
  EXPECT_THAT(out, HasSubstr("sasl.username: lagwatch"));
  EXPECT_THAT(out, HasSubstr("listen_address: \":9721\""));
  EXPECT_THAT(out, HasSubstr("telemetry_path: /metrics"));
  EXPECT_THAT(out, HasSubstr("level: info"));
  EXPECT_THAT(out, HasSubstr("interval: 30s"));
  EXPECT_THAT(out, HasSubstr("request_timeout: 10s"));
  EXPECT_THAT(out, HasSubstr("group_concurrency: 16"));
  EXPECT_THAT(out, HasSubstr("history_points: 120"));
  EXPECT_THAT(out, HasSubstr("discover: true"));
  EXPECT_THAT(out, HasSubstr("include_internal: false"));
  unsetenv("LAGWATCH_TEST_PW");
}

TEST(MaskedYaml, ParsesBackToTheSameConfig) {
  const std::string doc = R"(web:
  listen_address: "[::]:9000"
poll:
  interval: 1m30s
  request_timeout: 1500ms
clusters:
  - name: prod
    bootstrap_servers: [a:9092, b:9092]
    poll_interval: 45s
    properties:
      client.id: "lag watch"
      empty.value: ""
      literal: "$${not a reference}"
      number: 5
    groups:
      discover: false
      names: [billing, "#hash", "*star", "&amp", "yes", "- dash"]
      allow: ["[a-z]+", "a|b", ".*", "!x", "@at"]
      deny: ["^console-consumer-.*", "a, b", "x: y"]
    topics:
      include_internal: true
  - name: b
    bootstrap_servers: [c:1]
)";
  const Config c = parse_yaml(doc, "t.yml");
  const std::string once = to_masked_yaml(c);
  const Config again = parse_yaml(once, "printed");
  EXPECT_EQ(to_masked_yaml(again), once);
  EXPECT_EQ(again.clusters[0].properties.at("literal"), "${not a reference}");
  EXPECT_EQ(again.clusters[0].properties.at("empty.value"), "");
  EXPECT_EQ(again.clusters[0].groups.deny, c.clusters[0].groups.deny);
  EXPECT_EQ(again.clusters[0].groups.allow, c.clusters[0].groups.allow);
  EXPECT_EQ(again.clusters[0].groups.names, c.clusters[0].groups.names);
  EXPECT_EQ(again.clusters[0].poll_interval, c.clusters[0].poll_interval);
  EXPECT_EQ(again.poll.request_timeout, milliseconds(1'500));
  EXPECT_EQ(again.web.listen_address, "[::]:9000");
}

TEST(MaskedYaml, WebSettingsRoundTrip) {
  const Config c = parse_yaml(R"(web:
  listen_address: "127.0.0.1:9000"
  read_header_timeout: 2500ms
  idle_timeout: 90s
  max_connections: 64
  enable_lifecycle: true
clusters:
  - name: a
    bootstrap_servers: [k:1]
)",
                              "t.yml");
  EXPECT_EQ(c.web.read_header_timeout, milliseconds(2'500));
  EXPECT_EQ(c.web.idle_timeout, milliseconds(90'000));
  EXPECT_EQ(c.web.max_connections, 64);
  EXPECT_TRUE(c.web.enable_lifecycle);
  const std::string out = to_masked_yaml(c);
  EXPECT_THAT(out, HasSubstr("web:\n  listen_address: \"127.0.0.1:9000\"\n  telemetry_path: /metrics\n"
                             "  read_header_timeout: 2s500ms\n  idle_timeout: 1m30s\n  max_connections: 64\n"
                             "  enable_lifecycle: true\n"));
  const Config again = parse_yaml(out, "printed");
  EXPECT_EQ(again.web, c.web);
  EXPECT_EQ(to_masked_yaml(again), out);
  // Defaults are printed too.
  const std::string defaults = to_masked_yaml(minimal());
  EXPECT_THAT(defaults, HasSubstr("  read_header_timeout: 5s\n  idle_timeout: 3m\n  max_connections: 1024\n"
                                  "  enable_lifecycle: false\n"));
}

TEST(ParseYamlErrors, WebSettings) {
  const std::string c = "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n";
  EXPECT_EQ(parse_error("web:\n  enable_lifecycle: maybe\n" + c),
            "t.yml:2:21: web.enable_lifecycle: expected true or false, got \"maybe\"");
  EXPECT_EQ(parse_error("web:\n  max_connections: lots\n" + c),
            "t.yml:2:20: web.max_connections: expected an integer, got \"lots\"");
  EXPECT_THAT(parse_error("web:\n  idle_timeout: 30\n" + c),
              StartsWith("t.yml:2:17: web.idle_timeout: invalid duration \"30\": missing unit"));
  EXPECT_THAT(parse_error("web:\n  read_timeout: 5s\n" + c),
              StartsWith("t.yml:2:3: web.read_timeout: unknown key (did you mean \"idle_timeout\"?)"));
}

// The listen address is checked by the HTTP server's own parser (util/listen_address.hpp), so
// check-config refuses exactly what serve cannot listen on.
TEST(Validate, ListenAddressAsTheServerParsesIt) {
  Config c = minimal();
  for (const char* ok : {":9721", ":0", "0.0.0.0:9721", "localhost:9721", "[::]:9721", "[::1]:1", "[fe80::1]:65535"}) {
    c.web.listen_address = ok;
    EXPECT_NO_THROW(validate(c)) << ok;
  }
  const std::pair<const char*, const char*> bad[] = {
      {"[]:1", "config: web.listen_address: \"[]:1\": empty IPv6 address in brackets"},
      {"[zz]:1", "config: web.listen_address: \"[zz]:1\": 'zz' in brackets is not an IPv6 address"},
      {"[::1]", "config: web.listen_address: \"[::1]\": missing port; expected host:port, :port or [ipv6]:port"},
      {"::1:9721", "config: web.listen_address: \"::1:9721\": an IPv6 address needs brackets, e.g. [::1]:9721"},
      {":65536", "config: web.listen_address: \":65536\": invalid port '65536' (expected 0-65535)"},
      {"9721", "config: web.listen_address: \"9721\": missing port; expected host:port, :port or [ipv6]:port"},
      {"", "config: web.listen_address: is empty; expected host:port or :port, e.g. \":9721\""},
      {"a b:1",
       "config: web.listen_address: \"a b:1\" is not a host name; expected host:port or :port, e.g. \":9721\""},
  };
  for (const auto& [address, message] : bad) {
    c.web.listen_address = address;
    EXPECT_EQ(validate_error(c), message);
  }
}

TEST(MaskedYaml, EmptyConfigStillPrints) {
  const std::string out = to_masked_yaml(Config{});
  EXPECT_THAT(out, HasSubstr("clusters: []"));
}

// A secret must not leak through any error, including ones about other keys.
TEST(MaskedYaml, SecretNeverInErrors) {
  setenv("LAGWATCH_TEST_PW", kSecret, 1);
  TempFile pw(kSecret);
  const std::string props = std::string("    properties:\n      sasl.password: ") + kSecret +
                            "\n      ssl.key.password: ${file:" + pw.path() +
                            "}\n      sasl.oauthbearer.client.secret: ${env:LAGWATCH_TEST_PW}\n";
  for (const std::string& tail :
       {std::string("    groups: {allow: [\"(\"]}\n"), std::string("    bogus: 1\n"),
        std::string("    poll_interval: x\n"), std::string("  - name: prod\n    bootstrap_servers: [k:1]\n"),
        std::string("      group.id: x\n"), std::string("      x: [1]\n"),
        std::string("      y: \"${vault:" + std::string(kSecret) + "}\"\n")}) {
    const std::string doc = "clusters:\n  - name: prod\n    bootstrap_servers: [k:1]\n" + props + tail;
    const std::string e = parse_error(doc);
    EXPECT_FALSE(e.empty()) << tail;
    EXPECT_THAT(e, Not(HasSubstr(kSecret))) << tail;
  }
  unsetenv("LAGWATCH_TEST_PW");
}

// --- validate (after overrides: no line numbers) ---

TEST(Validate, AcceptsMinimal) { EXPECT_NO_THROW(validate(minimal())); }

TEST(Validate, ProblemsNameTheKey) {
  EXPECT_EQ(validate_error(Config{}),
            "config: clusters: at least one cluster is required: list them under clusters: in the config file, or run "
            "without a file and give --kafka.server");
  {
    Config c = minimal();
    c.clusters.push_back(c.clusters[0]);
    EXPECT_THAT(validate_error(c), StartsWith("config: clusters[1].name: \"prod\" is already used"));
  }
  {
    Config c = minimal();
    c.clusters[0].bootstrap_servers.clear();
    EXPECT_THAT(validate_error(c), StartsWith("config: clusters[0].bootstrap_servers: required"));
  }
  {
    Config c = minimal();
    c.clusters[0].bootstrap_servers.push_back("k:65536");
    EXPECT_THAT(validate_error(c),
                StartsWith("config: clusters[0].bootstrap_servers[1]: \"k:65536\" has an invalid port"));
  }
  {
    Config c = minimal();
    c.clusters[0].topics.allow = {"ok", "(unclosed"};
    EXPECT_THAT(validate_error(c), StartsWith("config: clusters[0].topics.allow[1]: invalid regular expression"));
  }
  {
    Config c = minimal();
    c.clusters[0].poll_interval = milliseconds(999);
    EXPECT_THAT(validate_error(c), StartsWith("config: clusters[0].poll_interval: 999ms is out of range"));
  }
  {
    Config c = minimal();
    c.poll.interval = milliseconds(999);
    EXPECT_THAT(validate_error(c), StartsWith("config: poll.interval:"));
  }
  {
    Config c = minimal();
    c.poll.request_timeout = milliseconds(99);
    EXPECT_THAT(validate_error(c), StartsWith("config: poll.request_timeout:"));
  }
  {
    Config c = minimal();
    c.web.telemetry_path = "/readyz";
    EXPECT_THAT(validate_error(c), StartsWith("config: web.telemetry_path:"));
  }
  {
    Config c = minimal();
    c.log_level = "loud";
    EXPECT_THAT(validate_error(c), StartsWith("config: log.level: \"loud\""));
  }
  {
    Config c = minimal();
    c.poll.group_concurrency = 257;
    EXPECT_THAT(validate_error(c), StartsWith("config: poll.group_concurrency: 257 is out of range"));
  }
  {
    Config c = minimal();
    c.clusters[0].properties["group.id"] = "x";
    EXPECT_THAT(validate_error(c), StartsWith("config: clusters[0].properties.group.id:"));
  }
}

TEST(Validate, Boundaries) {
  Config c = minimal();
  c.poll.interval = milliseconds(1'000);
  c.poll.request_timeout = milliseconds(100);
  c.poll.group_concurrency = 256;
  c.lag.history_points = 16;
  c.clusters[0].bootstrap_servers = {"k:1", "k:65535", "[fe80::1]:9092", "10.0.0.1:9092"};
  c.web.listen_address = ":0";  // the OS picks a port: what tests use
  EXPECT_NO_THROW(validate(c));
  c.web.listen_address = "[::1]:9721";
  EXPECT_NO_THROW(validate(c));
  c.lag.history_points = 100'001;
  EXPECT_THAT(validate_error(c), StartsWith("config: lag.history_points:"));
}

TEST(DidYouMean, SuggestsOnlyCloseWords) {
  EXPECT_EQ(did_you_mean("clsters", {"web", "clusters"}), " (did you mean \"clusters\"?)");
  EXPECT_EQ(did_you_mean("Name", {"name"}), " (did you mean \"name\"?)");
  EXPECT_EQ(did_you_mean("zzzzzz", {"web", "clusters"}), "");
  EXPECT_EQ(did_you_mean("x", {}), "");
}

}  // namespace
}  // namespace lagwatch::config

namespace lagwatch::config {
namespace {

TEST(ParseYamlEvaluation, ReadsTheSectionAndNamesBadValues) {
  auto c = parse_yaml(
      "evaluation:\n  window: 20\n  min_completeness: 0.75\n  allowed_lag: 5\n"
      "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n",
      "t.yml");
  EXPECT_EQ(c.evaluation.window, 20);
  EXPECT_DOUBLE_EQ(c.evaluation.min_completeness, 0.75);
  EXPECT_EQ(c.evaluation.allowed_lag, 5);
  auto error = [](const std::string& yaml) {
    try {
      parse_yaml(yaml + "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n", "t.yml");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("evaluation:\n  min_completeness: 1.5\n").rfind("t.yml:2:21: evaluation.min_completeness:", 0), 0u)
      << error("evaluation:\n  min_completeness: 1.5\n");
  EXPECT_NE(error("evaluation:\n  window: 1\n").find("evaluation.window"), std::string::npos);
  EXPECT_NE(error("evaluation:\n  min_completeness: half\n").find("expected a number"), std::string::npos);
  EXPECT_NE(error("evaluation:\n  window_size: 3\n").find("unknown key"), std::string::npos);
}

}  // namespace
}  // namespace lagwatch::config
