// ListGroups + DescribeGroups, broadcast: every broker is asked for the groups it
// coordinates, then for their state and members. This is librdkafka's rd_kafka_list_groups().
//
// Why not the newer Admin API (ListConsumerGroups / DescribeConsumerGroups)? In librdkafka
// 2.0.2 both abort or wedge the process when a broker is down or lacks the API (assertion
// `eonce->refcnt > 0` in rd_kafka_enq_once_del_source_return; librdkafka issues #3663, #4605),
// and a monitor must survive a rolling restart. The broadcast call fails cleanly instead.
#pragma once

#include <string>
#include <vector>

#include "kafka/client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

struct GroupInfo {
  std::string name;
  std::string state;          // "Stable", "Empty", "PreparingRebalance", "Dead", ...
  std::string protocol_type;  // "consumer" for consumer groups; "" for offset-only (simple) groups
  std::vector<model::GroupMember> members;
};

struct GroupListing {
  std::vector<GroupInfo> groups;
  bool unsupported = false;         // the brokers have no ListGroups at all
  std::vector<std::string> errors;  // brokers or groups that failed: the list may be partial
};

GroupListing list_groups(const Client& client);

}  // namespace lagwatch::kafka
