#include "kafka/requests/topic_configs.hpp"

#include <charconv>
#include <optional>

#include "kafka/protocol/describe_configs.hpp"
#include "kafka/protocol/error_codes.hpp"

namespace lagwatch::kafka {
namespace {

constexpr int8_t kTopicResource = 2;
constexpr size_t kMaxTopicsPerRequest = 500;

template <typename T>
std::optional<T> number(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  T v{};
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || end != s->data() + s->size()) return std::nullopt;
  return v;
}

}  // namespace

TopicConfigs describe_topic_configs(ClusterClient& client, const std::vector<std::string>& topics) {
  TopicConfigs out;
  std::vector<net::Call> calls;
  std::vector<std::vector<std::string>> batches;
  for (size_t i = 0; i < topics.size(); i += kMaxTopicsPerRequest) {
    batches.emplace_back(topics.begin() + i, topics.begin() + std::min(topics.size(), i + kMaxTopicsPerRequest));
  }
  std::vector<std::string> errors;
  for (const auto& batch : batches) {
    net::Call call;
    call.key = wire::ApiKey::describe_configs;
    const auto* b = &batch;
    call.encode = [b](int16_t version) {
      protocol::DescribeConfigsRequest request;
      for (const auto& t : *b) {
        auto& r = request.resources.emplace_back();
        r.resource_type = kTopicResource;
        r.resource_name = t;
        r.configuration_keys = std::vector<std::string>{"min.insync.replicas", "retention.ms", "retention.bytes",
                                                        "cleanup.policy", "remote.storage.enable"};
      }
      wire::Writer w;
      protocol::encode(w, request, version);
      return w.take();
    };
    call.on_answer = [&out, &errors](wire::Reader& r, int16_t version) {
      const auto response = protocol::decode_describe_configs_response(r, version);
      for (const auto& res : response.results) {
        if (res.error_code != 0) {
          errors.push_back(res.resource_name + ": " + protocol::describe_error(res.error_code));
          continue;
        }
        model::TopicConfig cfg;
        for (const auto& c : res.configs) {
          if (c.name == "min.insync.replicas") cfg.min_insync_replicas = number<int>(c.value);
          if (c.name == "retention.ms") cfg.retention_ms = number<int64_t>(c.value);
          if (c.name == "retention.bytes") cfg.retention_bytes = number<int64_t>(c.value);
          if (c.name == "remote.storage.enable") cfg.remote_storage = c.value && *c.value == "true";
          if (c.name == "cleanup.policy" && c.value) cfg.cleanup_policy = *c.value;
        }
        out.topics[res.resource_name] = std::move(cfg);
      }
    };
    calls.push_back(std::move(call));
  }
  client.pool().run(calls);
  out.requests = static_cast<int>(calls.size());
  out.unsupported = net::record_failures(calls, "", errors);
  if (out.unsupported) errors.push_back("the brokers do not offer DescribeConfigs");
  for (const auto& e : errors) out.error += (out.error.empty() ? "" : "; ") + e;
  return out;
}

}  // namespace lagwatch::kafka
