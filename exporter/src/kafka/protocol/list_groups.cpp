#include "kafka/protocol/list_groups.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

void write_strings(wire::Writer& w, const std::vector<std::string>& v, bool flexible) {
  w.array_length(v.size(), flexible);
  for (const auto& s : v) w.string(s, flexible);
}

}  // namespace

void encode(wire::Writer& w, const ListGroupsRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::list_groups, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::list_groups, version);
  if (version < 4 && !request.states_filter.empty())
    throw std::invalid_argument("ListGroups v" + std::to_string(version) + " has no states filter (v4+)");
  if (version < 5 && !request.types_filter.empty())
    throw std::invalid_argument("ListGroups v" + std::to_string(version) + " has no types filter (v5+)");
  if (version >= 4) write_strings(w, request.states_filter, flexible);
  if (version >= 5) write_strings(w, request.types_filter, flexible);
  if (flexible) w.no_tagged_fields();
}

ListGroupsResponse decode_list_groups_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::list_groups, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::list_groups, version);
  ListGroupsResponse out;
  if (version >= 1) out.throttle_time_ms = r.int32("throttle_time_ms");
  out.error_code = r.int16("error_code");
  // Smallest group: two empty strings (2 bytes each, or 1 each plus the tag section).
  const size_t n = r.count("groups", flexible, flexible ? 3 : 4);
  out.groups.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("groups", i);
    ListedGroup g;
    g.group_id = r.string("group_id", flexible);
    g.protocol_type = r.string("protocol_type", flexible);
    if (version >= 4) g.group_state = r.string("group_state", flexible);
    if (version >= 5) g.group_type = r.string("group_type", flexible);
    if (flexible) r.skip_tagged_fields();
    out.groups.push_back(std::move(g));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

namespace {

std::vector<std::string> read_strings(wire::Reader& r, const char* field, bool flexible) {
  // Smallest element: an empty string.
  const size_t n = r.count(field, flexible, flexible ? 1 : 2);
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope(field, i);
    out.push_back(r.string(field, flexible));
  }
  return out;
}

}  // namespace

ListGroupsRequest decode_list_groups_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::list_groups, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::list_groups, version);
  ListGroupsRequest out;
  if (version >= 4) out.states_filter = read_strings(r, "states_filter", flexible);
  if (version >= 5) out.types_filter = read_strings(r, "types_filter", flexible);
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const ListGroupsResponse& response, int16_t version) {
  wire::require_implemented(wire::ApiKey::list_groups, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::list_groups, version);
  if (version >= 1) w.int32(response.throttle_time_ms);
  w.int16(response.error_code);
  w.array_length(response.groups.size(), flexible);
  for (const auto& g : response.groups) {
    w.string(g.group_id, flexible);
    w.string(g.protocol_type, flexible);
    if (version >= 4) w.string(g.group_state, flexible);
    if (version >= 5) w.string(g.group_type, flexible);
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
