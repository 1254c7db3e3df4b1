#include "demo/traffic.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <map>

#include "config/config.hpp"
#include "rdkafka/handles.hpp"

namespace lagwatch::demo {
namespace {

using SteadyClock = std::chrono::steady_clock;

rdkafka::ConfPtr make_conf(const std::map<std::string, std::string>& base,
                           const std::map<std::string, std::string>& props) {
  rdkafka::ConfPtr conf(rd_kafka_conf_new());
  char err[256];
  std::map<std::string, std::string> all = base;
  for (const auto& [k, v] : props) all[k] = v;
  for (const auto& [k, v] : all) {
    if (rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      // librdkafka's message may quote the value: never echo a secret.
      throw std::runtime_error("client property " + k + ": " +
                               (config::is_secret_key(k) ? std::string("rejected value (not shown: secret)") : err));
    }
  }
  return conf;
}

rdkafka::ClientPtr make_client(rd_kafka_type_t type, const std::map<std::string, std::string>& base,
                               const std::map<std::string, std::string>& props) {
  auto conf = make_conf(base, props);
  char err[256];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (!rk) throw std::runtime_error(std::string("demo client: ") + err);
  conf.release();
  return rdkafka::ClientPtr(rk);
}

// Sleeps up to `d`, waking early when the demo stops.
void nap(const std::atomic<bool>& stopping, std::chrono::milliseconds d) {
  auto until = SteadyClock::now() + d;
  while (!stopping && SteadyClock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace

std::vector<DemoTopic> demo_topics() { return {{"orders", 6, 20.0}, {"payments", 3, 10.0}, {"inventory", 3, 5.0}}; }

std::vector<std::string> demo_groups() { return {"billing", "analytics", "audit", "shipping"}; }

Traffic::Traffic(TrafficOptions options) : options_(std::move(options)) {}

Traffic::~Traffic() { stop(); }

void Traffic::start() {
  threads_.emplace_back([this] { produce(); });
  threads_.emplace_back([this] { consume("billing", "orders", 0, std::chrono::seconds(0), false); });
  threads_.emplace_back([this] { consume("analytics", "orders", 10.0, std::chrono::seconds(0), false); });
  threads_.emplace_back([this] { consume("audit", "payments", 0, options_.audit_stops_after, false); });
  threads_.emplace_back([this] { consume("shipping", "inventory", 0, options_.shipping_stalls_after, true); });
}

void Traffic::stop() {
  stopping_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void Traffic::produce() {
  try {
    auto producer =
        make_client(RD_KAFKA_PRODUCER, options_.properties,
                    {{"bootstrap.servers", options_.bootstrap_servers}, {"linger.ms", "50"}, {"log_level", "3"}});
    auto topics = demo_topics();
    std::vector<double> due(topics.size(), 0.0);
    std::vector<int64_t> sent(topics.size(), 0);
    auto last = SteadyClock::now();
    while (!stopping_) {
      auto now = SteadyClock::now();
      double dt = std::chrono::duration<double>(now - last).count();
      last = now;
      for (size_t i = 0; i < topics.size(); ++i) {
        due[i] += topics[i].messages_per_second * dt;
        while (due[i] >= 1.0) {
          due[i] -= 1.0;
          int32_t partition = static_cast<int32_t>(sent[i] % topics[i].partitions);
          std::string value = "{\"n\":" + std::to_string(sent[i]) + "}";
          rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topics[i].name.c_str()), RD_KAFKA_V_PARTITION(partition),
                            RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                            RD_KAFKA_V_END);
          ++sent[i];
        }
      }
      rd_kafka_poll(producer.get(), 0);
      nap(stopping_, std::chrono::milliseconds(100));
    }
    rd_kafka_flush(producer.get(), 2000);
  } catch (const std::exception& e) {
    spdlog::error("demo producer: {}", e.what());
  }
}

void Traffic::consume(std::string group, std::string topic, double rate_per_second, std::chrono::seconds stop_after,
                      bool stall) {
  try {
    auto consumer = make_client(RD_KAFKA_CONSUMER, options_.properties,
                                {{"bootstrap.servers", options_.bootstrap_servers},
                                 {"group.id", group},
                                 {"client.id", "demo-" + group},
                                 {"auto.offset.reset", "earliest"},
                                 {"enable.auto.commit", "true"},
                                 {"auto.commit.interval.ms", "1000"},
                                 {"log_level", "3"}});
    rd_kafka_poll_set_consumer(consumer.get());
    rdkafka::PartitionListPtr subscription(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(subscription.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(consumer.get(), subscription.get());

    const auto started = SteadyClock::now();
    bool stalled = false;
    double budget = 0;
    auto last = SteadyClock::now();
    while (!stopping_) {
      if (stop_after.count() > 0 && SteadyClock::now() - started > stop_after) {
        if (!stall) break;  // "audit": leave the group; its last commit stays behind
        if (!stalled) {
          // "shipping": stop fetching but stay a live member, committing nothing new.
          rd_kafka_topic_partition_list_t* assigned = nullptr;
          if (rd_kafka_assignment(consumer.get(), &assigned) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            rdkafka::PartitionListPtr owned(assigned);
            rd_kafka_pause_partitions(consumer.get(), owned.get());
          }
          stalled = true;
        }
      }
      if (rate_per_second > 0) {
        auto now = SteadyClock::now();
        budget =
            std::min(budget + rate_per_second * std::chrono::duration<double>(now - last).count(), rate_per_second);
        last = now;
        if (budget < 1.0) {
          nap(stopping_, std::chrono::milliseconds(50));
          continue;
        }
      }
      if (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 200)) {
        if (!m->err) budget -= 1.0;
        rd_kafka_message_destroy(m);
      }
    }
    rd_kafka_consumer_close(consumer.get());
  } catch (const std::exception& e) {
    spdlog::error("demo consumer {}: {}", group, e.what());
  }
}

}  // namespace lagwatch::demo
