#include "demo/front/group_registry.hpp"

#include <algorithm>

namespace lagwatch::demo::front {

namespace protocol = kafka::protocol;

namespace {

constexpr int16_t kNotCoordinator = 16;
constexpr int16_t kUnknownMemberId = 25;
constexpr int16_t kIllegalGeneration = 22;
constexpr int16_t kRebalanceInProgress = 27;

}  // namespace

void GroupRegistry::joined(const RequestOrigin& origin, const protocol::JoinGroupRequest& request,
                           const protocol::JoinGroupResponse& response, SteadyTime now) {
  if (response.error_code != 0 || response.member_id.empty()) return;  // e.g. MEMBER_ID_REQUIRED (KIP-394)
  std::lock_guard lock(mu_);
  Group* found = entry(request.group_id);
  if (!found) return;
  Group& g = *found;
  g.coordinator = origin.broker;
  g.protocol_type = request.protocol_type;
  g.protocol_name = response.protocol_name.value_or("");
  g.generation = response.generation_id;
  g.rebalancing = false;
  if (!g.members.count(response.member_id) && g.members.size() >= GroupRegistry::kMaxGroups) return;
  Member& m = g.members[response.member_id];
  m.group_instance_id = request.group_instance_id;
  m.client_id = origin.client_id;
  m.client_host = origin.client_host;
  m.session_timeout = std::chrono::milliseconds(std::max(request.session_timeout_ms, 1));
  m.last_seen = now;
  m.subscription.clear();
  for (const auto& p : request.protocols) {
    if (p.name == g.protocol_name) m.subscription = p.metadata;
  }
  if (!response.members.empty()) {
    // The leader's answer lists the whole generation: whoever is not in it is out.
    std::erase_if(g.members, [&](const auto& entry) {
      return std::none_of(response.members.begin(), response.members.end(),
                          [&](const auto& listed) { return listed.member_id == entry.first; });
    });
  }
}

void GroupRegistry::synced(const protocol::SyncGroupRequest& request, const protocol::SyncGroupResponse& response,
                           SteadyTime now) {
  std::lock_guard lock(mu_);
  const auto g = groups_.find(request.group_id);
  if (g == groups_.end()) return;
  if (response.error_code == kRebalanceInProgress) g->second.rebalancing = true;
  if (response.error_code != 0) return;
  const auto m = g->second.members.find(request.member_id);
  if (m == g->second.members.end()) return;
  m->second.assignment = response.assignment;
  m->second.generation = request.generation_id;
  m->second.last_seen = now;
}

void GroupRegistry::heartbeat(const protocol::HeartbeatRequest& request, const protocol::HeartbeatResponse& response,
                              SteadyTime now) {
  std::lock_guard lock(mu_);
  const auto g = groups_.find(request.group_id);
  if (g == groups_.end()) return;
  if (response.error_code == kUnknownMemberId || response.error_code == kIllegalGeneration) {
    g->second.members.erase(request.member_id);
    return;
  }
  if (response.error_code == kRebalanceInProgress) g->second.rebalancing = true;
  const auto m = g->second.members.find(request.member_id);
  if (m != g->second.members.end()) m->second.last_seen = now;
}

void GroupRegistry::left(const protocol::LeaveGroupRequest& request, SteadyTime) {
  std::lock_guard lock(mu_);
  const auto g = groups_.find(request.group_id);
  if (g == groups_.end()) return;
  for (const auto& m : request.members) g->second.members.erase(m.member_id);
  // The others are asked to rejoin.
  if (!g->second.members.empty()) g->second.rebalancing = true;
}

void GroupRegistry::committed(const RequestOrigin& origin, const protocol::OffsetCommitRequest& request,
                              SteadyTime now) {
  std::lock_guard lock(mu_);
  Group* found = entry(request.group_id);
  if (!found) return;
  Group& g = *found;
  g.coordinator = origin.broker;
  const auto m = g.members.find(request.member_id);
  if (m != g.members.end()) m->second.last_seen = now;
}

GroupRegistry::Group* GroupRegistry::entry(const std::string& group_id) {
  if (const auto it = groups_.find(group_id); it != groups_.end()) return &it->second;
  if (groups_.size() >= kMaxGroups) return nullptr;
  return &groups_[group_id];
}

void GroupRegistry::move_coordinator(const std::string& group, int32_t broker) {
  std::lock_guard lock(mu_);
  const auto g = groups_.find(group);
  if (g != groups_.end()) g->second.coordinator = broker;
}

std::map<std::string, int32_t> GroupRegistry::coordinators() const {
  std::lock_guard lock(mu_);
  std::map<std::string, int32_t> out;
  for (const auto& [id, g] : groups_) out[id] = g.coordinator;
  return out;
}

void GroupRegistry::expire(Group& group, SteadyTime now) {
  const size_t before = group.members.size();
  std::erase_if(group.members, [&](const auto& m) { return now - m.second.last_seen > m.second.session_timeout; });
  if (group.members.size() != before && !group.members.empty()) group.rebalancing = true;
}

std::string GroupRegistry::state_of(const Group& group) {
  if (group.members.empty()) return "Empty";
  if (group.rebalancing) return "PreparingRebalance";
  for (const auto& [id, m] : group.members) {
    if (m.generation != group.generation) return "CompletingRebalance";
  }
  return "Stable";
}

protocol::ListGroupsResponse GroupRegistry::list(int32_t broker, const std::vector<std::string>& states_filter,
                                                 SteadyTime now) {
  std::lock_guard lock(mu_);
  protocol::ListGroupsResponse out;
  for (auto& [id, g] : groups_) {
    if (g.coordinator != broker) continue;
    expire(g, now);
    const std::string state = state_of(g);
    if (!states_filter.empty() && std::find(states_filter.begin(), states_filter.end(), state) == states_filter.end()) {
      continue;
    }
    protocol::ListedGroup listed;
    listed.group_id = id;
    listed.protocol_type = g.protocol_type;
    listed.group_state = state;
    listed.group_type = "classic";
    out.groups.push_back(std::move(listed));
  }
  return out;
}

protocol::DescribeGroupsResponse GroupRegistry::describe(int32_t broker, const std::vector<std::string>& groups,
                                                         SteadyTime now) {
  std::lock_guard lock(mu_);
  protocol::DescribeGroupsResponse out;
  for (const auto& id : groups) {
    protocol::DescribedGroup d;
    d.group_id = id;
    const auto it = groups_.find(id);
    if (it == groups_.end()) {
      d.group_state = "Dead";  // what a coordinator answers for a group it does not have
      out.groups.push_back(std::move(d));
      continue;
    }
    Group& g = it->second;
    if (g.coordinator != broker) {
      d.error_code = kNotCoordinator;
      out.groups.push_back(std::move(d));
      continue;
    }
    expire(g, now);
    d.group_state = state_of(g);
    d.protocol_type = g.protocol_type;
    const bool stable = d.group_state == "Stable";
    if (stable) d.protocol_data = g.protocol_name;
    for (const auto& [member_id, m] : g.members) {
      protocol::DescribedGroupMember dm;
      dm.member_id = member_id;
      dm.group_instance_id = m.group_instance_id;
      dm.client_id = m.client_id;
      dm.client_host = m.client_host;
      // Kafka sends metadata and assignments only while the group is Stable.
      if (stable) {
        dm.member_metadata = m.subscription;
        dm.member_assignment = m.assignment;
      }
      d.members.push_back(std::move(dm));
    }
    out.groups.push_back(std::move(d));
  }
  return out;
}

}  // namespace lagwatch::demo::front
