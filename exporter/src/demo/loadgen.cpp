#include "demo/loadgen.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/signals.hpp"
#include "demo/traffic.hpp"
#include "rdkafka/admin.hpp"
#include "rdkafka/client.hpp"
#include "rdkafka/metadata.hpp"

namespace lagwatch::demo {
namespace {

// CreateTopics for the demo's topics that Metadata does not list; an existing topic is used as
// it is (its partition count kept). Nothing is sent when all exist.
void create_missing_topics(const rdkafka::Client& client, const rdkafka::ClusterMetadata& md, int replication_factor) {
  std::vector<rdkafka::NewTopicPtr> topics;
  std::vector<rd_kafka_NewTopic_t*> raw;
  for (const auto& t : demo_topics()) {
    if (std::any_of(md.topics.begin(), md.topics.end(), [&](const auto& have) { return have.name == t.name; })) {
      spdlog::info("loadgen: topic {} exists; using it as it is", t.name);
      continue;
    }
    char err[256];
    topics.emplace_back(rd_kafka_NewTopic_new(t.name.c_str(), t.partitions, replication_factor, err, sizeof err));
    if (!topics.back()) throw kafka::KafkaError("topic " + t.name + ": " + err);
    raw.push_back(topics.back().get());
  }
  if (raw.empty()) return;
  rdkafka::QueuePtr queue(rd_kafka_queue_new(client.get()));
  auto options = rdkafka::admin_options(client, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_CreateTopics(client.get(), raw.data(), raw.size(), options.get(), queue.get());
  rdkafka::EventPtr ev(rd_kafka_queue_poll(queue.get(), static_cast<int>(client.request_timeout().count()) + 5000));
  if (!ev) throw kafka::KafkaError("CreateTopics: no answer");
  if (rd_kafka_event_error(ev.get()))
    throw kafka::KafkaError(std::string("CreateTopics: ") + rd_kafka_event_error_string(ev.get()));
  size_t n = 0;
  const auto** results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev.get()), &n);
  for (size_t i = 0; i < n; ++i) {
    const auto err = rd_kafka_topic_result_error(results[i]);
    const std::string name = rd_kafka_topic_result_name(results[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      spdlog::info("loadgen: created topic {} (replication factor {})", name, replication_factor);
    } else if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      spdlog::info("loadgen: topic {} exists; using it as it is", name);
    } else {
      const char* why = rd_kafka_topic_result_error_string(results[i]);
      throw kafka::KafkaError("CreateTopics " + name + ": " + (why ? why : rd_kafka_err2str(err)));
    }
  }
}

}  // namespace

int run_loadgen(const config::Config& config) {
  if (config.clusters.empty())
    throw config::ConfigError(
        "loadgen needs a cluster: --kafka.server HOST:PORT or --config FILE");  // validate() says so first
  const auto& cluster = config.clusters.front();
  rdkafka::ClientSettings settings;
  settings.cluster = cluster.name;
  settings.bootstrap_servers = cluster.bootstrap_servers;
  settings.properties = cluster.properties;
  settings.request_timeout = config.poll.request_timeout;
  rdkafka::Client admin(settings);

  const auto md = rdkafka::fetch_metadata(admin);
  const int replication = std::clamp(static_cast<int>(md.brokers.size()), 1, 3);
  create_missing_topics(admin, md, replication);

  std::string bootstrap;
  for (const auto& s : cluster.bootstrap_servers) bootstrap += (bootstrap.empty() ? "" : ",") + s;
  TrafficOptions options;
  options.bootstrap_servers = bootstrap;
  options.properties = cluster.properties;
  Traffic traffic(options);
  traffic.start();
  spdlog::info(
      "loadgen: producing to orders, payments, inventory on {}; groups billing (keeps up), analytics "
      "(half speed), audit (stops after {} s), shipping (stalls after {} s). Ctrl-C stops.",
      cluster.name, options.audit_stops_after.count(), options.shipping_stalls_after.count());
  for (;;) {
    const int sig = app::wait_for_signal();
    if (app::action_for(sig) == app::SignalAction::stop) {
      spdlog::info("loadgen: {} received, stopping", app::signal_name(sig));
      break;
    }
    spdlog::info("loadgen: {} received and ignored (it has no configuration to reload)", app::signal_name(sig));
  }
  traffic.stop();
  return 0;
}

}  // namespace lagwatch::demo
