#include "kafka/requests/groups.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "kafka/protocol/consumer_group_describe.hpp"
#include "kafka/protocol/consumer_protocol.hpp"
#include "kafka/protocol/describe_groups.hpp"
#include "kafka/protocol/error_codes.hpp"
#include "kafka/protocol/list_groups.hpp"
#include "kafka/requests/coordinators.hpp"

namespace lagwatch::kafka {
namespace {

model::GroupMember member_of(const protocol::DescribedGroupMember& m, const std::string& protocol_type,
                             std::vector<std::string>& errors, const std::string& group) {
  model::GroupMember out;
  out.member_id = m.member_id;
  out.client_id = m.client_id;
  out.host = m.client_host;
  // Only the "consumer" protocol's assignment has a known layout (Connect and others differ).
  if (protocol_type == "consumer" && !m.member_assignment.empty()) {
    try {
      auto assignment = protocol::decode_consumer_protocol_assignment(m.member_assignment);
      for (const auto& t : assignment.assigned_partitions) {
        for (int32_t p : t.partitions) out.assignment.emplace_back(t.topic, p);
      }
    } catch (const std::exception& e) {
      errors.push_back("DescribeGroups " + group + ": member " + m.member_id +
                       "'s assignment does not decode: " + e.what());
    }
  }
  // The subscription's generation only tells rebalances apart (model/rebalances.hpp): a
  // subscription that does not decode costs nothing but that hint.
  if (protocol_type == "consumer" && !m.member_metadata.empty()) {
    try {
      out.generation = protocol::decode_consumer_protocol_subscription(m.member_metadata).generation_id;
    } catch (const std::exception&) {
    }
  }
  return out;
}

}  // namespace

GroupListing list_groups(ClusterClient& client, const std::vector<int32_t>& brokers) {
  GroupListing listing;
  std::vector<net::Call> calls;
  std::map<std::string, ListedGroup> found;
  auto& cache = client.coordinators();
  for (int32_t id : brokers) {
    net::Call call;
    call.node = id;
    call.key = wire::ApiKey::list_groups;
    call.encode = [](int16_t version) {
      wire::Writer w;
      protocol::encode(w, protocol::ListGroupsRequest{}, version);
      return w.take();
    };
    call.on_answer = [&, id](wire::Reader& r, int16_t version) {
      const auto response = protocol::decode_list_groups_response(r, version);
      if (response.error_code != 0) {
        listing.errors.push_back("ListGroups to broker " + std::to_string(id) + ": " +
                                 protocol::describe_error(response.error_code));
        return;
      }
      for (const auto& g : response.groups) {
        found[g.group_id] = {g.group_id, g.protocol_type, g.group_type};
        cache[g.group_id] = id;  // the broker that lists a group coordinates it
      }
    };
    calls.push_back(std::move(call));
  }
  client.pool().run(calls);
  listing.unsupported = net::record_failures(calls, "ListGroups: ", listing.errors);
  for (auto& [name, g] : found) listing.groups.push_back(std::move(g));
  return listing;
}

namespace {

// One request per coordinator naming all of its groups; groups whose coordinator moved (an
// answer's NOT_COORDINATOR, or a coordinator that did not answer) are looked up again and
// asked once more. Returns true when no coordinator offers the API.
struct PerCoordinator {
  wire::ApiKey key;
  const char* api;  // for messages
  std::function<std::vector<uint8_t>(const std::vector<std::string>& groups, int16_t version)> encode;
  // Reads one answer; appends the groups whose coordinator moved to `moved`.
  std::function<void(wire::Reader&, int16_t, std::vector<std::string>& moved)> on_answer;
};

bool ask_coordinators(ClusterClient& client, const std::vector<std::string>& groups, const PerCoordinator& ask,
                      std::vector<std::string>& errors) {
  for (const auto& [group, error] : find_coordinators(client, groups)) errors.push_back(group + ": " + error);
  // The second attempt asks only the groups whose coordinator moved, so an answer's error for
  // a group is not asked for (and reported) twice.
  std::vector<std::string> pending = groups;
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::map<int32_t, std::vector<std::string>> by_coordinator;
    for (const auto& g : pending) {
      auto it = client.coordinators().find(g);
      if (it != client.coordinators().end()) by_coordinator[it->second].push_back(g);
    }
    if (by_coordinator.empty()) return false;
    std::vector<net::Call> calls;
    std::vector<std::vector<std::string>*> asked;
    std::vector<std::string> moved;
    for (auto& [node, names] : by_coordinator) {
      net::Call call;
      call.node = node;
      call.key = ask.key;
      const auto* n = &names;
      call.encode = [&ask, n](int16_t version) { return ask.encode(*n, version); };
      call.on_answer = [&ask, &moved](wire::Reader& r, int16_t version) { ask.on_answer(r, version, moved); };
      calls.push_back(std::move(call));
      asked.push_back(&names);
    }
    client.pool().run(calls);
    size_t unsupported = 0;
    for (size_t i = 0; i < calls.size(); ++i) {
      if (calls[i].answered) continue;
      if (calls[i].unsupported) {
        ++unsupported;
        continue;
      }
      // The coordinator may have failed over: look again on the second attempt.
      moved.insert(moved.end(), asked[i]->begin(), asked[i]->end());
      if (attempt == 1) errors.push_back(std::string(ask.api) + ": " + calls[i].error);
    }
    if (unsupported == calls.size()) return true;
    if (moved.empty()) return false;
    forget_coordinators(client, moved);
    if (attempt == 0) {
      for (const auto& [group, error] : find_coordinators(client, moved)) errors.push_back(group + ": " + error);
    }
    pending = std::move(moved);
  }
  return false;
}

void sort_by_name(GroupDescriptions& out) {
  std::sort(out.groups.begin(), out.groups.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

}  // namespace

GroupDescriptions describe_groups(ClusterClient& client, const std::vector<std::string>& groups) {
  GroupDescriptions out;
  PerCoordinator ask;
  ask.key = wire::ApiKey::describe_groups;
  ask.api = "DescribeGroups";
  ask.encode = [](const std::vector<std::string>& names, int16_t version) {
    protocol::DescribeGroupsRequest request;
    request.groups = names;
    wire::Writer w;
    protocol::encode(w, request, version);
    return w.take();
  };
  ask.on_answer = [&out](wire::Reader& r, int16_t version, std::vector<std::string>& moved) {
    const auto response = protocol::decode_describe_groups_response(r, version);
    for (const auto& g : response.groups) {
      if (protocol::coordinator_moved(g.error_code)) {
        moved.push_back(g.group_id);
        continue;
      }
      // Kafka 4's answer for a KIP-848 group: "not a classic group" (or, on some versions,
      // Dead without members). ConsumerGroupDescribe tells the rest.
      if (g.error_code == protocol::kGroupIdNotFound ||
          (g.error_code == 0 && g.group_state == "Dead" && g.members.empty())) {
        out.not_classic.push_back(g.group_id);
        if (g.error_code != 0) continue;
      } else if (g.error_code != 0) {
        out.errors.push_back("DescribeGroups " + g.group_id + ": " + protocol::describe_error(g.error_code));
        continue;
      }
      GroupDescription d;
      d.name = g.group_id;
      d.state = g.group_state;
      d.protocol_type = g.protocol_type;
      for (const auto& m : g.members) d.members.push_back(member_of(m, g.protocol_type, out.errors, g.group_id));
      out.groups.push_back(std::move(d));
    }
  };
  out.unsupported = ask_coordinators(client, groups, ask, out.errors);
  sort_by_name(out);
  return out;
}

GroupDescriptions describe_consumer_groups(ClusterClient& client, const std::vector<std::string>& groups) {
  GroupDescriptions out;
  PerCoordinator ask;
  ask.key = wire::ApiKey::consumer_group_describe;
  ask.api = "ConsumerGroupDescribe";
  ask.encode = [](const std::vector<std::string>& names, int16_t version) {
    protocol::ConsumerGroupDescribeRequest request;
    request.group_ids = names;
    wire::Writer w;
    protocol::encode(w, request, version);
    return w.take();
  };
  ask.on_answer = [&out](wire::Reader& r, int16_t version, std::vector<std::string>& moved) {
    const auto response = protocol::decode_consumer_group_describe_response(r, version);
    for (const auto& g : response.groups) {
      if (protocol::coordinator_moved(g.error_code)) {
        moved.push_back(g.group_id);
        continue;
      }
      if (g.error_code == protocol::kGroupIdNotFound) {
        out.not_classic.push_back(g.group_id);  // here: not a consumer-protocol group either
        continue;
      }
      if (g.error_code != 0) {
        out.errors.push_back("ConsumerGroupDescribe " + g.group_id + ": " + protocol::describe_error(g.error_code));
        continue;
      }
      GroupDescription d;
      d.name = g.group_id;
      d.state = g.group_state;
      d.protocol_type = "consumer";
      d.epoch = g.group_epoch;
      for (const auto& m : g.members) {
        model::GroupMember member;
        member.member_id = m.member_id;
        member.client_id = m.client_id;
        member.host = m.client_host;
        member.generation = m.member_epoch;
        for (const auto& t : m.assignment.topic_partitions) {
          for (int32_t p : t.partitions) member.assignment.emplace_back(t.topic_name, p);
        }
        d.members.push_back(std::move(member));
      }
      out.groups.push_back(std::move(d));
    }
  };
  out.unsupported = ask_coordinators(client, groups, ask, out.errors);
  sort_by_name(out);
  return out;
}

}  // namespace lagwatch::kafka
