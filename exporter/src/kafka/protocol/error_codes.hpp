// Kafka's error codes (org.apache.kafka.common.protocol.Errors): names for logs and metrics
// labels, and the few classes of error lagwatch's client reacts to (find the coordinator
// again, refresh metadata). Error codes stay int16_t in every decoded response; these helpers
// only interpret them.
#pragma once

#include <cstdint>
#include <string>

namespace lagwatch::kafka::protocol {

// GROUP_ID_NOT_FOUND: also what DescribeGroups answers for a KIP-848 group and
// ConsumerGroupDescribe for a classic one ("not a consumer group").
inline constexpr int16_t kGroupIdNotFound = 69;

// TOPIC_AUTHORIZATION_FAILED (29), GROUP_AUTHORIZATION_FAILED (30),
// CLUSTER_AUTHORIZATION_FAILED (31): lagwatch's principal lacks an ACL. Not a failure of the
// cluster: the API is unavailable to lagwatch until the ACL is added.
inline bool authorization_failed(int16_t code) { return code == 29 || code == 30 || code == 31; }

// Kafka's name for `code`: "NONE" (0), "UNKNOWN_SERVER_ERROR" (-1), "NOT_COORDINATOR" (16) ...;
// "UNKNOWN" for a code this table does not know (a newer broker's).
std::string error_name(int16_t code);

// "NOT_COORDINATOR (16)"; "UNKNOWN (<n>)" for a code this table does not know.
std::string describe_error(int16_t code);

// Whether the group coordinator a request was sent to is not (or not yet) the one to ask:
// COORDINATOR_LOAD_IN_PROGRESS (14), COORDINATOR_NOT_AVAILABLE (15), NOT_COORDINATOR (16).
// The caller finds the coordinator again (FindCoordinator) and retries.
bool coordinator_moved(int16_t code);

// Whether a partition-level error means lagwatch's metadata is stale (the leader moved, is
// being elected, or is not reachable on this listener): LEADER_NOT_AVAILABLE (5),
// NOT_LEADER_OR_FOLLOWER (6), REPLICA_NOT_AVAILABLE (9), KAFKA_STORAGE_ERROR (56),
// LISTENER_NOT_FOUND (72), FENCED_LEADER_EPOCH (74), UNKNOWN_LEADER_EPOCH (75),
// OFFSET_NOT_AVAILABLE (78, a new leader whose high watermark has not caught up). The caller
// refreshes Metadata and retries. UNKNOWN_TOPIC_OR_PARTITION (3) is left out on purpose: it
// also means "deleted", which a retry does not cure; callers decide on it themselves.
bool leader_moved(int16_t code);

}  // namespace lagwatch::kafka::protocol
