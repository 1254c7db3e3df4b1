// DescribeConfigs for topics: min.insync.replicas, retention.ms, cleanup.policy, with the
// broker defaults applied (the broker reports the effective value of every config).
//
// Topic configs change rarely, and a broker without the API (librdkafka's mock) answers only
// after the request timeout. So the request is asynchronous: submit() sends it, and take()
// collects the answer on a later poll without ever waiting. A poll never blocks on it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kafka/client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

using TopicConfig = model::TopicConfig;

struct TopicConfigs {
  std::map<std::string, TopicConfig> topics;
  std::string error;  // empty when the brokers answered
};

class TopicConfigReader {
 public:
  explicit TopicConfigReader(const Client& client);

  // Sends DescribeConfigs for these topics unless a request is already in flight.
  void submit(const std::vector<std::string>& topics);
  // The answer of the request in flight, if it has arrived. Never waits.
  std::optional<TopicConfigs> take();
  bool in_flight() const { return in_flight_; }

 private:
  const Client& client_;
  QueuePtr queue_;
  bool in_flight_ = false;
};

}  // namespace lagwatch::kafka
