// The demo's default scenario, so the cluster-health metrics move even before a student
// triggers anything: every `period`, partition inventory/2 loses its leader (offline) for
// `outage`, then gets its first live replica back as leader.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "demo/incidents.hpp"

namespace lagwatch::demo {

struct TimelineSchedule {
  std::chrono::seconds first{60};
  std::chrono::seconds outage{30};
  std::chrono::seconds period{120};
};

class DefaultTimeline {
 public:
  DefaultTimeline(Incidents& incidents, TimelineSchedule schedule);
  ~DefaultTimeline();  // ends any outage in progress and joins
  DefaultTimeline(const DefaultTimeline&) = delete;
  DefaultTimeline& operator=(const DefaultTimeline&) = delete;

 private:
  void run();
  bool sleep(std::chrono::steady_clock::duration d);  // false when stopping

  Incidents& incidents_;
  TimelineSchedule schedule_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lagwatch::demo
