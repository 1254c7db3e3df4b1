// ListGroups (API 16): the groups a broker coordinates. lagwatch asks every broker and takes the
// union to discover groups; it uses group_id, protocol_type (to pick "consumer" groups) and,
// where the broker sends it (v4+), group_state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct ListGroupsRequest {
  // v4+: only groups in these states ("Stable", "Empty", ...); empty = all.
  std::vector<std::string> states_filter;
  // v5+: only groups of these types ("classic", "consumer", ...); empty = all.
  std::vector<std::string> types_filter;
  bool operator==(const ListGroupsRequest&) const = default;
};

struct ListedGroup {
  std::string group_id;
  std::string protocol_type;  // "" for a group that only stores offsets
  std::string group_state;    // v4+
  std::string group_type;     // v5+
  bool operator==(const ListedGroup&) const = default;
};

struct ListGroupsResponse {
  int32_t throttle_time_ms = 0;  // v1+
  int16_t error_code = 0;
  std::vector<ListedGroup> groups;
  bool operator==(const ListGroupsResponse&) const = default;
};

// A non-empty filter in a version that cannot carry it throws std::invalid_argument: the
// broker would answer unfiltered and the caller would not know.
void encode(wire::Writer& w, const ListGroupsRequest& request, int16_t version);
ListGroupsResponse decode_list_groups_response(wire::Reader& r, int16_t version);

// Server side (fault server, demo broker front, which answers ListGroups itself). Fields the
// version lacks are not written (group_state below v4, group_type below v5).
ListGroupsRequest decode_list_groups_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const ListGroupsResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
