// The requests the demo broker front answers itself instead of forwarding them to the mock
// (which lacks them), and their answers: ListGroups and DescribeGroups from the group registry,
// DescribeConfigs (topic_configs.hpp), DescribeLogDirs (log_dirs.hpp), and DescribeCluster: the
// live brokers at their fronts' ports and the controller. ApiVersions offers them at the
// versions lagwatch's codec implements. Pure apart from the state it is given; the fronts and
// fuzz_demo_front call it.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "demo/front/frames.hpp"
#include "demo/front/group_registry.hpp"
#include "demo/front/simulation.hpp"
#include "kafka/protocol/describe_cluster.hpp"
#include "kafka/wire/api.hpp"

namespace lagwatch::demo::front {

const std::vector<kafka::wire::ApiKey>& apis_answered_here();
bool answered_here(int16_t api_key);

struct FrontState {
  const Simulation& simulation;
  GroupRegistry& groups;
  int32_t broker;                            // the broker answering
  const std::map<int32_t, uint16_t>& ports;  // broker id -> its front's port
};

// The framed answer (size prefix included) to a request for one of apis_answered_here().
// Throws std::runtime_error naming the API for a version the front does not offer, and
// wire::DecodeError for a body that does not parse (the front then closes the connection).
std::vector<uint8_t> answer_here(const RequestHeader& header, std::span<const uint8_t> frame, FrontState& state,
                                 SteadyTime now);

kafka::protocol::DescribeClusterResponse describe_cluster(const Simulation& simulation,
                                                          const std::map<int32_t, uint16_t>& ports);

}  // namespace lagwatch::demo::front
