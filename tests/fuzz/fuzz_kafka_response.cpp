// Every Kafka response decoder of lagwatch's client, fed untrusted bytes, as a broker (or
// anything posing as one) could send them. The first byte picks the API, the second the
// version (within what lagwatch implements); the rest is the frame after the size prefix,
// read through the same framing code the connection uses. A decoder may only throw
// wire::DecodeError (std::invalid_argument never: the version is always in range); anything
// else, a crash or a sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <span>

#include "kafka/protocol/api_versions.hpp"
#include "kafka/protocol/consumer_group_describe.hpp"
#include "kafka/protocol/consumer_protocol.hpp"
#include "kafka/protocol/describe_cluster.hpp"
#include "kafka/protocol/describe_configs.hpp"
#include "kafka/protocol/describe_groups.hpp"
#include "kafka/protocol/describe_log_dirs.hpp"
#include "kafka/protocol/describe_quorum.hpp"
#include "kafka/protocol/fetch.hpp"
#include "kafka/protocol/find_coordinator.hpp"
#include "kafka/protocol/list_groups.hpp"
#include "kafka/protocol/list_offsets.hpp"
#include "kafka/protocol/metadata.hpp"
#include "kafka/protocol/offset_fetch.hpp"
#include "kafka/protocol/record_batch.hpp"
#include "kafka/protocol/sasl.hpp"
#include "kafka/wire/frame.hpp"

namespace {

using lagwatch::kafka::wire::ApiKey;
namespace protocol = lagwatch::kafka::protocol;
namespace wire = lagwatch::kafka::wire;

void decode(ApiKey key, int16_t version, std::span<const uint8_t> frame) {
  auto r = wire::response_body(frame, key, version);
  switch (key) {
    case ApiKey::api_versions:
      protocol::decode_api_versions_response(r, version);
      break;
    case ApiKey::metadata:
      protocol::decode_metadata_response(r, version);
      break;
    case ApiKey::list_offsets:
      protocol::decode_list_offsets_response(r, version);
      break;
    case ApiKey::find_coordinator:
      protocol::decode_find_coordinator_response(r, version);
      break;
    case ApiKey::list_groups:
      protocol::decode_list_groups_response(r, version);
      break;
    case ApiKey::describe_groups: {
      const auto response = protocol::decode_describe_groups_response(r, version);
      for (const auto& g : response.groups) {
        for (const auto& m : g.members) {
          try {
            protocol::decode_consumer_protocol_assignment(m.member_assignment);
          } catch (const wire::DecodeError&) {
          }
          try {
            protocol::decode_consumer_protocol_subscription(m.member_metadata);
          } catch (const wire::DecodeError&) {
          }
        }
      }
      break;
    }
    case ApiKey::offset_fetch:
      protocol::decode_offset_fetch_response(r, version, "g");
      break;
    case ApiKey::describe_configs:
      protocol::decode_describe_configs_response(r, version);
      break;
    case ApiKey::fetch: {
      const auto response = protocol::decode_fetch_response(r, version);
      for (const auto& t : response.responses) {
        for (const auto& p : t.partitions) {
          try {
            protocol::timestamp_at(p.records, 0, 1 << 20);
          } catch (const wire::DecodeError&) {
          }
        }
      }
      break;
    }
    case ApiKey::sasl_handshake:
      protocol::decode_sasl_handshake_response(r, version);
      break;
    case ApiKey::sasl_authenticate:
      protocol::decode_sasl_authenticate_response(r, version);
      break;
    case ApiKey::describe_quorum:
      protocol::decode_describe_quorum_response(r, version);
      break;
    case ApiKey::consumer_group_describe:
      protocol::decode_consumer_group_describe_response(r, version);
      break;
    case ApiKey::describe_log_dirs:
      protocol::decode_describe_log_dirs_response(r, version);
      break;
    case ApiKey::describe_cluster:
      protocol::decode_describe_cluster_response(r, version);
      break;
    default:
      break;
  }
}

constexpr ApiKey kKeys[] = {ApiKey::api_versions,
                            ApiKey::metadata,
                            ApiKey::list_offsets,
                            ApiKey::find_coordinator,
                            ApiKey::list_groups,
                            ApiKey::describe_groups,
                            ApiKey::offset_fetch,
                            ApiKey::describe_configs,
                            ApiKey::fetch,
                            ApiKey::sasl_handshake,
                            ApiKey::sasl_authenticate,
                            ApiKey::describe_quorum,
                            ApiKey::consumer_group_describe,
                            ApiKey::describe_log_dirs,
                            ApiKey::describe_cluster};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const ApiKey key = kKeys[data[0] % (sizeof kKeys / sizeof kKeys[0])];
  const auto range = wire::implemented_versions(key);
  const auto version = static_cast<int16_t>(range.min + data[1] % (range.max - range.min + 1));
  try {
    decode(key, version, std::span<const uint8_t>(data + 2, size - 2));
  } catch (const wire::DecodeError&) {
    // Refused: what a hostile or broken broker gets.
  }
  return 0;
}
