// The DescribeConfigs answer of the demo broker front (librdkafka's mock has none): a topic's
// own settings (Simulation's TopicSettings::configs) with source DYNAMIC_TOPIC_CONFIG, and for
// every other key the demo broker's value, as a broker started with this server.properties
// would answer:
//
//   min.insync.replicas=2   default.replication.factor=3   (STATIC_BROKER_CONFIG)
//   retention.ms=604800000  retention.bytes=-1  cleanup.policy=delete  remote.storage.enable=false
//                                                           (DEFAULT_CONFIG: Kafka's defaults)
//
// Topic keys use the topic-level names (retention.ms), as Kafka's answer for a topic does.
#pragma once

#include <cstdint>

#include "demo/front/simulation.hpp"
#include "kafka/protocol/describe_configs.hpp"

namespace lagwatch::demo::front {

// `broker`: the broker answering (a broker resource other than itself gets an error, as
// Kafka answers for another broker's dynamic configs).
kafka::protocol::DescribeConfigsResponse describe_configs(const Simulation& simulation,
                                                          const kafka::protocol::DescribeConfigsRequest& request,
                                                          int32_t broker);

}  // namespace lagwatch::demo::front
