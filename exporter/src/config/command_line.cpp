#include "config/command_line.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/bounds.hpp"

extern char** environ;  // POSIX; no header declares it portably

namespace lagwatch::config {
namespace {

// One table drives parsing, the environment and the help text, so the three cannot drift.
struct Flag {
  const char* name;  // without the leading "--"
  const char* env;
  const char* arg;  // "" for a boolean flag, which takes no separate value (is_boolean)
  const char* help;
  std::string (*default_text)();
  void (*set)(CommandLine&, const std::string&);
  bool (*is_set)(const CommandLine&);
};

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

void add_servers(CommandLine& cl, const std::string& value) {
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string::npos) comma = value.size();
    if (auto s = trim(value.substr(start, comma - start)); !s.empty()) cl.overrides.kafka_servers.push_back(s);
    start = comma + 1;
  }
}

std::string none() { return "none"; }

bool is_boolean(const Flag& f) { return *f.arg == '\0'; }

// The values a boolean flag or variable accepts, in the spellings shells and compose files use.
std::optional<bool> parse_bool(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  s = trim(s);
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  return std::nullopt;
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> table = {
      {"config", "LAGWATCH_CONFIG", "FILE", "YAML configuration file", none,
       [](CommandLine& cl, const std::string& v) { cl.config_path = v; },
       [](const CommandLine& cl) { return cl.config_path.has_value(); }},
      {"kafka.server", "LAGWATCH_KAFKA_SERVER", "HOST:PORT", "Bootstrap server; repeatable or comma-separated", none,
       add_servers, [](const CommandLine& cl) { return !cl.overrides.kafka_servers.empty(); }},
      {"cluster.name", "LAGWATCH_CLUSTER_NAME", "NAME", "Cluster that --kafka.server defines or replaces",
       [] { return std::string("default"); },
       [](CommandLine& cl, const std::string& v) { cl.overrides.cluster_name = v; },
       [](const CommandLine& cl) { return cl.overrides.cluster_name.has_value(); }},
      {"web.listen-address", "LAGWATCH_WEB_LISTEN_ADDRESS", "ADDR", "Address to serve on; :PORT = every address",
       [] { return WebConfig{}.listen_address; },
       [](CommandLine& cl, const std::string& v) { cl.overrides.listen_address = v; },
       [](const CommandLine& cl) { return cl.overrides.listen_address.has_value(); }},
      {"web.telemetry-path", "LAGWATCH_WEB_TELEMETRY_PATH", "PATH", "HTTP path of the metrics",
       [] { return WebConfig{}.telemetry_path; },
       [](CommandLine& cl, const std::string& v) { cl.overrides.telemetry_path = v; },
       [](const CommandLine& cl) { return cl.overrides.telemetry_path.has_value(); }},
      {"web.read-header-timeout", "LAGWATCH_WEB_READ_HEADER_TIMEOUT", "DURATION",
       "Longest wait for a request's headers; 100ms to 30s",
       [] { return format_duration(WebConfig{}.read_header_timeout); },
       [](CommandLine& cl, const std::string& v) { cl.overrides.read_header_timeout = v; },
       [](const CommandLine& cl) { return cl.overrides.read_header_timeout.has_value(); }},
      {"web.idle-timeout", "LAGWATCH_WEB_IDLE_TIMEOUT", "DURATION",
       "Longest idle time of a keep-alive connection; 1s to 1h",
       [] { return format_duration(WebConfig{}.idle_timeout); },
       [](CommandLine& cl, const std::string& v) { cl.overrides.idle_timeout = v; },
       [](const CommandLine& cl) { return cl.overrides.idle_timeout.has_value(); }},
      {"web.max-connections", "LAGWATCH_WEB_MAX_CONNECTIONS", "N", "HTTP connections open at once; 1 to 100000",
       [] { return std::to_string(WebConfig{}.max_connections); },
       [](CommandLine& cl, const std::string& v) { cl.overrides.max_connections = v; },
       [](const CommandLine& cl) { return cl.overrides.max_connections.has_value(); }},
      {"web.enable-lifecycle", "LAGWATCH_WEB_ENABLE_LIFECYCLE", "", "Enable POST /-/reload (reload the config file)",
       [] { return std::string("false"); },
       [](CommandLine& cl, const std::string& v) { cl.overrides.enable_lifecycle = v; },
       [](const CommandLine& cl) { return cl.overrides.enable_lifecycle.has_value(); }},
      {"web.config.file", "LAGWATCH_WEB_CONFIG_FILE", "FILE", "TLS, basic auth and headers (exporter-toolkit format)",
       none, [](CommandLine& cl, const std::string& v) { cl.overrides.web_config_file = v; },
       [](const CommandLine& cl) { return cl.overrides.web_config_file.has_value(); }},
      {"web.probes-without-auth", "LAGWATCH_WEB_PROBES_WITHOUT_AUTH", "",
       "/healthz and /readyz need no basic auth (TLS still applies)", [] { return std::string("false"); },
       [](CommandLine& cl, const std::string& v) { cl.overrides.probes_without_auth = v; },
       [](const CommandLine& cl) { return cl.overrides.probes_without_auth.has_value(); }},
      {"log.level", "LAGWATCH_LOG_LEVEL", "LEVEL", "trace, debug, info, warn or error",
       [] { return Config{}.log_level; }, [](CommandLine& cl, const std::string& v) { cl.overrides.log_level = v; },
       [](const CommandLine& cl) { return cl.overrides.log_level.has_value(); }},
      {"poll.interval", "LAGWATCH_POLL_INTERVAL", "DURATION", "Time between two polls, e.g. 30s or 1m30s",
       [] { return format_duration(PollConfig{}.interval); },
       [](CommandLine& cl, const std::string& v) { cl.overrides.poll_interval = v; },
       [](const CommandLine& cl) { return cl.overrides.poll_interval.has_value(); }},
      {"group.filter", "LAGWATCH_GROUP_FILTER", "REGEX", "Only groups matching REGEX; repeatable",
       [] { return std::string("all groups"); },
       [](CommandLine& cl, const std::string& v) { cl.overrides.group_allow.push_back(v); },
       [](const CommandLine& cl) { return !cl.overrides.group_allow.empty(); }},
      {"group.exclude", "LAGWATCH_GROUP_EXCLUDE", "REGEX", "Skip groups matching REGEX; repeatable", none,
       [](CommandLine& cl, const std::string& v) { cl.overrides.group_deny.push_back(v); },
       [](const CommandLine& cl) { return !cl.overrides.group_deny.empty(); }},
      {"topic.filter", "LAGWATCH_TOPIC_FILTER", "REGEX", "Only topics matching REGEX; repeatable",
       [] { return std::string("all topics"); },
       [](CommandLine& cl, const std::string& v) { cl.overrides.topic_allow.push_back(v); },
       [](const CommandLine& cl) { return !cl.overrides.topic_allow.empty(); }},
      {"topic.exclude", "LAGWATCH_TOPIC_EXCLUDE", "REGEX", "Skip topics matching REGEX; repeatable", none,
       [](CommandLine& cl, const std::string& v) { cl.overrides.topic_deny.push_back(v); },
       [](const CommandLine& cl) { return !cl.overrides.topic_deny.empty(); }},
      {"scenario", "LAGWATCH_DEMO_SCENARIO", "NAME", "Demo only: timed incidents (default, module7, module10, none)",
       [] { return std::string("default"); }, [](CommandLine& cl, const std::string& v) { cl.scenario = v; },
       [](const CommandLine& cl) { return cl.scenario.has_value(); }},
      {"notifier.url", "LAGWATCH_NOTIFIER_URL", "URL", "Webhook for group status changes; repeatable", none,
       [](CommandLine& cl, const std::string& v) { cl.overrides.notifier_urls.push_back(v); },
       [](const CommandLine& cl) { return !cl.overrides.notifier_urls.empty(); }},
  };
  return table;
}

const Flag* find_flag(const std::string& name) {
  for (const auto& f : flags()) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

struct Command {
  const char* name;
  const char* args;
  const char* help;
};

constexpr Command kCommands[] = {
    {"serve", "", "Poll the clusters and serve the metrics (the default)"},
    {"demo", "", "Serve metrics of an embedded mock cluster; no Kafka needed"},
    {"loadgen", "",
     "Create the demo's topics on --kafka.server / --config's first\n"
     "cluster and run the demo's producer and consumer groups there"},
    {"check-config", "[FILE]",
     "Validate FILE (or --config) with flags and environment\n"
     "applied, and print it with secrets masked"},
    {"evaluate", "[FILE]",
     "Run the consumer-status rules on a hand-written window\n"
     "(JSON from FILE, or standard input)"},
    {"version", "", "Print the version"},
    {"help", "", "Print this help"},
};

bool is_command(const std::string& s) {
  return std::any_of(std::begin(kCommands), std::end(kCommands), [&](const Command& c) { return s == c.name; });
}

std::vector<std::string> flag_names() {
  std::vector<std::string> out;
  for (const auto& f : flags()) out.push_back(std::string("--") + f.name);
  out.push_back("--help");
  out.push_back("--version");
  return out;
}

[[noreturn]] void unknown_flag(const std::string& arg) {
  const std::string name = arg.substr(0, arg.find('='));
  std::string hint;
  if (!name.starts_with("--") && find_flag(name.substr(1))) {
    hint = " (flags start with \"--\": --" + name.substr(1) + ")";
  } else if (name.starts_with("--sasl") || name.starts_with("--tls") || name.starts_with("--ssl")) {
    // kafka_exporter users bring these along; lagwatch takes them as librdkafka properties.
    hint = "; SASL and TLS settings are librdkafka properties: set them under clusters[].properties in the config file";
  } else {
    hint = did_you_mean(name, flag_names());
  }
  throw UsageError("unknown flag " + name + hint);
}

std::chrono::milliseconds duration_override(const std::string& value, const std::string& flag) {
  try {
    return parse_duration(value);
  } catch (const ConfigError& e) {
    throw ConfigError("config: " + flag + ": " + e.what());
  }
}

}  // namespace

CommandLine parse_command_line(const std::vector<std::string>& args) {
  CommandLine cl;
  size_t i = 0;
  if (!args.empty() && !args[0].starts_with("-")) {
    if (!is_command(args[0])) {
      std::vector<std::string> names;
      for (const auto& c : kCommands) names.push_back(c.name);
      std::string hint = did_you_mean(args[0], names);
      if (args[0].ends_with(".yml") || args[0].ends_with(".yaml"))
        hint = " (to use a config file: --config " + args[0] + ")";
      throw UsageError("unknown command \"" + args[0] + "\"" + hint +
                       "; expected serve, demo, check-config, evaluate, version or help");
    }
    cl.command = args[0];
    i = 1;
  }
  bool help = false;
  bool version = false;
  bool flags_done = false;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (flags_done || a == "-" || !a.starts_with("-")) {
      cl.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    if (a == "-h" || a == "--help") {
      help = true;
      continue;
    }
    if (a == "--version") {
      version = true;
      continue;
    }
    if (!a.starts_with("--")) unknown_flag(a);
    const size_t eq = a.find('=');
    const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const Flag* flag = find_flag(name);
    if (flag == nullptr) unknown_flag(a);
    std::string value;
    if (is_boolean(*flag)) {
      // Never takes the next argument: "--web.enable-lifecycle check-config.yml" must not
      // swallow a positional argument, and Prometheus spells it without a value too.
      value = eq == std::string::npos ? "true" : a.substr(eq + 1);
      if (!parse_bool(value)) {
        throw UsageError("flag --" + name + " takes no value, or =true or =false; got \"" + value + "\"");
      }
    } else if (eq != std::string::npos) {
      value = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      throw UsageError("flag --" + name + " needs a value: --" + name + " " + flag->arg);
    }
    if (value.empty()) throw UsageError("flag --" + name + " needs a non-empty value: --" + name + " " + flag->arg);
    flag->set(cl, value);
  }
  if (help) {
    cl.command = "help";
  } else if (version) {
    cl.command = "version";
  }
  if (cl.scenario && cl.command != "demo" && cl.command != "help" && cl.command != "version") {
    throw UsageError("flag --scenario is for lagwatch demo only (lagwatch demo --scenario " + *cl.scenario + ")");
  }
  if (!cl.positional.empty() && (cl.command == "serve" || cl.command == "version")) {
    std::string hint;
    if (cl.positional[0].ends_with(".yml") || cl.positional[0].ends_with(".yaml")) {
      hint = " (to use a config file: --config " + cl.positional[0] + ")";
    }
    throw UsageError("unexpected argument \"" + cl.positional[0] + "\"" + hint);
  }
  return cl;
}

void merge_environment(CommandLine& cl, const std::map<std::string, std::string>& env) {
  for (const auto& f : flags()) {
    if (f.is_set(cl)) continue;
    auto it = env.find(f.env);
    if (it == env.end() || it->second.empty()) continue;
    f.set(cl, it->second);
  }
}

std::map<std::string, std::string> current_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry = *e;
    const size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    out.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return out;
}

void apply_overrides(Config& config, const Overrides& o) {
  if (!o.kafka_servers.empty()) {
    const std::string name = o.cluster_name.value_or("default");
    auto it = std::find_if(config.clusters.begin(), config.clusters.end(),
                           [&](const ClusterConfig& c) { return c.name == name; });
    if (it == config.clusters.end()) {
      config.clusters.emplace_back();
      config.clusters.back().name = name;
      it = std::prev(config.clusters.end());
    }
    it->bootstrap_servers = o.kafka_servers;
  } else if (o.cluster_name) {
    // Silently ignoring it would leave the operator believing the name took effect.
    throw ConfigError(
        "config: --cluster.name (LAGWATCH_CLUSTER_NAME) only applies together with --kafka.server "
        "(LAGWATCH_KAFKA_SERVER); to rename a cluster from the file, edit its name there");
  }
  for (auto& c : config.clusters) {
    if (!o.group_allow.empty()) c.groups.allow = o.group_allow;
    if (!o.group_deny.empty()) c.groups.deny = o.group_deny;
    if (!o.topic_allow.empty()) c.topics.allow = o.topic_allow;
    if (!o.topic_deny.empty()) c.topics.deny = o.topic_deny;
  }
  for (size_t i = 0; i < o.notifier_urls.size(); ++i) {
    NotifierConfig n;
    n.name = "webhook-" + std::to_string(i + 1);
    n.url = o.notifier_urls[i];
    config.notifiers.push_back(std::move(n));
  }
  if (o.listen_address) config.web.listen_address = *o.listen_address;
  if (o.telemetry_path) config.web.telemetry_path = *o.telemetry_path;
  // Ranges are checked by validate(), as for the file's values; only the syntax is checked here.
  if (o.read_header_timeout) {
    config.web.read_header_timeout =
        duration_override(*o.read_header_timeout, "--web.read-header-timeout (LAGWATCH_WEB_READ_HEADER_TIMEOUT)");
  }
  if (o.idle_timeout) {
    config.web.idle_timeout = duration_override(*o.idle_timeout, "--web.idle-timeout (LAGWATCH_WEB_IDLE_TIMEOUT)");
  }
  if (o.max_connections) {
    const std::string what = "config: --web.max-connections (LAGWATCH_WEB_MAX_CONNECTIONS): ";
    const std::string v = trim(*o.max_connections);
    int n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec == std::errc::result_out_of_range && end == v.data() + v.size()) {
      throw ConfigError(what + abbreviate(v) + " is out of range; expected " + bounds::kMaxConnections.text);
    }
    if (ec != std::errc() || end != v.data() + v.size() || v.empty()) {
      throw ConfigError(what + "expected an integer, got \"" + abbreviate(v) + "\"");
    }
    config.web.max_connections = n;
  }
  if (o.enable_lifecycle) {
    const auto on = parse_bool(*o.enable_lifecycle);
    if (!on) {
      throw ConfigError(
          "config: --web.enable-lifecycle (LAGWATCH_WEB_ENABLE_LIFECYCLE): expected true or false, got \"" +
          abbreviate(*o.enable_lifecycle) + "\"");
    }
    config.web.enable_lifecycle = *on;
  }
  if (o.web_config_file) config.web.config_file = *o.web_config_file;
  if (o.probes_without_auth) {
    const auto on = parse_bool(*o.probes_without_auth);
    if (!on) {
      throw ConfigError(
          "config: --web.probes-without-auth (LAGWATCH_WEB_PROBES_WITHOUT_AUTH): expected true or false, got \"" +
          abbreviate(*o.probes_without_auth) + "\"");
    }
    config.web.probes_without_auth = *on;
  }
  if (o.log_level) config.log_level = *o.log_level;
  if (o.poll_interval) {
    config.poll.interval = duration_override(*o.poll_interval, "--poll.interval (LAGWATCH_POLL_INTERVAL)");
  }
}

std::string usage_text() {
  std::string out =
      "Usage: lagwatch [COMMAND] [FLAGS]\n"
      "\n"
      "Prometheus exporter and consumer-lag monitor for Apache Kafka.\n"
      "\n"
      "Commands:\n";
  auto pad = [](std::string s, size_t width) {
    if (s.size() < width) s.resize(width, ' ');
    return s + " ";
  };
  for (const auto& c : kCommands) {
    std::string help = c.help;
    for (size_t nl = help.find('\n'); nl != std::string::npos; nl = help.find('\n', nl + 1)) {
      help.insert(nl + 1, std::string(23, ' '));  // continuation lines under the first
    }
    out += "  " + pad(std::string(c.name) + (*c.args ? std::string(" ") + c.args : ""), 20) + help + "\n";
  }
  out +=
      "\n"
      "Flags (\"--flag value\" or \"--flag=value\"). Each has an environment variable;\n"
      "a flag wins over its variable, and both win over the config file:\n";
  for (const auto& f : flags()) {
    const std::string flag = std::string("--") + f.name + (is_boolean(f) ? "" : std::string(" ") + f.arg);
    // A flag too long for the column gets its help on the next line, aligned with the others.
    if (flag.size() > 26) {
      out += "  " + flag + "\n  " + pad("", 26) + f.help + "\n";
    } else {
      out += "  " + pad(flag, 26) + f.help + "\n";
    }
    out += "  " + pad("", 26) + "env " + f.env + ", default: " + f.default_text() + "\n";
  }
  out += "  " + pad("-h, --help", 26) + "Print this help\n" + "  " + pad("--version", 26) +
         "Print the version\n"
         "\n"
         "Without a config file, --kafka.server is required. SASL, TLS and other\n"
         "librdkafka settings go in the config file (clusters[].properties).\n"
         "See docs/configuration.md.\n";
  return out;
}

}  // namespace lagwatch::config
