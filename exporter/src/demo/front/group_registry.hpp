// The consumer groups the demo broker front has seen, rebuilt from the group protocol that
// passes through it (JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit), so that it
// can answer ListGroups and DescribeGroups, which librdkafka's mock lacks, with what a real
// coordinator would say: the members' ids, client ids, hosts, subscriptions and assignments,
// the generation, the assignor and the group's state.
//
// The state follows Kafka's classic group coordinator:
//   Empty                no members (it has only committed offsets, or everyone left)
//   PreparingRebalance   a member was told REBALANCE_IN_PROGRESS and has not joined again
//   CompletingRebalance  the generation is formed (JoinGroup answered) and a member has not
//                        received its assignment yet (SyncGroup)
//   Stable               every member of the generation has its assignment
// A member that sends nothing for its session timeout is expired, as the coordinator does.
// Only successful answers change anything: the mock decides, the registry records.
//
// At most kMaxGroups groups, and as many members per group, are kept (any client may invent
// group ids); traffic for more is not recorded. Clock-free: every call takes `now`. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kafka/protocol/describe_groups.hpp"
#include "kafka/protocol/heartbeat.hpp"
#include "kafka/protocol/join_group.hpp"
#include "kafka/protocol/leave_group.hpp"
#include "kafka/protocol/list_groups.hpp"
#include "kafka/protocol/offset_commit.hpp"
#include "kafka/protocol/sync_group.hpp"

namespace lagwatch::demo::front {

using SteadyTime = std::chrono::steady_clock::time_point;

// Who sent a request: the client id of its header and the peer's address, as Kafka reports
// them in DescribeGroups ("/127.0.0.1").
struct RequestOrigin {
  int32_t broker = -1;  // the broker (front) that received it
  std::string client_id;
  std::string client_host;
};

class GroupRegistry {
 public:
  static constexpr size_t kMaxGroups = 10000;

  void joined(const RequestOrigin& origin, const kafka::protocol::JoinGroupRequest& request,
              const kafka::protocol::JoinGroupResponse& response, SteadyTime now);
  void synced(const kafka::protocol::SyncGroupRequest& request, const kafka::protocol::SyncGroupResponse& response,
              SteadyTime now);
  void heartbeat(const kafka::protocol::HeartbeatRequest& request, const kafka::protocol::HeartbeatResponse& response,
                 SteadyTime now);
  void left(const kafka::protocol::LeaveGroupRequest& request, SteadyTime now);
  void committed(const RequestOrigin& origin, const kafka::protocol::OffsetCommitRequest& request, SteadyTime now);

  // The group's coordinator changed (an incident moved it): answers follow at once.
  void move_coordinator(const std::string& group, int32_t broker);
  // group id -> coordinator, for every group seen.
  std::map<std::string, int32_t> coordinators() const;

  // What `broker` answers, as a coordinator answers: only its own groups.
  kafka::protocol::ListGroupsResponse list(int32_t broker, const std::vector<std::string>& states_filter,
                                           SteadyTime now);
  kafka::protocol::DescribeGroupsResponse describe(int32_t broker, const std::vector<std::string>& groups,
                                                   SteadyTime now);

 private:
  struct Member {
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string client_host;
    std::vector<uint8_t> subscription;
    std::vector<uint8_t> assignment;
    int32_t generation = -1;  // the generation of its last successful SyncGroup
    std::chrono::milliseconds session_timeout{10000};
    SteadyTime last_seen{};
  };
  struct Group {
    int32_t coordinator = -1;
    std::string protocol_type;
    std::string protocol_name;
    int32_t generation = 0;
    bool rebalancing = false;
    std::map<std::string, Member> members;  // by member id
  };

  void expire(Group& group, SteadyTime now);
  // The group's entry, created if there is room; nullptr when kMaxGroups are kept already.
  Group* entry(const std::string& group_id);
  static std::string state_of(const Group& group);

  mutable std::mutex mu_;
  std::map<std::string, Group> groups_;
};

}  // namespace lagwatch::demo::front
