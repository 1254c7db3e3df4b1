#include "demo/front/topic_configs.hpp"

#include <string>
#include <vector>

namespace lagwatch::demo::front {

namespace protocol = kafka::protocol;

namespace {

constexpr int16_t kUnknownTopicOrPartition = 3;
constexpr int16_t kInvalidRequest = 42;

// ConfigType of DescribeConfigs v3+.
constexpr int8_t kTypeBoolean = 1;
constexpr int8_t kTypeInt = 3;
constexpr int8_t kTypeLong = 5;
constexpr int8_t kTypeList = 7;
constexpr int8_t kTypeShort = 4;

struct BrokerValue {
  const char* name;
  const char* value;
  int8_t source;
  int8_t type;
};

constexpr BrokerValue kBrokerValues[] = {
    {"cleanup.policy", "delete", protocol::kConfigSourceDefault, kTypeList},
    {"min.insync.replicas", "2", protocol::kConfigSourceStaticBroker, kTypeInt},
    {"remote.storage.enable", "false", protocol::kConfigSourceDefault, kTypeBoolean},
    {"retention.bytes", "-1", protocol::kConfigSourceDefault, kTypeLong},
    {"retention.ms", "604800000", protocol::kConfigSourceDefault, kTypeLong},
};

// Broker-level keys a broker resource answers (its own names).
constexpr BrokerValue kBrokerOnly[] = {
    {"default.replication.factor", "3", protocol::kConfigSourceStaticBroker, kTypeShort},
    {"log.retention.ms", "604800000", protocol::kConfigSourceDefault, kTypeLong},
    {"min.insync.replicas", "2", protocol::kConfigSourceStaticBroker, kTypeInt},
};

bool wanted(const std::optional<std::vector<std::string>>& keys, const std::string& name) {
  if (!keys) return true;
  for (const auto& k : *keys) {
    if (k == name) return true;
  }
  return false;
}

protocol::DescribeConfigsResourceResult entry(const std::string& name, const std::string& value, int8_t source,
                                              int8_t type) {
  protocol::DescribeConfigsResourceResult c;
  c.name = name;
  c.value = value;
  c.config_source = source;
  c.is_default = source == protocol::kConfigSourceDefault;
  c.config_type = type;
  return c;
}

}  // namespace

protocol::DescribeConfigsResponse describe_configs(const Simulation& simulation,
                                                   const protocol::DescribeConfigsRequest& request, int32_t broker) {
  protocol::DescribeConfigsResponse out;
  const auto layout = simulation.layout();
  for (const auto& resource : request.resources) {
    protocol::DescribeConfigsResult result;
    result.resource_type = resource.resource_type;
    result.resource_name = resource.resource_name;
    if (resource.resource_type == protocol::kConfigResourceTopic) {
      const auto settings = simulation.topic_configs(resource.resource_name);
      bool exists = settings.has_value();
      for (const auto& [key, _] : layout) exists = exists || key.first == resource.resource_name;
      if (!exists) {
        result.error_code = kUnknownTopicOrPartition;
        result.error_message = "This server does not host this topic-partition.";
        out.results.push_back(std::move(result));
        continue;
      }
      for (const auto& v : kBrokerValues) {
        if (!wanted(resource.configuration_keys, v.name)) continue;
        const std::string* own = nullptr;
        if (settings) {
          if (const auto it = settings->find(v.name); it != settings->end()) own = &it->second;
        }
        if (own) {
          result.configs.push_back(entry(v.name, *own, protocol::kConfigSourceDynamicTopic, v.type));
        } else {
          result.configs.push_back(entry(v.name, v.value, v.source, v.type));
        }
      }
    } else if (resource.resource_type == protocol::kConfigResourceBroker) {
      if (resource.resource_name != std::to_string(broker)) {
        result.error_code = kInvalidRequest;
        result.error_message =
            "Unexpected broker id, expected " + std::to_string(broker) + " but received " + resource.resource_name;
      } else {
        for (const auto& v : kBrokerOnly) {
          if (wanted(resource.configuration_keys, v.name)) {
            result.configs.push_back(entry(v.name, v.value, v.source, v.type));
          }
        }
      }
    } else {
      result.error_code = kInvalidRequest;
      result.error_message = "Unsupported resource type " + std::to_string(resource.resource_type);
    }
    out.results.push_back(std::move(result));
  }
  return out;
}

}  // namespace lagwatch::demo::front
