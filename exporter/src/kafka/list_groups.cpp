#include "kafka/list_groups.hpp"

#include "kafka/admin.hpp"
#include "kafka/consumer_protocol.hpp"

namespace lagwatch::kafka {
namespace {

struct GroupListDeleter {
  void operator()(const rd_kafka_group_list* p) const noexcept {
    if (p) rd_kafka_group_list_destroy(p);
  }
};

model::GroupMember read_member(const rd_kafka_group_member_info& m, bool consumer_protocol) {
  model::GroupMember member;
  member.member_id = m.member_id ? m.member_id : "";
  member.client_id = m.client_id ? m.client_id : "";
  member.host = m.client_host ? m.client_host : "";
  if (consumer_protocol) {
    if (auto a = decode_consumer_assignment(m.member_assignment, static_cast<size_t>(m.member_assignment_size))) {
      member.assignment = std::move(*a);
    }
  }
  return member;
}

}  // namespace

GroupListing list_groups(const Client& client) {
  GroupListing out;
  const rd_kafka_group_list* raw = nullptr;
  rd_kafka_resp_err_t err =
      rd_kafka_list_groups(client.get(), nullptr, &raw, static_cast<int>(client.request_timeout().count()));
  std::unique_ptr<const rd_kafka_group_list, GroupListDeleter> list(raw);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (is_unsupported(err) && !list) {
      out.unsupported = true;
      return out;
    }
    out.errors.push_back("ListGroups: " + error_text(err));
  }
  if (!list) return out;
  for (int i = 0; i < list->group_cnt; ++i) {
    const auto& g = list->groups[i];
    if (g.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      out.errors.push_back(std::string("DescribeGroups ") + g.group + ": " + error_text(g.err));
      continue;
    }
    GroupInfo info;
    info.name = g.group;
    info.state = g.state ? g.state : "Unknown";
    info.protocol_type = g.protocol_type ? g.protocol_type : "";
    bool consumer = info.protocol_type == "consumer";
    for (int m = 0; m < g.member_cnt; ++m) info.members.push_back(read_member(g.members[m], consumer));
    out.groups.push_back(std::move(info));
  }
  return out;
}

}  // namespace lagwatch::kafka
