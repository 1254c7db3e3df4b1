// DescribeConfigs for topics: min.insync.replicas, retention.ms, cleanup.policy, with the
// broker defaults applied (the broker reports the effective value of every config). Topics
// go in batches to any broker; only the three keys lagwatch uses are asked for.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kafka/requests/cluster_client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

struct TopicConfigs {
  std::map<std::string, model::TopicConfig> topics;
  bool unsupported = false;  // no broker offers DescribeConfigs (librdkafka's mock)
  std::string error;         // empty when every batch was answered
  int requests = 0;
};

TopicConfigs describe_topic_configs(ClusterClient& client, const std::vector<std::string>& topics);

}  // namespace lagwatch::kafka
