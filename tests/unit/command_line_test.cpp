// Command line, environment variables and their precedence over the YAML file.
#include "config/command_line.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace lagwatch::config {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Args = std::vector<std::string>;
using Env = std::map<std::string, std::string>;

std::string usage_error(const Args& args) {
  try {
    parse_command_line(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted";
  return "";
}

const char* kYaml = R"(web:
  listen_address: ":1111"
log:
  level: debug
poll:
  interval: 10s
clusters:
  - name: prod
    bootstrap_servers: [p:9092]
    poll_interval: 5s
    groups:
      allow: ["yaml.*"]
  - name: staging
    bootstrap_servers: [s:9092]
)";

// The sequence main() runs, minus reading the file.
Config effective(const Args& args, const Env& env) {
  CommandLine cl = parse_command_line(args);
  merge_environment(cl, env);
  Config c = parse_yaml(kYaml, "t.yml");
  apply_overrides(c, cl.overrides);
  validate(c);
  return c;
}

TEST(ParseCommandLine, NoArgumentsMeansServe) {
  const CommandLine cl = parse_command_line({});
  EXPECT_EQ(cl.command, "serve");
  EXPECT_TRUE(cl.positional.empty());
  EXPECT_FALSE(cl.config_path);
  EXPECT_TRUE(cl.overrides.kafka_servers.empty());
}

TEST(ParseCommandLine, Subcommands) {
  for (const char* c : {"serve", "demo", "check-config", "evaluate", "version", "help"}) {
    EXPECT_EQ(parse_command_line({c}).command, c);
  }
  const CommandLine cl = parse_command_line({"check-config", "lagwatch.yml", "--log.level", "warn"});
  EXPECT_EQ(cl.command, "check-config");
  EXPECT_EQ(cl.positional, Args{"lagwatch.yml"});
  EXPECT_EQ(cl.overrides.log_level, "warn");
  EXPECT_EQ(parse_command_line({"evaluate", "a.json", "b.json"}).positional, (Args{"a.json", "b.json"}));
}

TEST(ParseCommandLine, BothFlagForms) {
  const CommandLine cl =
      parse_command_line({"--config", "a.yml", "--web.listen-address=:9999", "--log.level=debug",
                          "--web.telemetry-path", "/m", "--poll.interval", "1m", "--cluster.name=x"});
  EXPECT_EQ(cl.config_path, "a.yml");
  EXPECT_EQ(cl.overrides.listen_address, ":9999");
  EXPECT_EQ(cl.overrides.log_level, "debug");
  EXPECT_EQ(cl.overrides.telemetry_path, "/m");
  EXPECT_EQ(cl.overrides.poll_interval, "1m");
  EXPECT_EQ(cl.overrides.cluster_name, "x");
}

TEST(ParseCommandLine, ValueMayContainEqualsAndStartWithDash) {
  const CommandLine cl = parse_command_line({"--group.filter=a=b", "--topic.exclude", "-dlq$"});
  EXPECT_EQ(cl.overrides.group_allow, Args{"a=b"});
  EXPECT_EQ(cl.overrides.topic_deny, Args{"-dlq$"});
}

TEST(ParseCommandLine, RepeatableFlags) {
  const CommandLine cl = parse_command_line({"--kafka.server", "a:1", "--kafka.server=b:2, c:3,", "--group.filter",
                                             "x{1,3}", "--group.filter", "y", "--group.exclude", "z", "--topic.filter",
                                             "t", "--topic.exclude", "u"});
  EXPECT_EQ(cl.overrides.kafka_servers, (Args{"a:1", "b:2", "c:3"}));
  EXPECT_EQ(cl.overrides.group_allow, (Args{"x{1,3}", "y"}));  // regexes are never split on commas
  EXPECT_EQ(cl.overrides.group_deny, Args{"z"});
  EXPECT_EQ(cl.overrides.topic_allow, Args{"t"});
  EXPECT_EQ(cl.overrides.topic_deny, Args{"u"});
}

TEST(ParseCommandLine, LastValueWinsForSingleFlags) {
  EXPECT_EQ(parse_command_line({"--log.level=warn", "--log.level=error"}).overrides.log_level, "error");
}

TEST(ParseCommandLine, HelpAndVersionFlags) {
  EXPECT_EQ(parse_command_line({"--help"}).command, "help");
  EXPECT_EQ(parse_command_line({"-h"}).command, "help");
  EXPECT_EQ(parse_command_line({"check-config", "--help"}).command, "help");
  EXPECT_EQ(parse_command_line({"--version"}).command, "version");
}

TEST(ParseCommandLine, DoubleDashEndsFlags) {
  const CommandLine cl = parse_command_line({"check-config", "--", "--weird-file.yml"});
  EXPECT_EQ(cl.positional, Args{"--weird-file.yml"});
}

TEST(ParseCommandLine, UnknownFlagIsNamed) {
  EXPECT_THAT(usage_error({"--kafka.servers", "a:1"}), StartsWith("unknown flag --kafka.servers"));
  EXPECT_THAT(usage_error({"--kafka.servers", "a:1"}), HasSubstr("did you mean \"--kafka.server\""));
  EXPECT_THAT(usage_error({"--bogus=1"}), StartsWith("unknown flag --bogus"));
  EXPECT_THAT(usage_error({"-config", "x"}), HasSubstr("--config"));
  EXPECT_THAT(usage_error({"--sasl.enabled"}), HasSubstr("clusters[].properties"));
  EXPECT_THAT(usage_error({"check-config", "--nope"}), StartsWith("unknown flag --nope"));
}

TEST(ParseCommandLine, MissingOrEmptyValue) {
  EXPECT_THAT(usage_error({"--config"}), StartsWith("flag --config needs a value"));
  EXPECT_THAT(usage_error({"--log.level="}), StartsWith("flag --log.level needs a non-empty value"));
}

TEST(ParseCommandLine, UnknownCommandAndStrayArguments) {
  EXPECT_THAT(usage_error({"srve"}), StartsWith("unknown command \"srve\""));
  EXPECT_THAT(usage_error({"srve"}), HasSubstr("did you mean \"serve\""));
  EXPECT_THAT(usage_error({"lagwatch.yml"}), HasSubstr("--config lagwatch.yml"));
  EXPECT_THAT(usage_error({"serve", "extra"}), StartsWith("unexpected argument \"extra\""));
  EXPECT_THAT(usage_error({"--log.level", "info", "extra"}), StartsWith("unexpected argument"));
}

TEST(MergeEnvironment, FillsWhatFlagsLeftUnset) {
  CommandLine cl = parse_command_line({"--log.level", "error", "--group.filter", "flag.*"});
  merge_environment(cl, {{"LAGWATCH_CONFIG", "/etc/lagwatch.yml"},
                         {"LAGWATCH_KAFKA_SERVER", "a:1,b:2"},
                         {"LAGWATCH_CLUSTER_NAME", "prod"},
                         {"LAGWATCH_WEB_LISTEN_ADDRESS", ":8080"},
                         {"LAGWATCH_WEB_TELEMETRY_PATH", "/x"},
                         {"LAGWATCH_LOG_LEVEL", "trace"},
                         {"LAGWATCH_POLL_INTERVAL", "45s"},
                         {"LAGWATCH_GROUP_FILTER", "env.*"},
                         {"LAGWATCH_GROUP_EXCLUDE", "a{1,2}"},
                         {"LAGWATCH_TOPIC_FILTER", "t.*"},
                         {"LAGWATCH_TOPIC_EXCLUDE", "u.*"},
                         {"UNRELATED", "x"}});
  EXPECT_EQ(cl.config_path, "/etc/lagwatch.yml");
  EXPECT_EQ(cl.overrides.kafka_servers, (Args{"a:1", "b:2"}));
  EXPECT_EQ(cl.overrides.cluster_name, "prod");
  EXPECT_EQ(cl.overrides.listen_address, ":8080");
  EXPECT_EQ(cl.overrides.telemetry_path, "/x");
  EXPECT_EQ(cl.overrides.log_level, "error");           // flag wins
  EXPECT_EQ(cl.overrides.group_allow, Args{"flag.*"});  // flag wins, env not appended
  EXPECT_EQ(cl.overrides.poll_interval, "45s");
  EXPECT_EQ(cl.overrides.group_deny, Args{"a{1,2}"});
  EXPECT_EQ(cl.overrides.topic_allow, Args{"t.*"});
  EXPECT_EQ(cl.overrides.topic_deny, Args{"u.*"});
}

TEST(MergeEnvironment, FlagConfigBeatsEnvAndEmptyMeansUnset) {
  CommandLine cl = parse_command_line({"--config", "flag.yml"});
  merge_environment(cl, {{"LAGWATCH_CONFIG", "env.yml"}, {"LAGWATCH_LOG_LEVEL", ""}, {"LAGWATCH_KAFKA_SERVER", ""}});
  EXPECT_EQ(cl.config_path, "flag.yml");
  EXPECT_FALSE(cl.overrides.log_level);
  EXPECT_TRUE(cl.overrides.kafka_servers.empty());
}

TEST(CurrentEnvironment, ReadsProcessEnvironment) {
  setenv("LAGWATCH_TEST_CURRENT_ENV", "a=b", 1);
  const auto env = current_environment();
  ASSERT_TRUE(env.contains("LAGWATCH_TEST_CURRENT_ENV"));
  EXPECT_EQ(env.at("LAGWATCH_TEST_CURRENT_ENV"), "a=b");
  unsetenv("LAGWATCH_TEST_CURRENT_ENV");
}

TEST(ApplyOverrides, ServersWithoutFileCreateDefaultCluster) {
  Config c;
  Overrides o;
  o.kafka_servers = {"k:9092"};
  apply_overrides(c, o);
  ASSERT_EQ(c.clusters.size(), 1u);
  EXPECT_EQ(c.clusters[0].name, "default");
  EXPECT_EQ(c.clusters[0].bootstrap_servers, Args{"k:9092"});
  EXPECT_NO_THROW(validate(c));
}

TEST(ApplyOverrides, ServersReplaceNamedClusterOnly) {
  Config c = parse_yaml(kYaml, "t.yml");
  Overrides o;
  o.kafka_servers = {"n1:9092", "n2:9092"};
  o.cluster_name = "staging";
  apply_overrides(c, o);
  ASSERT_EQ(c.clusters.size(), 2u);
  EXPECT_EQ(c.clusters[0].bootstrap_servers, Args{"p:9092"});
  EXPECT_EQ(c.clusters[1].bootstrap_servers, (Args{"n1:9092", "n2:9092"}));
}

TEST(ApplyOverrides, UnknownClusterNameAddsCluster) {
  Config c = parse_yaml(kYaml, "t.yml");
  Overrides o;
  o.kafka_servers = {"d:9092"};
  apply_overrides(c, o);
  ASSERT_EQ(c.clusters.size(), 3u);
  EXPECT_EQ(c.clusters[2].name, "default");
}

TEST(ApplyOverrides, FiltersReplaceEveryCluster) {
  Config c = parse_yaml(kYaml, "t.yml");
  Overrides o;
  o.group_deny = {"tmp.*"};
  o.topic_allow = {"orders.*"};
  apply_overrides(c, o);
  for (const auto& cl : c.clusters) {
    EXPECT_EQ(cl.groups.deny, Args{"tmp.*"});
    EXPECT_EQ(cl.topics.allow, Args{"orders.*"});
  }
  EXPECT_EQ(c.clusters[0].groups.allow, Args{"yaml.*"});  // not overridden: kept
}

TEST(ApplyOverrides, Errors) {
  Config c = parse_yaml(kYaml, "t.yml");
  Overrides o;
  o.poll_interval = "fast";
  try {
    apply_overrides(c, o);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), StartsWith("config: --poll.interval (LAGWATCH_POLL_INTERVAL): invalid duration \"fast\""));
  }
  Overrides name_only;
  name_only.cluster_name = "prod";
  EXPECT_THROW(apply_overrides(c, name_only), ConfigError);
}

TEST(ApplyOverrides, InvalidOverrideCaughtByValidate) {
  Config c = parse_yaml(kYaml, "t.yml");
  Overrides o;
  o.kafka_servers = {"nohost"};
  o.cluster_name = "prod";
  o.group_allow = {"("};
  apply_overrides(c, o);
  try {
    validate(c);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), StartsWith("config: clusters[0].bootstrap_servers[0]: \"nohost\" has no port"));
  }
}

TEST(Precedence, YamlThenEnvThenFlags) {
  // YAML alone.
  Config c = effective({}, {});
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.web.listen_address, ":1111");
  EXPECT_EQ(c.poll.interval, milliseconds(10'000));

  // Environment beats YAML.
  const Env env = {{"LAGWATCH_LOG_LEVEL", "warn"},
                   {"LAGWATCH_WEB_LISTEN_ADDRESS", ":2222"},
                   {"LAGWATCH_POLL_INTERVAL", "20s"},
                   {"LAGWATCH_GROUP_FILTER", "env.*"}};
  c = effective({}, env);
  EXPECT_EQ(c.log_level, "warn");
  EXPECT_EQ(c.web.listen_address, ":2222");
  EXPECT_EQ(c.poll.interval, milliseconds(20'000));
  EXPECT_EQ(c.clusters[0].groups.allow, Args{"env.*"});

  // Flags beat both.
  c = effective({"--log.level", "error", "--web.listen-address=:3333", "--poll.interval=40s", "--group.filter=flag.*"},
                env);
  EXPECT_EQ(c.log_level, "error");
  EXPECT_EQ(c.web.listen_address, ":3333");
  EXPECT_EQ(c.poll.interval, milliseconds(40'000));
  EXPECT_EQ(c.clusters[0].groups.allow, Args{"flag.*"});
  // A cluster's own poll_interval in the file still applies to it.
  EXPECT_EQ(c.poll_interval_for(c.clusters[0]), milliseconds(5'000));
  EXPECT_EQ(c.poll_interval_for(c.clusters[1]), milliseconds(40'000));

  // Env servers for a named cluster, flag servers beat them.
  c = effective({"--kafka.server", "flag:1"}, {{"LAGWATCH_KAFKA_SERVER", "env:1"}, {"LAGWATCH_CLUSTER_NAME", "prod"}});
  EXPECT_EQ(c.clusters[0].bootstrap_servers, Args{"flag:1"});
  EXPECT_EQ(c.clusters.size(), 2u);
}

TEST(CommandLineWebFlags, ValuesFlagsAndEnvironment) {
  Config c = effective({"--web.read-header-timeout=2s", "--web.idle-timeout", "10m", "--web.max-connections", "10",
                        "--web.enable-lifecycle"},
                       {});
  EXPECT_EQ(c.web.read_header_timeout, milliseconds(2'000));
  EXPECT_EQ(c.web.idle_timeout, milliseconds(600'000));
  EXPECT_EQ(c.web.max_connections, 10);
  EXPECT_TRUE(c.web.enable_lifecycle);
  c = effective({}, {{"LAGWATCH_WEB_READ_HEADER_TIMEOUT", "1s"},
                     {"LAGWATCH_WEB_IDLE_TIMEOUT", "5s"},
                     {"LAGWATCH_WEB_MAX_CONNECTIONS", "7"},
                     {"LAGWATCH_WEB_ENABLE_LIFECYCLE", "true"}});
  EXPECT_EQ(c.web.read_header_timeout, milliseconds(1'000));
  EXPECT_EQ(c.web.idle_timeout, milliseconds(5'000));
  EXPECT_EQ(c.web.max_connections, 7);
  EXPECT_TRUE(c.web.enable_lifecycle);
  // Flags beat the environment; defaults without either.
  c = effective({"--web.max-connections=8", "--web.enable-lifecycle=false"},
                {{"LAGWATCH_WEB_MAX_CONNECTIONS", "7"}, {"LAGWATCH_WEB_ENABLE_LIFECYCLE", "1"}});
  EXPECT_EQ(c.web.max_connections, 8);
  EXPECT_FALSE(c.web.enable_lifecycle);
  c = effective({}, {});
  WebConfig expected;
  expected.listen_address = ":1111";  // from kYaml
  EXPECT_EQ(c.web, expected);
}

TEST(CommandLineWebFlags, WebConfigFileAndProbes) {
  Config c = effective({"--web.config.file=/etc/lagwatch/web.yml", "--web.probes-without-auth"}, {});
  EXPECT_EQ(c.web.config_file, "/etc/lagwatch/web.yml");
  EXPECT_TRUE(c.web.probes_without_auth);
  c = effective({}, {{"LAGWATCH_WEB_CONFIG_FILE", "env.yml"}, {"LAGWATCH_WEB_PROBES_WITHOUT_AUTH", "yes"}});
  EXPECT_EQ(c.web.config_file, "env.yml");
  EXPECT_TRUE(c.web.probes_without_auth);
  // The flag wins over the environment, which wins over the file's web.config_file.
  c = effective({"--web.config.file", "flag.yml"}, {{"LAGWATCH_WEB_CONFIG_FILE", "env.yml"}});
  EXPECT_EQ(c.web.config_file, "flag.yml");
  Config from_yaml = parse_yaml(
      "web:\n  config_file: yaml.yml\n  probes_without_auth: true\nclusters: [{name: a, bootstrap_servers: "
      "[\"k:9092\"]}]\n",
      "t.yml");
  EXPECT_EQ(from_yaml.web.config_file, "yaml.yml");
  EXPECT_TRUE(from_yaml.web.probes_without_auth);
  Overrides o;
  o.web_config_file = "flag.yml";
  apply_overrides(from_yaml, o);
  EXPECT_EQ(from_yaml.web.config_file, "flag.yml");
  o = {};
  o.probes_without_auth = "maybe";
  EXPECT_THROW(apply_overrides(from_yaml, o), ConfigError);
  EXPECT_NE(usage_text().find("--web.config.file FILE"), std::string::npos);
  EXPECT_NE(usage_text().find("LAGWATCH_WEB_PROBES_WITHOUT_AUTH"), std::string::npos);
}

TEST(CommandLineWebFlags, BooleanFlagTakesNoSeparateValue) {
  // The next argument stays a positional argument.
  CommandLine cl = parse_command_line({"check-config", "--web.enable-lifecycle", "lagwatch.yml"});
  EXPECT_EQ(cl.overrides.enable_lifecycle, "true");
  EXPECT_EQ(cl.positional, Args{"lagwatch.yml"});
  cl = parse_command_line({"--web.enable-lifecycle"});  // last argument: no "needs a value"
  EXPECT_EQ(cl.overrides.enable_lifecycle, "true");
  EXPECT_EQ(parse_command_line({"--web.enable-lifecycle=FALSE"}).overrides.enable_lifecycle, "FALSE");
  EXPECT_THAT(usage_error({"--web.enable-lifecycle=maybe"}),
              StartsWith("flag --web.enable-lifecycle takes no value, or =true or =false; got \"maybe\""));
  // "serve" takes no positional argument, so a value written after a space is refused.
  EXPECT_THAT(usage_error({"--web.enable-lifecycle", "true"}), StartsWith("unexpected argument \"true\""));
  EXPECT_THAT(usage_error({"--web.enable-lifecycle="}), StartsWith("flag --web.enable-lifecycle takes no value"));
}

TEST(CommandLineWebFlags, BadEnvironmentValuesNameTheVariable) {
  auto error = [](const Env& env) {
    try {
      effective({}, env);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error({{"LAGWATCH_WEB_ENABLE_LIFECYCLE", "sometimes"}}),
            "config: --web.enable-lifecycle (LAGWATCH_WEB_ENABLE_LIFECYCLE): expected true or false, got "
            "\"sometimes\"");
  EXPECT_EQ(error({{"LAGWATCH_WEB_MAX_CONNECTIONS", "1e3"}}),
            "config: --web.max-connections (LAGWATCH_WEB_MAX_CONNECTIONS): expected an integer, got \"1e3\"");
  EXPECT_THAT(error({{"LAGWATCH_WEB_READ_HEADER_TIMEOUT", "5"}}),
              StartsWith("config: --web.read-header-timeout (LAGWATCH_WEB_READ_HEADER_TIMEOUT): invalid duration"));
  EXPECT_EQ(error({{"LAGWATCH_WEB_LISTEN_ADDRESS", "[]:1"}}),
            "config: web.listen_address: \"[]:1\": empty IPv6 address in brackets");
}

TEST(CommandLineDemoFlags, ScenarioIsForTheDemoOnly) {
  EXPECT_EQ(parse_command_line({"demo", "--scenario", "module10"}).scenario, "module10");
  EXPECT_EQ(parse_command_line({"demo", "--scenario=none"}).scenario, "none");
  EXPECT_FALSE(parse_command_line({"demo"}).scenario.has_value());
  // The name is the demo's to check (demo/scenarios.hpp): any non-empty value parses here.
  EXPECT_EQ(parse_command_line({"demo", "--scenario", "bogus"}).scenario, "bogus");
  EXPECT_THAT(usage_error({"serve", "--scenario", "module10"}),
              HasSubstr("--scenario is for lagwatch demo only (lagwatch demo --scenario module10)"));
  EXPECT_THAT(usage_error({"--scenario", "module10"}), HasSubstr("for lagwatch demo only"));
  EXPECT_THAT(usage_error({"check-config", "x.yml", "--scenario=module7"}), HasSubstr("for lagwatch demo only"));
  EXPECT_THAT(usage_error({"demo", "--scenario="}), HasSubstr("--scenario needs a non-empty value"));

  // The variable fills what the flag left unset; other commands never look at it.
  CommandLine demo = parse_command_line({"demo"});
  merge_environment(demo, {{"LAGWATCH_DEMO_SCENARIO", "module7"}});
  EXPECT_EQ(demo.scenario, "module7");
  CommandLine flag_wins = parse_command_line({"demo", "--scenario", "none"});
  merge_environment(flag_wins, {{"LAGWATCH_DEMO_SCENARIO", "module7"}});
  EXPECT_EQ(flag_wins.scenario, "none");
}

TEST(UsageText, ListsEveryCommandFlagAndVariable) {
  const std::string u = usage_text();
  for (const char* s : {"serve",
                        "demo",
                        "check-config",
                        "evaluate",
                        "version",
                        "help",
                        "--config",
                        "LAGWATCH_CONFIG",
                        "--kafka.server",
                        "LAGWATCH_KAFKA_SERVER",
                        "--cluster.name",
                        "LAGWATCH_CLUSTER_NAME",
                        "--web.listen-address",
                        "LAGWATCH_WEB_LISTEN_ADDRESS",
                        "--web.telemetry-path",
                        "LAGWATCH_WEB_TELEMETRY_PATH",
                        "--log.level",
                        "LAGWATCH_LOG_LEVEL",
                        "--poll.interval",
                        "LAGWATCH_POLL_INTERVAL",
                        "--group.filter",
                        "LAGWATCH_GROUP_FILTER",
                        "--group.exclude",
                        "LAGWATCH_GROUP_EXCLUDE",
                        "--topic.filter",
                        "LAGWATCH_TOPIC_FILTER",
                        "--topic.exclude",
                        "LAGWATCH_TOPIC_EXCLUDE",
                        "--web.read-header-timeout DURATION",
                        "LAGWATCH_WEB_READ_HEADER_TIMEOUT",
                        "--web.idle-timeout DURATION",
                        "LAGWATCH_WEB_IDLE_TIMEOUT",
                        "--web.max-connections N",
                        "LAGWATCH_WEB_MAX_CONNECTIONS",
                        "--scenario NAME",
                        "LAGWATCH_DEMO_SCENARIO",
                        "--web.enable-lifecycle ",
                        "LAGWATCH_WEB_ENABLE_LIFECYCLE",
                        "default: 5s",
                        "default: 3m",
                        "default: 1024",
                        "default: false",
                        "default: :9721",
                        "default: /metrics",
                        "default: info",
                        "default: 30s",
                        "default: default"}) {
    EXPECT_THAT(u, HasSubstr(s));
  }
}

}  // namespace
}  // namespace lagwatch::config
