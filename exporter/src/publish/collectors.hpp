// One function per metric group, each turning the published cluster views into families.
// The families of several clusters are merged (one HELP/TYPE per name, a `cluster` label
// on every series), since the text format forbids repeating a family.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/cluster_view.hpp"
#include "publish/families.hpp"

namespace lagwatch::publish {

using Views = std::map<std::string, std::shared_ptr<const core::ClusterView>>;

// kafka_brokers, kafka_broker_info (kafka_exporter's names).
void collect_brokers(const Views& views, Families& out);
// kafka_topic_partitions and the kafka_topic_partition_* families (kafka_exporter's names).
void collect_topics(const Views& views, Families& out);
// Cluster health from metadata: URP, offline, per-broker load (JMX names where they map).
void collect_health(const Views& views, Families& out);
// Topic configs (DescribeConfigs) and the production checklist per topic.
void collect_topic_configs(const Views& views, Families& out);
// kafka_consumergroup_* (kafka_exporter's names) and lagwatch's lag in seconds.
void collect_groups(const Views& views, Families& out);
// Burrow-style evaluation: lagwatch's status families and Burrow's own burrow_kafka_* ones.
void collect_evaluation(const Views& views, Families& out);
// lagwatch's own health: up, poll duration and errors, tracked sizes, build info.
void collect_exporter(const Views& views, Families& out);
// process_* (CPU, memory, file descriptors, threads, start time) from /proc, at scrape time.
void collect_process(Families& out);
// lagwatch_cluster_info, the KRaft quorum, fenced brokers.
void collect_cluster(const Views& views, Families& out);
// Log directory sizes (DescribeLogDirs) per broker, log dir, topic and (opt-in) replica.
void collect_log_dirs(const Views& views, Families& out);

}  // namespace lagwatch::publish
