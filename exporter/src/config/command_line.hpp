// lagwatch's command line and LAGWATCH_* environment variables.
//
//   lagwatch [COMMAND] [FLAGS] [ARGS]
//
// COMMAND is the first argument when it does not start with "-" (serve when absent). Flags
// take "--flag value" or "--flag=value"; "--" ends the flags. Boolean flags
// (--web.enable-lifecycle) take no separate value: "--flag" means true, "--flag=false" false.
// Every flag has an environment variable twin, so a container can be configured without a file:
//
//   LAGWATCH_KAFKA_SERVER=kafka-1:9092,kafka-2:9092 lagwatch
//
// The flag names for servers and filters are kafka_exporter's, so its users can switch by
// changing the binary name. Precedence, lowest first: defaults < YAML file < environment <
// flags. The intended sequence in main():
//
//   CommandLine cl = parse_command_line(args);          // UsageError -> print usage, exit 2
//   merge_environment(cl, current_environment());
//   Config config = cl.config_path ? load_file(*cl.config_path) : Config{};
//   apply_overrides(config, cl.overrides);              // ConfigError -> print, exit 1
//   validate(config);
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace lagwatch::config {

// Settings given by flags or environment variables; unset members leave the file's values alone.
struct Overrides {
  // --kafka.server (repeatable; each value may also be comma-separated) / LAGWATCH_KAFKA_SERVER.
  std::vector<std::string> kafka_servers;
  // --cluster.name / LAGWATCH_CLUSTER_NAME: the cluster kafka_servers applies to. "default"
  // when kafka_servers is given without it; an error without kafka_servers.
  std::optional<std::string> cluster_name;
  std::optional<std::string> listen_address;  // --web.listen-address / LAGWATCH_WEB_LISTEN_ADDRESS
  std::optional<std::string> telemetry_path;  // --web.telemetry-path / LAGWATCH_WEB_TELEMETRY_PATH
  // --web.read-header-timeout / LAGWATCH_WEB_READ_HEADER_TIMEOUT and --web.idle-timeout /
  // LAGWATCH_WEB_IDLE_TIMEOUT ("5s"), --web.max-connections / LAGWATCH_WEB_MAX_CONNECTIONS
  // ("1024"): kept as text and parsed by apply_overrides, which names the flag on an error.
  std::optional<std::string> read_header_timeout;
  std::optional<std::string> idle_timeout;
  std::optional<std::string> max_connections;
  // --web.enable-lifecycle (no value: "true"; or =true/=false) / LAGWATCH_WEB_ENABLE_LIFECYCLE.
  std::optional<std::string> enable_lifecycle;
  std::optional<std::string> web_config_file;      // --web.config.file / LAGWATCH_WEB_CONFIG_FILE
  std::optional<std::string> probes_without_auth;  // --web.probes-without-auth
  std::optional<std::string> log_level;            // --log.level / LAGWATCH_LOG_LEVEL
  std::optional<std::string> poll_interval;        // --poll.interval / LAGWATCH_POLL_INTERVAL ("30s")
  // --group.filter, --group.exclude, --topic.filter, --topic.exclude (repeatable; one regex
  // each, never split on commas since regexes contain them) / LAGWATCH_GROUP_FILTER, ...
  std::vector<std::string> group_allow, group_deny, topic_allow, topic_deny;
  // --notifier.url (repeatable) / LAGWATCH_NOTIFIER_URL (one URL): each adds a notifier with
  // every default, named webhook-1, webhook-2, ... (docs/notifications.md).
  std::vector<std::string> notifier_urls;
};

struct CommandLine {
  std::string command = "serve";           // serve | demo | check-config | evaluate | version | help
  std::vector<std::string> positional;     // arguments after the command, e.g. FILE for check-config
  std::optional<std::string> config_path;  // --config FILE / LAGWATCH_CONFIG
  // --scenario NAME / LAGWATCH_DEMO_SCENARIO: the demo's timed incidents (demo/scenarios.hpp,
  // which checks the name). The flag is refused for every other command; the variable is
  // ignored by them.
  std::optional<std::string> scenario;
  Overrides overrides;
};

// A malformed command line: unknown command or flag, missing flag value, stray argument.
// The message names the offending argument; print it followed by usage_text().
class UsageError : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

// Parses the arguments after argv[0]. "--help"/"-h" anywhere make the command "help",
// "--version" makes it "version". Positional arguments are collected for every command
// except serve and version, which take none; the command itself checks how many it needs.
// A flag given twice keeps the last value, except the repeatable ones, which accumulate.
// Throws UsageError.
CommandLine parse_command_line(const std::vector<std::string>& args);

// Fills from LAGWATCH_CONFIG, LAGWATCH_KAFKA_SERVER, LAGWATCH_CLUSTER_NAME,
// LAGWATCH_WEB_LISTEN_ADDRESS, LAGWATCH_WEB_TELEMETRY_PATH, LAGWATCH_WEB_READ_HEADER_TIMEOUT,
// LAGWATCH_WEB_IDLE_TIMEOUT, LAGWATCH_WEB_MAX_CONNECTIONS, LAGWATCH_WEB_ENABLE_LIFECYCLE, LAGWATCH_LOG_LEVEL,
// LAGWATCH_POLL_INTERVAL, LAGWATCH_GROUP_FILTER, LAGWATCH_GROUP_EXCLUDE,
// LAGWATCH_TOPIC_FILTER, LAGWATCH_TOPIC_EXCLUDE, LAGWATCH_NOTIFIER_URL and LAGWATCH_DEMO_SCENARIO whatever the command
// line left unset, so flags beat the environment. Empty variables count as unset (what `VAR=${VAR}` in a compose file
// produces). LAGWATCH_KAFKA_SERVER is comma-separated; each filter variable holds one regex.
void merge_environment(CommandLine& cl, const std::map<std::string, std::string>& env);

// The process environment (::environ) as a map, for merge_environment.
std::map<std::string, std::string> current_environment();

// Applies overrides to a config loaded from YAML (or a default Config when there is no file):
//  - kafka_servers replaces bootstrap_servers of the cluster named cluster_name ("default"),
//    which is appended when the file has no cluster of that name;
//  - group_allow/group_deny/topic_allow/topic_deny, when given, replace those lists in every
//    cluster;
//  - listen_address, telemetry_path, the other web settings, log_level and poll_interval
//    replace the top-level values (a cluster's own poll_interval still wins for that cluster);
//  - each of notifier_urls appends a notifier with default settings, named webhook-1, ...
// Throws ConfigError ("config: --poll.interval (LAGWATCH_POLL_INTERVAL): ..."). Does not
// validate: call validate() afterwards.
void apply_overrides(Config& config, const Overrides& o);

// The help text: commands, then every flag with its environment variable and default.
std::string usage_text();

}  // namespace lagwatch::config
