// YAML file -> Config. Strict on purpose: a misspelt key silently ignored is a filter or a
// timeout that is not what the operator thinks, found weeks later. Every message carries
// "file:line:column: key.path: " so the operator can go straight to the line.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <sstream>

#include "config/bounds.hpp"
#include "config/config.hpp"
#include "config/secrets.hpp"

namespace lagwatch::config {
namespace {

// A YAML value with where it was found and how messages name it.
struct Value {
  YAML::Node node;
  YAML::Mark mark;      // the value's own position, or its key's when the value is empty
  YAML::Mark key_mark;  // where the key is, for "unknown key" and "duplicate key"
  std::string path;     // "clusters[0].groups.allow[1]"
};

using Fields = std::map<std::string, Value>;

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
std::string index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

// Names a node's kind without its content, which may be a secret.
std::string kind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return "a single value";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    default:
      return "an undefined value";
  }
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// "a:1, b:2" -> {"a:1", "b:2"}; empty pieces (a trailing comma) are dropped.
void split_servers(const std::string& s, std::vector<std::string>& out) {
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (auto piece = trim(s.substr(start, comma - start)); !piece.empty()) out.push_back(piece);
    start = comma + 1;
  }
}

class Parser {
 public:
  explicit Parser(std::string source) : source_(std::move(source)) {}

  Config parse(const std::vector<YAML::Node>& docs);

  std::string where(const YAML::Mark& m) const {
    if (m.is_null()) return source_ + ":1:1: ";
    return source_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
  }

  [[noreturn]] void fail(const YAML::Mark& m, const std::string& path, const std::string& what) const {
    throw ConfigError(where(m) + (path.empty() ? "" : path + ": ") + what);
  }

 private:
  YAML::Mark locate(std::string path) const;
  std::vector<Value> entries(const Value& map);
  Fields fields(const Value& map, const std::vector<std::string>& known);
  std::vector<Value> items(const Value& list, const std::string& expected);
  std::string text(const Value& v, const std::string& expected) const;
  std::int64_t integer64(const Value& v, const bounds::Counts& range) const;
  int integer(const Value& v, const bounds::Counts& range) const;
  double number(const Value& v) const;
  bool boolean(const Value& v) const;
  std::chrono::milliseconds duration(const Value& v) const;
  int64_t byte_size(const Value& v) const;
  std::vector<std::string> strings(const Value& v, const std::string& expected);
  std::vector<std::string> servers(const Value& v);
  std::map<std::string, std::string> properties(const Value& v);
  ClusterConfig cluster(const Value& v);
  NotifierConfig notifier(const Value& v);
  std::string with_references(const Value& v, const std::string& expected) const;
  void filters(const Value& v, std::vector<std::string>& allow, std::vector<std::string>& deny);

  std::string source_;
  std::map<std::string, YAML::Mark> marks_;  // every key path seen, for locating validation problems
  YAML::Mark root_mark_ = YAML::Mark::null_mark();
};

const Value* get(const Fields& f, const std::string& key) {
  auto it = f.find(key);
  return it == f.end() ? nullptr : &it->second;
}

YAML::Mark Parser::locate(std::string path) const {
  // A problem about a missing key (no name, no bootstrap_servers) points at its parent.
  for (;;) {
    if (auto it = marks_.find(path); it != marks_.end()) return it->second;
    const size_t cut = path.find_last_of(".[");
    if (cut == std::string::npos) return root_mark_;
    path.resize(cut);
  }
}

std::vector<Value> Parser::entries(const Value& map) {
  std::vector<Value> out;
  if (map.node.IsNull()) return out;  // "web:" with every line commented out
  if (!map.node.IsMap()) fail(map.mark, map.path, "expected a map of key: value lines, got " + kind(map.node));
  for (const auto& kv : map.node) {
    // Copies, not references: yaml-cpp's iterators hand out short-lived proxies.
    const YAML::Node key = kv.first;
    if (!key.IsScalar()) fail(key.Mark(), map.path, "expected a plain key name, got " + kind(key));
    const std::string path = join(map.path, key.Scalar());
    // yaml-cpp keeps both copies of a repeated key and lookups see the first: refuse instead
    // of letting the later one be silently ignored.
    if (marks_.contains(path)) fail(key.Mark(), path, "duplicate key");
    const YAML::Node value = kv.second;
    const YAML::Mark mark = value.IsNull() ? key.Mark() : value.Mark();
    marks_[path] = mark;
    out.push_back(Value{value, mark, key.Mark(), path});
  }
  return out;
}

Fields Parser::fields(const Value& map, const std::vector<std::string>& known) {
  Fields out;
  for (auto& v : entries(map)) {
    const std::string key = v.path.substr(map.path.empty() ? 0 : map.path.size() + 1);
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      fail(v.key_mark, v.path, "unknown key" + did_you_mean(key, known) + "; expected one of: " + list);
    }
    out.emplace(key, std::move(v));
  }
  return out;
}

std::vector<Value> Parser::items(const Value& list, const std::string& expected) {
  std::vector<Value> out;
  if (list.node.IsNull()) return out;
  if (!list.node.IsSequence()) fail(list.mark, list.path, "expected " + expected + ", got " + kind(list.node));
  for (size_t i = 0; i < list.node.size(); ++i) {
    const YAML::Node item = list.node[i];
    const YAML::Mark mark = item.Mark().is_null() ? list.mark : item.Mark();
    const std::string path = index(list.path, i);
    marks_[path] = mark;
    out.push_back(Value{item, mark, mark, path});
  }
  return out;
}

std::string Parser::text(const Value& v, const std::string& expected) const {
  if (!v.node.IsScalar()) fail(v.mark, v.path, "expected " + expected + ", got " + kind(v.node));
  return v.node.Scalar();
}

double Parser::number(const Value& v) const {
  const std::string s = text(v, "a number");
  double out = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size()) fail(v.mark, v.path, "expected a number, got \"" + s + "\"");
  return out;
}

// `range` only words the message for a number too large for its type; values that fit are
// range-checked by first_problem, like those from flags and the environment.
std::int64_t Parser::integer64(const Value& v, const bounds::Counts& range) const {
  const std::string s = text(v, "an integer");
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec == std::errc::result_out_of_range && end == s.data() + s.size()) {
    fail(v.mark, v.path, abbreviate(s) + " is out of range; expected " + range.text);
  }
  if (ec != std::errc() || end != s.data() + s.size()) {
    fail(v.mark, v.path, "expected an integer, got \"" + abbreviate(s) + "\"");
  }
  return out;
}

int Parser::integer(const Value& v, const bounds::Counts& range) const {
  const std::int64_t out = integer64(v, range);
  if (out < std::numeric_limits<int>::min() || out > std::numeric_limits<int>::max()) {
    fail(v.mark, v.path, std::to_string(out) + " is out of range; expected " + range.text);
  }
  return static_cast<int>(out);
}

bool Parser::boolean(const Value& v) const {
  const std::string s = text(v, "true or false");
  bool out = false;
  if (!YAML::convert<bool>::decode(v.node, out)) fail(v.mark, v.path, "expected true or false, got \"" + s + "\"");
  return out;
}

int64_t Parser::byte_size(const Value& v) const {
  const std::string s = text(v, "a size such as \"25GB\"");
  try {
    return parse_byte_size(s);
  } catch (const ConfigError& e) {
    fail(v.mark, v.path, e.what());
  }
}

std::chrono::milliseconds Parser::duration(const Value& v) const {
  const std::string s = text(v, "a duration such as \"30s\"");
  try {
    return parse_duration(s);
  } catch (const ConfigError& e) {
    fail(v.mark, v.path, e.what());
  }
}

std::vector<std::string> Parser::strings(const Value& v, const std::string& expected) {
  std::vector<std::string> out;
  for (const auto& item : items(v, expected)) out.push_back(text(item, "a string"));
  return out;
}

std::vector<std::string> Parser::servers(const Value& v) {
  std::vector<std::string> out;
  // Each resulting server is located at the item it came from, so that a bad one among
  // "a:1,b:2" items is reported on the right line.
  auto add = [&](const std::string& s, const YAML::Mark& mark) {
    const size_t first = out.size();
    split_servers(s, out);
    for (size_t k = first; k < out.size(); ++k) marks_[index(v.path, k)] = mark;
  };
  if (v.node.IsScalar()) {
    add(v.node.Scalar(), v.mark);  // "a:9092,b:9092", as in librdkafka's bootstrap.servers
    return out;
  }
  for (const auto& item : items(v, "a list of host:port, e.g. [\"kafka-1:9092\"]")) {
    add(text(item, "host:port"), item.mark);
  }
  return out;
}

std::map<std::string, std::string> Parser::properties(const Value& v) {
  std::map<std::string, std::string> out;
  for (const auto& p : entries(v)) {
    const std::string key = p.path.substr(v.path.size() + 1);
    const std::string raw = text(p, "a string, number or boolean");
    try {
      out[key] = resolve_references(raw);
    } catch (const ConfigError& e) {
      fail(p.mark, p.path, e.what());
    }
  }
  return out;
}

ClusterConfig Parser::cluster(const Value& v) {
  static const std::vector<std::string> known = {
      "name", "bootstrap_servers", "poll_interval", "properties", "groups", "topics", "labels"};
  if (!v.node.IsMap()) fail(v.mark, v.path, "expected a map with name, bootstrap_servers, ..., got " + kind(v.node));
  const Fields f = fields(v, known);
  ClusterConfig c;
  if (auto x = get(f, "name")) c.name = text(*x, "a name");
  if (auto x = get(f, "bootstrap_servers")) c.bootstrap_servers = servers(*x);
  if (auto x = get(f, "poll_interval")) c.poll_interval = duration(*x);
  if (auto x = get(f, "properties")) c.properties = properties(*x);
  if (auto x = get(f, "labels")) {
    for (const auto& p : entries(*x)) c.labels[p.path.substr(x->path.size() + 1)] = text(p, "a label value");
  }
  if (auto x = get(f, "groups")) {
    const Fields g = fields(*x, {"discover", "names", "allow", "deny"});
    if (auto y = get(g, "discover")) c.groups.discover = boolean(*y);
    if (auto y = get(g, "names")) c.groups.names = strings(*y, "a list of group names, e.g. [billing]");
    if (auto y = get(g, "allow")) c.groups.allow = strings(*y, "a list of regular expressions, e.g. [\".*\"]");
    if (auto y = get(g, "deny")) c.groups.deny = strings(*y, "a list of regular expressions, e.g. [\"^test-.*\"]");
  }
  if (auto x = get(f, "topics")) {
    const Fields t = fields(*x, {"allow", "deny", "include_internal"});
    if (auto y = get(t, "allow")) c.topics.allow = strings(*y, "a list of regular expressions, e.g. [\".*\"]");
    if (auto y = get(t, "deny")) c.topics.deny = strings(*y, "a list of regular expressions, e.g. [\"^test-.*\"]");
    if (auto y = get(t, "include_internal")) c.topics.include_internal = boolean(*y);
  }
  return c;
}

std::string Parser::with_references(const Value& v, const std::string& expected) const {
  const std::string raw = text(v, expected);
  try {
    return resolve_references(raw);
  } catch (const ConfigError& e) {
    fail(v.mark, v.path, e.what());
  }
}

void Parser::filters(const Value& v, std::vector<std::string>& allow, std::vector<std::string>& deny) {
  const Fields f = fields(v, {"allow", "deny"});
  if (auto y = get(f, "allow")) allow = strings(*y, "a list of regular expressions, e.g. [\".*\"]");
  if (auto y = get(f, "deny")) deny = strings(*y, "a list of regular expressions, e.g. [\"^test-.*\"]");
}

NotifierConfig Parser::notifier(const Value& v) {
  static const std::vector<std::string> known = {"name",
                                                 "kind",
                                                 "url",
                                                 "link",
                                                 "routing_key",
                                                 "from",
                                                 "to",
                                                 "subject",
                                                 "smtp",
                                                 "method",
                                                 "headers",
                                                 "template",
                                                 "template_file",
                                                 "groups",
                                                 "clusters",
                                                 "min_severity",
                                                 "send_resolved",
                                                 "repeat_interval",
                                                 "timeout",
                                                 "max_attempts",
                                                 "backoff",
                                                 "queue_size",
                                                 "ca_file",
                                                 "insecure_skip_verify"};
  if (!v.node.IsMap()) fail(v.mark, v.path, "expected a map with name, url, ..., got " + kind(v.node));
  const Fields f = fields(v, known);
  NotifierConfig n;
  if (auto x = get(f, "name")) n.name = text(*x, "a name");
  if (auto x = get(f, "kind")) n.kind = text(*x, "webhook, slack, teams, pagerduty or email");
  if (auto x = get(f, "link")) n.link = text(*x, "a URL template such as https://grafana.example.com/d/lagwatch");
  // Secrets like the URL: references allowed, values never quoted.
  if (auto x = get(f, "routing_key")) n.routing_key = with_references(*x, "a PagerDuty routing key");
  if (auto x = get(f, "from")) n.from = text(*x, "an address such as \"lagwatch <lagwatch@example.com>\"");
  if (auto x = get(f, "to")) n.to = strings(*x, "a list of addresses, e.g. [oncall@example.com]");
  if (auto x = get(f, "subject")) n.subject = text(*x, "a subject template");
  if (auto x = get(f, "smtp")) {
    const Fields m = fields(*x, {"host", "port", "security", "username", "password"});
    static constexpr bounds::Counts kPort{1, 65535, "1 to 65535"};
    if (auto y = get(m, "host")) n.smtp.host = text(*y, "a host name");
    if (auto y = get(m, "port")) n.smtp.port = integer(*y, kPort);
    if (auto y = get(m, "security")) n.smtp.security = text(*y, "starttls, tls or none");
    if (auto y = get(m, "username")) n.smtp.username = with_references(*y, "a user name");
    if (auto y = get(m, "password"))
      n.smtp.password = with_references(*y, "a password, e.g. ${file:/run/secrets/smtp}");
  }
  // The URL may carry a token (Slack-style webhooks): references allowed, value never quoted.
  if (auto x = get(f, "url")) n.url = with_references(*x, "a URL such as https://hooks.example.com/hook");
  if (auto x = get(f, "ca_file")) n.ca_file = text(*x, "a file path");
  if (auto x = get(f, "insecure_skip_verify")) n.insecure_skip_verify = boolean(*x);
  if (auto x = get(f, "method")) n.method = text(*x, "POST, PUT or PATCH");
  if (auto x = get(f, "headers")) {
    for (const auto& h : entries(*x)) {
      n.headers[h.path.substr(x->path.size() + 1)] = with_references(h, "a header value");
    }
  }
  if (get(f, "template") && get(f, "template_file")) {
    const Value& second = get(f, "template")->key_mark.pos > get(f, "template_file")->key_mark.pos
                              ? *get(f, "template")
                              : *get(f, "template_file");
    fail(second.key_mark, second.path, "give either template (the text) or template_file (a path), not both");
  }
  if (auto x = get(f, "template")) n.template_text = text(*x, "a template text");
  if (auto x = get(f, "template_file")) {
    n.template_file = text(*x, "a file path");
    const std::string shown = abbreviate(*n.template_file);
    try {
      n.template_text = read_regular_file(*n.template_file, kMaxReferencedFile);
    } catch (const ConfigError& e) {
      fail(x->mark, x->path, "cannot read " + shown + ": " + e.what());
    }
    if (n.template_text.empty()) fail(x->mark, x->path, shown + " is empty; remove template_file for the default body");
  }
  if (auto x = get(f, "groups")) filters(*x, n.group_allow, n.group_deny);
  if (auto x = get(f, "clusters")) filters(*x, n.cluster_allow, n.cluster_deny);
  if (auto x = get(f, "min_severity")) n.min_severity = text(*x, "WARN or ERR");
  if (auto x = get(f, "send_resolved")) n.send_resolved = boolean(*x);
  if (auto x = get(f, "repeat_interval")) n.repeat_interval = duration(*x);
  if (auto x = get(f, "timeout")) n.timeout = duration(*x);
  if (auto x = get(f, "max_attempts")) n.max_attempts = integer(*x, bounds::kMaxAttempts);
  if (auto x = get(f, "backoff")) {
    const Fields b = fields(*x, {"initial", "max"});
    if (auto y = get(b, "initial")) n.backoff_initial = duration(*y);
    if (auto y = get(b, "max")) n.backoff_max = duration(*y);
  }
  if (auto x = get(f, "queue_size")) n.queue_size = integer(*x, bounds::kQueueSize);
  return n;
}

Config Parser::parse(const std::vector<YAML::Node>& docs) {
  Config config;
  if (docs.size() > 1) fail(docs[1].Mark(), "", "only one YAML document is allowed; remove the second \"---\"");
  if (docs.empty() || docs[0].IsNull()) {
    // Nothing configured: still report the missing clusters the usual way, below.
  } else {
    const YAML::Node& root = docs[0];
    root_mark_ = root.Mark();
    if (!root.IsMap())
      fail(root.Mark(), "",
           "expected a map with web, log, poll, lag, evaluation, clusters and notifiers, got " + kind(root));
    const Fields f = fields(Value{root, root.Mark(), root.Mark(), ""},
                            {"web", "log", "poll", "lag", "log_dirs", "evaluation", "clusters", "notifiers"});
    if (auto x = get(f, "web")) {
      const Fields w = fields(*x, {"listen_address", "telemetry_path", "read_header_timeout", "idle_timeout",
                                   "max_connections", "enable_lifecycle", "config_file", "probes_without_auth"});
      if (auto y = get(w, "listen_address")) config.web.listen_address = text(*y, "host:port or :port");
      if (auto y = get(w, "telemetry_path")) config.web.telemetry_path = text(*y, "a path such as /metrics");
      if (auto y = get(w, "read_header_timeout")) config.web.read_header_timeout = duration(*y);
      if (auto y = get(w, "idle_timeout")) config.web.idle_timeout = duration(*y);
      if (auto y = get(w, "max_connections")) config.web.max_connections = integer(*y, bounds::kMaxConnections);
      if (auto y = get(w, "enable_lifecycle")) config.web.enable_lifecycle = boolean(*y);
      if (auto y = get(w, "config_file")) config.web.config_file = text(*y, "a path to a web config file");
      if (auto y = get(w, "probes_without_auth")) config.web.probes_without_auth = boolean(*y);
    }
    if (auto x = get(f, "log")) {
      const Fields l = fields(*x, {"level"});
      if (auto y = get(l, "level")) config.log_level = text(*y, "trace, debug, info, warn or error");
    }
    if (auto x = get(f, "poll")) {
      const Fields p = fields(*x, {"interval", "request_timeout", "group_concurrency"});
      if (auto y = get(p, "interval")) config.poll.interval = duration(*y);
      if (auto y = get(p, "request_timeout")) config.poll.request_timeout = duration(*y);
      if (auto y = get(p, "group_concurrency")) {
        config.poll.group_concurrency = integer(*y, bounds::kGroupConcurrency);
      }
    }
    if (auto x = get(f, "lag")) {
      const Fields l = fields(*x, {"history_points"});
      if (auto y = get(l, "history_points")) config.lag.history_points = integer(*y, bounds::kHistoryPoints);
    }
    if (auto x = get(f, "log_dirs")) {
      const Fields l = fields(*x, {"enabled", "interval", "partition_series", "partition_size_limit"});
      if (auto y = get(l, "enabled")) config.log_dirs.enabled = boolean(*y);
      if (auto y = get(l, "interval")) config.log_dirs.interval = duration(*y);
      if (auto y = get(l, "partition_series")) config.log_dirs.partition_series = boolean(*y);
      if (auto y = get(l, "partition_size_limit")) config.log_dirs.partition_size_limit_bytes = byte_size(*y);
    }
    if (auto x = get(f, "evaluation")) {
      const Fields e = fields(*x, {"window", "min_completeness", "allowed_lag"});
      if (auto y = get(e, "window")) config.evaluation.window = integer(*y, bounds::kWindow);
      if (auto y = get(e, "min_completeness")) config.evaluation.min_completeness = number(*y);
      if (auto y = get(e, "allowed_lag")) config.evaluation.allowed_lag = integer64(*y, bounds::kAllowedLag);
    }
    if (auto x = get(f, "clusters")) {
      for (const auto& item : items(*x, "a list of clusters, each item starting with \"- name: ...\"")) {
        config.clusters.push_back(cluster(item));
      }
    }
    if (auto x = get(f, "notifiers")) {
      for (const auto& item : items(*x, "a list of notifiers, each item starting with \"- name: ...\"")) {
        config.notifiers.push_back(notifier(item));
      }
    }
  }
  if (auto p = first_problem(config)) fail(locate(p->key), p->key, p->what);
  return config;
}

// Where each document of a stream starts, stopping at the second. yaml-cpp 0.7's LoadAll never
// returns on some inputs (a lone ","): its parser reports an empty document at the same place
// again and again without consuming anything (yaml-cpp issue #1040), and LoadAll collects them
// until memory runs out. Asking for two documents at most bounds it.
class DocumentStarts : public YAML::EventHandler {
 public:
  static std::vector<YAML::Mark> of(const std::string& text) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentStarts found;
    while (found.starts_.size() < 2 && parser.HandleNextDocument(found)) {
    }
    return found.starts_;
  }

  void OnDocumentStart(const YAML::Mark& mark) override { starts_.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  std::vector<YAML::Mark> starts_;
};

}  // namespace

Config parse_yaml(const std::string& yaml_text, const std::string& source) {
  Parser parser(source);
  try {
    const auto starts = DocumentStarts::of(yaml_text);
    if (starts.size() > 1 && starts[1].pos == starts[0].pos) {
      throw ConfigError(parser.where(starts[0]) +
                        "invalid YAML: the parser cannot get past this point (look for a stray \",\", \"]\" or \"}\")");
    }
    if (starts.size() > 1) {
      throw ConfigError(parser.where(starts[1]) + "only one YAML document is allowed; remove the second \"---\"");
    }
    std::vector<YAML::Node> docs;
    if (!starts.empty()) docs.push_back(YAML::Load(yaml_text));
    return parser.parse(docs);
  } catch (const ConfigError&) {
    throw;
  } catch (const YAML::Exception& e) {
    throw ConfigError(parser.where(e.mark) + "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    throw ConfigError(source + ":1:1: " + e.what());
  }
}

Config load_file(const std::string& path) {
  // Pipes stay allowed here (--config <(generate-config)), so this is not read_regular_file,
  // but the size is bounded: --config /dev/zero must fail, not eat the memory.
  constexpr size_t kMaxConfigFile = size_t{16} << 20;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw ConfigError("cannot read config file " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[8192];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
    text.append(buf, n);
    if (text.size() > kMaxConfigFile) {
      throw ConfigError("cannot read config file " + path + ": larger than " + size_text(kMaxConfigFile));
    }
  }
  if (std::ferror(f.get())) throw ConfigError("cannot read config file " + path + ": " + std::strerror(errno));
  return parse_yaml(text, path);
}

}  // namespace lagwatch::config
