// The effective configuration, printed in the schema of the file (check-config, start-up log).
// Every default is spelled out, so the output answers "what is lagwatch actually using?", and
// it parses back into the same Config, so it can serve as a starting file.
#include <yaml-cpp/yaml.h>

#include <cctype>

#include "config/config.hpp"
#include "util/http_url.hpp"

namespace lagwatch::config {
namespace {

// Written back the way the file has to spell it, so the output parses to the same value.
std::string escape_references(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value.compare(i, 2, "${") == 0) out += '$';
    out += value[i];
  }
  return out;
}

void emit_list(YAML::Emitter& out, const char* key, const std::vector<std::string>& items) {
  // Flow style keeps short pattern lists on one line; yaml-cpp quotes what needs quoting.
  out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& s : items) out << s;
  out << YAML::EndSeq;
}

void emit_cluster(YAML::Emitter& out, const ClusterConfig& c) {
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << c.name;
  emit_list(out, "bootstrap_servers", c.bootstrap_servers);
  if (c.poll_interval) out << YAML::Key << "poll_interval" << YAML::Value << format_duration(*c.poll_interval);

  out << YAML::Key << "properties" << YAML::Value;
  if (c.properties.empty()) {
    out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
  } else {
    out << YAML::BeginMap;
    for (const auto& [key, value] : c.properties) {
      out << YAML::Key << key << YAML::Value << (is_secret_key(key) ? std::string("***") : escape_references(value));
    }
    out << YAML::EndMap;
  }

  out << YAML::Key << "labels" << YAML::Value << YAML::Flow << YAML::BeginMap;
  for (const auto& [name, value] : c.labels) out << YAML::Key << name << YAML::Value << value;
  out << YAML::EndMap;

  out << YAML::Key << "groups" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "discover" << YAML::Value << c.groups.discover;
  emit_list(out, "names", c.groups.names);
  emit_list(out, "allow", c.groups.allow);
  emit_list(out, "deny", c.groups.deny);
  out << YAML::EndMap;

  out << YAML::Key << "topics" << YAML::Value << YAML::BeginMap;
  emit_list(out, "allow", c.topics.allow);
  emit_list(out, "deny", c.topics.deny);
  out << YAML::Key << "include_internal" << YAML::Value << c.topics.include_internal;
  out << YAML::EndMap;

  out << YAML::EndMap;
}

// Header values are secrets unless known to be harmless: Authorization, X-Api-Key, X-Auth-Token,
// Cookie, ... all carry credentials, and a made-up header may too.
bool harmless_header(const std::string& name) {
  std::string n;
  for (unsigned char c : name) n += static_cast<char>(std::tolower(c));
  return n == "content-type" || n == "accept" || n == "user-agent";
}

void emit_filters(YAML::Emitter& out, const char* key, const std::vector<std::string>& allow,
                  const std::vector<std::string>& deny) {
  out << YAML::Key << key << YAML::Value << YAML::BeginMap;
  emit_list(out, "allow", allow);
  emit_list(out, "deny", deny);
  out << YAML::EndMap;
}

void emit_notifier(YAML::Emitter& out, const NotifierConfig& n) {
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << n.name;
  out << YAML::Key << "kind" << YAML::Value << n.kind;
  // The path and query are masked: webhook URLs carry their token there.
  if (!n.url.empty()) out << YAML::Key << "url" << YAML::Value << util::mask_url(n.url);
  if (!n.link.empty()) out << YAML::Key << "link" << YAML::Value << n.link;
  if (!n.routing_key.empty()) out << YAML::Key << "routing_key" << YAML::Value << "***";
  if (!n.from.empty()) out << YAML::Key << "from" << YAML::Value << n.from;
  if (!n.to.empty()) emit_list(out, "to", n.to);
  if (!n.subject.empty()) out << YAML::Key << "subject" << YAML::Value << n.subject;
  if (!n.smtp.host.empty()) {
    out << YAML::Key << "smtp" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "host" << YAML::Value << n.smtp.host;
    if (n.smtp.port != 0) out << YAML::Key << "port" << YAML::Value << n.smtp.port;
    out << YAML::Key << "security" << YAML::Value << n.smtp.security;
    if (!n.smtp.username.empty()) out << YAML::Key << "username" << YAML::Value << escape_references(n.smtp.username);
    if (!n.smtp.password.empty()) out << YAML::Key << "password" << YAML::Value << "***";
    out << YAML::EndMap;
  }
  if (!n.ca_file.empty()) out << YAML::Key << "ca_file" << YAML::Value << n.ca_file;
  if (n.insecure_skip_verify) out << YAML::Key << "insecure_skip_verify" << YAML::Value << true;
  if (n.kind != "email") {  // mail has no method or headers
    out << YAML::Key << "method" << YAML::Value << n.method;
    out << YAML::Key << "headers" << YAML::Value;
    if (n.headers.empty()) {
      out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
    } else {
      out << YAML::BeginMap;
      for (const auto& [key, value] : n.headers) {
        out << YAML::Key << key << YAML::Value
            << (harmless_header(key) ? escape_references(value) : std::string("***"));
      }
      out << YAML::EndMap;
    }
  }
  if (n.template_file) {
    out << YAML::Key << "template_file" << YAML::Value << *n.template_file;
  } else if (!n.template_text.empty()) {
    out << YAML::Key << "template" << YAML::Value << YAML::Literal << n.template_text;
  }
  emit_filters(out, "groups", n.group_allow, n.group_deny);
  emit_filters(out, "clusters", n.cluster_allow, n.cluster_deny);
  out << YAML::Key << "min_severity" << YAML::Value << n.min_severity;
  out << YAML::Key << "send_resolved" << YAML::Value << n.send_resolved;
  out << YAML::Key << "repeat_interval" << YAML::Value << format_duration(n.repeat_interval);
  out << YAML::Key << "timeout" << YAML::Value << format_duration(n.timeout);
  out << YAML::Key << "max_attempts" << YAML::Value << n.max_attempts;
  out << YAML::Key << "backoff" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "initial" << YAML::Value << format_duration(n.backoff_initial);
  out << YAML::Key << "max" << YAML::Value << format_duration(n.backoff_max);
  out << YAML::EndMap;
  out << YAML::Key << "queue_size" << YAML::Value << n.queue_size;
  out << YAML::EndMap;
}

}  // namespace

std::string to_masked_yaml(const Config& config) {
  YAML::Emitter out;
  out.SetBoolFormat(YAML::TrueFalseBool);
  out << YAML::BeginMap;

  out << YAML::Key << "web" << YAML::Value << YAML::BeginMap;
  // Always quoted: ":9721" is valid plain YAML but trips up other tools that read the output.
  out << YAML::Key << "listen_address" << YAML::Value << YAML::DoubleQuoted << config.web.listen_address;
  out << YAML::Key << "telemetry_path" << YAML::Value << config.web.telemetry_path;
  out << YAML::Key << "read_header_timeout" << YAML::Value << format_duration(config.web.read_header_timeout);
  out << YAML::Key << "idle_timeout" << YAML::Value << format_duration(config.web.idle_timeout);
  out << YAML::Key << "max_connections" << YAML::Value << config.web.max_connections;
  out << YAML::Key << "enable_lifecycle" << YAML::Value << config.web.enable_lifecycle;
  if (!config.web.config_file.empty()) {
    out << YAML::Key << "config_file" << YAML::Value << config.web.config_file;
  }
  out << YAML::Key << "probes_without_auth" << YAML::Value << config.web.probes_without_auth;
  out << YAML::EndMap;

  out << YAML::Key << "log" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "level" << YAML::Value << config.log_level;
  out << YAML::EndMap;

  out << YAML::Key << "poll" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "interval" << YAML::Value << format_duration(config.poll.interval);
  out << YAML::Key << "request_timeout" << YAML::Value << format_duration(config.poll.request_timeout);
  out << YAML::Key << "group_concurrency" << YAML::Value << config.poll.group_concurrency;
  out << YAML::EndMap;

  out << YAML::Key << "lag" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "history_points" << YAML::Value << config.lag.history_points;
  out << YAML::EndMap;

  out << YAML::Key << "log_dirs" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << config.log_dirs.enabled;
  out << YAML::Key << "interval" << YAML::Value << format_duration(config.log_dirs.interval);
  out << YAML::Key << "partition_series" << YAML::Value << config.log_dirs.partition_series;
  out << YAML::Key << "partition_size_limit" << YAML::Value
      << format_byte_size(config.log_dirs.partition_size_limit_bytes);
  out << YAML::EndMap;

  out << YAML::Key << "evaluation" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "window" << YAML::Value << config.evaluation.window;
  out << YAML::Key << "min_completeness" << YAML::Value << config.evaluation.min_completeness;
  out << YAML::Key << "allowed_lag" << YAML::Value << config.evaluation.allowed_lag;
  out << YAML::EndMap;

  out << YAML::Key << "clusters" << YAML::Value;
  if (config.clusters.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
  } else {
    out << YAML::BeginSeq;
    for (const auto& c : config.clusters) emit_cluster(out, c);
    out << YAML::EndSeq;
  }

  out << YAML::Key << "notifiers" << YAML::Value;
  if (config.notifiers.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
  } else {
    out << YAML::BeginSeq;
    for (const auto& n : config.notifiers) emit_notifier(out, n);
    out << YAML::EndSeq;
  }

  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace lagwatch::config
