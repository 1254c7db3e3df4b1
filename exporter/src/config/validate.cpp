// Checks on the assembled configuration. They run twice: inside parse_yaml, where each problem
// is pointed at the line of its key, and in validate() after flags and environment variables
// have been applied, where there is no line to point at.
#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "config/bounds.hpp"
#include "config/config.hpp"
#include "notify/config/notifier_problem.hpp"
#include "util/edit_distance.hpp"
#include "util/listen_address.hpp"

namespace lagwatch::config {
namespace {

using std::chrono::milliseconds;

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The range checks of bounds.hpp, worded the same for every key:
// "poll.interval: 2568000h is out of range; expected 1s to 24h".
std::optional<ConfigProblem> out_of_range(const std::string& key, milliseconds v, const bounds::Durations& b) {
  if (v >= b.min && v <= b.max) return std::nullopt;
  return ConfigProblem{key, format_duration(v) + " is out of range; expected " + b.text};
}

std::optional<ConfigProblem> out_of_range(const std::string& key, std::int64_t v, const bounds::Counts& b) {
  if (v >= b.min && v <= b.max) return std::nullopt;
  return ConfigProblem{key, std::to_string(v) + " is out of range; expected " + b.text};
}

// web.listen_address goes through the HTTP server's own parser, so check-config accepts exactly
// what serve can listen on (e.g. "[]:1" is refused by both).
std::string listen_address_problem(const std::string& s) {
  if (s.empty()) return "is empty; expected host:port or :port, e.g. \":9721\"";
  try {
    (void)util::parse_listen_address(s);
  } catch (const std::invalid_argument& e) {
    return "\"" + s + "\": " + e.what();
  }
  // The parser leaves host names to the resolver; these can never be part of one.
  const std::string host = s.substr(0, s.rfind(':'));
  if (host.find_first_of(" \t,/") != std::string::npos) {
    return "\"" + s + "\" is not a host name; expected host:port or :port, e.g. \":9721\"";
  }
  return "";
}

// Problem with a broker's "host:port" ("[v6addr]:port" for IPv6), or "" when fine.
std::string host_port_problem(const std::string& s) {
  const std::string expected = "expected host:port, e.g. \"kafka-1:9092\"";
  if (s.empty()) return "is empty; " + expected;
  const size_t colon = s.rfind(':');
  if (colon == std::string::npos) return "\"" + s + "\" has no port; " + expected;
  const std::string host = s.substr(0, colon);
  const std::string port = s.substr(colon + 1);
  if (host.empty()) return "\"" + s + "\" has no host; " + expected;
  if (host.find_first_of(" \t,/") != std::string::npos) return "\"" + s + "\" is not a host name; " + expected;
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (!bracketed && host.find(':') != std::string::npos) {
    return "\"" + s + "\": write IPv6 addresses in brackets, e.g. \"[::1]:9092\"";
  }
  if (!all_digits(port) || port.size() > 5 || std::stoi(port) < 1 || std::stoi(port) > 65535) {
    return "\"" + s + "\" has an invalid port \"" + port + "\"; expected a number from 1 to 65535";
  }
  return "";
}

bool valid_cluster_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '.' || c == '-';
  });
}

// NameFilter is what the collector will build, so compiling through it guarantees the same
// verdict. Its message reads "<what>.allow[1]: invalid regular expression ...".
std::optional<ConfigProblem> filter_problem(const std::vector<std::string>& allow, const std::vector<std::string>& deny,
                                            const std::string& what) {
  try {
    NameFilter filter(allow, deny, what);
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    const size_t sep = msg.find(": ");
    if (sep == std::string::npos) return ConfigProblem{what, msg};
    return ConfigProblem{msg.substr(0, sep), msg.substr(sep + 2)};
  }
  return std::nullopt;
}

// The labels lagwatch's own series carry: a static label of the same name would collide.
std::string static_label_problem(const std::string& name) {
  static const std::set<std::string> reserved = {
      "cluster",    "topic",  "partition", "consumergroup", "broker",   "state",    "status",         "rule",
      "api",        "kind",   "limit",     "protocol",      "role",     "node",     "log_dir",        "rack",
      "cluster_id", "kraft",  "version",   "notifier",      "outcome",  "encoding", "cleanup_policy", "host",
      "address",    "member", "client_id", "job",           "instance", "id",       "consumer_group", "librdkafka",
      "result",     "le",     "quantile"};
  const bool valid =
      !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
      std::all_of(name.begin(), name.end(), [](unsigned char ch) { return std::isalnum(ch) || ch == '_'; });
  if (!valid) return "\"" + name + "\" is not a label name: use letters, digits and _, not starting with a digit";
  if (name.rfind("__", 0) == 0) return "label names starting with \"__\" are reserved by Prometheus";
  if (reserved.count(name)) return "\"" + name + "\" is a label lagwatch's own series use; choose another name";
  return "";
}

std::optional<ConfigProblem> cluster_problem(const ClusterConfig& c, const std::string& at) {
  if (c.name.empty()) return ConfigProblem{at + ".name", "required: a unique name made of A-Z a-z 0-9 _ . -"};
  if (!valid_cluster_name(c.name)) {
    return ConfigProblem{at + ".name", "\"" + c.name + "\" may only contain A-Z a-z 0-9 _ . -"};
  }
  if (c.bootstrap_servers.empty()) {
    return ConfigProblem{at + ".bootstrap_servers",
                         "required: a list of host:port, e.g. [\"kafka-1:9092\", \"kafka-2:9092\"]"};
  }
  for (size_t i = 0; i < c.bootstrap_servers.size(); ++i) {
    if (auto p = host_port_problem(c.bootstrap_servers[i]); !p.empty()) {
      return ConfigProblem{at + ".bootstrap_servers[" + std::to_string(i) + "]", p};
    }
  }
  if (c.poll_interval) {
    if (auto p = out_of_range(at + ".poll_interval", *c.poll_interval, bounds::kPollInterval)) return p;
  }
  for (const auto& [key, value] : c.properties) {
    const std::string path = at + ".properties." + key;
    if (key == "bootstrap.servers" || key == "metadata.broker.list") {
      return ConfigProblem{path, "set the brokers with " + at + ".bootstrap_servers instead"};
    }
    if (key == "group.id") {
      return ConfigProblem{path, "lagwatch manages group.id itself (it never joins a consumer group); remove it"};
    }
    if (key.empty()) return ConfigProblem{at + ".properties", "a property name is empty"};
  }
  for (size_t i = 0; i < c.groups.names.size(); ++i) {
    if (c.groups.names[i].empty()) return ConfigProblem{at + ".groups.names[" + std::to_string(i) + "]", "is empty"};
  }
  if (auto p = filter_problem(c.groups.allow, c.groups.deny, at + ".groups")) return p;
  if (auto p = filter_problem(c.topics.allow, c.topics.deny, at + ".topics")) return p;
  for (const auto& [name, value] : c.labels) {
    if (auto p = static_label_problem(name); !p.empty()) return ConfigProblem{at + ".labels." + name, p};
  }
  return std::nullopt;
}

// The name, filters and ranges are checked here like every other name, filter and range; what
// the rest of a notifier's settings mean is notify/'s to say (notify/config/notifier_problem.hpp).
std::optional<ConfigProblem> notifier_problem(const NotifierConfig& n, const std::string& at) {
  if (n.name.empty()) return ConfigProblem{at + ".name", "required: a unique name made of A-Z a-z 0-9 _ . -"};
  if (!valid_cluster_name(n.name)) {
    return ConfigProblem{at + ".name", "\"" + n.name + "\" may only contain A-Z a-z 0-9 _ . -"};
  }
  if (auto p = notify::notifier_problem(n)) return ConfigProblem{at + "." + p->key, p->what};
  if (auto p = filter_problem(n.group_allow, n.group_deny, at + ".groups")) return p;
  if (auto p = filter_problem(n.cluster_allow, n.cluster_deny, at + ".clusters")) return p;
  if (n.repeat_interval.count() != 0) {
    if (auto p = out_of_range(at + ".repeat_interval", n.repeat_interval, bounds::kRepeatInterval)) return p;
  }
  if (auto p = out_of_range(at + ".timeout", n.timeout, bounds::kNotifierTimeout)) return p;
  if (auto p = out_of_range(at + ".max_attempts", n.max_attempts, bounds::kMaxAttempts)) return p;
  if (auto p = out_of_range(at + ".backoff.initial", n.backoff_initial, bounds::kBackoffInitial)) return p;
  if (n.backoff_max < n.backoff_initial || n.backoff_max > bounds::kBackoffMax.max) {
    return ConfigProblem{at + ".backoff.max", format_duration(n.backoff_max) +
                                                  " is out of range; expected from backoff.initial (" +
                                                  format_duration(n.backoff_initial) + ") to 24h"};
  }
  if (auto p = out_of_range(at + ".queue_size", n.queue_size, bounds::kQueueSize)) return p;
  return std::nullopt;
}

}  // namespace

std::optional<ConfigProblem> first_problem(const Config& config) {
  if (auto p = listen_address_problem(config.web.listen_address); !p.empty()) {
    return ConfigProblem{"web.listen_address", p};
  }
  const std::string& path = config.web.telemetry_path;
  if (path.empty() || path.front() != '/') {
    return ConfigProblem{"web.telemetry_path", "\"" + path + "\" must start with \"/\", e.g. \"/metrics\""};
  }
  if (path == "/healthz" || path == "/readyz") {
    return ConfigProblem{"web.telemetry_path",
                         "\"" + path + "\" is reserved for the health checks; use e.g. \"/metrics\""};
  }
  if (auto p = out_of_range("web.read_header_timeout", config.web.read_header_timeout, bounds::kReadHeaderTimeout)) {
    return p;
  }
  if (auto p = out_of_range("web.idle_timeout", config.web.idle_timeout, bounds::kIdleTimeout)) return p;
  if (auto p = out_of_range("web.max_connections", config.web.max_connections, bounds::kMaxConnections)) return p;
  static const std::set<std::string> levels = {"trace", "debug", "info", "warn", "error"};
  if (!levels.contains(config.log_level)) {
    return ConfigProblem{"log.level",
                         "\"" + config.log_level + "\" is not a level; expected trace, debug, info, warn or error"};
  }
  if (auto p = out_of_range("poll.interval", config.poll.interval, bounds::kPollInterval)) return p;
  if (auto p = out_of_range("poll.request_timeout", config.poll.request_timeout, bounds::kRequestTimeout)) return p;
  if (auto p = out_of_range("poll.group_concurrency", config.poll.group_concurrency, bounds::kGroupConcurrency)) {
    return p;
  }
  if (auto p = out_of_range("lag.history_points", config.lag.history_points, bounds::kHistoryPoints)) return p;
  if (auto p = out_of_range("log_dirs.interval", config.log_dirs.interval, bounds::kLogDirsInterval)) return p;
  if (auto p = out_of_range("log_dirs.partition_size_limit", config.log_dirs.partition_size_limit_bytes,
                            bounds::kPartitionSizeLimit)) {
    return p;
  }
  if (auto p = out_of_range("evaluation.window", config.evaluation.window, bounds::kWindow)) return p;
  // Written so that NaN fails too.
  if (!(config.evaluation.min_completeness >= 0 && config.evaluation.min_completeness <= 1)) {
    return ConfigProblem{"evaluation.min_completeness", "expected a share from 0 to 1, e.g. 0.5"};
  }
  if (auto p = out_of_range("evaluation.allowed_lag", config.evaluation.allowed_lag, bounds::kAllowedLag)) return p;
  if (config.clusters.empty()) {
    return ConfigProblem{"clusters",
                         "at least one cluster is required: list them under clusters: in the config file, or run "
                         "without a file and give --kafka.server"};
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < config.clusters.size(); ++i) {
    const std::string at = "clusters[" + std::to_string(i) + "]";
    if (auto p = cluster_problem(config.clusters[i], at)) return p;
    // Two clusters with one name would publish colliding series under one `cluster` label.
    if (!seen.insert(config.clusters[i].name).second) {
      return ConfigProblem{
          at + ".name", "\"" + config.clusters[i].name + "\" is already used by another cluster; names must be unique"};
    }
  }
  std::set<std::string> notifier_names;
  for (size_t i = 0; i < config.notifiers.size(); ++i) {
    const std::string at = "notifiers[" + std::to_string(i) + "]";
    if (auto p = notifier_problem(config.notifiers[i], at)) return p;
    // The name is the `notifier` label of the counters.
    if (!notifier_names.insert(config.notifiers[i].name).second) {
      return ConfigProblem{at + ".name", "\"" + config.notifiers[i].name +
                                             "\" is already used by another notifier; names must be unique"};
    }
  }
  return std::nullopt;
}

void validate(const Config& config) {
  if (auto p = first_problem(config)) throw ConfigError("config: " + p->key + ": " + p->what);
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  size_t best_d = 0;
  for (const auto& c : candidates) {
    const size_t d = util::edit_distance(word, c);
    if (best == nullptr || d < best_d) {
      best = &c;
      best_d = d;
    }
  }
  // Beyond a third of the word it is a different word, not a typo.
  if (best == nullptr || best_d > std::max<size_t>(2, word.size() / 3)) return "";
  return " (did you mean \"" + *best + "\"?)";
}

}  // namespace lagwatch::config
