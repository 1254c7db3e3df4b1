// The demo's Kafka cluster: librdkafka's mock cluster (3 brokers) with the demo's topics, and
// the demo broker front in front of every broker (front/broker_fronts.hpp), through which every
// client of the demo connects. bootstrap_servers() is the fronts' list; the mock's own ports
// are an implementation detail nothing outside this class uses.
#pragma once

#include <string>

#include "demo/front/broker_fronts.hpp"
#include "demo/front/group_registry.hpp"
#include "demo/front/simulation.hpp"
#include "demo/mock_cluster.hpp"

namespace lagwatch::demo {

class DemoCluster {
 public:
  // Starts the mock, creates demo_topics() on it and opens the fronts. Throws
  // std::runtime_error when one of them cannot.
  explicit DemoCluster(int brokers = 3);
  DemoCluster(const DemoCluster&) = delete;
  DemoCluster& operator=(const DemoCluster&) = delete;

  std::string bootstrap_servers() const { return fronts_.bootstraps(); }

  MockCluster& mock() { return mock_; }
  front::Simulation& simulation() { return simulation_; }
  front::GroupRegistry& groups() { return groups_; }
  front::BrokerFronts& fronts() { return fronts_; }

 private:
  MockCluster mock_;  // first: the fronts forward to it until they are gone
  front::Simulation simulation_;
  front::GroupRegistry groups_;
  front::BrokerFronts fronts_;
};

}  // namespace lagwatch::demo
