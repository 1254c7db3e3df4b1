#include "kafka/describe_configs.hpp"

#include <charconv>

#include "kafka/admin.hpp"

namespace lagwatch::kafka {
namespace {

using ConfigResourcePtr = std::unique_ptr<rd_kafka_ConfigResource_t, Deleter<rd_kafka_ConfigResource_destroy>>;

template <typename T>
std::optional<T> number(const char* s) {
  if (!s) return std::nullopt;
  T v{};
  std::string_view sv(s);
  auto [end, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), v);
  if (ec != std::errc() || end != sv.data() + sv.size()) return std::nullopt;
  return v;
}

}  // namespace

TopicConfigReader::TopicConfigReader(const Client& client)
    : client_(client), queue_(rd_kafka_queue_new(client.get())) {}

void TopicConfigReader::submit(const std::vector<std::string>& topics) {
  if (in_flight_ || topics.empty()) return;
  std::vector<ConfigResourcePtr> owned;
  std::vector<rd_kafka_ConfigResource_t*> raw;
  for (const auto& t : topics) {
    owned.emplace_back(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, t.c_str()));
    raw.push_back(owned.back().get());
  }
  auto opts = admin_options(client_, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
  rd_kafka_DescribeConfigs(client_.get(), raw.data(), raw.size(), opts.get(), queue_.get());
  in_flight_ = true;
}

std::optional<TopicConfigs> TopicConfigReader::take() {
  if (!in_flight_) return std::nullopt;
  EventPtr ev(rd_kafka_queue_poll(queue_.get(), 0));
  if (!ev || rd_kafka_event_type(ev.get()) != RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT) return std::nullopt;
  in_flight_ = false;
  TopicConfigs out;
  if (rd_kafka_event_error(ev.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    out.error = std::string("DescribeConfigs: ") + rd_kafka_event_error_string(ev.get());
    return out;
  }
  size_t n = 0;
  const auto** resources =
      rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev.get()), &n);
  for (size_t i = 0; i < n; ++i) {
    if (rd_kafka_ConfigResource_error(resources[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) continue;  // e.g. deleted meanwhile
    TopicConfig cfg;
    size_t entries = 0;
    const auto** configs = rd_kafka_ConfigResource_configs(resources[i], &entries);
    for (size_t j = 0; j < entries; ++j) {
      std::string_view name = rd_kafka_ConfigEntry_name(configs[j]);
      const char* value = rd_kafka_ConfigEntry_value(configs[j]);
      if (name == "min.insync.replicas") cfg.min_insync_replicas = number<int>(value);
      if (name == "retention.ms") cfg.retention_ms = number<int64_t>(value);
      if (name == "cleanup.policy" && value) cfg.cleanup_policy = value;
    }
    out.topics[rd_kafka_ConfigResource_name(resources[i])] = std::move(cfg);
  }
  return out;
}

}  // namespace lagwatch::kafka
