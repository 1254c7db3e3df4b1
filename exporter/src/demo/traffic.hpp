// The demo's workload: a producer writing to the demo's topics at a steady rate, and consumer
// groups that each behave in one recognisable way, so that lag and Burrow-style evaluation
// have something real to tell apart:
//
//   billing    on orders     keeps up: consumes everything, commits every second
//   analytics  on orders     falls behind: consumes 10 records/s of 20, commits as it goes
//   audit      on payments   stops: consumes for a while, then leaves the group for good
//   shipping   on inventory  stalls: stays in the group (heartbeats) but pauses and never
//                            commits again, so its offsets freeze while lag grows
//
// That is each group's baseline. The demo's incidents change a group's behaviour while it runs
// (set_mode, set_rate, set_consumers, rewind) or add a burst of records to a topic; restore()
// gives a group its baseline back. Consumers commit automatically every second.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lagwatch::demo {

struct DemoTopic {
  std::string name;
  int partitions;
  double messages_per_second;
  int replication_factor = 3;
  // Set on the topic (DescribeConfigs answers them as DYNAMIC_TOPIC_CONFIG in the demo).
  std::map<std::string, std::string> configs = {};
};

std::vector<DemoTopic> demo_topics();
std::vector<std::string> demo_groups();

struct TrafficOptions {
  std::string bootstrap_servers;
  std::chrono::seconds audit_stops_after{45};
  std::chrono::seconds shipping_stalls_after{20};
  // librdkafka properties for every client (security.protocol, sasl.*, ssl.*), before the
  // workload's own settings.
  std::map<std::string, std::string> properties{};
  // The clients' log lines go to lagwatch's log at debug level instead of stderr (the demo).
  bool quiet_clients = false;
};

enum class ConsumerMode {
  consume,  // fetch and commit, at the group's rate
  stall,    // stay in the group (heartbeats), fetch and commit nothing
  stopped,  // leave the group: no member left
};

struct GroupBehaviour {
  ConsumerMode mode = ConsumerMode::consume;
  double records_per_second = 0;  // per consumer; 0: as fast as it can
  int consumers = 1;
};

class Traffic {
 public:
  explicit Traffic(TrafficOptions options);
  ~Traffic();  // stops every thread and closes every client
  Traffic(const Traffic&) = delete;
  Traffic& operator=(const Traffic&) = delete;

  void start();
  void stop();

  // Thread-safe. An unknown group or topic throws std::invalid_argument naming it. The
  // change holds until the next change or restore(); the baseline's own timers (audit stops,
  // shipping stalls) no longer apply to a changed group.
  void set_mode(const std::string& group, ConsumerMode mode);
  void set_rate(const std::string& group, double records_per_second);
  // 1 .. the number of partitions of the group's topic (more would sit idle).
  void set_consumers(const std::string& group, int consumers);
  // Every consumer of the group goes back `records` records on each partition it owns (its
  // committed offsets then fall) and consumes on from there.
  void rewind(const std::string& group, int64_t records);
  // `records` more records on `topic`, spread over its partitions, as fast as the producer can.
  void burst(const std::string& topic, int64_t records);
  void restore(const std::string& group);
  void restore_all();

  GroupBehaviour behaviour(const std::string& group) const;
  std::string topic_of(const std::string& group) const;
  int partitions_of(const std::string& topic) const;

 private:
  struct Group;
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void produce();
  void supervise();
  void consume(Group& group, int index);
  Group& group(const std::string& name);
  const Group& group(const std::string& name) const;
  void apply_baseline(Group& g, std::chrono::steady_clock::time_point now);

  TrafficOptions options_;
  std::atomic<bool> stopping_{false};
  std::chrono::steady_clock::time_point started_{};
  mutable std::mutex mu_;  // guards the groups' behaviours, bursts and workers
  std::vector<std::unique_ptr<Group>> groups_;
  std::map<std::string, int64_t> bursts_;
  std::vector<Worker> workers_;
  std::thread producer_;
  std::thread supervisor_;
};

}  // namespace lagwatch::demo
