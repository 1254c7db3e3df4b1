#include "kafka/protocol/api_versions.hpp"

#include <stdexcept>

namespace lagwatch::kafka::protocol {
namespace {

constexpr int16_t kUnsupportedVersion = 35;

ApiVersionsResponse decode_as(wire::Reader& r, int16_t version) {
  const bool flexible = wire::is_flexible(wire::ApiKey::api_versions, version);
  ApiVersionsResponse out;
  out.decoded_version = version;
  out.error_code = r.int16("error_code");
  // Each element: three int16 and, when flexible, at least an empty tagged-field byte.
  const size_t n = r.count("api_keys", flexible, flexible ? 7 : 6);
  out.api_keys.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("api_keys", i);
    ApiVersionsResponseKey k;
    k.api_key = r.int16("api_key");
    k.min_version = r.int16("min_version");
    k.max_version = r.int16("max_version");
    if (flexible) r.skip_tagged_fields();
    out.api_keys.push_back(k);
  }
  if (version >= 1) out.throttle_time_ms = r.int32("throttle_time_ms");
  // v3's tagged fields (supported_features, finalized_features_epoch, finalized_features,
  // zk_migration_ready) are of no use to a read-only client.
  if (flexible) r.skip_tagged_fields();
  return out;
}

}  // namespace

void encode(wire::Writer& w, const ApiVersionsRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::api_versions, version);
  if (version < 3) return;
  w.string(request.client_software_name, true);
  w.string(request.client_software_version, true);
  w.no_tagged_fields();
}

ApiVersionsResponse decode_api_versions_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::api_versions, version);
  if (version > 0) {
    // The error code comes first in every layout. With UNSUPPORTED_VERSION the broker may
    // have answered in the v0 layout (KIP-511): like Kafka's Java client, try the requested
    // layout first and fall back to v0 when it does not fit the body exactly.
    wire::Reader peek = r;
    if (peek.int16("error_code") == kUnsupportedVersion) {
      wire::Reader attempt = r;
      try {
        ApiVersionsResponse out = decode_as(attempt, version);
        if (attempt.at_end()) {
          r = attempt;
          return out;
        }
      } catch (const wire::DecodeError&) {
        // not the requested layout; read it as v0 below
      }
      return decode_as(r, 0);
    }
  }
  return decode_as(r, version);
}

ApiVersionsRequest decode_api_versions_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::api_versions, version);
  ApiVersionsRequest out;
  if (version < 3) return out;
  out.client_software_name = r.string("client_software_name", true);
  out.client_software_version = r.string("client_software_version", true);
  r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const ApiVersionsResponse& response, int16_t version) {
  wire::require_implemented(wire::ApiKey::api_versions, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::api_versions, version);
  w.int16(response.error_code);
  w.array_length(response.api_keys.size(), flexible);
  for (const auto& k : response.api_keys) {
    w.int16(k.api_key);
    w.int16(k.min_version);
    w.int16(k.max_version);
    if (flexible) w.no_tagged_fields();
  }
  if (version >= 1) w.int32(response.throttle_time_ms);
  if (flexible) w.no_tagged_fields();
}

std::map<int16_t, wire::VersionRange> version_ranges(const ApiVersionsResponse& response) {
  std::map<int16_t, wire::VersionRange> out;
  for (const auto& k : response.api_keys) out[k.api_key] = wire::VersionRange{k.min_version, k.max_version};
  return out;
}

std::optional<wire::VersionRange> find_version_range(const ApiVersionsResponse& response, wire::ApiKey key) {
  std::optional<wire::VersionRange> found;
  for (const auto& k : response.api_keys) {
    if (k.api_key == static_cast<int16_t>(key)) found = wire::VersionRange{k.min_version, k.max_version};
  }
  return found;
}

}  // namespace lagwatch::kafka::protocol
