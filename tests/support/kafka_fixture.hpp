// Test helpers that act on a mock cluster the way applications would: produce records to
// chosen partitions, and commit offsets for a consumer group.
#pragma once

#include <librdkafka/rdkafka.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "rdkafka/handles.hpp"

namespace lagwatch::testing {

inline rdkafka::ClientPtr new_client(rd_kafka_type_t type, const std::string& bootstrap,
                                     const std::vector<std::pair<std::string, std::string>>& props = {}) {
  rdkafka::ConfPtr conf(rd_kafka_conf_new());
  char err[256];
  auto set = [&](const std::string& k, const std::string& v) {
    if (rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      throw std::runtime_error(k + ": " + err);
    }
  };
  set("bootstrap.servers", bootstrap);
  set("log_level", "2");
  for (const auto& [k, v] : props) set(k, v);
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (!rk) throw std::runtime_error(err);
  conf.release();
  return rdkafka::ClientPtr(rk);
}

// Produces `count` records to one partition and waits until all are acknowledged.
// `timestamp_ms` 0 lets the producer stamp them.
inline void produce(const std::string& bootstrap, const std::string& topic, int32_t partition, int count,
                    int64_t timestamp_ms = 0) {
  auto producer = new_client(RD_KAFKA_PRODUCER, bootstrap);
  for (int i = 0; i < count; ++i) {
    std::string value = "record-" + std::to_string(i);
    auto err = rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                                 RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_TIMESTAMP(timestamp_ms),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err) throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(err));
  }
  if (rd_kafka_flush(producer.get(), 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error("produce: flush timed out");
  }
}

struct Commit {
  std::string topic;
  int32_t partition;
  int64_t offset;
};

// Commits offsets for `group` as a consumer of that group would (OffsetCommit to its coordinator).
inline void commit(const std::string& bootstrap, const std::string& group, const std::vector<Commit>& commits) {
  auto consumer = new_client(RD_KAFKA_CONSUMER, bootstrap, {{"group.id", group}, {"enable.auto.commit", "false"}});
  rdkafka::PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(commits.size())));
  for (const auto& c : commits) {
    rd_kafka_topic_partition_list_add(list.get(), c.topic.c_str(), c.partition)->offset = c.offset;
  }
  auto err = rd_kafka_commit(consumer.get(), list.get(), /*async=*/0);
  if (err) throw std::runtime_error(std::string("commit: ") + rd_kafka_err2str(err));
  rd_kafka_consumer_close(consumer.get());
}

}  // namespace lagwatch::testing
