#include "demo/mock_cluster.hpp"

#include <stdexcept>

namespace lagwatch::demo {

MockCluster::MockCluster(int brokers) : brokers_(brokers) {
  rdkafka::ConfPtr conf(rd_kafka_conf_new());
  char err[256];
  // The owning handle never talks to anyone; keep it quiet.
  rd_kafka_conf_set(conf.get(), "log_level", "0", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), err, sizeof err);
  if (!rk) throw std::runtime_error(std::string("mock cluster: cannot create owner handle: ") + err);
  conf.release();
  owner_.reset(rk);
  mock_ = rd_kafka_mock_cluster_new(owner_.get(), brokers);
  if (!mock_) throw std::runtime_error("mock cluster: rd_kafka_mock_cluster_new failed");
}

MockCluster::~MockCluster() {
  if (mock_) rd_kafka_mock_cluster_destroy(mock_);
}

std::string MockCluster::bootstrap_servers() const { return rd_kafka_mock_cluster_bootstraps(mock_); }

void MockCluster::create_topic(const std::string& topic, int partitions, int replication_factor) {
  auto e = rd_kafka_mock_topic_create(mock_, topic.c_str(), partitions, replication_factor);
  if (e) throw std::runtime_error("mock cluster: cannot create topic " + topic + ": " + rd_kafka_err2str(e));
}

void MockCluster::set_broker_up(int32_t broker_id, bool up) {
  if (up) {
    rd_kafka_mock_broker_set_up(mock_, broker_id);
  } else {
    rd_kafka_mock_broker_set_down(mock_, broker_id);
  }
}

void MockCluster::set_partition_leader(const std::string& topic, int32_t partition, int32_t broker_id) {
  rd_kafka_mock_partition_set_leader(mock_, topic.c_str(), partition, broker_id);
}

}  // namespace lagwatch::demo
