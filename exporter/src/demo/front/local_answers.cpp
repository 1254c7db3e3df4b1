#include "demo/front/local_answers.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "demo/front/log_dirs.hpp"
#include "demo/front/topic_configs.hpp"
#include "kafka/protocol/describe_configs.hpp"
#include "kafka/protocol/describe_groups.hpp"
#include "kafka/protocol/describe_log_dirs.hpp"
#include "kafka/protocol/list_groups.hpp"

namespace lagwatch::demo::front {

namespace protocol = kafka::protocol;
namespace wire = kafka::wire;

const std::vector<wire::ApiKey>& apis_answered_here() {
  static const std::vector<wire::ApiKey> apis = {wire::ApiKey::list_groups, wire::ApiKey::describe_groups,
                                                 wire::ApiKey::describe_configs, wire::ApiKey::describe_log_dirs,
                                                 wire::ApiKey::describe_cluster};
  return apis;
}

bool answered_here(int16_t api_key) {
  const auto& apis = apis_answered_here();
  return std::any_of(apis.begin(), apis.end(), [&](wire::ApiKey k) { return static_cast<int16_t>(k) == api_key; });
}

protocol::DescribeClusterResponse describe_cluster(const Simulation& simulation,
                                                   const std::map<int32_t, uint16_t>& ports) {
  protocol::DescribeClusterResponse out;
  out.cluster_id = simulation.cluster_id().value_or("lagwatch-demo");
  out.controller_id = simulation.controller();
  for (int32_t id : simulation.live_brokers()) {
    protocol::DescribeClusterBroker b;
    b.broker_id = id;
    b.host = "127.0.0.1";
    if (const auto it = ports.find(id); it != ports.end()) b.port = it->second;
    out.brokers.push_back(std::move(b));
  }
  return out;
}

std::vector<uint8_t> answer_here(const RequestHeader& header, std::span<const uint8_t> frame, FrontState& state,
                                 SteadyTime now) {
  const int16_t key = header.api_key;
  const int16_t version = header.api_version;
  const auto api = static_cast<wire::ApiKey>(key);
  if (!answered_here(key) || !wire::is_implemented(api, version)) {
    throw std::runtime_error(wire::api_name(key) + " v" + std::to_string(version) + " is not offered");
  }
  auto r = request_body(frame, header);
  wire::Writer w;
  switch (api) {
    case wire::ApiKey::list_groups: {
      const auto request = protocol::decode_list_groups_request(r, version);
      protocol::encode(w, state.groups.list(state.broker, request.states_filter, now), version);
      break;
    }
    case wire::ApiKey::describe_groups: {
      const auto request = protocol::decode_describe_groups_request(r, version);
      protocol::encode(w, state.groups.describe(state.broker, request.groups, now), version);
      break;
    }
    case wire::ApiKey::describe_configs: {
      const auto request = protocol::decode_describe_configs_request(r, version);
      protocol::encode(w, describe_configs(state.simulation, request, state.broker), version);
      break;
    }
    case wire::ApiKey::describe_log_dirs: {
      const auto request = protocol::decode_describe_log_dirs_request(r, version);
      protocol::encode(w, describe_log_dirs(state.simulation, request, state.broker), version);
      break;
    }
    default:
      (void)protocol::decode_describe_cluster_request(r, version);
      protocol::encode(w, describe_cluster(state.simulation, state.ports), version);
      break;
  }
  return response_frame(header, w.bytes());
}

}  // namespace lagwatch::demo::front
