// The Kafka APIs lagwatch speaks, the version range it implements for each, and where each
// API's flexible versions (KIP-482: compact strings and arrays, tagged fields, header v2/v1)
// begin. Versions are taken from the message definitions in Kafka's
// clients/src/main/resources/common/message/*.json.
//
// lagwatch only reads: it never produces, joins a group or commits. Produce, OffsetCommit,
// JoinGroup, Heartbeat, LeaveGroup and SyncGroup are here for the demo broker front
// (exporter/src/demo/), which decodes such traffic between clients and librdkafka's mock cluster
// to answer ListGroups/DescribeGroups/DescribeLogDirs itself. The client never sends them:
// nothing in kafka/net calls pick_version for these keys, so their rows need no send_max.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lagwatch::kafka::wire {

enum class ApiKey : int16_t {
  produce = 0,
  fetch = 1,
  list_offsets = 2,
  metadata = 3,
  offset_commit = 8,
  offset_fetch = 9,
  find_coordinator = 10,
  join_group = 11,
  heartbeat = 12,
  leave_group = 13,
  sync_group = 14,
  describe_groups = 15,
  list_groups = 16,
  sasl_handshake = 17,
  api_versions = 18,
  describe_configs = 32,
  describe_log_dirs = 35,
  sasl_authenticate = 36,
  describe_quorum = 55,
  describe_cluster = 60,
  consumer_group_describe = 69,
};

// "Metadata", "ListOffsets", ... as Kafka names them; "ApiKey(<n>)" for others.
std::string api_name(int16_t key);
inline std::string api_name(ApiKey key) { return api_name(static_cast<int16_t>(key)); }

struct VersionRange {
  int16_t min = 0;
  int16_t max = -1;  // max < min: none
  bool empty() const { return max < min; }
};

// The versions lagwatch can encode and decode for `key`; empty for an API it does not speak.
VersionRange implemented_versions(ApiKey key);

// Whether `version` is within implemented_versions(key) (false for an API lagwatch does not speak).
bool is_implemented(ApiKey key, int16_t version);

// Throws std::invalid_argument ("Metadata version 13 is not implemented") unless `version` is
// within implemented_versions(key): every encoder and decoder checks its version with it.
void require_implemented(ApiKey key, int16_t version);

// Whether `version` of `key` is flexible (compact strings, tagged fields, request header v2).
bool is_flexible(ApiKey key, int16_t version);

// The version lagwatch sends `key` at to a broker offering `broker`: the highest both support,
// except where the table in api.cpp caps it lower (and says why); nullopt if there is none.
std::optional<int16_t> pick_version(ApiKey key, VersionRange broker);

}  // namespace lagwatch::kafka::wire
