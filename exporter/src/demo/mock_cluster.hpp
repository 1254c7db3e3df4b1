// librdkafka's mock cluster: real Kafka-protocol brokers on loopback ports, inside this
// process. Used by `lagwatch demo` and the integration tests. It lacks ListGroups,
// DescribeGroups and DescribeConfigs, and its ISR always equals the replica set
// (shared/docs/mock-cluster-notes.md); lagwatch's code must not rely on those gaps.
#pragma once

#include <librdkafka/rdkafka.h>
// rdkafka_mock.h must follow rdkafka.h
#include <librdkafka/rdkafka_mock.h>

#include <string>

#include "rdkafka/handles.hpp"

namespace lagwatch::demo {

class MockCluster {
 public:
  explicit MockCluster(int brokers = 3);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  std::string bootstrap_servers() const;
  int brokers() const { return brokers_; }

  // Throws std::runtime_error naming the topic when the mock refuses.
  void create_topic(const std::string& topic, int partitions, int replication_factor = 3);
  void set_broker_up(int32_t broker_id, bool up);
  // -1 makes the partition leaderless (offline).
  void set_partition_leader(const std::string& topic, int32_t partition, int32_t broker_id);

  rd_kafka_mock_cluster_t* get() const { return mock_; }

 private:
  int brokers_;
  rdkafka::ClientPtr owner_;                 // the handle the mock cluster lives in; destroyed last
  rd_kafka_mock_cluster_t* mock_ = nullptr;  // owned: destroyed in ~MockCluster before owner_
};

}  // namespace lagwatch::demo
