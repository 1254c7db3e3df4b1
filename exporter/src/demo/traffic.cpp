#include "demo/traffic.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "config/config.hpp"
#include "rdkafka/handles.hpp"

namespace lagwatch::demo {
namespace {

using SteadyClock = std::chrono::steady_clock;

// The clients' own log lines, at debug level: while an incident holds a broker down every
// client reports every reconnection, which would bury the demo's output.
void log_at_debug(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  spdlog::debug("demo client {} ({} {}): {}", rd_kafka_name(rk), facility, level, message);
}

rdkafka::ConfPtr make_conf(const std::map<std::string, std::string>& base,
                           const std::map<std::string, std::string>& props, bool quiet) {
  rdkafka::ConfPtr conf(rd_kafka_conf_new());
  if (quiet) rd_kafka_conf_set_log_cb(conf.get(), log_at_debug);
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
                               const std::map<std::string, std::string>& props, bool quiet) {
  auto conf = make_conf(base, props, quiet);
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

std::vector<DemoTopic> demo_topics() {
  return {
      {"orders", 6, 20.0},
      // min.insync.replicas equal to the replication factor: one replica behind and acks=all
      // writes fail (the checklist's min_insync_not_below_rf; under-min-ISR in broker-slow).
      {"payments", 3, 10.0, 3, {{"min.insync.replicas", "3"}}},
      {"inventory", 3, 5.0, 3, {{"retention.ms", "259200000"}}},
      // One replica per partition: the checklist's replication_factor_below_3, and the partition
      // that goes offline with its broker in broker-down.
      // min.insync.replicas 1 on it, or it would be under min ISR for good (1 replica < 2).
      {"clickstream", 3, 5.0, 1, {{"retention.ms", "3600000"}, {"min.insync.replicas", "1"}}},
  };
}

std::vector<std::string> demo_groups() { return {"billing", "analytics", "audit", "shipping"}; }

struct Traffic::Group {
  std::string name;
  std::string topic;
  GroupBehaviour start;                  // the baseline at start
  std::chrono::seconds change_after{0};  // the baseline's one change, if any
  ConsumerMode then = ConsumerMode::consume;
  GroupBehaviour now;
  bool follows_baseline = true;
  int running = 0;  // consumer threads alive, indices 0 .. running-1
  int64_t rewind_seq = 0;
  int64_t rewind_records = 0;
};

Traffic::Traffic(TrafficOptions options) : options_(std::move(options)) {
  const auto add = [this](std::string name, std::string topic, double rate, std::chrono::seconds after,
                          ConsumerMode then) {
    auto g = std::make_unique<Group>();
    g->name = std::move(name);
    g->topic = std::move(topic);
    g->start = {ConsumerMode::consume, rate, 1};
    g->change_after = after;
    g->then = then;
    g->now = g->start;
    groups_.push_back(std::move(g));
  };
  add("billing", "orders", 0, std::chrono::seconds(0), ConsumerMode::consume);
  add("analytics", "orders", 10.0, std::chrono::seconds(0), ConsumerMode::consume);
  add("audit", "payments", 0, options_.audit_stops_after, ConsumerMode::stopped);
  add("shipping", "inventory", 0, options_.shipping_stalls_after, ConsumerMode::stall);
}

Traffic::~Traffic() { stop(); }

void Traffic::start() {
  started_ = SteadyClock::now();
  producer_ = std::thread([this] { produce(); });
  supervisor_ = std::thread([this] { supervise(); });
}

void Traffic::stop() {
  stopping_ = true;
  if (supervisor_.joinable()) supervisor_.join();
  if (producer_.joinable()) producer_.join();
  std::vector<Worker> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (auto& w : workers) {
    if (w.thread.joinable()) w.thread.join();
  }
}

Traffic::Group& Traffic::group(const std::string& name) {
  for (auto& g : groups_) {
    if (g->name == name) return *g;
  }
  std::string names;
  for (const auto& g : groups_) names += (names.empty() ? "" : ", ") + g->name;
  throw std::invalid_argument("no demo group \"" + name + "\"; the demo's groups are " + names);
}

const Traffic::Group& Traffic::group(const std::string& name) const { return const_cast<Traffic*>(this)->group(name); }

void Traffic::apply_baseline(Group& g, SteadyClock::time_point now) {
  if (g.follows_baseline && g.change_after.count() > 0 && now - started_ >= g.change_after) g.now.mode = g.then;
}

void Traffic::set_mode(const std::string& name, ConsumerMode mode) {
  std::lock_guard lock(mu_);
  auto& g = group(name);
  g.follows_baseline = false;
  g.now.mode = mode;
}

void Traffic::set_rate(const std::string& name, double records_per_second) {
  std::lock_guard lock(mu_);
  auto& g = group(name);
  g.follows_baseline = false;
  g.now.mode = ConsumerMode::consume;
  g.now.records_per_second = records_per_second;
}

void Traffic::set_consumers(const std::string& name, int consumers) {
  std::lock_guard lock(mu_);
  auto& g = group(name);
  const int most = partitions_of(g.topic);
  if (consumers < 1 || consumers > most) {
    throw std::invalid_argument(name + " reads " + g.topic + ", which has " + std::to_string(most) +
                                " partitions: between 1 and " + std::to_string(most) + " consumers");
  }
  g.follows_baseline = false;
  g.now.mode = ConsumerMode::consume;
  g.now.consumers = consumers;
}

void Traffic::rewind(const std::string& name, int64_t records) {
  std::lock_guard lock(mu_);
  auto& g = group(name);
  g.follows_baseline = false;
  g.now.mode = ConsumerMode::consume;
  g.rewind_records = records;
  ++g.rewind_seq;
}

void Traffic::burst(const std::string& topic, int64_t records) {
  if (partitions_of(topic) == 0) {
    std::string names;
    for (const auto& t : demo_topics()) names += (names.empty() ? "" : ", ") + t.name;
    throw std::invalid_argument("no demo topic \"" + topic + "\"; the demo's topics are " + names);
  }
  std::lock_guard lock(mu_);
  bursts_[topic] += records;
}

void Traffic::restore(const std::string& name) {
  std::lock_guard lock(mu_);
  auto& g = group(name);
  g.follows_baseline = true;
  g.now = g.start;
  apply_baseline(g, SteadyClock::now());
}

void Traffic::restore_all() {
  for (const auto& name : demo_groups()) restore(name);
}

GroupBehaviour Traffic::behaviour(const std::string& name) const {
  std::lock_guard lock(mu_);
  return group(name).now;
}

std::string Traffic::topic_of(const std::string& name) const {
  std::lock_guard lock(mu_);
  return group(name).topic;
}

int Traffic::partitions_of(const std::string& topic) const {
  for (const auto& t : demo_topics()) {
    if (t.name == topic) return t.partitions;
  }
  return 0;
}

void Traffic::supervise() {
  while (!stopping_) {
    {
      std::lock_guard lock(mu_);
      const auto now = SteadyClock::now();
      // Finished consumers are joined here, so the list holds only live ones.
      for (auto& w : workers_) {
        if (w.done->load() && w.thread.joinable()) w.thread.join();
      }
      std::erase_if(workers_, [](const Worker& w) { return !w.thread.joinable(); });
      for (auto& g : groups_) {
        apply_baseline(*g, now);
        if (g->now.mode == ConsumerMode::stopped) continue;
        while (g->running < g->now.consumers) {
          auto done = std::make_shared<std::atomic<bool>>(false);
          Group* group = g.get();
          const int index = g->running++;
          workers_.push_back({std::thread([this, group, index, done] {
                                consume(*group, index);
                                done->store(true);
                              }),
                              done});
        }
      }
    }
    nap(stopping_, std::chrono::milliseconds(200));
  }
}

void Traffic::produce() {
  try {
    auto producer =
        make_client(RD_KAFKA_PRODUCER, options_.properties,
                    {{"bootstrap.servers", options_.bootstrap_servers}, {"linger.ms", "50"}, {"log_level", "3"}},
                    options_.quiet_clients);
    auto topics = demo_topics();
    std::vector<double> due(topics.size(), 0.0);
    std::vector<int64_t> sent(topics.size(), 0);
    auto last = SteadyClock::now();
    const auto send = [&](size_t i) {
      int32_t partition = static_cast<int32_t>(sent[i] % topics[i].partitions);
      std::string value = "{\"n\":" + std::to_string(sent[i]) + "}";
      rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topics[i].name.c_str()), RD_KAFKA_V_PARTITION(partition),
                        RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                        RD_KAFKA_V_END);
      ++sent[i];
    };
    while (!stopping_) {
      auto now = SteadyClock::now();
      double dt = std::chrono::duration<double>(now - last).count();
      last = now;
      std::map<std::string, int64_t> bursts;
      {
        // At most 5000 burst records per round, so the producer's queue never fills.
        std::lock_guard lock(mu_);
        for (auto& [topic, left] : bursts_) {
          const int64_t n = std::min<int64_t>(left, 5000);
          bursts[topic] = n;
          left -= n;
        }
        std::erase_if(bursts_, [](const auto& b) { return b.second <= 0; });
      }
      for (size_t i = 0; i < topics.size(); ++i) {
        due[i] += topics[i].messages_per_second * dt;
        while (due[i] >= 1.0) {
          due[i] -= 1.0;
          send(i);
        }
        if (const auto b = bursts.find(topics[i].name); b != bursts.end()) {
          for (int64_t k = 0; k < b->second; ++k) send(i);
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

namespace {

// The partitions the consumer owns now (empty when none or on error).
rdkafka::PartitionListPtr assignment_of(rd_kafka_t* consumer) {
  rd_kafka_topic_partition_list_t* assigned = nullptr;
  if (rd_kafka_assignment(consumer, &assigned) != RD_KAFKA_RESP_ERR_NO_ERROR || !assigned) {
    return rdkafka::PartitionListPtr(rd_kafka_topic_partition_list_new(0));
  }
  return rdkafka::PartitionListPtr(assigned);
}

// Moves every owned partition `records` back from its committed offset.
void seek_back(rd_kafka_t* consumer, int64_t records, const std::string& group) {
  auto owned = assignment_of(consumer);
  if (owned->cnt == 0) return;
  if (rd_kafka_committed(consumer, owned.get(), 5000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn("demo consumer {}: cannot read its committed offsets to rewind", group);
    return;
  }
  for (int i = 0; i < owned->cnt; ++i) {
    auto& p = owned->elems[i];
    p.offset = std::max<int64_t>(0, p.offset - records);
  }
  // librdkafka's automatic commits only ever move an offset forward: store the lower offsets
  // and commit them now, so the offsets lagwatch reads fall at once and rise from there. Stored
  // before the seek, as librdkafka asks. Asynchronously: a commit to a broker that is down
  // would block.
  if (const auto err = rd_kafka_offsets_store(consumer, owned.get())) {
    spdlog::warn("demo consumer {}: cannot store its rewound offsets: {}", group, rd_kafka_err2str(err));
  }
  if (const auto err = rd_kafka_commit(consumer, owned.get(), 1)) {
    spdlog::warn("demo consumer {}: cannot commit its rewound offsets: {}", group, rd_kafka_err2str(err));
  }
  if (rd_kafka_error_t* error = rd_kafka_seek_partitions(consumer, owned.get(), 5000)) {
    spdlog::warn("demo consumer {}: rewind failed: {}", group, rd_kafka_error_string(error));
    rd_kafka_error_destroy(error);
  }
}

}  // namespace

void Traffic::consume(Group& g, int index) {
  try {
    auto consumer = make_client(RD_KAFKA_CONSUMER, options_.properties,
                                {{"bootstrap.servers", options_.bootstrap_servers},
                                 {"group.id", g.name},
                                 {"client.id", "demo-" + g.name},
                                 {"auto.offset.reset", "earliest"},
                                 {"enable.auto.commit", "true"},
                                 // Offsets are stored by hand after each record, so a rewind
                                 // can store lower ones (seek_back).
                                 {"enable.auto.offset.store", "false"},
                                 {"auto.commit.interval.ms", "1000"},
                                 // The mock waits a session timeout (less 1 s) before it
                                 // completes a rebalance of a group with members: 45 s by
                                 // default. 6 s is the least a Kafka broker accepts.
                                 {"session.timeout.ms", "6000"},
                                 {"heartbeat.interval.ms", "1500"},
                                 {"log_level", "3"}},
                                options_.quiet_clients);
    rd_kafka_poll_set_consumer(consumer.get());
    rdkafka::PartitionListPtr subscription(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(subscription.get(), g.topic.c_str(), RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(consumer.get(), subscription.get());

    bool paused = false;
    int64_t rewinds_seen = 0;
    {
      std::lock_guard lock(mu_);
      rewinds_seen = g.rewind_seq;
    }
    double budget = 0;
    auto last = SteadyClock::now();
    while (!stopping_) {
      GroupBehaviour now;
      int64_t rewinds = 0;
      int64_t rewind_records = 0;
      {
        std::lock_guard lock(mu_);
        now = g.now;
        rewinds = g.rewind_seq;
        rewind_records = g.rewind_records;
      }
      if (now.mode == ConsumerMode::stopped || index >= now.consumers) break;  // leave the group
      if (now.mode == ConsumerMode::stall) {
        // Stop fetching but stay a live member, committing nothing new. Re-paused every
        // round: a rebalance may hand it partitions it has not paused yet.
        rd_kafka_pause_partitions(consumer.get(), assignment_of(consumer.get()).get());
        paused = true;
        if (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 200)) rd_kafka_message_destroy(m);
        continue;
      }
      if (paused) {
        rd_kafka_resume_partitions(consumer.get(), assignment_of(consumer.get()).get());
        paused = false;
      }
      if (rewinds != rewinds_seen) {
        seek_back(consumer.get(), rewind_records, g.name);
        rewinds_seen = rewinds;
      }
      if (now.records_per_second <= 0) {
        // As fast as it can: no budget builds up or runs into debt for a later rate.
        budget = 0;
        last = SteadyClock::now();
      } else {
        auto t = SteadyClock::now();
        budget = std::min(budget + now.records_per_second * std::chrono::duration<double>(t - last).count(),
                          now.records_per_second);
        last = t;
        if (budget < 1.0) {
          nap(stopping_, std::chrono::milliseconds(50));
          continue;
        }
      }
      if (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 200)) {
        if (!m->err) {
          rd_kafka_offset_store(m->rkt, m->partition, m->offset);  // stores offset + 1, the next to read
          if (now.records_per_second > 0) budget -= 1.0;
        }
        rd_kafka_message_destroy(m);
      }
    }
    rd_kafka_consumer_close(consumer.get());
  } catch (const std::exception& e) {
    spdlog::error("demo consumer {}: {}", g.name, e.what());
  }
  std::lock_guard lock(mu_);
  --g.running;
}

}  // namespace lagwatch::demo
