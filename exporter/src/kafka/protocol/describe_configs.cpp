#include "kafka/protocol/describe_configs.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

DescribeConfigsResourceResult decode_config(wire::Reader& r, int16_t version, bool flexible) {
  DescribeConfigsResourceResult c;
  c.name = r.string("name", flexible);
  c.value = r.nullable_string("value", flexible);
  c.read_only = r.boolean("read_only");
  if (version == 0) c.is_default = r.boolean("is_default");
  if (version >= 1) {
    c.config_source = r.int8("config_source");
    c.is_default = c.config_source == kConfigSourceDefault;
  }
  c.is_sensitive = r.boolean("is_sensitive");
  if (version >= 1) {
    // Smallest synonym: empty name, null value, source.
    const size_t n = r.count("synonyms", flexible, flexible ? 4 : 5);
    c.synonyms.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      auto s = r.scope("synonyms", i);
      DescribeConfigsSynonym syn;
      syn.name = r.string("name", flexible);
      syn.value = r.nullable_string("value", flexible);
      syn.source = r.int8("source");
      if (flexible) r.skip_tagged_fields();
      c.synonyms.push_back(std::move(syn));
    }
  }
  if (version >= 3) {
    c.config_type = r.int8("config_type");
    c.documentation = r.nullable_string("documentation", flexible);
  }
  if (flexible) r.skip_tagged_fields();
  return c;
}

}  // namespace

void encode(wire::Writer& w, const DescribeConfigsRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::describe_configs, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::describe_configs, version);
  if (request.include_synonyms && version < 1)
    throw std::invalid_argument("DescribeConfigs v0 cannot include synonyms (v1+)");
  if (request.include_documentation && version < 3)
    throw std::invalid_argument("DescribeConfigs v" + std::to_string(version) + " cannot include documentation (v3+)");
  w.array_length(request.resources.size(), flexible);
  for (const auto& res : request.resources) {
    w.int8(res.resource_type);
    w.string(res.resource_name, flexible);
    if (res.configuration_keys) {
      w.array_length(res.configuration_keys->size(), flexible);
      for (const auto& k : *res.configuration_keys) w.string(k, flexible);
    } else {
      w.null_array(flexible);
    }
    if (flexible) w.no_tagged_fields();
  }
  if (version >= 1) w.boolean(request.include_synonyms);
  if (version >= 3) w.boolean(request.include_documentation);
  if (flexible) w.no_tagged_fields();
}

DescribeConfigsResponse decode_describe_configs_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::describe_configs, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::describe_configs, version);
  DescribeConfigsResponse out;
  out.throttle_time_ms = r.int32("throttle_time_ms");
  // Smallest result: error code, null message, type, empty name, no configs.
  const size_t n = r.count("results", flexible, flexible ? 7 : 11);
  out.results.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("results", i);
    DescribeConfigsResult res;
    res.error_code = r.int16("error_code");
    res.error_message = r.nullable_string("error_message", flexible);
    res.resource_type = r.int8("resource_type");
    res.resource_name = r.string("resource_name", flexible);
    // Smallest config: empty name, null value, three or four one-byte fields.
    const size_t nc = r.count("configs", flexible, 6);
    res.configs.reserve(nc);
    for (size_t j = 0; j < nc; ++j) {
      auto cs = r.scope("configs", j);
      res.configs.push_back(decode_config(r, version, flexible));
    }
    if (flexible) r.skip_tagged_fields();
    out.results.push_back(std::move(res));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

DescribeConfigsRequest decode_describe_configs_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::describe_configs, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::describe_configs, version);
  DescribeConfigsRequest out;
  // Smallest resource: type, empty name, null keys (and the tag section when flexible).
  const size_t n = r.count("resources", flexible, flexible ? 4 : 7);
  out.resources.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("resources", i);
    DescribeConfigsResource res;
    res.resource_type = r.int8("resource_type");
    res.resource_name = r.string("resource_name", flexible);
    const int32_t nk = r.array_length("configuration_keys", flexible, flexible ? 1 : 2);
    if (nk >= 0) {
      res.configuration_keys.emplace();
      res.configuration_keys->reserve(static_cast<size_t>(nk));
      for (int32_t k = 0; k < nk; ++k) {
        auto ks = r.scope("configuration_keys", static_cast<size_t>(k));
        res.configuration_keys->push_back(r.string("key", flexible));
      }
    }
    if (flexible) r.skip_tagged_fields();
    out.resources.push_back(std::move(res));
  }
  if (version >= 1) out.include_synonyms = r.boolean("include_synonyms");
  if (version >= 3) out.include_documentation = r.boolean("include_documentation");
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const DescribeConfigsResponse& response, int16_t version) {
  wire::require_implemented(wire::ApiKey::describe_configs, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::describe_configs, version);
  w.int32(response.throttle_time_ms);
  w.array_length(response.results.size(), flexible);
  for (const auto& res : response.results) {
    w.int16(res.error_code);
    w.nullable_string(res.error_message, flexible);
    w.int8(res.resource_type);
    w.string(res.resource_name, flexible);
    w.array_length(res.configs.size(), flexible);
    for (const auto& c : res.configs) {
      w.string(c.name, flexible);
      w.nullable_string(c.value, flexible);
      w.boolean(c.read_only);
      if (version == 0) w.boolean(c.is_default);
      if (version >= 1) w.int8(c.config_source);
      w.boolean(c.is_sensitive);
      if (version >= 1) {
        w.array_length(c.synonyms.size(), flexible);
        for (const auto& syn : c.synonyms) {
          w.string(syn.name, flexible);
          w.nullable_string(syn.value, flexible);
          w.int8(syn.source);
          if (flexible) w.no_tagged_fields();
        }
      }
      if (version >= 3) {
        w.int8(c.config_type);
        w.nullable_string(c.documentation, flexible);
      }
      if (flexible) w.no_tagged_fields();
    }
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
