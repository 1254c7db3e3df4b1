// The demo's workload: a producer writing to a few topics at a steady rate, and consumer
// groups that each behave in one recognisable way, so that lag and (later) Burrow-style
// evaluation have something real to tell apart:
//
//   billing    on orders     keeps up: consumes everything, commits every second
//   analytics  on orders     falls behind: consumes at half the produce rate, commits as it goes
//   audit      on payments   stops: consumes for a while, then leaves the group for good
//   shipping   on inventory  stalls: stays in the group (heartbeats) but pauses and never
//                            commits again, so its offsets freeze while lag grows
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace lagwatch::demo {

struct DemoTopic {
  std::string name;
  int partitions;
  double messages_per_second;
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
};

class Traffic {
 public:
  explicit Traffic(TrafficOptions options);
  ~Traffic();  // stops every thread and closes every client
  Traffic(const Traffic&) = delete;
  Traffic& operator=(const Traffic&) = delete;

  void start();
  void stop();

 private:
  void produce();
  // Consumes `topic` as group `group`. `rate_per_second` <= 0 means as fast as possible.
  // After `stop_after` (if non-zero) it either leaves the group (stall=false) or pauses and
  // keeps polling without committing (stall=true).
  void consume(std::string group, std::string topic, double rate_per_second, std::chrono::seconds stop_after,
               bool stall);

  TrafficOptions options_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace lagwatch::demo
