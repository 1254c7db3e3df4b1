// ApiVersions (key 18): the first request on every connection. lagwatch reads which version
// range of each API the broker offers and picks, per API, the highest version both sides
// speak (wire::pick_version). v3 also tells the broker the client's name and version (KIP-511),
// which brokers report in their client metrics.
//
// KIP-511: a broker that does not know the requested ApiVersions version answers with
// error_code 35 (UNSUPPORTED_VERSION) in the v0 layout, listing the ranges it does support
// (so the client can retry at the highest ApiVersions version it offers). The decoder
// recognizes that answer whatever version was asked for.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/api.hpp"
#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct ApiVersionsRequest {
  // v3+ (compact strings). lagwatch sends "lagwatch" and its own version.
  std::string client_software_name;
  std::string client_software_version;
  bool operator==(const ApiVersionsRequest&) const = default;
};

struct ApiVersionsResponseKey {
  int16_t api_key = 0;
  int16_t min_version = 0;
  int16_t max_version = 0;
  bool operator==(const ApiVersionsResponseKey&) const = default;
};

struct ApiVersionsResponse {
  int16_t error_code = 0;
  std::vector<ApiVersionsResponseKey> api_keys;
  int32_t throttle_time_ms = 0;  // v1+
  // The layout the body was actually read in: the requested version, or 0 when the broker
  // answered UNSUPPORTED_VERSION in the v0 layout (KIP-511).
  int16_t decoded_version = 0;
  bool operator==(const ApiVersionsResponse&) const = default;
};

// Body only. v0-2 requests have no fields.
void encode(wire::Writer& w, const ApiVersionsRequest& request, int16_t version);
ApiVersionsResponse decode_api_versions_response(wire::Reader& r, int16_t version);

// Server side (fault server, demo broker front). The request decoder reads v0-2 as no fields.
// The response encoder writes `version`'s layout (decoded_version is not consulted): to answer
// an ApiVersions version the front does not know (KIP-511), encode error_code 35 at version 0.
// v3's tagged fields (SupportedFeatures, FinalizedFeaturesEpoch, FinalizedFeatures,
// ZkMigrationReady, KIP-584/866) are skipped by the decoder and none is written: a re-encoded
// Kafka 2.7+ answer loses them, which a client only notices when it uses feature flags.
ApiVersionsRequest decode_api_versions_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const ApiVersionsResponse& response, int16_t version);

// The broker's range per API key. A key listed twice keeps its last range.
std::map<int16_t, wire::VersionRange> version_ranges(const ApiVersionsResponse& response);
// The broker's range for `key`, or nullopt when the broker does not offer it.
std::optional<wire::VersionRange> find_version_range(const ApiVersionsResponse& response, wire::ApiKey key);

}  // namespace lagwatch::kafka::protocol
