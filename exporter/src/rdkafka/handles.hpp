// RAII owners for librdkafka's C objects. Every handle lagwatch creates lives in one of
// these, so an early return or an exception can never leak a client, queue or result.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>

namespace lagwatch::rdkafka {

template <auto Destroy>
struct Deleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    if (p) Destroy(p);
  }
};

using ClientPtr = std::unique_ptr<rd_kafka_t, Deleter<rd_kafka_destroy>>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, Deleter<rd_kafka_conf_destroy>>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, Deleter<rd_kafka_queue_destroy>>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, Deleter<rd_kafka_event_destroy>>;
using PartitionListPtr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, Deleter<rd_kafka_topic_partition_list_destroy>>;
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, Deleter<rd_kafka_AdminOptions_destroy>>;
using NewTopicPtr = std::unique_ptr<rd_kafka_NewTopic_t, Deleter<rd_kafka_NewTopic_destroy>>;
using GroupOffsetsRequestPtr =
    std::unique_ptr<rd_kafka_ListConsumerGroupOffsets_t, Deleter<rd_kafka_ListConsumerGroupOffsets_destroy>>;

// rd_kafka_metadata_destroy takes a const pointer, so it needs its own deleter.
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* p) const noexcept {
    if (p) rd_kafka_metadata_destroy(p);
  }
};
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

}  // namespace lagwatch::rdkafka
