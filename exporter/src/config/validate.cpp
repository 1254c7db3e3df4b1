// Checks on the assembled configuration. They run twice: inside parse_yaml, where each problem
// is pointed at the line of its key, and in validate() after flags and environment variables
// have been applied, where there is no line to point at.
#include <algorithm>
#include <cctype>
#include <set>

#include "config/config.hpp"
#include "evaluate/status.hpp"
#include "notify/body_template.hpp"
#include "notify/url.hpp"
#include "util/edit_distance.hpp"

namespace lagwatch::config {
namespace {

using std::chrono::milliseconds;

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Problem with "host:port" ("[v6addr]:port" for IPv6), or "" when fine. `host_required` is
// false for the listen address, where ":9721" means every address.
std::string host_port_problem(const std::string& s, bool host_required, int min_port) {
  const std::string expected = host_required ? "expected host:port, e.g. \"kafka-1:9092\""
                                             : "expected host:port or :port, e.g. \":9721\"";
  if (s.empty()) return "is empty; " + expected;
  const size_t colon = s.rfind(':');
  if (colon == std::string::npos) return "\"" + s + "\" has no port; " + expected;
  const std::string host = s.substr(0, colon);
  const std::string port = s.substr(colon + 1);
  if (host_required && host.empty()) return "\"" + s + "\" has no host; " + expected;
  if (host.find_first_of(" \t,/") != std::string::npos) return "\"" + s + "\" is not a host name; " + expected;
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (!bracketed && host.find(':') != std::string::npos) {
    return "\"" + s + "\": write IPv6 addresses in brackets, e.g. \"[::1]:9092\"";
  }
  if (!all_digits(port) || port.size() > 5 || std::stoi(port) < min_port || std::stoi(port) > 65535) {
    return "\"" + s + "\" has an invalid port \"" + port + "\"; expected a number from " +
           std::to_string(min_port) + " to 65535";
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
std::optional<ConfigProblem> filter_problem(const std::vector<std::string>& allow,
                                            const std::vector<std::string>& deny, const std::string& what) {
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
    if (auto p = host_port_problem(c.bootstrap_servers[i], true, 1); !p.empty()) {
      return ConfigProblem{at + ".bootstrap_servers[" + std::to_string(i) + "]", p};
    }
  }
  if (c.poll_interval && *c.poll_interval < milliseconds{1'000}) {
    return ConfigProblem{at + ".poll_interval",
                         format_duration(*c.poll_interval) + " is too short; expected at least 1s"};
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
  return std::nullopt;
}

bool header_token(const std::string& name) {
  static const std::string extra = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || extra.find(static_cast<char>(c)) != std::string::npos;
  });
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Messages never quote the URL or a header value: either may be a secret.
std::optional<ConfigProblem> notifier_problem(const NotifierConfig& n, const std::string& at) {
  if (n.name.empty()) return ConfigProblem{at + ".name", "required: a unique name made of A-Z a-z 0-9 _ . -"};
  if (!valid_cluster_name(n.name)) {
    return ConfigProblem{at + ".name", "\"" + n.name + "\" may only contain A-Z a-z 0-9 _ . -"};
  }
  if (n.url.empty()) return ConfigProblem{at + ".url", "required: the webhook, e.g. \"http://127.0.0.1:9000/hook\""};
  std::string problem;
  if (!notify::parse_http_url(n.url, problem)) return ConfigProblem{at + ".url", problem};
  const std::string method = lower(n.method);
  if (method != "post" && method != "put" && method != "patch") {
    return ConfigProblem{at + ".method", "\"" + n.method + "\" is not supported; expected POST, PUT or PATCH"};
  }
  for (const auto& [name, value] : n.headers) {
    const std::string path = at + ".headers." + name;
    if (!header_token(name)) return ConfigProblem{path, "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~)"};
    static const std::set<std::string> owned = {"host", "content-length", "connection", "transfer-encoding"};
    if (owned.contains(lower(name))) return ConfigProblem{path, "is set by lagwatch itself; remove it"};
    if (value.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
      return ConfigProblem{path, "the value contains a line break or NUL character, which a header cannot carry"};
    }
  }
  if (auto p = notify::template_problem(n.template_text)) {
    return ConfigProblem{at + (n.template_file ? ".template_file" : ".template"), *p};
  }
  if (auto p = filter_problem(n.group_allow, n.group_deny, at + ".groups")) return p;
  if (auto p = filter_problem(n.cluster_allow, n.cluster_deny, at + ".clusters")) return p;
  const auto severity = evaluate::status_from_name(n.min_severity);
  if (!severity || (*severity != evaluate::Status::WARN && *severity != evaluate::Status::ERR)) {
    return ConfigProblem{at + ".min_severity", "\"" + n.min_severity + "\" is not a severity; expected WARN or ERR"};
  }
  if (n.repeat_interval.count() != 0 && n.repeat_interval < milliseconds{1'000}) {
    return ConfigProblem{at + ".repeat_interval",
                         format_duration(n.repeat_interval) + " is too short; expected 0 (only on change) or at least 1s"};
  }
  if (n.timeout < milliseconds{100} || n.timeout > milliseconds{600'000}) {
    return ConfigProblem{at + ".timeout", format_duration(n.timeout) + " is out of range; expected 100ms to 10m"};
  }
  if (n.max_attempts < 1 || n.max_attempts > 100) {
    return ConfigProblem{at + ".max_attempts", std::to_string(n.max_attempts) + " is out of range; expected 1 to 100"};
  }
  if (n.backoff_initial < milliseconds{10} || n.backoff_initial > milliseconds{3'600'000}) {
    return ConfigProblem{at + ".backoff.initial", format_duration(n.backoff_initial) + " is out of range; expected 10ms to 1h"};
  }
  if (n.backoff_max < n.backoff_initial || n.backoff_max > milliseconds{86'400'000}) {
    return ConfigProblem{at + ".backoff.max", format_duration(n.backoff_max) + " is out of range; expected from backoff.initial (" +
                                                  format_duration(n.backoff_initial) + ") to 24h"};
  }
  if (n.queue_size < 1 || n.queue_size > 1'000'000) {
    return ConfigProblem{at + ".queue_size", std::to_string(n.queue_size) + " is out of range; expected 1 to 1000000"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ConfigProblem> first_problem(const Config& config) {
  if (auto p = host_port_problem(config.web.listen_address, false, 0); !p.empty()) {
    return ConfigProblem{"web.listen_address", p};
  }
  const std::string& path = config.web.telemetry_path;
  if (path.empty() || path.front() != '/') {
    return ConfigProblem{"web.telemetry_path", "\"" + path + "\" must start with \"/\", e.g. \"/metrics\""};
  }
  if (path == "/healthz" || path == "/readyz") {
    return ConfigProblem{"web.telemetry_path", "\"" + path + "\" is reserved for the health checks; use e.g. \"/metrics\""};
  }
  static const std::set<std::string> levels = {"trace", "debug", "info", "warn", "error"};
  if (!levels.contains(config.log_level)) {
    return ConfigProblem{"log.level", "\"" + config.log_level + "\" is not a level; expected trace, debug, info, warn or error"};
  }
  if (config.poll.interval < milliseconds{1'000}) {
    return ConfigProblem{"poll.interval", format_duration(config.poll.interval) + " is too short; expected at least 1s"};
  }
  if (config.poll.request_timeout < milliseconds{100}) {
    return ConfigProblem{"poll.request_timeout",
                         format_duration(config.poll.request_timeout) + " is too short; expected at least 100ms"};
  }
  if (config.poll.group_concurrency < 1 || config.poll.group_concurrency > 256) {
    return ConfigProblem{"poll.group_concurrency",
                         std::to_string(config.poll.group_concurrency) + " is out of range; expected 1 to 256"};
  }
  if (config.lag.history_points < 16 || config.lag.history_points > 100'000) {
    return ConfigProblem{"lag.history_points",
                         std::to_string(config.lag.history_points) + " is out of range; expected 16 to 100000"};
  }
  if (config.evaluation.window < 2 || config.evaluation.window > 1000) {
    return ConfigProblem{"evaluation.window",
                         std::to_string(config.evaluation.window) + " is out of range; expected 2 to 1000"};
  }
  if (!(config.evaluation.min_completeness >= 0 && config.evaluation.min_completeness <= 1)) {
    return ConfigProblem{"evaluation.min_completeness", "expected a share from 0 to 1, e.g. 0.5"};
  }
  if (config.evaluation.allowed_lag < 0) {
    return ConfigProblem{"evaluation.allowed_lag", "expected 0 or more records"};
  }
  if (config.clusters.empty()) {
    return ConfigProblem{"clusters",
                         "at least one cluster is required: list them under clusters: in the config file, or run without a file and give --kafka.server"};
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < config.clusters.size(); ++i) {
    const std::string at = "clusters[" + std::to_string(i) + "]";
    if (auto p = cluster_problem(config.clusters[i], at)) return p;
    // Two clusters with one name would publish colliding series under one `cluster` label.
    if (!seen.insert(config.clusters[i].name).second) {
      return ConfigProblem{at + ".name", "\"" + config.clusters[i].name + "\" is already used by another cluster; names must be unique"};
    }
  }
  std::set<std::string> notifier_names;
  for (size_t i = 0; i < config.notifiers.size(); ++i) {
    const std::string at = "notifiers[" + std::to_string(i) + "]";
    if (auto p = notifier_problem(config.notifiers[i], at)) return p;
    // The name is the `notifier` label of the counters.
    if (!notifier_names.insert(config.notifiers[i].name).second) {
      return ConfigProblem{at + ".name", "\"" + config.notifiers[i].name + "\" is already used by another notifier; names must be unique"};
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
