// OffsetFetch (API 9), sent to a group's coordinator: the offsets a group committed. This is
// the "committed" side of lagwatch's lag (log end offset minus committed offset).
//
// Callers see one shape whatever the version: a list of groups, each with its topics and
// partitions. Versions 1-7 carry exactly one group (its id is not in the response, so the
// decoder is told it); version 8+ carries several. lagwatch uses committed_offset (-1: none
// committed), the partition and group error codes, and, from v5, committed_leader_epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct OffsetFetchRequestTopic {
  std::string name;
  std::vector<int32_t> partition_indexes;
};

struct OffsetFetchRequestGroup {
  std::string group_id;
  std::optional<std::string> member_id;  // v9+ (KIP-848 members); null for lagwatch
  int32_t member_epoch = -1;             // v9+
  // Null: every partition the group has committed (v2+); the broker then returns only those.
  // Named partitions without a commit come back with committed_offset -1.
  std::optional<std::vector<OffsetFetchRequestTopic>> topics;
};

struct OffsetFetchRequest {
  // Exactly one group below v8 (encode throws std::invalid_argument otherwise).
  std::vector<OffsetFetchRequestGroup> groups;
  bool require_stable = false;  // v7+; set below v7 throws std::invalid_argument
};

struct OffsetFetchResponsePartition {
  int32_t partition_index = 0;
  int64_t committed_offset = -1;
  int32_t committed_leader_epoch = -1;  // v5+
  std::optional<std::string> metadata;
  int16_t error_code = 0;
};

struct OffsetFetchResponseTopic {
  std::string name;
  std::vector<OffsetFetchResponsePartition> partitions;
};

struct OffsetFetchResponseGroup {
  std::string group_id;
  std::vector<OffsetFetchResponseTopic> topics;
  // Group-level error: the top-level error_code for v2-7, the group's for v8+. Version 1 has
  // none (a group error shows in every partition's error_code), so it stays 0 there.
  int16_t error_code = 0;
};

struct OffsetFetchResponse {
  int32_t throttle_time_ms = 0;  // v3+
  std::vector<OffsetFetchResponseGroup> groups;
};

void encode(wire::Writer& w, const OffsetFetchRequest& request, int16_t version);
// `group_id`: for v1-7, the group the request asked for (the answer does not name it); it is
// copied into the single result. Ignored for v8+.
OffsetFetchResponse decode_offset_fetch_response(wire::Reader& r, int16_t version, std::string_view group_id = {});

}  // namespace lagwatch::kafka::protocol
