// lagwatch's effective configuration: what the YAML file, the command-line flags and
// the LAGWATCH_* environment variables add up to, validated once at start-up.
//
// Precedence, lowest to highest: built-in defaults < YAML file < environment < flags.
// Every other module reads these plain structs and never parses anything itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/name_filter.hpp"
#include "evaluate/evaluation_settings.hpp"
#include "notify/config/notifier_config.hpp"

namespace lagwatch::config {

// A configuration problem, with where it was found ("lagwatch.yml:12:5: clusters[0].name").
// The message never contains a secret's value.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct GroupSelection {
  bool discover = true;            // ask the brokers for their groups (ListGroups)
  std::vector<std::string> names;  // always polled, even where ListGroups is missing
  std::vector<std::string> allow;  // regexes; empty = everything
  std::vector<std::string> deny;   // regexes applied after allow

  // Reload compares configurations to keep what has not changed.
  bool operator==(const GroupSelection&) const = default;
};

struct TopicSelection {
  std::vector<std::string> allow;
  std::vector<std::string> deny;
  bool include_internal = false;  // topics starting with "__" (e.g. __consumer_offsets)

  bool operator==(const TopicSelection&) const = default;
};

struct ClusterConfig {
  std::string name;                            // value of the `cluster` label
  std::vector<std::string> bootstrap_servers;  // host:port
  // Client properties, by their librdkafka names (security.protocol, sasl.*, ssl.*); see
  // kafka/client_properties.hpp for the ones lagwatch honors.
  // Values are already resolved from ${env:NAME} / ${file:/path} references.
  std::map<std::string, std::string> properties;
  GroupSelection groups;
  TopicSelection topics;
  std::optional<std::chrono::milliseconds> poll_interval;  // overrides poll.interval
  // Static labels added to every series of this cluster (kafka_exporter's --kafka.labels),
  // e.g. {env: staging, region: eu-1}. Names are Prometheus label names that lagwatch itself
  // does not use (validate() refuses `cluster`, `topic`, ...).
  std::map<std::string, std::string> labels;

  bool operator==(const ClusterConfig&) const = default;
};

// The accepted range of each duration and count below is in config/bounds.hpp.
struct WebConfig {
  std::string listen_address = ":9721";  // host:port; ":port" listens on every address
  std::string telemetry_path = "/metrics";
  // From accepting a connection to the end of the request's headers: a client that trickles
  // its headers (slowloris) holds a connection at most this long.
  std::chrono::milliseconds read_header_timeout{5'000};
  std::chrono::milliseconds idle_timeout{180'000};  // a keep-alive connection waiting for its next request
  int max_connections = 1024;                       // HTTP connections open at once; see http::ServerOptions
  bool enable_lifecycle = false;                    // POST /-/reload (Prometheus's --web.enable-lifecycle)
  // exporter-toolkit's web config file (TLS, basic auth, headers; docs/security.md); "" for
  // plain HTTP. Its contents are re-read on change; the path itself needs a restart.
  std::string config_file;
  // /healthz and /readyz answer without basic auth (kubelets probe without credentials).
  bool probes_without_auth = false;

  bool operator==(const WebConfig&) const = default;
};

struct PollConfig {
  std::chrono::milliseconds interval{30'000};
  std::chrono::milliseconds request_timeout{10'000};  // per Kafka request
  int group_concurrency = 16;                         // committed-offset requests in flight

  bool operator==(const PollConfig&) const = default;
};

struct LagConfig {
  // Points kept per partition in the (time, log end offset) history used for lag in seconds.
  int history_points = 120;  // at most ~2 KB per partition (16 B a point)

  bool operator==(const LagConfig&) const = default;
};

// Log directory sizes (DescribeLogDirs, one request per broker), read on their own interval:
// sizes change slowly and the answer lists every replica of the broker.
struct LogDirsConfig {
  bool enabled = true;
  std::chrono::milliseconds interval{300'000};
  // Series per partition replica (lagwatch_log_dir_partition_size_bytes): one per replica of
  // the cluster, so off by default; per broker, log dir and topic are always there.
  bool partition_series = false;
  // The production checklist's partition_size_above_limit rule: a topic with a replica larger
  // than this. The course's sizing rule is "partition < 25 GB".
  int64_t partition_size_limit_bytes = 25'000'000'000;

  bool operator==(const LogDirsConfig&) const = default;
};

// Burrow-style evaluation of each group over a sliding window (docs/evaluation.md).
// The `evaluation:` section; the struct is the evaluator's own (evaluate/evaluation_settings.hpp).
using EvaluationConfig = evaluate::EvaluationSettings;

// The notifiers' section is notify/'s own (notify/config/notifier_config.hpp).
using NotifierConfig = notify::NotifierConfig;

struct Config {
  WebConfig web;
  std::string log_level = "info";  // trace, debug, info, warn, error
  PollConfig poll;
  LagConfig lag;
  LogDirsConfig log_dirs;
  EvaluationConfig evaluation;
  std::vector<ClusterConfig> clusters;
  std::vector<NotifierConfig> notifiers;

  std::chrono::milliseconds poll_interval_for(const ClusterConfig& c) const {
    return c.poll_interval.value_or(poll.interval);
  }

  bool operator==(const Config&) const = default;
};

// Parses a YAML document. `source` names it in error messages (usually the file path).
// Throws ConfigError naming the key path, line and column of the first problem.
Config parse_yaml(const std::string& yaml_text, const std::string& source);
Config load_file(const std::string& path);

// Parses "500ms", "30s", "5m", "2h" (and combinations such as "1m30s"). Throws ConfigError
// for malformed text and for durations longer than 106751d, the most that std::chrono's
// nanoseconds (every clock's unit) can hold, so converting the result never overflows.
std::chrono::milliseconds parse_duration(const std::string& text);

// Parses "25GB", "512MiB", "1.5TB" or a plain byte count (config/byte_size.cpp). Throws
// ConfigError; format_byte_size is its inverse, in the largest unit that is exact.
int64_t parse_byte_size(const std::string& text);
std::string format_byte_size(int64_t bytes);

// True for property names whose values are secrets (passwords, keys, tokens, JAAS config).
bool is_secret_key(const std::string& key);

// The effective configuration as YAML, with every secret value replaced by "***".
std::string to_masked_yaml(const Config& config);

// The inverse of parse_duration, in the largest units that add up exactly: "30s", "1m30s",
// "500ms". Used wherever a duration is shown back to the user, so it can be pasted into YAML.
std::string format_duration(std::chrono::milliseconds d);

// Checks what the parser cannot see alone (at least one cluster, unique names, bootstrap
// servers present, regexes compile, every number within its range of config/bounds.hpp).
// Throws ConfigError.
void validate(const Config& config);

// What validate() checks, without throwing: the key path of the first problem (for example
// "clusters[1].bootstrap_servers[0]") and what is wrong with it. parse_yaml uses it to point
// the same message at the line the key came from; validate() prefixes "config: " instead.
struct ConfigProblem {
  std::string key;
  std::string what;
};
std::optional<ConfigProblem> first_problem(const Config& config);

// " (did you mean \"groups\"?)" when `word` looks like a typo of one of `candidates`, else "".
// Shared by the YAML parser (unknown keys) and the command line (unknown flags).
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace lagwatch::config
