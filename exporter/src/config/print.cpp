// The effective configuration, printed in the schema of the file (check-config, start-up log).
// Every default is spelled out, so the output answers "what is lagwatch actually using?", and
// it parses back into the same Config, so it can serve as a starting file.
#include <yaml-cpp/yaml.h>

#include "config/config.hpp"

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

}  // namespace

std::string to_masked_yaml(const Config& config) {
  YAML::Emitter out;
  out.SetBoolFormat(YAML::TrueFalseBool);
  out << YAML::BeginMap;

  out << YAML::Key << "web" << YAML::Value << YAML::BeginMap;
  // Always quoted: ":9721" is valid plain YAML but trips up other tools that read the output.
  out << YAML::Key << "listen_address" << YAML::Value << YAML::DoubleQuoted << config.web.listen_address;
  out << YAML::Key << "telemetry_path" << YAML::Value << config.web.telemetry_path;
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

  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace lagwatch::config
