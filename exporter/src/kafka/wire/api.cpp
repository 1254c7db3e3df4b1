#include "kafka/wire/api.hpp"

#include <algorithm>
#include <stdexcept>

namespace lagwatch::kafka::wire {
namespace {

struct ApiFacts {
  ApiKey key;
  const char* name;
  VersionRange implemented;
  int16_t first_flexible;  // INT16_MAX: no flexible version
  // The newest version the client sends, where it is below `implemented.max`: see the table.
  int16_t send_max = INT16_MAX;
};

// Lower bounds: the oldest version each API has on brokers lagwatch supports (Kafka 1.0+);
// Kafka 4.0 removed versions below these for most APIs (KIP-896). Upper bounds: the newest
// version whose fields lagwatch decodes.
constexpr ApiFacts kApis[] = {
    // Produce v0-2 are gone from Kafka 4.0 (its ApiVersions still advertises v0 for librdkafka,
    // KAFKA-18659, but rejects it); v13 names topics by id. Decoded for the demo front only.
    {ApiKey::produce, "Produce", {3, 13}, 9},
    {ApiKey::fetch, "Fetch", {4, 12}, 12},
    // ListOffsets v4+ add only what a monitor does not read (leader epochs, v4; flexible
    // encoding, v6; max timestamp, v7; tiered storage, v8), and librdkafka 2.0.2's mock answers
    // v4 and v5 with 8-byte leader epochs, a layout no version has. v1-v3 are on every broker
    // from Kafka 1.0 to 4.x (KIP-896 removed only v0).
    {ApiKey::list_offsets, "ListOffsets", {1, 8}, 6, 3},
    {ApiKey::metadata, "Metadata", {0, 12}, 9},
    // Demo front only. Kafka 4.0 removed v0-1 (KIP-896); v10 names topics by id.
    {ApiKey::offset_commit, "OffsetCommit", {2, 10}, 8},
    {ApiKey::offset_fetch, "OffsetFetch", {1, 9}, 6},
    {ApiKey::find_coordinator, "FindCoordinator", {0, 5}, 3},
    // The classic group protocol, for the demo front only; Kafka 4.x keeps every version.
    {ApiKey::join_group, "JoinGroup", {0, 9}, 6},
    {ApiKey::heartbeat, "Heartbeat", {0, 4}, 4},
    {ApiKey::leave_group, "LeaveGroup", {0, 5}, 4},
    {ApiKey::sync_group, "SyncGroup", {0, 5}, 4},
    {ApiKey::describe_groups, "DescribeGroups", {0, 5}, 5},
    {ApiKey::list_groups, "ListGroups", {0, 5}, 3},
    {ApiKey::sasl_handshake, "SaslHandshake", {0, 1}, INT16_MAX},
    {ApiKey::api_versions, "ApiVersions", {0, 3}, 3},
    {ApiKey::describe_configs, "DescribeConfigs", {0, 4}, 4},
    {ApiKey::describe_log_dirs, "DescribeLogDirs", {0, 4}, 2},
    {ApiKey::sasl_authenticate, "SaslAuthenticate", {0, 2}, 2},
    {ApiKey::describe_quorum, "DescribeQuorum", {0, 2}, 0},
    {ApiKey::describe_cluster, "DescribeCluster", {0, 2}, 0},
    {ApiKey::consumer_group_describe, "ConsumerGroupDescribe", {0, 1}, 0},
};

const ApiFacts* facts(int16_t key) {
  for (const auto& a : kApis) {
    if (static_cast<int16_t>(a.key) == key) return &a;
  }
  return nullptr;
}

}  // namespace

std::string api_name(int16_t key) {
  if (const auto* a = facts(key)) return a->name;
  return "ApiKey(" + std::to_string(key) + ")";
}

VersionRange implemented_versions(ApiKey key) {
  const auto* a = facts(static_cast<int16_t>(key));
  return a ? a->implemented : VersionRange{};
}

bool is_implemented(ApiKey key, int16_t version) {
  const VersionRange range = implemented_versions(key);
  return !range.empty() && version >= range.min && version <= range.max;
}

void require_implemented(ApiKey key, int16_t version) {
  if (!is_implemented(key, version)) {
    throw std::invalid_argument(api_name(key) + " version " + std::to_string(version) + " is not implemented");
  }
}

bool is_flexible(ApiKey key, int16_t version) {
  const auto* a = facts(static_cast<int16_t>(key));
  return a && version >= a->first_flexible;
}

std::optional<int16_t> pick_version(ApiKey key, VersionRange broker) {
  const VersionRange ours = implemented_versions(key);
  if (ours.empty() || broker.empty()) return std::nullopt;
  const auto* a = facts(static_cast<int16_t>(key));
  const int16_t hi = std::min({ours.max, broker.max, a->send_max});
  const int16_t lo = std::max(ours.min, broker.min);
  if (hi < lo) return std::nullopt;
  return hi;
}

}  // namespace lagwatch::kafka::wire
