// ListGroups and DescribeGroups: which consumer groups exist, their state and members.
//
// ListGroups goes to every broker once (each lists the groups it coordinates, which also
// tells lagwatch their coordinator). DescribeGroups goes to each coordinator once, naming all
// of its groups. A broker that does not answer makes the listing partial, and says so; the
// others' groups are still listed and described.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kafka/requests/cluster_client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

struct ListedGroup {
  std::string name;
  std::string protocol_type;  // "consumer" for consumer groups; "" for offset-only groups
  std::string group_type;     // ListGroups v5+ (Kafka 3.8+): "classic" or "consumer" (KIP-848); "" before
};

struct GroupListing {
  std::vector<ListedGroup> groups;  // sorted by name
  bool unsupported = false;         // no broker offers ListGroups (librdkafka's mock)
  std::vector<std::string> errors;  // brokers that failed: the list may be partial
};

// `brokers`: the node ids from this poll's Metadata.
GroupListing list_groups(ClusterClient& client, const std::vector<int32_t>& brokers);

struct GroupDescription {
  std::string name;
  std::string state;  // "Stable", "Empty", "Dead", ...
  std::string protocol_type;
  std::optional<int32_t> epoch;  // ConsumerGroupDescribe's group epoch
  std::vector<model::GroupMember> members;
};

struct GroupDescriptions {
  std::vector<GroupDescription> groups;  // the groups that were described
  bool unsupported = false;              // the coordinators do not offer DescribeGroups
  std::vector<std::string> errors;       // per coordinator or group
  // Groups the API cannot describe because they use the other protocol: DescribeGroups'
  // GROUP_ID_NOT_FOUND (or Dead without members) for a KIP-848 group, ConsumerGroupDescribe's
  // GROUP_ID_NOT_FOUND for a classic one.
  std::vector<std::string> not_classic;
};

// DescribeGroups, one request per coordinator: classic groups.
GroupDescriptions describe_groups(ClusterClient& client, const std::vector<std::string>& groups);
// ConsumerGroupDescribe (KIP-848), one request per coordinator: groups of the consumer protocol.
GroupDescriptions describe_consumer_groups(ClusterClient& client, const std::vector<std::string>& groups);

}  // namespace lagwatch::kafka
