// The demo broker front: one TCP listener per broker of librdkafka's mock cluster, through
// which every client of the demo talks to it (lagwatch, the demo's producers and consumers,
// kcat). It exists because the mock lacks what the course teaches to watch: it has no
// ListGroups, DescribeGroups, DescribeConfigs or DescribeLogDirs, never shrinks an ISR, keeps a stopped broker in
// Metadata and names a controller that is none of its brokers. This is a simulation for the
// demo and for tests; `lagwatch serve` never uses it.
//
// Per request, in order on each connection:
//   ListGroups, DescribeGroups   answered here from the group traffic seen (group_registry.hpp)
//   DescribeConfigs              answered here from the demo's topic settings (topic_configs.hpp)
//   DescribeLogDirs              answered here from the bytes produced through the fronts
//                                (log_dirs.hpp)
//   DescribeCluster              answered here: the live brokers and the controller
//   everything else              forwarded to the front's mock broker on the session's own
//                                upstream connection, and the answer relayed back, except:
//     ApiVersions      also offers the five APIs above (the versions lagwatch's codec speaks)
//     Metadata         rewritten by Simulation::present (fronts' ports, ISR, controller, down
//                      brokers), after Simulation::observe has noted the mock's layout
//     FindCoordinator  the coordinator's port is its front's
//     JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit   relayed unchanged, and shown
//                      to the GroupRegistry (request and answer)
//     Produce          relayed unchanged; its record bytes per partition are counted
// What the front cannot decode it forwards unchanged (and says so at debug level): the mock
// stays the judge of every request it answers. Frames are capped (16 MiB requests, 64 MiB
// answers); a frame that breaks the protocol closes its connection.
//
// set_down(id, true) closes that broker's listener and every connection to it, as a stopped
// broker does (clients get "connection refused"); set_down(id, false) listens again on the same
// port. Broker ids are 1..N, in the order of the mock's bootstrap list (the mock numbers its
// brokers so).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "demo/front/group_registry.hpp"
#include "demo/front/simulation.hpp"

namespace lagwatch::demo::front {

class BrokerFronts {
 public:
  // `mock_bootstraps`: "127.0.0.1:p1,127.0.0.1:p2,..." (rd_kafka_mock_cluster_bootstraps).
  // Listens on 127.0.0.1, ephemeral ports. Throws std::runtime_error when it cannot.
  BrokerFronts(const std::string& mock_bootstraps, Simulation& simulation, GroupRegistry& groups);
  ~BrokerFronts();  // closes every listener and connection, and joins the I/O thread
  BrokerFronts(const BrokerFronts&) = delete;
  BrokerFronts& operator=(const BrokerFronts&) = delete;

  // "127.0.0.1:f1,127.0.0.1:f2,...": what the demo's clients bootstrap from.
  std::string bootstraps() const;
  // broker id -> its front's port.
  std::map<int32_t, uint16_t> ports() const;

  // Blocks until the listener is closed (or open again). Unknown ids throw std::out_of_range.
  void set_down(int32_t broker, bool down);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lagwatch::demo::front
