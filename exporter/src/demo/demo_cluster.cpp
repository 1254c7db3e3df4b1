#include "demo/demo_cluster.hpp"

#include <future>
#include <vector>

#include "demo/traffic.hpp"

namespace lagwatch::demo {
namespace {

std::vector<int32_t> ids(int brokers) {
  std::vector<int32_t> out;
  for (int32_t i = 1; i <= brokers; ++i) out.push_back(i);
  return out;
}

std::vector<front::TopicSettings> settings() {
  std::vector<front::TopicSettings> out;
  for (const auto& t : demo_topics()) out.push_back({t.name, t.partitions, t.replication_factor, t.configs});
  return out;
}

// The mock creates topics slowly when asked back to back (mock-cluster-notes.md): ask in parallel.
MockCluster& with_topics(MockCluster& mock) {
  std::vector<std::future<void>> pending;
  for (const auto& t : demo_topics()) {
    pending.push_back(std::async(std::launch::async, [&mock, t] {
      mock.create_topic(t.name, t.partitions, std::min(t.replication_factor, mock.brokers()));
    }));
  }
  for (auto& p : pending) p.get();
  return mock;
}

// Each partition led by its preferred replica (Simulation::assignment), as Kafka places them,
// instead of wherever the mock put it: broker-down N then always takes clickstream/N-1 offline.
void lead_preferred(MockCluster& mock, const front::Simulation& simulation) {
  std::vector<std::future<void>> pending;
  for (const auto& t : demo_topics()) {
    for (int32_t p = 0; p < t.partitions; ++p) {
      const int32_t leader = simulation.assignment(t.name, p).front();
      pending.push_back(std::async(std::launch::async,
                                   [&mock, name = t.name, p, leader] { mock.set_partition_leader(name, p, leader); }));
    }
  }
  for (auto& f : pending) f.get();
}

}  // namespace

DemoCluster::DemoCluster(int brokers)
    : mock_(brokers),
      simulation_(ids(brokers), settings()),
      fronts_(with_topics(mock_).bootstrap_servers(), simulation_, groups_) {
  lead_preferred(mock_, simulation_);
}

}  // namespace lagwatch::demo
