// The demo's scheduled incident, so the cluster-health metrics have something to show: every
// `period`, partition inventory/2 loses its leader (offline) for `outage`, then gets broker 1
// back as leader.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "demo/mock_cluster.hpp"

namespace lagwatch::demo {

struct IncidentSchedule {
  std::chrono::seconds first{60};
  std::chrono::seconds outage{30};
  std::chrono::seconds period{120};
};

class Incidents {
 public:
  Incidents(MockCluster& cluster, IncidentSchedule schedule);
  ~Incidents();  // ends any outage in progress and joins
  Incidents(const Incidents&) = delete;
  Incidents& operator=(const Incidents&) = delete;

 private:
  void run();
  bool sleep(std::chrono::steady_clock::duration d);  // false when stopping

  MockCluster& cluster_;
  IncidentSchedule schedule_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lagwatch::demo
